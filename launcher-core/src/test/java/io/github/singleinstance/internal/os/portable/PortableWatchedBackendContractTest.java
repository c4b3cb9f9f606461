package io.github.singleinstance.internal.os.portable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackendContract;
import io.github.singleinstance.internal.os.PrivateDirectory;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.testsupport.TestJvm;
import io.github.singleinstance.testsupport.Threads;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The portable backend with a watched directory for its doorbell, as on Linux and Windows (on macOS the JDK's watch
 * polls, every 10 s by default, and the backend uses sockets there: {@link PortableSocketBackendContractTest}).
 */
@EnabledOnOs(
        value = {OS.LINUX, OS.WINDOWS},
        disabledReason = "the JDK watches directories in the kernel only on Linux and Windows")
class PortableWatchedBackendContractTest extends OsBackendContract {

    private static final PortableBackend BACKEND = new PortableBackend(PrivateDirectory.ofThisUser(), true);

    /** A frame of a thread asleep in the JDK's watch service (poll or take), on Linux and Windows alike. */
    private static final Predicate<StackTraceElement> IN_WATCH_SERVICE = frame -> frame.getClassName()
                    .endsWith("AbstractWatchService")
            && (frame.getMethodName().equals("poll") || frame.getMethodName().equals("take"));

    @Override
    protected OsBackend backend() {
        return BACKEND;
    }

    @Override
    protected String backendName() {
        return "portable";
    }

    @Override
    protected Path pathOf(String name) {
        return BACKEND.pathOf(name);
    }

    @Test
    void theDoorbellKindIsTheWatchedDirectoryOne() {
        assertThat(BACKEND.doorbellKind()).isEqualTo(OsBackend.DOORBELL_WATCHED_DIRECTORY);
        assertThat(PortableBackend.kernelWatchesDirectories()).isTrue();
    }

    /**
     * The protocol's shape: the segment's creator (a primary's intake) sleeps on its watched directory on the word it
     * opened a bell on, with no timeout, so a lost ring hangs it and the test times out; the other process (a second
     * launch) polls its word and rings by creating a file. 300 rounds; the ring files are removed as they are seen.
     */
    @Test
    @Timeout(120)
    void theBellWordSleepsOnAWatchThatAnotherProcessRingsAndTheRingsAreRemoved() throws Exception {
        String segmentName = "/si-t-" + UUID.randomUUID().toString().substring(0, 12) + "b";
        int rounds = 300;
        try (SharedSegment segment = BACKEND.createSegment(segmentName, 4096)) {
            BACKEND.openBell(segment, 64);
            TestJvm ponger = peer("pong", segmentName, Integer.toString(rounds));
            ponger.awaitLine("READY", STARTUP);
            for (int i = 1; i <= rounds; i++) {
                segment.buffer().putInt(0, i);
                int seen;
                while ((seen = segment.buffer().getInt(64)) != i) {
                    BACKEND.await(segment, 64, seen, -1);
                }
            }
            ponger.awaitLine("DONE", Duration.ofSeconds(30));
            // the last ring may still be on its way when the word is seen: one more wait with a timeout takes it
            BACKEND.await(segment, 64, rounds, 200_000_000L);
            assertThat(ringsOf(segmentName))
                    .as("ring files left in the bell directory")
                    .isEmpty();
        } finally {
            BACKEND.unlink(segmentName);
        }
        assertThat(WatchedBell.directoryOf(BACKEND.pathOf(segmentName)))
                .as("the bell directory, after unlink")
                .doesNotExist();
    }

    /** A waiter on the bell word blocks in the kernel's watch, not in a polling loop, and a ring ends it. */
    @Test
    void theBellWordsWaiterBlocksInTheWatchServiceUntilRung() throws Exception {
        String segmentName = "/si-t-" + UUID.randomUUID().toString().substring(0, 12) + "s";
        try (SharedSegment segment = BACKEND.createSegment(segmentName, 4096)) {
            BACKEND.openBell(segment, 64);
            assertWakesAWaiterBlockedIn(segment, IN_WATCH_SERVICE);
        } finally {
            BACKEND.unlink(segmentName);
        }
    }

