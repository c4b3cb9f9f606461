package io.github.singleinstance.internal.os.portable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.PrivateDirectory;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.testsupport.TestJvm;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
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
class PortableWatchedBackendContractTest extends PortableBellContract {

    private static final PortableBackend BACKEND = new PortableBackend(PrivateDirectory.ofThisUser(), true);

    /** A frame of a thread asleep in the JDK's watch service (poll or take), on Linux and Windows alike. */
    private static final Predicate<StackTraceElement> IN_WATCH_SERVICE = frame -> frame.getClassName()
                    .endsWith("AbstractWatchService")
            && (frame.getMethodName().equals("poll") || frame.getMethodName().equals("take"));

    @Override
    protected PortableBackend portable() {
        return BACKEND;
    }

    @Override
    protected Predicate<StackTraceElement> asleepOnTheBell() {
        return IN_WATCH_SERVICE;
    }

    @Override
    protected String backendName() {
        return "portable";
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
        String segmentName = newSegmentName('b');
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

    /**
     * Windows' rule: a ring file the waiter removed while its ringer still had it open stays "delete pending", its name
     * taken, and the waiter's removal of it fails. A ringer whose next names are all taken so (played here by
     * directories that are not empty: they cannot be removed and their names cannot be created) takes a free one: the
     * ring is not lost.
     */
    @Test
    void aRingWhoseNamesAreTakenTakesAnotherAndStillWakesTheWaiter() throws Exception {
        String segmentName = newSegmentName('p');
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
            Thread waiter = waitingOnTheBell(segment, TimeUnit.SECONDS.toNanos(20), woken);
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
        String segmentName = newSegmentName('l');
        Path directory = WatchedBell.directoryOf(BACKEND.pathOf(segmentName));
        Files.createDirectories(directory.resolve("kept").resolve("open"));
        try (SharedSegment segment = BACKEND.createSegment(segmentName, 4096)) {
            BACKEND.openBell(segment, 64);
            AtomicBoolean woken = new AtomicBoolean();
            Thread waiter = waitingOnTheBell(segment, TimeUnit.SECONDS.toNanos(20), woken);
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
        String segmentName = newSegmentName('g');
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
