package io.github.singleinstance.internal.os.portable;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.BackendPeer;
import io.github.singleinstance.internal.os.PrivateDirectory;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.testsupport.TestJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The portable backend with sockets for its doorbell, as on macOS (and other OSes without a kernel watch). */
class PortableSocketBackendContractTest extends PortableBellContract {

    private static final PortableBackend BACKEND = new PortableBackend(PrivateDirectory.ofThisUser(), false);

    @Override
    protected PortableBackend portable() {
        return BACKEND;
    }

    @Override
    protected Predicate<StackTraceElement> asleepOnTheBell() {
        return frame -> frame.getClassName().contains("Selector")
                && frame.getMethodName().startsWith("select");
    }

    @Override
    protected String backendName() {
        return BackendPeer.PORTABLE_SOCKETS;
    }

    /**
     * The protocol's shape: the segment's creator (a primary's intake) sleeps on a socket on the word it opened a bell
     * on, with no timeout, so a lost wake-up hangs it and the test times out; the other process (a second launch)
     * polls its word and binds no socket. 300 rounds.
     */
    @Test
    @Timeout(120)
    void theBellWordSleepsOnASocketThatAnotherProcessWakesAndThePollingSideBindsNone() throws Exception {
        String segmentName = newSegmentName('b');
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

    private static List<Path> socketsOf(String segmentName, int offset) throws IOException {
        String prefix = DoorbellSocket.wordPrefix(segmentName, offset);
        try (Stream<Path> files = Files.list(BACKEND.directory())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix))
                    .toList();
        }
    }
}