    /**
     * The bell word's wait says how it ended (the intake's lost-wake-up check asks): a timeout with no ring is false;
     * a ring is true even when the word did not change.
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
            Thread waiter = waitingOnTheWatch(segment, TimeUnit.SECONDS.toNanos(20), woken);
            BACKEND.wakeAll(segment, 64); // the word stays 0: only the ring file says "look again"
            waiter.join(30_000);
            assertThat(woken).as("a ring, the word unchanged").isTrue();
            // a lost ring: the word moves while the waiter sleeps, and no file comes
            Thread sleeper = waitingOnTheWatch(segment, 300_000_000L, woken);
            segment.buffer().putInt(64, 1);
            sleeper.join(30_000);
            assertThat(woken).as("timed out, though the word moved meanwhile").isFalse();
        } finally {
            BACKEND.unlink(segmentName);
        }
    }

    /**
     * Windows' rule: a ring file the waiter removed while its ringer still had it open stays "delete pending", its name
     * taken, and the waiter's removal of it fails. A ringer whose next names are all taken so (played here by
     * directories that are not empty: they cannot be removed and their names cannot be created) takes a free one: the
     * ring is not lost.
     */
    @Test
    void aRingWhoseNamesAreTakenTakesAnotherAndStillWakesTheWaiter() throws Exception {
        String segmentName = "/si-t-" + UUID.randomUUID().toString().substring(0, 12) + "p";
        try (SharedSegment segment = BACKEND.createSegment(segmentName, 4096)) {
            BACKEND.openBell(segment, 64);
            Path directory = WatchedBell.directoryOf(BACKEND.pathOf(segmentName));
            int next = ringNumber().get() + 1;
            for (int taken = 0; taken < 20; taken++) {
                Files.createDirectories(
                        directory.resolve(BACKEND.pid() + "." + (next + taken)).resolve("open"));
            }
            // the names above came as rings too: take them all, so that the wait below needs the new ring
            while (BACKEND.await(segment, 64, 0, 200_000_000L)) {
                assertThat(ringsOf(segmentName))
                        .as("names the waiter cannot remove")
                        .hasSize(20);
            }
            AtomicBoolean woken = new AtomicBoolean();
            Thread waiter = waitingOnTheWatch(segment, TimeUnit.SECONDS.toNanos(20), woken);
            BACKEND.wakeAll(segment, 64);
            waiter.join(30_000);
            assertThat(woken).as("woken by a ring under a free name").isTrue();
        } finally {
            try (Stream<Path> left = Files.walk(WatchedBell.directoryOf(BACKEND.pathOf(segmentName)))) {
                for (Path path : left.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
            BACKEND.unlink(segmentName);
        }
    }

    /**
     * A bell directory left under the channel's name that cannot be removed (on Windows: a ring file its ringer still
     * has open; played by a directory that is not empty) does not stop a primary from opening its bell there.
     */
    @Test
    void aLeftoverBellDirectoryTheOsKeepsIsTakenOverAndRingsStillWake() throws Exception {
        String segmentName = "/si-t-" + UUID.randomUUID().toString().substring(0, 12) + "l";
        Path directory = WatchedBell.directoryOf(BACKEND.pathOf(segmentName));
        Files.createDirectories(directory.resolve("kept").resolve("open"));
        try (SharedSegment segment = BACKEND.createSegment(segmentName, 4096)) {
            BACKEND.openBell(segment, 64);
            AtomicBoolean woken = new AtomicBoolean();
            Thread waiter = waitingOnTheWatch(segment, TimeUnit.SECONDS.toNanos(20), woken);
            BACKEND.wakeAll(segment, 64);
            waiter.join(30_000);
            assertThat(woken).as("woken through the leftover directory").isTrue();
        } finally {
            Files.delete(directory.resolve("kept").resolve("open"));
            BACKEND.unlink(segmentName);
        }
        assertThat(directory).as("removed with the segment once empty").doesNotExist();
    }

    /** A primary that closed removed its bell: a late ring does nothing and says nothing (the channel tells). */
    @Test
    void ringingABellWhoseDirectoryIsGoneIsNoError() {
        String segmentName = "/si-t-" + UUID.randomUUID().toString().substring(0, 12) + "g";
        try (SharedSegment segment = BACKEND.createSegment(segmentName, 4096)) {
            segment.buffer().putInt(64 + OsBackend.BELL_ARMED_DELTA, 1); // as if a waiter had armed it
            assertThatCode(() -> BACKEND.wakeAll(segment, 64)).doesNotThrowAnyException();
            assertThat(segment.buffer().getInt(64 + OsBackend.BELL_ARMED_DELTA))
                    .as("ARMED, taken by the ring")
                    .isZero();
        } finally {
            BACKEND.unlink(segmentName);
        }
    }

    /** A thread waiting on word 64 (holding 0) for up to {@code timeoutNanos}, asleep on the watch by now. */
    private static Thread waitingOnTheWatch(SharedSegment segment, long timeoutNanos, AtomicBoolean woken) {
        Thread waiter = new Thread(() -> woken.set(BACKEND.await(segment, 64, 0, timeoutNanos)), "bell-waiter");
        waiter.start();
        Threads.awaitBlocked(waiter, IN_WATCH_SERVICE, Duration.ofSeconds(30));
        return waiter;
    }

    private static List<Path> ringsOf(String segmentName) throws IOException {
        try (Stream<Path> files = Files.list(WatchedBell.directoryOf(BACKEND.pathOf(segmentName)))) {
            return files.toList();
        }
    }

    private static AtomicInteger ringNumber() throws ReflectiveOperationException {
        Field number = WatchedBell.class.getDeclaredField("RING_NUMBER");
        number.setAccessible(true);
        return (AtomicInteger) number.get(null);
    }
}
