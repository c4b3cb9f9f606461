package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A busy, slow, frozen or hung primary, at DEFAULT settings (forward timeout 5 s, total timeout 60 s) unless a test
 * shortens the total timeout to observe it: launches wait for a primary that shows progress, fail on silence after
 * the forward timeout, and at the total timeout otherwise, each time saying whether the launch was delivered.
 */
class BusyPrimaryProcessTest extends ProcessTestSupport {

    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aSlowSynchronousHandlerKeepsLaterLaunchesWaitingAndAnswersThemAllInArrivalOrder() {
        TestJvm primary = startPrimary();
        TestJvm slow = launch("slow", "--sleep=8000");
        primary.awaitLine("LAUNCH [\"slow\"", STARTUP);
        List<TestJvm> behind = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            behind.add(launch("behind-" + i));
            Jvm.sleep(1000); // one a second: their arrival order is their launch order
        }
        assertThat(slow.awaitExit(EXIT)).as(slow.describe()).isZero();
        for (TestJvm child : behind) {
            assertThat(child.awaitExit(EXIT)).as(child.describe()).isZero();
            assertThat(child.stdout()).startsWith("handled [\"behind-");
        }
        List<String> handled = new ArrayList<>();
        for (String line : primary.stdout().split("\n")) {
            if (line.startsWith("LAUNCH")) {
                handled.add(line.substring(0, line.indexOf(']') + 1));
            }
        }
        assertThat(handled)
                .as("each delivered once, in arrival order")
                .containsExactly(
                        "LAUNCH [\"slow\",\"--sleep=8000\"]",
                        "LAUNCH [\"behind-1\"]",
                        "LAUNCH [\"behind-2\"]",
                        "LAUNCH [\"behind-3\"]",
                        "LAUNCH [\"behind-4\"]",
                        "LAUNCH [\"behind-5\"]");
    }

    @Test
    void anAsynchronousHandlerAnswersAfterTwentySecondsAndLaterLaunchesAreAnsweredMeanwhile() {
        TestJvm primary = startPrimary(List.of("-Dtest.async=true"));
        TestJvm deferred = launch("deferred", "--sleep=20000");
        primary.awaitLine("LAUNCH [\"deferred\"", STARTUP);
        TestJvm quick = launch("quick");
        assertThat(quick.awaitExit(EXIT)).as(quick.describe()).isZero();
        assertThat(deferred.process().isAlive())
                .as("still waiting for its deferred answer")
                .isTrue();
        long start = System.nanoTime();
        assertThat(deferred.awaitExit(EXIT)).as(deferred.describe()).isZero();
        assertThat(deferred.stdout()).contains("handled [\"deferred\",\"--sleep=20000\"]");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("answered later, not at once")
                .isGreaterThan(Duration.ofSeconds(5));
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGSTOP and SIGCONT, which Windows does not have")
    void aPrimaryStoppedWhileStartingFailsALaunchAfterTheForwardTimeoutAndServesAgainAfterCont() {
        TestJvm primary = startPrimary(List.of("-Dtest.handler-delay-ms=12000")); // no handler yet: starting
        Jvm.signal(primary.pid(), "STOP");
        TestJvm frozen;
        long elapsed;
        try {
            long start = System.nanoTime();
            frozen = launch("while-stopped");
            assertThat(frozen.awaitExit(EXIT)).as(frozen.describe()).isEqualTo(75);
            elapsed = System.nanoTime() - start;
        } finally {
            Jvm.signal(primary.pid(), "CONT");
        }
        assertThat(frozen.stderr())
                .contains("showed no progress for 5 s")
                .contains(stoppedPrimaryWording())
                .contains(stoppedPrimaryWording().equals("is stopped") ? "kill -CONT " + primary.pid() : "")
                .containsIgnoringCase("nothing was delivered");
        assertFailedAfterAboutTheForwardTimeout(elapsed);
        TestJvm resumed = launch("after-cont");
        assertThat(resumed.awaitExit(EXIT)).as(resumed.describe()).isZero();
        // the withdrawn launch was reported as not delivered, so it must not be handled now either
        assertThat(primary.stdout()).contains("LAUNCH [\"after-cont\"]").doesNotContain("while-stopped");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGSTOP and SIGCONT, which Windows does not have")
    void aPrimaryStoppedWhileHandlingFailsTheLaunchAsDeliveredAfterTheForwardTimeout() {
        TestJvm primary = startPrimary();
        TestJvm handled = launch("in-handler", "--sleep=3000");
        primary.awaitLine("LAUNCH [\"in-handler\"", STARTUP);
        Jvm.signal(primary.pid(), "STOP");
        long elapsed;
        try {
            long start = System.nanoTime();
            assertThat(handled.awaitExit(EXIT)).as(handled.describe()).isEqualTo(75);
            elapsed = System.nanoTime() - start;
        } finally {
            Jvm.signal(primary.pid(), "CONT");
        }
        assertThat(handled.stderr())
                .contains("took this launch")
                .contains(stoppedPrimaryWording())
                .contains("delivered and may still be handled");
        assertFailedAfterAboutTheForwardTimeout(elapsed);
        TestJvm next = launch("next");
        assertThat(next.awaitExit(EXIT)).as(next.describe()).isZero();
    }

    @Test
    void aHandlerThatHangsFailsTheLaunchAtTheTotalTimeoutAsDelivered() {
        TestJvm primary = startPrimary();
        long start = System.nanoTime();
        TestJvm hung = launch(List.of("-Dsingle-instance.total-timeout=10s"), "hung", "--sleep=600000");
        assertThat(hung.awaitExit(EXIT)).as(hung.describe()).isEqualTo(75);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(hung.stderr())
                .contains("was still handling it 10 s after this launch began (the total timeout)")
                .contains("delivered and may still be handled");
        assertThat(elapsed)
                .as("kept alive past the forward timeout by the heartbeat, cut at the total timeout")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(10))
                .isLessThan(Duration.ofSeconds(40));
        assertThat(primary.process().isAlive()).isTrue();
    }

    /**
     * The silence is counted from the last progress the launch saw, which may precede the test's clock (started once
     * kill(1) returned) by a heartbeat (100 ms) and a liveness check (100 ms): the lower bound allows those, no more.
     */
    private static void assertFailedAfterAboutTheForwardTimeout(long elapsedNanos) {
        assertThat(Duration.ofNanos(elapsedNanos))
                .as("waited the forward timeout of silence, not the total timeout")
                .isGreaterThanOrEqualTo(FORWARD_TIMEOUT.minusMillis(250))
                .isLessThan(Duration.ofSeconds(30));
    }
}
