package io.github.singleinstance.internal.primary;

import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * What the primary's threads run and what its heartbeat calls back, as one class rather than a lambda each: a
 * lambda's first use makes the JVM spin a class (about 1 ms apiece on this project's machine), and a first launch
 * would spin five of them before {@code claimOrExit} returns, where this class is loaded once (LaunchSpeed's
 * first-launch timeline in docs/performance.md).
 */
final class PrimaryTasks implements Runnable, BooleanSupplier, LongConsumer {
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

    PrimaryTasks(PrimaryRole role, int task) {
        this.role = role;
        this.task = task;
    }

    @Override
    public void run() {
        switch (task) {
            case CLOSE -> role.close();
            case INTAKE -> role.intake();
            case SET_UP_AND_INTAKE -> role.setUpAndIntake();
            case HANDLE -> role.handlerQueue().handle();
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

    /** Starts a daemon thread of the primary's. */
    static Thread startThread(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits for {@code thread} to end, at most the close grace; not for the calling thread itself. */
    static void join(Thread thread) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(PrimaryRole.CLOSE_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
