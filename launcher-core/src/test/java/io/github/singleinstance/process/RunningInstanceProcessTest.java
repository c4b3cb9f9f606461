package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.RunningInstance;
import io.github.singleinstance.SingleInstance;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.wire.ClaimHeader;
import io.github.singleinstance.testing.Backends;
import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestJvm;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * {@code SingleInstance.runningInstance()} with real processes: none when nothing runs (and no claim file made), the
 * primary's pid and READY when one runs, an answer within the forward timeout from a stopped primary, and never a
 * primary itself.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RunningInstanceProcessTest extends ProcessTestSupport {

    /** Asks once and prints {@code NONE}, or {@code RUNNING <pid> <state> <protocol> <since millis or -1> <ms taken>}. */
    public static final class QueryApp {
        private QueryApp() {}

        public static void main(String[] args) {
            long start = System.nanoTime();
            Optional<RunningInstance> running = SingleInstance.builder().build().runningInstance();
            long took = (System.nanoTime() - start) / 1_000_000;
            System.out.println(running.map(r -> "RUNNING " + r.pid() + " " + r.state() + " " + r.protocolVersion() + " "
                            + r.since().map(Instant::toEpochMilli).orElse(-1L) + " " + took)
                    .orElse("NONE " + took));
        }
    }

    private String query(List<String> jvmArgs) {
        TestJvm child = Jvm.start(dir, id, jvmArgs, QueryApp.class);
        children.add(child);
        assertThat(child.awaitExit(EXIT)).as(child.describe()).isZero();
        return child.stdout().strip();
    }

    @Test
    void noneWhenNothingRunsAndNoClaimFileIsMade() {
        assertThat(query(List.of())).startsWith("NONE");
        assertThat(objectPath(key().claimName()))
                .as("the query creates no claim file")
                .doesNotExist();
    }

    @Test
    void theRunningPrimarysPidAndReadyAndSinceWhen() {
        long before = System.currentTimeMillis();
        TestJvm primary = startPrimary();
        launch("ready?").awaitExit(EXIT); // answered: its channel is open
        String[] answer = query(List.of()).split(" ");
        assertThat(answer[0]).isEqualTo("RUNNING");
        assertThat(Long.parseLong(answer[1])).isEqualTo(primary.pid());
        assertThat(answer[2]).isEqualTo("READY");
        assertThat(Integer.parseInt(answer[3])).isEqualTo(3);
        assertThat(Long.parseLong(answer[4])).isBetween(before - 1000, System.currentTimeMillis());
    }

    @Test
    void noneAfterThePrimaryStoppedThoughItsHeaderStays() {
        TestJvm primary = startPrimary();
        launch("--stop").awaitExit(EXIT);
        assertThat(primary.awaitExit(EXIT)).isZero();
        assertThat(objectPath(key().claimName())).exists(); // the header of a primary that is gone
        assertThat(query(List.of())).startsWith("NONE");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS) // SIGSTOP
    void aStoppedPrimaryIsReportedWithinTheForwardTimeout() {
        TestJvm primary = startPrimary();
        launch("ready?").awaitExit(EXIT);
        Jvm.signal(primary.pid(), "STOP");
        try {
            long start = System.nanoTime();
            String[] answer =
                    query(List.of("-Dsingle-instance.forward-timeout=2s")).split(" ");
            long wall = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(answer[0]).isEqualTo("RUNNING");
            assertThat(Long.parseLong(answer[1])).isEqualTo(primary.pid());
            assertThat(Long.parseLong(answer[5]))
                    .as("ms the query took, in a JVM taking " + wall + " ms in all")
                    .isLessThan(2000);
        } finally {
            Jvm.signal(primary.pid(), "CONT");
        }
    }

    @Test
    void aHolderThatIsStartingIsReportedStartingWithoutSince() {
        // this JVM takes the claim as a starting primary does (lock, then the header, STARTING) and opens no channel
        try (ClaimHandle claim = Backends.current().openClaim(key().claimName())) {
            assertThat(claim.tryLock()).isTrue();
            ClaimHeader.claim(claim, ProcessHandle.current().pid(), 0);
            String[] answer = query(List.of()).split(" ");
            assertThat(answer[0]).isEqualTo("RUNNING");
            assertThat(Long.parseLong(answer[1]))
                    .isEqualTo(ProcessHandle.current().pid());
            assertThat(answer[2]).isEqualTo("STARTING");
            assertThat(answer[4]).as("no channel yet: since unknown").isEqualTo("-1");
        }
        assertThat(query(List.of())).as("let go of: none").startsWith("NONE");
    }

    @Test
    void aHolderThatNeverWritesItsHeaderIsReportedAtTheForwardTimeout() {
        try (ClaimHandle claim = Backends.current().openClaim(key().claimName())) {
            assertThat(claim.tryLock()).isTrue(); // the lock without a header: a primary stopped in that instant
            String[] answer =
                    query(List.of("-Dsingle-instance.forward-timeout=1s")).split(" ");
            assertThat(answer[0]).isEqualTo("RUNNING");
            assertThat(answer[1]).as("pid not yet written").isEqualTo("0");
            assertThat(answer[2]).isEqualTo("STARTING");
            assertThat(Long.parseLong(answer[5])).isBetween(1000L, 10_000L);
        }
    }

    @Test
    void aQueryNeverBecomesThePrimaryAndLeavesTheClaimFree() throws Exception {
        assertThat(query(List.of())).startsWith("NONE");
        assertThat(query(List.of())).startsWith("NONE");
        TestJvm primary = startPrimary(); // a normal launch after the queries still becomes the primary
        assertThat(primary.stdout()).startsWith("PRIMARY");
        assertThat(Files.exists(objectPath(key().claimName()))).isTrue();
    }
}
