package io.github.singleinstance.internal.os;

/**
 * Keeps a thread's interrupt status away from NIO calls. NIO closes a channel whose thread is interrupted during an
 * operation (a claim's lock would go with it) and cuts a {@code select} short; the native backends' calls ignore
 * interrupts. So every NIO call of these backends runs with the status cleared, and the status is restored after:
 * <pre>{@code
 * boolean interrupted = Interrupts.clear();
 * try { ... NIO ... } finally { Interrupts.restore(interrupted); }
 * }</pre>
 * Waits stay bounded by their own timeouts, as on the native backends. Acts on the calling thread only.
 */
public final class Interrupts {

    private Interrupts() {}

    /** Clears this thread's interrupt status; returns whether it was set. */
    public static boolean clear() {
        return Thread.interrupted();
    }

    /** Sets this thread's interrupt status again if {@code interrupted}. */
    public static void restore(boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
