package io.github.singleinstance.internal.os.portable;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackendContract;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.testsupport.Threads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The backend contract for the portable backend with one of its doorbells, and what both doorbells owe the primary's
 * intake: its waiter sleeps in the kernel, and its wait tells a timeout from a ring.
 */
abstract class PortableBellContract extends OsBackendContract {

    /** The portable backend with the doorbell under test. */
    protected abstract PortableBackend portable();

    /** A frame of a thread asleep on this doorbell, in the kernel. */
    protected abstract Predicate<StackTraceElement> asleepOnTheBell();

    @Override
    protected OsBackend backend() {
        return portable();
    }

    @Override
    protected Path pathOf(String name) {
        return portable().pathOf(name);
    }

    /** A segment name of this test's own, ending in {@code tag}. */
    protected static String newSegmentName(char tag) {
        return "/si-t-" + UUID.randomUUID().toString().substring(0, 12) + tag;
    }

    /** A waiter on the bell word blocks in the kernel, not in a polling loop, and a ring ends it. */
    @Test
    void theBellWordsWaiterSleepsInTheKernelUntilRung() throws Exception {
        String segmentName = newSegmentName('s');
        try (SharedSegment segment = portable().createSegment(segmentName, 4096)) {
            portable().openBell(segment, 64);
            assertWakesAWaiterBlockedIn(segment, asleepOnTheBell());
        } finally {
            portable().unlink(segmentName);
        }
    }

    /**
     * The bell word's wait says how it ended (the intake's lost-wake-up check asks): a timeout with no ring pending is
     * false; a ring is true even when the word did not change.
     */
    @Test
    void theBellWordsWaitTellsATimeoutFromARing() throws Exception {
        String segmentName = newSegmentName('t');
        try (SharedSegment segment = portable().createSegment(segmentName, 4096)) {
            portable().openBell(segment, 64);
            assertThat(portable().await(segment, 64, 0, 50_000_000L))
                    .as("timed out")
                    .isFalse();
            AtomicBoolean woken = new AtomicBoolean();
            Thread waiter = waitingOnTheBell(segment, TimeUnit.SECONDS.toNanos(20), woken);
            portable().wakeAll(segment, 64); // the word stays 0: only the ring says "look again"
            waiter.join(30_000);
            assertThat(woken).as("a ring, the word unchanged").isTrue();
            // a lost ring: the word moves while the waiter sleeps, and no ring comes
            Thread sleeper = waitingOnTheBell(segment, 300_000_000L, woken);
            segment.buffer().putInt(64, 1);
            sleeper.join(30_000);
            assertThat(woken).as("timed out, though the word moved meanwhile").isFalse();
        } finally {
            portable().unlink(segmentName);
        }
    }

    /** A thread waiting on word 64 (holding 0) for up to {@code timeoutNanos}, asleep on the bell by now. */
    protected Thread waitingOnTheBell(SharedSegment segment, long timeoutNanos, AtomicBoolean woken) {
        Thread waiter = new Thread(() -> woken.set(portable().await(segment, 64, 0, timeoutNanos)), "bell-waiter");
        waiter.start();
        Threads.awaitBlocked(waiter, asleepOnTheBell(), Duration.ofSeconds(30));
        return waiter;
    }
}
