package io.github.singleinstance.internal.primary;

import io.github.singleinstance.AsyncLaunchHandler;
import io.github.singleinstance.LaunchHandler;
import io.github.singleinstance.Reply;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The launches taken and not yet handed to the handler, and the handler thread's loop over them
 * ({@code single-instance-handler}): one launch at a time, in the order taken. The intake adds; {@link #handle} runs
 * on the handler thread; {@link #sendBackQueued} and {@link #end} come from whichever thread closes the primary.
 */
final class HandlerQueue {
    private final PrimaryRole role;
    private final BlockingQueue<PendingLaunch> queue = new LinkedBlockingQueue<>();
    /** Put in the queue by {@link #end}: the handler thread ends when it takes it. */
    private final PendingLaunch endOfLaunches;
    /** The launch the handler runs now, if any. */
    private volatile PendingLaunch inHandler;

    HandlerQueue(PrimaryRole role) {
        this.role = role;
        this.endOfLaunches = new PendingLaunch(role, null, null, null);
    }

    void add(PendingLaunch pending) {
        queue.add(pending);
    }

    /** Sends back every launch still queued: its sender retries with the next primary. */
    void sendBackQueued() {
        PendingLaunch queued;
        while ((queued = queue.poll()) != null) {
            queued.sendBack();
        }
    }

    /** Ends the handler thread once it has run the launch it runs now, if any. */
    void end() {
        queue.add(endOfLaunches);
    }

    PendingLaunch inHandler() {
        return inHandler;
    }

    /** The handler thread's loop: runs each queued launch in turn until {@link #end}. */
    void handle() {
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
            if (role.closing()) {
                next.sendBack(); // close() sends back what is queued; this one it may have missed
            } else {
                inHandler = next;
                next.run();
                inHandler = null;
            }
        }
    }

    /**
     * The next queued launch: looked for for up to {@link Intake#SPIN_NANOS}, yielding between looks, before the thread
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
        } while (System.nanoTime() - start < Intake.SPIN_NANOS);
        return queue.take();
    }

    /** A synchronous handler as an asynchronous one: its reply is complete when it returns. */
    static final class SynchronousHandler implements AsyncLaunchHandler {
        private final LaunchHandler handler;

        SynchronousHandler(LaunchHandler handler) {
            this.handler = handler;
        }

        @Override
        public CompletionStage<Reply> handle(io.github.singleinstance.Launch launch) throws Exception {
            return CompletableFuture.completedFuture(handler.handle(launch));
        }
    }
}
