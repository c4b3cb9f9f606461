package io.github.singleinstance.internal.primary;

import io.github.singleinstance.AsyncLaunchHandler;
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
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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

    static final long CLOSE_GRACE_MILLIS = 2000;

    /** Set once the backend is loaded (in {@link #setUp}); every use comes after that, or checks for null. */
    private volatile OsBackend os;

    private final Supplier<OsBackend> backend;
    private final ClaimHandle claim;
    private final InstanceKey key;
    private final LaunchConfig config;
    private final AtomicLong received = new AtomicLong();
    private final Thread shutdownHook;
    private final Object closeLock = new Object();
    private final HandlerQueue queue = new HandlerQueue(this);
    /** Launches taken and not yet answered. */
    private final Set<PendingLaunch> owed = ConcurrentHashMap.newKeySet();

    private volatile Channel channel;
    /** Names, creates and retires the channels of this claim; set in setUp. */
    private volatile ChannelGenerations channels;

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
        this.shutdownHook = new Thread(new PrimaryTasks(this, PrimaryTasks.CLOSE), "single-instance-cleanup");
    }

    /**
     * Becomes the primary with a claim whose lock this process holds and whose {@code heartbeat} beats already (since
     * the lock was won), on {@code os}: {@link #setUp} here, then the intake starts. On failure the claim is released
     * and the failure thrown.
     */
    public static PrimaryRole start(
            OsBackend os, ClaimHandle claim, Heartbeat heartbeat, InstanceKey key, LaunchConfig config) {
        PrimaryRole role = new PrimaryRole(() -> os, claim, heartbeat, key, config);
        PrimaryTasks toHeartbeat = new PrimaryTasks(role, PrimaryTasks.FOR_HEARTBEAT);
        heartbeat.attach(toHeartbeat, toHeartbeat);
        try {
            role.setUp();
        } catch (RuntimeException e) {
            role.giveUp();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(role.shutdownHook);
        role.intakeThread =
                PrimaryTasks.startThread("single-instance-intake", new PrimaryTasks(role, PrimaryTasks.INTAKE));
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
        PrimaryTasks toHeartbeat = new PrimaryTasks(role, PrimaryTasks.FOR_HEARTBEAT);
        heartbeat.attach(toHeartbeat, toHeartbeat);
        Runtime.getRuntime().addShutdownHook(role.shutdownHook);
        role.intakeThread = PrimaryTasks.startThread(
                "single-instance-intake", new PrimaryTasks(role, PrimaryTasks.SET_UP_AND_INTAKE));
        return role;
    }

    /** The intake thread of {@link #startInBackground}: sets up, then takes launches; gives up the claim on failure. */
    void setUpAndIntake() {
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

    /** The intake thread's work, once the channel is open. */
    void intake() {
        new Intake(this, os, config).run();
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
        // a claim that holds no bytes (windows): always the first generation
        ChannelGenerations generations =
                new ChannelGenerations(loaded, claim, key, config, header.valid() ? header.channel() : 1);
        generations.clearStale();
        Channel created = generations.create();
        // the first log() initialises the logging backend (Logback: hundreds of ms on a loaded machine): here, while
        // the header still says STARTING and beats, not in the intake once READY, where launches would wait unbeaten
        log().debug(
                        "primary for id={}: claim={}, channel={}, pid={}",
                        config.id(),
                        key.claimName(),
                        generations.currentName(),
                        loaded.pid());
        synchronized (closeLock) {
            if (closing) { // close() ran without a channel to retire: this one is ours to remove
                loaded.unlink(generations.currentName());
                created.close();
                return false;
            }
            channels = generations;
            channel = created;
            ClaimHeader.setDoorbellKind(claim, loaded.doorbellKind());
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
            os.unlink(channels.currentName());
            current.close();
        }
        claim.close();
        queue.end(); // a handler thread already started ends
    }

    /**
     * The logger, looked up when something is logged: the first lookup initialises the logging backend (SLF4J's
     * provider search, then Logback's configuration: tens of milliseconds), which a first launch should not pay before
     * it becomes the primary. Lookups after the first are a map read.
     */
    static Logger log() {
        return LoggerFactory.getLogger(PrimaryInstance.class);
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
        setHandler(new HandlerQueue.SynchronousHandler(launchHandler));
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
    boolean owesAnything() {
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
            handlerThread =
                    PrimaryTasks.startThread("single-instance-handler", new PrimaryTasks(this, PrimaryTasks.HANDLE));
        }
    }

    // ---- what the intake, pending launches and tasks use ----

    HandlerQueue handlerQueue() {
        return queue;
    }

    /** The current channel; null while starting. */
    Channel channel() {
        return channel;
    }

    boolean closing() {
        return closing;
    }

    /** Set once the backend is loaded; null before. */
    OsBackend os() {
        return os;
    }

    AsyncLaunchHandler handler() {
        return handler;
    }

    void countReceived() {
        received.incrementAndGet();
    }

    /** A launch taken: owed an answer and queued for the handler (sent back at once if the primary is closing). */
    void enqueue(PendingLaunch pending) {
        owed.add(pending);
        queue.add(pending);
        if (closing) {
            queue.sendBackQueued();
        }
    }

    /** A launch answered or sent back: no longer owed. */
    void settled(PendingLaunch pending) {
        owed.remove(pending);
    }

    /** Writes {@code reply} into the launch's reply slot unless the channel is unmapped; false if it could not. */
    boolean answerInSlot(Channel channel, LaunchCodec.Decoded decoded, Reply reply) {
        synchronized (closeLock) {
            if (unmapped) {
                log().debug(
                                "an answer came after the channel was closed; sender pid {} retries or has given up",
                                decoded.launch().senderPid());
                return false;
            }
            if (channel.slots().answer(decoded.slot(), decoded.ticket(), reply)) {
                channel.wakeSlot(os, decoded.slot());
                return true;
            }
        }
        log().debug(
                        "sender pid {} stopped waiting before the reply",
                        decoded.launch().senderPid());
        return false;
    }

    // ---- replace ----

    void handOver(long replacer) {
        if (replacing || closing) {
            return;
        }
        replacing = true;
        log().info("a launch (pid {}) asks to replace this instance of id={}: handing over", replacer, config.id());
        ClaimHeader.setState(claim, ClaimHeader.STATE_CLOSING);
        PrimaryTasks.startThread("single-instance-replace", new Replacement(this, claim, replaceAction));
    }

    /** The replace action returned and the instance still runs: it serves on. */
    void replacementRefused() {
        replacing = false;
    }

    // ---- rebuild and close ----

    /** Replaces a damaged or wedged channel with a new one of the next generation; senders waiting retry. */
    void rebuildChannel(String reason) {
        synchronized (closeLock) {
            if (closing) {
                return;
            }
            Channel old = channel;
            log().warn("channel {} of id={} {}; rebuilding it, waiting senders retry", old.name(), config.id(), reason);
            channel = channels.replace(old);
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
        PrimaryTasks.join(intakeThread);
        queue.sendBackQueued(); // taken but never handed to the handler: its sender retries with the next primary
        queue.end();
        boolean onHandlerThread = Thread.currentThread() == handlerThread;
        PendingLaunch ownLaunch =
                onHandlerThread ? queue.inHandler() : null; // answered when close() returns to the handler
        long graceEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
        while (owed.size() > (onHandlerThread ? 1 : 0) && System.nanoTime() - graceEnd < 0) {
            PrimaryTasks.sleep(10);
        }
        for (PendingLaunch unanswered : owed) {
            if (unanswered != ownLaunch) {
                if (unanswered.answer(new Reply(
                        PendingLaunch.EX_TEMPFAIL,
                        "the running instance shut down before answering this launch (its handler took over "
                                + CLOSE_GRACE_MILLIS + " ms); it may have been handled"))) {
                    log().debug("answered a launch still in the handler at close");
                }
            }
        }
        try {
            ChannelGenerations generations = channels;
            if (generations != null) {
                generations.unlinkCurrent(); // where the OS lets us (see clearStale); the claim file stays
            }
        } finally {
            heartbeat.stop();
            claim.close(); // releases the lock: the next launch may become the primary
        }
        if (onHandlerThread) {
            // the handler's own reply is still to be written: unmap once the handler thread is done with it
            Thread self = Thread.currentThread();
            PrimaryTasks.startThread("single-instance-unmap", () -> {
                PrimaryTasks.join(self);
                unmap(current);
            });
        } else {
            PrimaryTasks.join(handlerThread);
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
            ChannelGenerations generations = channels;
            if (generations != null) {
                generations.closeRetired();
            }
        }
    }
}
