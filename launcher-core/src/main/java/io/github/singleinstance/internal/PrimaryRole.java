package io.github.singleinstance.internal;

import io.github.singleinstance.IncompatiblePrimaryException;
import io.github.singleinstance.LaunchHandler;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary: holds the claim, owns the channel, runs the thread that takes launches and calls the handler.
 *
 * <p>Threads: one thread, {@code single-instance-handler}, reads the ring (and rebuilds the channel if it is damaged
 * or wedged), calls the user's handler on each launch in turn and writes the reply: a launch costs its sender one
 * wake-up of this thread, with no hand-off between threads. Launches that come while the handler is busy wait in the
 * ring, not taken, so a sender that gives up on them withdraws them undelivered. {@link #close()} may come from any
 * thread, including the handler's and the shutdown hook's.
 */
public final class PrimaryRole implements PrimaryInstance {

    private static final Logger log = LoggerFactory.getLogger(PrimaryInstance.class);

    /** How long a record may stay "being written" before its producer is taken for dead or frozen. */
    static final long STALL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long STALL_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long the thread looks for another launch before it sleeps (see rungWithin). */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long CLOSE_GRACE_MILLIS = 2000;
    private static final int EX_SOFTWARE = 70;
    private static final int EX_TEMPFAIL = 75;

    private final OsBackend os;
    private final ClaimHandle claim;
    private final InstanceKey key;
    private final LaunchConfig config;
    private final AtomicLong received = new AtomicLong();
    private final List<Channel> retired = new ArrayList<>();
    private final Thread shutdownHook;
    private final Object closeLock = new Object();

    private volatile Channel channel;
    private volatile LaunchHandler handler;
    private volatile Thread handlerThread;
    private volatile PendingLaunch inHandler;
    private volatile boolean closing;
    private boolean closed;

    private PrimaryRole(OsBackend os, ClaimHandle claim, InstanceKey key, LaunchConfig config) {
        this.os = os;
        this.claim = claim;
        this.key = key;
        this.config = config;
        this.shutdownHook = new Thread(this::close, "single-instance-cleanup");
    }

    /**
     * Becomes the primary with a claim whose lock this process holds: clears a dead primary's leftovers, creates the
     * channel and registers the shutdown hook. On failure the claim is released.
     */
    static PrimaryRole start(OsBackend os, ClaimHandle claim, InstanceKey key, LaunchConfig config) {
        PrimaryRole role = new PrimaryRole(os, claim, key, config);
        try {
            claim.markClaimed();
            if (!claim.created()) {
                role.clearStaleChannel();
            }
            role.channel = role.createChannel();
            Runtime.getRuntime().addShutdownHook(role.shutdownHook);
        } catch (RuntimeException e) {
            if (role.channel != null) {
                os.unlink(key.channelName());
                role.channel.close();
            }
            claim.close();
            throw e;
        }
        log.debug("primary for id={}: claim={}, channel={}, pid={}", config.id(), key.claimName(),
                key.channelName(), os.pid());
        return role;
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
        synchronized (closeLock) {
            if (closing) {
                throw new IllegalStateException("primary instance is closed: id=" + config.id());
            }
            if (handler != null) {
                throw new IllegalStateException("a launch handler is set already: id=" + config.id());
            }
            handler = java.util.Objects.requireNonNull(launchHandler, "handler");
            Thread thread = new Thread(this::listen, "single-instance-handler");
            thread.setDaemon(true);
            handlerThread = thread;
            thread.start();
        }
    }

    private void clearStaleChannel() {
        try (Channel stale = Channel.open(os, key.channelName())) {
            if (stale != null) {
                log.debug("sending back launches left in a dead primary's channel {}", key.channelName());
                stale.retireAfterCrash(os);
            }
        } catch (Channel.NotUsableException | IncompatiblePrimaryException e) {
            log.debug("removing an unusable leftover channel: {}", e.getMessage());
        }
        os.unlink(key.channelName());
    }

    private Channel createChannel() {
        for (int attempt = 0; attempt < 3; attempt++) {
            Channel created = Channel.create(os, key.channelName(), config.ringCapacity(), os.pid());
            if (created != null) {
                return created;
            }
            os.unlink(key.channelName()); // a leftover we do not know; we hold the claim, so it is no one's
        }
        throw new IllegalStateException("cannot create the channel: name=" + key.channelName()
                + " keeps reappearing; is another program writing to /dev/shm under this name?");
    }

    private void listen() {
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
                        dispatch(current, poll.payload());
                    }
                    if (closing) {
                        return;
                    }
                }
                switch (poll.kind()) {
                    case EMPTY -> {
                        stalledSince = 0;
                        if (!rungWithin(current, seen, SPIN_NANOS)) {
                            current.awaitDoorbell(os, seen, -1);
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
                log.error("the launch thread of id={} failed; rebuilding the channel and serving on", config.id(), e);
                rebuildChannel("failed the launch thread: " + e);
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

    private void dispatch(Channel from, byte[] payload) {
        LaunchCodec.Decoded decoded;
        try {
            decoded = LaunchCodec.decode(payload);
        } catch (MalformedLaunchException e) {
            log.warn("dropped a damaged launch record from channel {}: {}", from.name(), e.getMessage());
            return;
        }
        if (!from.slots().take(decoded.slot(), decoded.ticket())) {
            log.debug("dropped a launch its sender withdrew: senderPid={}", decoded.launch().senderPid());
            return;
        }
        new PendingLaunch(from, decoded).run();
    }

    /** A launch taken from the ring, in the handler. */
    private final class PendingLaunch {
        final Channel channel;
        final LaunchCodec.Decoded decoded;

        PendingLaunch(Channel channel, LaunchCodec.Decoded decoded) {
            this.channel = channel;
            this.decoded = decoded;
        }

        void run() {
            inHandler = this;
            Reply reply;
            try {
                reply = handler.handle(decoded.launch());
                if (reply == null) {
                    reply = Reply.ok();
                }
            } catch (Exception | Error e) {
                log.warn("launch handler of id={} threw; answering exit code {}", config.id(), EX_SOFTWARE, e);
                reply = new Reply(EX_SOFTWARE, clip("the running instance failed to handle this launch: " + e));
            } finally {
                received.incrementAndGet();
            }
            answer(reply);
            inHandler = null;
        }

        void answer(Reply reply) {
            if (channel.slots().answer(decoded.slot(), decoded.ticket(), reply)) {
                if (!os.repliesArePolled()) {
                    channel.wakeSlot(os, decoded.slot());
                }
            } else {
                log.debug("sender pid {} stopped waiting before the reply", decoded.launch().senderPid());
            }
        }
    }

    private void rebuildChannel(String reason) {
        synchronized (closeLock) {
            if (closing) {
                return;
            }
            Channel old = channel;
            log.warn("channel {} of id={} {}; rebuilding it, waiting senders retry", old.name(), config.id(),
                    reason);
            old.retire(os);
            os.unlink(key.channelName());
            retired.add(old);
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
        boolean onHandlerThread = Thread.currentThread() == handlerThread;
        current.retire(os); // CLOSED + waiting senders sent back + the thread woken
        boolean handlerStopped = !onHandlerThread && join(handlerThread);
        PendingLaunch unanswered = inHandler;
        if (!handlerStopped && !onHandlerThread && unanswered != null) {
            unanswered.answer(new Reply(EX_TEMPFAIL, "the running instance shut down before answering this launch "
                    + "(its handler took over " + CLOSE_GRACE_MILLIS + " ms); it may have been handled"));
        }
        try {
            os.unlink(key.channelName());
            claim.unlink();
        } finally {
            claim.close(); // releases the lock: the next launch may become the primary
        }
        if (handlerStopped) {
            current.close();
            retired.forEach(Channel::close);
        } else if (onHandlerThread) {
            // the handler's own reply is still to be written: unmap once the handler thread is done
            Thread self = Thread.currentThread();
            Thread unmapper = new Thread(() -> {
                if (join(self)) {
                    current.close();
                    retired.forEach(Channel::close);
                }
            }, "single-instance-unmap");
            unmapper.setDaemon(true);
            unmapper.start();
        }
        log.debug("primary for id={} closed after {} launches", config.id(), received.get());
    }

    private static boolean join(Thread thread) {
        if (thread == null) {
            return true;
        }
        try {
            thread.join(CLOSE_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private static String clip(String message) {
        byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length <= Reply.MAX_MESSAGE_BYTES) {
            return message;
        }
        return new String(bytes, 0, Reply.MAX_MESSAGE_BYTES - 4, java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\uFFFD$", "") + " ...";
    }
}
