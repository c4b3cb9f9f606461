package io.github.singleinstance.internal.os.portable;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.BackendPeer;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackendContract;
import io.github.singleinstance.internal.os.PrivateDirectory;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.testsupport.TestJvm;
import io.github.singleinstance.testsupport.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The portable backend with sockets for its doorbell, as on macOS (and other OSes without a kernel watch). */
class PortableSocketBackendContractTest extends OsBackendContract {

    private static final PortableBackend BACKEND = new PortableBackend(PrivateDirectory.ofThisUser(), false);

    @Override
    protected OsBackend backend() {
        return BACKEND;
    }

    @Override
    protected String backendName() {
        return BackendPeer.PORTABLE_SOCKETS;
    }

    @Override
    protected Path pathOf(String name) {
        return BACKEND.pathOf(name);
    }

    /**
     * The protocol's shape: the segment's creator (a primary's intake) sleeps on a socket on the word it opened a bell
     * on, with no timeout, so a lost wake-up hangs it and the test times out; the other process (a second launch)
     * polls its word and binds no socket. 300 rounds.
     */
    @Test
    @Timeout(120)
    void theBellWordSleepsOnASocketThatAnotherProcessWakesAndThePollingSideBindsNone() throws Exception {
        String segmentName = "/si-t-" + UUID.randomUUID().toString().substring(0, 12) + "b";
        int rounds = 300;
        try (SharedSegment segment = BACKEND.createSegment(segmentName, 4096)) {
            BACKEND.openBell(segment, 64);
            TestJvm ponger = peer("pong", segmentName, Integer.toString(rounds));
            ponger.awaitLine("READY", STARTUP);
            for (int i = 1; i <= rounds; i++) {
                segment.buffer().putInt(0, i);
                BACKEND.wakeAll(segment, 0); // no socket waits on word 0: finds none
                int seen;
                while ((seen = segment.buffer().getInt(64)) != i) {
                    BACKEND.await(segment, 64, seen, -1);
                }
            }
            ponger.awaitLine("DONE", Duration.ofSeconds(30));
            assertThat(socketsOf(segmentName, 64))
                    .as("the bell word's socket, kept between waits")
                    .hasSize(1);
            assertThat(socketsOf(segmentName, 0))
                    .as("sockets of the polled word")
                    .isEmpty();
        } finally {
            BACKEND.unlink(segmentName);
        }
    }

    /** A waiter on the bell word blocks in the kernel (a selector), not in a polling loop, and a wake-up ends it. */
    @Test
    void theBellWordsWaiterBlocksInASelectorUntilWoken() throws Exception {
        String segmentName = "/si-t-" + UUID.randomUUID().toString().substring(0, 12) + "s";
        try (SharedSegment segment = BACKEND.createSegment(segmentName, 4096)) {
            BACKEND.openBell(segment, 64);
            assertWakesAWaiterBlockedIn(
                    segment,
                    frame -> frame.getClassName().contains("Selector")
                            && frame.getMethodName().startsWith("select"));
        } finally {
            BACKEND.unlink(segmentName);
        }
    }

    /**
     * The bell word's wait says how it ended (the intake's lost-wake-up check asks): a timeout with no connection
     * pending is false; a ring is true even when the word did not change (a connection pending at the last look).
     */
    @Test
    void theBellWordsWaitTellsATimeoutFromARing() throws Exception {
        String segmentName = "/si-t-" + UUID.randomUUID().toString().substring(0, 12) + "t";
        try (SharedSegment segment = BACKEND.createSegment(segmentName, 4096)) {
            BACKEND.openBell(segment, 64);
            assertThat(BACKEND.await(segment, 64, 0, 50_000_000L))
                    .as("timed out")
                    .isFalse();
            AtomicBoolean woken = new AtomicBoolean();
            Thread waiter = waitingInASelector(segment, TimeUnit.SECONDS.toNanos(20), woken);
            BACKEND.wakeAll(segment, 64); // the word stays 0: only the connection says "look again"
            waiter.join(30_000);
            assertThat(woken).as("a ring, the word unchanged").isTrue();
            // a lost ring: the word moves while the waiter sleeps, and no connection comes
            Thread sleeper = waitingInASelector(segment, 300_000_000L, woken);
            segment.buffer().putInt(64, 1);
            sleeper.join(30_000);
            assertThat(woken).as("timed out, though the word moved meanwhile").isFalse();
        } finally {
            BACKEND.unlink(segmentName);
        }
    }

    /** A thread waiting on word 64 (holding 0) for up to {@code timeoutNanos}, blocked in its selector by now. */
    private static Thread waitingInASelector(SharedSegment segment, long timeoutNanos, AtomicBoolean woken) {
        Thread waiter = new Thread(() -> woken.set(BACKEND.await(segment, 64, 0, timeoutNanos)), "bell-waiter");
        waiter.start();
        Threads.awaitBlocked(
                waiter,
                frame -> frame.getClassName().contains("Selector")
                        && frame.getMethodName().startsWith("select"),
                Duration.ofSeconds(30));
        return waiter;
    }

    private static List<Path> socketsOf(String segmentName, int offset) throws IOException {
        String prefix = DoorbellSocket.wordPrefix(segmentName, offset);
        try (Stream<Path> files = Files.list(BACKEND.directory())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .toList();
        }
    }
}
