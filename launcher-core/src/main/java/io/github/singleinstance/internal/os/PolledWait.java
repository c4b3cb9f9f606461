package io.github.singleinstance.internal.os;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * How a second launch waits on a word of a mapped segment without a kernel wait of its own: it looks at the word
 * again and again. A second launch waits for one reply, which usually comes within a few hundred microseconds, so
 * polling costs it nothing it would notice, and it spares it the objects a kernel wait needs (a futex through JNA, a
 * listening socket and a selector: tens of milliseconds of class loading on the second launch's path).
 *
 * <pre>
 * await           spins (yielding) for up to 200 us, then parks for 50 us, doubling up to 1 ms
 * awaitPatiently  for a reply from a busy handler: no spinning, parks from 50 us doubling up to 10 ms
 *                 (at most 100 looks a second while a slow handler runs)
 * </pre>
 * Stateless.
 */
public final class PolledWait {

    private static final long SPIN_NANOS = 200_000;
    private static final long FIRST_PARK_NANOS = 50_000;
    private static final long MAX_PARK_NANOS = 1_000_000;
    private static final long MAX_PATIENT_PARK_NANOS = 10_000_000;

    private PolledWait() {}

    /**
     * Returns once the word at {@code offset} differs from {@code expected} or {@code timeoutNanos} (negative: no
     * limit) passed: true in the first case, false in the second.
     */
    public static boolean await(ByteBuffer buffer, int offset, int expected, long timeoutNanos) {
        long start = System.nanoTime();
        long spin = timeoutNanos < 0 ? SPIN_NANOS : Math.min(SPIN_NANOS, timeoutNanos);
        while (System.nanoTime() - start < spin) {
            if (BufferAtomics.getIntVolatile(buffer, offset) != expected) {
                return true;
            }
            Thread.yield(); // not onSpinWait: the primary's threads may need this processor
        }
        return park(buffer, offset, expected, timeoutNanos, start, MAX_PARK_NANOS);
    }

    /** {@link #await} without spinning and with longer parks, for a wait expected to be long. */
    public static void awaitPatiently(ByteBuffer buffer, int offset, int expected, long timeoutNanos) {
        park(buffer, offset, expected, timeoutNanos, System.nanoTime(), MAX_PATIENT_PARK_NANOS);
    }

    private static boolean park(
            ByteBuffer buffer, int offset, int expected, long timeoutNanos, long start, long maxPark) {
        long park = FIRST_PARK_NANOS;
        while (BufferAtomics.getIntVolatile(buffer, offset) == expected) {
            long left = timeoutNanos < 0 ? park : timeoutNanos - (System.nanoTime() - start);
            if (left <= 0) {
                return false;
            }
            LockSupport.parkNanos(Math.min(park, left));
            park = Math.min(park * 2, maxPark);
        }
        return true;
    }
}
