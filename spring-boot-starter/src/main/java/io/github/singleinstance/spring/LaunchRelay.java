package io.github.singleinstance.spring;

import io.github.singleinstance.AsyncLaunchHandler;
import io.github.singleinstance.Launch;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;

/**
 * The core's launch handler in a Spring application: turns each launch into a {@link LaunchEvent} published in the
 * application context that is ready, and answers with the reply a listener set.
 *
 * <p>One relay per claim, kept across the contexts of one JVM (DevTools restarts). While no context is ready (still
 * starting, or restarting) a launch waits up to the startup reply timeout, counted from when its sender started
 * forwarding; then it is answered with the held reply and kept, to be published when a context becomes ready. The
 * launch is taken meanwhile (the core's intake goes on), and the core's heartbeat keeps its sender waiting. A listener
 * may answer later ({@link LaunchEvent#replyLater()}): the relay hands the core that future.
 *
 * <pre>
 *  core handler thread          main thread (ready / closed)
 *  handle(launch) ──lock──┐
 *   no context: await ────┼──── attach(context): publish held launches in order, signal
 *   (or deadline: hold)   │
 *   publish, read reply ──┘     detach(context): later launches wait or are held again
 * </pre>
 *
 * <p>Threads: {@link #handle} is called by the core on its one handler thread; {@link #attach}, {@link #detach} and
 * {@link #close} from any thread. One lock orders publishing, so events keep arrival order; {@link #detach} and
 * {@link #close} never wait for it, so a listener that hangs cannot hang the application's shutdown.
 */
final class LaunchRelay implements AsyncLaunchHandler {

    private static final Logger log = LoggerFactory.getLogger(LaunchRelay.class);
    /** EX_UNAVAILABLE: the running instance cannot take launches any more. */
    static final int EX_UNAVAILABLE = 69;

    private final PrimaryInstance primary;
    private final Duration startupReplyTimeout;
    private final Runnable onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition stateChanged = lock.newCondition();
    private final Deque<LaunchEvent> held = new ArrayDeque<>();
    private final AtomicReference<@Nullable ApplicationContext> context = new AtomicReference<>();
    private volatile boolean closed;

    /**
     * @param startupReplyTimeout how long a launch waits for a ready context; keep it below the sender's forward
     *     timeout
     * @param onClose run once, after the primary instance is closed
     */
    LaunchRelay(PrimaryInstance primary, Duration startupReplyTimeout, Runnable onClose) {
        this.primary = primary;
        this.startupReplyTimeout = startupReplyTimeout;
        this.onClose = onClose;
    }

    PrimaryInstance primary() {
        return primary;
    }

    @Override
    public CompletionStage<Reply> handle(Launch launch) throws InterruptedException {
        Instant now = Instant.now();
        Instant start = launch.launchTime().isBefore(now) ? launch.launchTime() : now;
        Instant deadline = start.plus(startupReplyTimeout);
        lock.lock();
        try {
            while (context.get() == null && !closed) {
                long nanos = Duration.between(Instant.now(), deadline).toNanos();
                if (nanos <= 0) {
                    held.add(new LaunchEvent(primary, launch, false));
                    log.debug("held a launch until the application is ready: {}", launch);
                    return CompletableFuture.completedFuture(Reply.ok(primary.id() + ": the running instance (pid "
                            + ProcessHandle.current().pid() + ") is still starting; it will handle this launch once it "
                            + "is ready"));
                }
                stateChanged.awaitNanos(nanos);
            }
            ApplicationContext target = context.get();
            if (closed || target == null) {
                return CompletableFuture.completedFuture(Reply.failure(
                        EX_UNAVAILABLE,
                        primary.id() + ": the running "
                                + "instance (pid " + ProcessHandle.current().pid()
                                + ") is shutting down; launch again in a "
                                + "moment"));
            }
            LaunchEvent event = new LaunchEvent(primary, launch, true);
            target.publishEvent(event);
            return event.answer();
        } finally {
            lock.unlock();
        }
    }

    /** {@code ready} is ready: publishes the held launches in order, then lets waiting launches through. */
    void attach(ApplicationContext ready) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            context.set(ready);
            LaunchEvent event;
            while ((event = held.poll()) != null) {
                try {
                    ready.publishEvent(event);
                } catch (RuntimeException e) {
                    log.warn("a listener failed on a held launch (its sender was answered already): {}", event, e);
                }
            }
            stateChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@code closing} is closing: if it is the attached context, launches wait for the next one. */
    void detach(ApplicationContext closing) {
        context.compareAndSet(closing, null);
    }

    /**
     * Stops relaying and closes the primary instance (launches not yet taken go back to their senders, one of which
     * becomes the next primary). Idempotent; any thread.
     */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        context.set(null);
        // If the lock is busy, a listener is running (nobody waits on the condition then) and the core's close()
        // gives it its grace period; do not wait for it here.
        if (lock.tryLock()) {
            try {
                if (!held.isEmpty()) {
                    log.warn(
                            "{} launch(es) held during startup were never published: the application stopped "
                                    + "first",
                            held.size());
                    held.clear();
                }
                stateChanged.signalAll();
            } finally {
                lock.unlock();
            }
        }
        try {
            primary.close();
        } finally {
            onClose.run();
        }
    }
}
