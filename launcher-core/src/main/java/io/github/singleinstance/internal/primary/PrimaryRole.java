package io.github.singleinstance.internal.primary;

import io.github.singleinstance.AsyncLaunchHandler;
import io.github.singleinstance.IncompatiblePrimaryException;
import io.github.singleinstance.LaunchCancelledException;
import io.github.singleinstance.LaunchHandler;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.internal.claim.Heartbeat;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.ClaimHeader;
import io.github.singleinstance.internal.wire.InstanceKey;
import io.github.singleinstance.internal.wire.LaunchCodec;
import io.github.singleinstance.internal.wire.LaunchRing;
import io.github.singleinstance.internal.wire.LaunchTerminal;
import io.github.singleinstance.internal.wire.MalformedLaunchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary: holds the claim, owns the channel, takes launches and hands them to the handler.
 *
 * <p>Threads:
 * <pre>
 * single-instance-intake      reads the ring (rebuilding the channel if it is damaged or wedged), takes each launch
 *                             (its sender then knows it was delivered) and queues it; never waits for a handler
 * single-instance-handler     started by onLaunch / onLaunchAsync: runs the handler on each queued launch in turn;
 *                             a synchronous handler's reply is written here, an asynchronous one's when its stage
 *                             completes, on whatever thread completes it
 * single-instance-heartbeat   (Heartbeat, started when the lock was won) advances the claim header's PROGRESS while
 *                             anything is owed: no handler yet, launches taken and unanswered, closing, handing over
 * single-instance-replace     runs the application's replace action (or close + exit) when a launch asks for it
 * </pre>
 * {@link #close()} may come from any thread, including the handler's and the shutdown hook's.
 */
public final class PrimaryRole implements PrimaryInstance {

    /** How long a record may stay "being written" before its producer is taken for dead or frozen. */
    static final long STALL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final long STALL_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long the intake looks for another launch before it sleeps (see rungWithin). */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private static final long CLOSE_GRACE_MILLIS = 2000;
    private static final int EX_SOFTWARE = 70;
    private static final int EX_TEMPFAIL = 75;
    private static final int EX_DATAERR = 65;
    /** The answer to a launch whose handler stopped on its cancellation (no one reads it): 128 + SIGINT. */
    private static final int EX_CANCELLED = 130;
    /**
     * The largest launch record taken over a stream connection: far above what an operating system passes a process
     * (Linux: ARG_MAX, 2 MiB for arguments and environment), far below what would strain the primary's memory.
     */
    static final int MAX_LARGE_LAUNCH_BYTES = 64 << 20;

    /** Set once the backend is loaded (in {@link #setUp}); every use comes after that, or checks for null. */
    private volatile OsBackend os;

    private final Supplier<OsBackend> backend;
    private final ClaimHandle claim;
    private final InstanceKey key;
    private final LaunchConfig config;
    private final AtomicLong received = new AtomicLong();
    private final List<Channel> retired = new ArrayList<>();
    private final Thread shutdownHook;
    private final Object closeLock = new Object();
    private final BlockingQueue<PendingLaunch> queue = new LinkedBlockingQueue<>();
    /** Launches taken and not yet answered. */
    private final Set<PendingLaunch> owed = ConcurrentHashMap.newKeySet();

    /** Put in the queue by close(): the handler thread ends when it takes it. */
    private final PendingLaunch endOfLaunches = new PendingLaunch(null, null, null);

    private volatile Channel channel;
    /**
     * The generation of {@link #channel}'s name (the claim header's CHANNEL word): read from the header in setUp,
     * moved on when a name is taken or the channel rebuilt. Written under closeLock or before the intake starts.
     */
    private int generation;

    private volatile PendingLaunch inHandler;
    private volatile AsyncLaunchHandler handler;
    private volatile Runnable replaceAction;
    private volatile Thread intakeThread;
    private volatile Thread handlerThread;
    private volatile boolean closing;
    private volatile boolean replacing;
    /** Guarded by closeLock: answers are written only while false. */
    private boolean unmapped;

    private boolean closed;

    private final Heartbeat heartbeat;

    private PrimaryRole(
            Supplier<OsBackend> backend, ClaimHandle claim, Heartbeat heartbeat, InstanceKey key, LaunchConfig config) {
        this.backend = backend;
        this.claim = claim;
        this.heartbeat = heartbeat;
        this.key = key;
        this.config = config;
        this.shutdownHook = new Thread(new Callback(this, Callback.CLOSE), "single-instance-cleanup");
    }

    /**
     * Becomes the primary with a claim whose lock this process holds and whose {@code heartbeat} beats already (since
     * the lock was won), on {@code os}: {@link #setUp} here, then the intake starts. On failure the claim is released
     * and the failure thrown.
     */
    public static PrimaryRole start(
            OsBackend os, ClaimHandle claim, Heartbeat heartbeat, InstanceKey key, LaunchConfig config) {
        PrimaryRole role = new PrimaryRole(() -> os, claim, heartbeat, key, config);
        Callback toHeartbeat = new Callback(role, Callback.FOR_HEARTBEAT);
        heartbeat.attach(toHeartbeat, toHeartbeat);
        try {
            role.setUp();
        } catch (RuntimeException e) {
            role.giveUp();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(role.shutdownHook);
        role.intakeThread = role.startThread("single-instance-intake", new Callback(role, Callback.INTAKE));
        return role;
    }

    /**
     * {@link #start} with the setup moved off the caller's way: the caller is the primary as soon as this returns
     * (the claim is held, its header says STARTING and beats), while the intake thread loads {@code backend} (JNA, on
     * posix: 100 ms and more), opens the channel and marks the header READY before it takes launches. A launch
     * arriving meanwhile waits on the beating header, as for any starting primary. If the setup fails (a file system
     * error, an unusable backend), the failure is logged as an error and the claim given up, so that later launches
     * start as primaries of their own instead of waiting on one that cannot serve.
     */
    public static PrimaryRole startInBackground(
            Supplier<OsBackend> backend, ClaimHandle claim, Heartbeat heartbeat, InstanceKey key, LaunchConfig config) {
        PrimaryRole role = new PrimaryRole(backend, claim, heartbeat, key, config);
        Callback toHeartbeat = new Callback(role, Callback.FOR_HEARTBEAT);
        heartbeat.attach(toHeartbeat, toHeartbeat);
        Runtime.getRuntime().addShutdownHook(role.shutdownHook);
        role.intakeThread = role.startThread("single-instance-intake", new Callback(role, Callback.SET_UP_AND_INTAKE));
        return role;
    }

    /** The intake thread of {@link #startInBackground}: sets up, then takes launches; gives up the claim on failure. */
    private void setUpAndIntake() {
        try {
            if (!setUp()) {
                return; // closed while starting
            }
        } catch (RuntimeException | Error e) {
            log().error(
                            "the primary of id={} cannot open its channel and gives up its claim; later launches start "
                                    + "on their own",
                            config.id(),
                            e);
            giveUp();
            return;
        }
        intake();
    }

    /**
     * What the primary's threads run and what its heartbeat calls back, as one class rather than a lambda each: a
     * lambda's first use makes the JVM spin a class (about 1 ms apiece on this project's machine), and a first launch
     * would spin five of them before {@code claimOrExit} returns, where this class is loaded once (LaunchSpeed's
     * first-launch timeline in docs/performance.md).
     */
    private static final class Callback implements Runnable, BooleanSupplier, LongConsumer {
        /** Runs close(): the shutdown hook. */
        static final int CLOSE = 0;
        /** Runs intake(). */
        static final int INTAKE = 1;
        /** Runs setUpAndIntake(). */
        static final int SET_UP_AND_INTAKE = 2;
        /** Runs handle(): the handler thread. */
        static final int HANDLE = 3;
        /** Not run: the heartbeat asks whether anything is owed, and passes replace requests on. */
        static final int FOR_HEARTBEAT = 4;

        private final PrimaryRole role;
        private final int task;

        Callback(PrimaryRole role, int task) {
            this.role = role;
            this.task = task;
        }

        @Override
        public void run() {
            switch (task) {
                case CLOSE -> role.close();
                case INTAKE -> role.intake();
                case SET_UP_AND_INTAKE -> role.setUpAndIntake();
                case HANDLE -> role.handle();
                default -> throw new IllegalStateException("not a thread's task: " + task);
            }
        }

        @Override
        public boolean getAsBoolean() {
            return role.owesAnything();
        }

        @Override
        public void accept(long replacer) {
            role.handOver(replacer);
        }
    }

    /**
     * Loads the backend, clears a dead primary's leftovers, creates the channel and marks the header READY with the
     * backend's doorbell kind. Returns false (and leaves nothing behind) if the instance was closed meanwhile.
     */
    private boolean setUp() {
        OsBackend loaded = backend.get();
        synchronized (closeLock) {
            if (closing) {
                return false;
            }
            os = loaded;
        }
        ClaimHeader.Snapshot header = ClaimHeader.read(claim);
        generation = header.valid() ? header.channel() : 1; // a claim that holds no bytes (windows): always the first
        clearStaleChannels();
        Channel created = createChannel();
        // the first log() initialises the logging backend (Logback: hundreds of ms on a loaded machine): here, while
        // the header still says STARTING and beats, not in the intake once READY, where launches would wait unbeaten
        log().debug(
                        "primary for id={}: claim={}, channel={}, pid={}",
                        config.id(),
                        key.claimName(),
                        channelName(),
                        loaded.pid());
        synchronized (closeLock) {
            if (closing) { // close() ran without a channel to retire: this one is ours to remove
                loaded.unlink(channelName());
                created.close();
                return false;
            }
            channel = created;
            ClaimHeader.setBackend(claim, loaded.doorbellKind());
            if (!replacing) {
                ClaimHeader.setState(claim, ClaimHeader.STATE_READY);
            }
        }
        return true;
    }

    /** After a failed setup: releases everything; the instance is closed. */
    private void giveUp() {
        synchronized (closeLock) {
            closed = true;
            closing = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // nothing of ours left for it to do: it finds this instance closed
        }
        heartbeat.stop();
        Channel current = channel;
        if (current != null) {
            os.unlink(channelName());
            current.close();
        }
        claim.close();
        queue.add(endOfLaunches); // a handler thread already started ends
    }

    /**
     * The logger, looked up when something is logged: the first lookup initialises the logging backend (SLF4J's
     * provider search, then Logback's configuration: tens of milliseconds), which a first launch should not pay before
     * it becomes the primary. Lookups after the first are a map read.
     */
    private static Logger log() {
        return LoggerFactory.getLogger(PrimaryInstance.class);
    }

    private Thread startThread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public String id() {
        return config.id();
    }

    @Override
    public long launchesReceived() {
        return received.get();
    }

    @Override
    public void onLaunch(LaunchHandler launchHandler) {
        Objects.requireNonNull(launchHandler, "handler");
        setHandler(new SynchronousHandler(launchHandler));
    }

    @Override
    public void onLaunchAsync(AsyncLaunchHandler asyncHandler) {
        setHandler(Objects.requireNonNull(asyncHandler, "handler"));
    }

    @Override
    public void onReplace(Runnable action) {
        replaceAction = Objects.requireNonNull(action, "action");
    }

    /**
     * Whether the heartbeat should beat: starting (no channel or no handler yet), launches owed, closing or handing
     * over.
     */
    private boolean owesAnything() {
        return handler == null || channel == null || !owed.isEmpty() || closing || replacing;
    }

    private void setHandler(AsyncLaunchHandler launchHandler) {
        synchronized (closeLock) {
            if (closing) {
                throw new IllegalStateException("primary instance is closed: id=" + config.id());
            }
            if (handler != null) {
                throw new IllegalStateException("a launch handler is set already: id=" + config.id());
            }
            handler = launchHandler;
            handlerThread = startThread("single-instance-handler", new Callback(this, Callback.HANDLE));
        }
    }

    /** A synchronous handler as an asynchronous one: its reply is complete when it returns. */
    private static final class SynchronousHandler implements AsyncLaunchHandler {
        private final LaunchHandler handler;

        SynchronousHandler(LaunchHandler handler) {
            this.handler = handler;
        }

        @Override
        public CompletionStage<Reply> handle(io.github.singleinstance.Launch launch) throws Exception {
            return CompletableFuture.completedFuture(handler.handle(launch));
        }
    }

    /** The name of the channel of the current {@link #generation}. */
    private String channelName() {
        return key.channelName(generation);
    }

    /**
     * Sends back the launches left in the previous primary's channel (it died, or closed with senders still queued),
     * and removes that channel and the one before it where the OS lets us: Windows refuses to delete a file that any
     * process still maps (the previous primary on Java 17 could not unmap its own), so a channel may outlive its
     * primary by one or two generations. Nothing depends on the removal: every primary uses a name never used before.
     */
    private void clearStaleChannels() {
        String previous = key.channelName(generation - 1);
        try (Channel stale = Channel.open(os, previous)) {
            if (stale != null) {
                log().debug("sending back launches left in a departed primary's channel {}", previous);
                stale.retireAfterCrash(os);
            }
        } catch (Channel.NotUsableException | IncompatiblePrimaryException e) {
            log().debug("removing an unusable leftover channel: {}", e.getMessage());
        }
        os.unlink(previous);
        os.unlink(key.channelName(generation - 2));
        PrimaryStreamEnd.sweep(os.streamDirectory(), previous);
    }

    /**
     * Creates the channel under the current generation's name; a name taken already (a leftover this claim's header
     * does not know: the claim file was removed by hand) moves on to the next generation, announced in the header.
     */
    private Channel createChannel() {
        for (int attempt = 0; attempt < 3; attempt++) {
            Channel created = Channel.create(
                    os,
                    channelName(),
                    config.ringCapacity(),
                    os.pid(),
                    PrimaryStreamEnd.possibleIn(os.streamDirectory()));
            if (created != null) {
                return created;
            }
            os.unlink(channelName()); // we hold the claim, so no primary uses it; removed where the OS lets us
            generation++;
            ClaimHeader.setChannel(claim, generation);
        }
        throw new IllegalStateException("cannot create the channel: names " + key.channelName(generation - 3)
                + " to " + key.channelName(generation - 1) + " were all taken; is another program writing into this "
                + "directory under these names?");
    }

    // ---- intake ----

    /**
     * The longest the intake sleeps on its doorbell with the ring empty before it looks again: half the forward
     * timeout (2.5 s by default; at least 10 ms). A ring can be lost: a sender killed between disarming the bell and
     * writing its byte (the posix backend's FifoDoorbell) leaves the intake asleep, and every later sender finds the bell
     * disarmed and writes nothing. Looking again within half the forward timeout serves the launches behind it before
     * they give up on this primary's silence; an idle primary pays one wake-up per look.
     */
    private long emptyRecheckNanos() {
        return Math.max(
                TimeUnit.MILLISECONDS.toNanos(10), config.forwardTimeout().toNanos() / 2);
    }

    private void intake() {
        long emptyRecheckNanos = emptyRecheckNanos();
        long stalledSince = 0;
        while (!closing) {
            try {
                Channel current = channel;
                int seen = current.doorbell();
                LaunchRing.Poll poll;
                while ((poll = current.ring().poll()).kind() == LaunchRing.Poll.Kind.RECORD
                        || poll.kind() == LaunchRing.Poll.Kind.PADDING) {
                    stalledSince = 0;
                    if (poll.kind() == LaunchRing.Poll.Kind.RECORD) {
                        take(current, poll.payload());
                    }
                    if (closing) {
                        return;
                    }
                }
                switch (poll.kind()) {
                    case EMPTY -> {
                        stalledSince = 0;
                        if (!rungWithin(current, seen, SPIN_NANOS)) {
                            current.awaitDoorbell(os, seen, emptyRecheckNanos);
                        }
                    }
                    case IN_PROGRESS -> {
                        long now = System.nanoTime();
                        if (stalledSince == 0) {
                            stalledSince = now;
                        }
                        if (now - stalledSince > STALL_LIMIT_NANOS) {
                            rebuildChannel("has had a record half-written for over "
                                    + TimeUnit.NANOSECONDS.toMillis(STALL_LIMIT_NANOS) + " ms (its sender died or "
                                    + "froze mid-write)");
                            stalledSince = 0;
                        } else {
                            current.awaitDoorbell(os, seen, STALL_RECHECK_NANOS);
                        }
                    }
                    default -> rebuildChannel("is damaged (its counters or a record header are out of bounds)");
                }
            } catch (RuntimeException | Error e) {
                if (closing) {
                    return;
                }
                log().error("the intake thread of id={} failed; rebuilding the channel and serving on", config.id(), e);
                rebuildChannel("failed the intake thread: " + e);
            }
        }
    }

    /**
     * Looks at the doorbell for up to {@code nanos}, yielding the processor between looks, before the thread sleeps:
     * a launch that follows the last one closely (a script starting the app in a loop, a burst of files opened at
     * once) is taken without a wake-up, and its sender need not ring the bell. An idle primary pays this once per
     * launch, then sleeps in the kernel.
     */
    private static boolean rungWithin(Channel channel, int seen, long nanos) {
        long start = System.nanoTime();
        do {
            if (channel.doorbell() != seen) {
                return true;
            }
            Thread.yield();
        } while (System.nanoTime() - start < nanos);
        return channel.doorbell() != seen;
    }

    private void take(Channel from, byte[] payload) {
        LaunchCodec.Decoded decoded;
        try {
            decoded = LaunchCodec.decode(payload);
        } catch (MalformedLaunchException e) {
            log().warn("dropped a damaged launch record from channel {}: {}", from.name(), e.getMessage());
            return;
        }
        if (!from.slots().take(decoded.slot(), decoded.ticket())) {
            log().debug(
                            "dropped a launch its sender withdrew: senderPid={}",
                            decoded.launch().senderPid());
            return;
        }
        from.countTaken();
        if (decoded.has(LaunchCodec.FLAG_LARGE)) {
            startThread("single-instance-large-launch", () -> takeLarge(from, decoded));
            return;
        }
        PendingLaunch pending = new PendingLaunch(from, decoded, remote(from, decoded));
        owed.add(pending);
        queue.add(pending);
    }

    private ForwardedTerminal remote(Channel from, LaunchCodec.Decoded decoded) {
        return new ForwardedTerminal(os, from, decoded, config.forwardTimeout().toNanos());
    }

    /**
     * A launch too large for the ring came as a stub: reads its record over a stream connection, off the intake (a
     * slow sender must not hold up other launches), then queues it like any other.
     */
    private void takeLarge(Channel from, LaunchCodec.Decoded stub) {
        ForwardedTerminal remote = remote(from, stub);
        LaunchCodec.Decoded whole;
        try {
            if (stub.fullLength() > MAX_LARGE_LAUNCH_BYTES) {
                throw new IOException(
                        "announced " + stub.fullLength() + " bytes, over the limit of " + MAX_LARGE_LAUNCH_BYTES);
            }
            whole = LaunchCodec.decode(remote.fetchLargeRecord(stub.fullLength()));
        } catch (IOException | MalformedLaunchException | LaunchCancelledException e) {
            log().warn("dropped a large launch from pid {}: {}", stub.launch().senderPid(), e.getMessage());
            Reply refusal = new Reply(EX_DATAERR, clip("the running instance could not read this launch: " + e));
            if (!remote.answerOverStream(refusal) && from.slots().answer(stub.slot(), stub.ticket(), refusal)) {
                from.wakeSlot(
                        os, stub.slot()); // no connection: the answer (or the abandoned slot's release) goes there
            }
            return;
        }
        LaunchCodec.Decoded decoded =
                new LaunchCodec.Decoded(stub.slot(), stub.ticket(), whole.launch(), stub.flags(), whole.fullLength());
        PendingLaunch pending = new PendingLaunch(from, decoded, remote);
        owed.add(pending);
        queue.add(pending);
        if (closing) {
            PendingLaunch queued;
            while ((queued = queue.poll()) != null) {
                queued.sendBack();
            }
        }
    }

    // ---- handler ----

    private void handle() {
        while (true) {
            PendingLaunch next;
            try {
                next = nextLaunch();
            } catch (InterruptedException e) {
                return;
            }
            if (next == endOfLaunches) {
                return;
            }
            if (closing) {
                next.sendBack(); // close() sends back what is queued; this one it may have missed
            } else {
                inHandler = next;
                next.run();
                inHandler = null;
            }
        }
    }

    /**
     * The next queued launch: looked for for up to {@link #SPIN_NANOS}, yielding between looks, before the thread
     * sleeps, as the intake does (see rungWithin): a launch that follows the last one closely reaches the handler
     * without a thread wake-up (tens of microseconds on a virtual machine).
     */
    private PendingLaunch nextLaunch() throws InterruptedException {
        long start = System.nanoTime();
        do {
            PendingLaunch next = queue.poll();
            if (next != null) {
                return next;
            }
            Thread.yield();
        } while (System.nanoTime() - start < SPIN_NANOS);
        return queue.take();
    }

    /** A launch taken from the ring: queued, in the handler, or awaiting its asynchronous answer. */
    private final class PendingLaunch implements BiConsumer<Reply, Throwable> {
        final Channel channel;
        final LaunchCodec.Decoded decoded;
        final ForwardedTerminal remote;
        final AtomicBoolean answered = new AtomicBoolean();

        PendingLaunch(Channel channel, LaunchCodec.Decoded decoded, ForwardedTerminal remote) {
            this.channel = channel;
            this.decoded = decoded;
            this.remote = remote;
        }

        void run() {
            CompletionStage<Reply> stage;
            try {
                stage = handler.handle(LaunchTerminal.Access.get().withRemote(decoded.launch(), remote));
            } catch (Exception | Error e) {
                accept(null, e);
                return;
            }
            if (stage == null) {
                accept(Reply.ok(), null);
            } else {
                stage.whenComplete(this);
            }
        }

        /** The handler's answer: a reply, or what it threw. Any thread. */
        @Override
        public void accept(Reply reply, Throwable failure) {
            received.incrementAndGet();
            if (cancellation(failure)) {
                log().debug("the handler of id={} stopped on a cancelled launch: {}", config.id(), failure.toString());
                answer(new Reply(EX_CANCELLED, "cancelled"));
            } else if (failure != null) {
                log().warn("launch handler of id={} failed; answering exit code {}", config.id(), EX_SOFTWARE, failure);
                answer(new Reply(EX_SOFTWARE, clip("the running instance failed to handle this launch: " + failure)));
            } else {
                answer(reply == null ? Reply.ok() : reply);
            }
        }

        /** Writes the answer, once; false if answered already or the channel is gone. */
        boolean answer(Reply reply) {
            if (!answered.compareAndSet(false, true)) {
                return false;
            }
            owed.remove(this);
            if (remote != null && remote.answerOverStream(reply)) {
                return true;
            }
            synchronized (closeLock) {
                if (unmapped) {
                    log().debug(
                                    "an answer came after the channel was closed; sender pid {} retries or has given up",
                                    decoded.launch().senderPid());
                    return false;
                }
                if (channel.slots().answer(decoded.slot(), decoded.ticket(), reply)) {
                    if (!os.repliesArePolled()) {
                        channel.wakeSlot(os, decoded.slot());
                    }
                    return true;
                }
            }
            log().debug(
                            "sender pid {} stopped waiting before the reply",
                            decoded.launch().senderPid());
            return false;
        }

        /** Sends the launch back to its sender to retry (the handler never saw it); false if the sender gave up. */
        void sendBack() {
            if (answered.compareAndSet(false, true)) {
                owed.remove(this);
                if (remote != null
                        && remote.answerOverStream(new Reply(
                                EX_TEMPFAIL,
                                "the running instance shut " + "down before handling this launch; launch again"))) {
                    return; // a large launch, whose slot is long given back: it cannot be sent back to retry
                }
                if (channel.slots().sendBackTaken(decoded.slot(), decoded.ticket())) {
                    channel.wakeSlot(os, decoded.slot());
                }
            }
        }
    }

    // ---- replace ----

    private void handOver(long replacer) {
        if (replacing || closing) {
            return;
        }
        replacing = true;
        log().info("a launch (pid {}) asks to replace this instance of id={}: handing over", replacer, config.id());
        ClaimHeader.setState(claim, ClaimHeader.STATE_CLOSING);
        Runnable action = replaceAction;
        startThread("single-instance-replace", () -> {
            try {
                if (action == null) {
                    close();
                    System.exit(0); // the documented default of PrimaryInstance.onReplace
                }
                action.run();
            } catch (RuntimeException | Error e) {
                log().warn("the replace action of id={} failed", config.id(), e);
            }
            if (!closing) { // the application kept running: refuse, so the replacing launch fails at once
                log().warn(
                                "the replace action of id={} returned without closing the instance: refusing the "
                                        + "replacement",
                                config.id());
                ClaimHeader.requestReplace(claim, 0);
                ClaimHeader.setState(claim, ClaimHeader.STATE_READY);
                replacing = false;
            }
        });
    }

    // ---- rebuild and close ----

    private void rebuildChannel(String reason) {
        synchronized (closeLock) {
            if (closing) {
                return;
            }
            Channel old = channel;
            log().warn("channel {} of id={} {}; rebuilding it, waiting senders retry", old.name(), config.id(), reason);
            old.retire(os);
            os.unlink(channelName());
            retired.add(old);
            generation++;
            ClaimHeader.setChannel(claim, generation);
            channel = createChannel();
        }
    }

    @Override
    public void close() {
        Channel current;
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            closing = true;
            current = channel;
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or will run; it finds this instance closed
            }
        }
        try {
            ClaimHeader.setState(claim, ClaimHeader.STATE_CLOSING);
        } catch (RuntimeException e) {
            log().debug("cannot mark the claim closing: {}", e.toString());
        }
        heartbeat.nudge(); // beat while closing
        if (current != null) { // null: still starting, and setUp() sees closing and opens nothing more
            current.retire(os); // CLOSED + senders waiting untaken sent back + the intake woken
        }
        join(intakeThread);
        PendingLaunch queued;
        while ((queued = queue.poll()) != null) {
            queued.sendBack(); // taken but never handed to the handler: its sender retries with the next primary
        }
        queue.add(endOfLaunches);
        boolean onHandlerThread = Thread.currentThread() == handlerThread;
        PendingLaunch ownLaunch = onHandlerThread ? inHandler : null; // answered when close() returns to the handler
        long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        while (owed.size() > (onHandlerThread ? 1 : 0) && System.nanoTime() - graceEnd < 0) {
            sleep(10);
        }
        for (PendingLaunch unanswered : owed) {
            if (unanswered != ownLaunch) {
                if (unanswered.answer(new Reply(
                        EX_TEMPFAIL,
                        "the running instance shut down before answering this " + "launch (its handler took over "
                                + CLOSE_GRACE_MILLIS + " ms); it may have been handled"))) {
                    log().debug("answered a launch still in the handler at close");
                }
            }
        }
        try {
            OsBackend loaded = os;
            if (loaded != null) {
                loaded.unlink(channelName()); // where the OS lets us (see clearStaleChannels); the claim file stays
            }
        } finally {
            heartbeat.stop();
            claim.close(); // releases the lock: the next launch may become the primary
        }
        if (onHandlerThread) {
            // the handler's own reply is still to be written: unmap once the handler thread is done with it
            Thread self = Thread.currentThread();
            startThread("single-instance-unmap", () -> {
                join(self);
                unmap(current);
            });
        } else {
            join(handlerThread);
            unmap(current);
        }
        log().debug("primary for id={} closed after {} launches", config.id(), received.get());
    }

    private void unmap(Channel current) {
        synchronized (closeLock) {
            unmapped = true;
            if (current != null) {
                current.close();
            }
            retired.forEach(Channel::close);
        }
    }

    private static void join(Thread thread) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(CLOSE_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a handler's failure is a cancelled launch's stream refusing a write (or wraps one). */
    private static boolean cancellation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LaunchCancelledException) {
                return true;
            }
        }
        return false;
    }

    private static String clip(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= Reply.MAX_MESSAGE_BYTES) {
            return message;
        }
        String clipped = new String(bytes, 0, Reply.MAX_MESSAGE_BYTES - 4, StandardCharsets.UTF_8);
        if (clipped.endsWith("\uFFFD")) {
            clipped = clipped.substring(0, clipped.length() - 1);
        }
        return clipped + " ...";
    }
}
