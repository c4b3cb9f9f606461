package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestEnvironment;
import io.github.singleinstance.testsupport.TestJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many launches at the same moment, at DEFAULT settings (forward timeout 5 s, total timeout 60 s: nothing loosened):
 * with no primary yet (a file manager opening many files with the application not running), into a running primary,
 * and while the primary shuts down. Each round: exactly one primary at a time, every launch delivered exactly once,
 * every other launch exits 0. Size: {@code -Dstorm.launches=N -Dstorm.rounds=R -Dstorm.other-rounds=R2} (defaults
 * 100, 3 and 2; the pom passes storm.launches and storm.rounds; scripts/reliability-report.sh runs larger sizes).
 */
class LaunchStormProcessTest extends ProcessTestSupport {

    private static final int LAUNCHES = Integer.getInteger("storm.launches", 100);
    private static final int ROUNDS = Integer.getInteger("storm.rounds", 3);
    /** Rounds of the storms into a running or stopping primary (default 2: CI time goes to the main storm). */
    private static final int OTHER_ROUNDS = Integer.getInteger("storm.other-rounds", 2);

    private static final Pattern INDEX = Pattern.compile("\\[\"storm\",\"(\\d+)\"\\]");
    private static final Pattern STILL_STARTING = Pattern.compile("\\(pid (\\d+)\\) had not opened its channel");

    /** C2 on: these children run long enough for it, and a race only optimised code exposes must show here. */
    @Override
    protected List<String> childJit() {
        return Jvm.C2_ON;
    }

    @BeforeEach
    void onTheJava17LegOnly() {
        // The longest storms gain nothing from a second JDK (the protocol is the same on every JDK): the Java 17 leg
        // runs them, under both backends, to keep CI's time.
        TestEnvironment.applicableOnlyIf(
                Runtime.version().feature() < 25,
                "the storms exercise the protocol, the same on every JDK: the Java 17 leg runs them, under both backends");
    }

    @Test
    void stormWithNoPrimaryMakesExactlyOnePrimaryAndDeliversEveryLaunchOnce() {
        for (int round = 0; round < ROUNDS; round++) {
            id = "test-storm-" + UUID.randomUUID();
            List<TestJvm> storm = startStorm();
            List<TestJvm> primaries = settle(storm);
            assertThat(primaries).as("round %d: primaries", round).hasSize(1);
            assertEveryLaunchDeliveredOnce(storm, round);
            stopPrimary(primaries.get(0));
        }
        report("storm-no-primary", ROUNDS);
    }

    @Test
    void stormIntoARunningPrimaryDeliversEveryLaunchOnce() {
        for (int round = 0; round < OTHER_ROUNDS; round++) {
            id = "test-storm-into-" + UUID.randomUUID();
            TestJvm primary = startPrimary("storm", Integer.toString(LAUNCHES)); // index LAUNCHES: the primary's own
            List<TestJvm> storm = startStorm();
            assertThat(settle(storm)).as("round %d: new primaries", round).isEmpty();
            storm.add(primary);
            assertEveryLaunchDeliveredOnce(storm, round, LAUNCHES + 1);
            stopPrimary(primary);
        }
        report("storm-into-primary", OTHER_ROUNDS);
    }

    @Test
    void stormWhileThePrimaryShutsDownLosesNothingAndLeavesOnePrimary() {
        for (int round = 0; round < OTHER_ROUNDS; round++) {
            id = "test-storm-stop-" + UUID.randomUUID();
            TestJvm primary = startPrimary("storm", Integer.toString(LAUNCHES));
            List<TestJvm> storm = new ArrayList<>();
            for (int i = 0; i < LAUNCHES; i++) {
                storm.add(launch("storm", Integer.toString(i)));
                if (i == LAUNCHES / 2) {
                    storm.add(launch("--stop"));
                }
            }
            List<TestJvm> newPrimaries;
            try {
                newPrimaries = settle(storm);
            } catch (AssertionError e) {
                throw new AssertionError(
                        e.getMessage() + "\nthe stopping primary: " + primary.describe()
                                + threadsOfAPrimaryStillStarting(e.getMessage()),
                        e);
            }
            assertThat(primary.awaitExit(EXIT)).isZero();
            assertThat(newPrimaries)
                    .as("round %d: primaries after the stop", round)
                    .hasSizeLessThanOrEqualTo(1);
            storm.add(primary);
            assertEveryLaunchDeliveredOnce(storm, round, LAUNCHES + 1);
            if (!newPrimaries.isEmpty()) {
                stopPrimary(newPrimaries.get(0));
            }
        }
        report("storm-while-stopping", OTHER_ROUNDS);
    }

    /**
     * For a launch that gave up on a primary still starting at the total timeout: that primary's threads, if it still
     * runs (jcmd Thread.print), to tell a starved start from a stuck one.
     */
    private static String threadsOfAPrimaryStillStarting(String failure) {
        Matcher starting = STILL_STARTING.matcher(failure);
        if (!starting.find()) {
            return "";
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), starting.group(1), "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            if (!dump.waitFor(30, TimeUnit.SECONDS)) {
                dump.destroyForcibly();
            }
            return "\nthe primary still starting, pid " + starting.group(1) + ", its threads:\n"
                    + new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "\n(no thread dump of pid " + starting.group(1) + ": " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Reached only if every round passed its assertions: nothing lost, nothing doubled, one primary at a time. */
    private void report(String name, int rounds) {
        // the settings the launches ran with, as each resolved them: not the defaults assumed
        System.out.println("REPORT " + name + " launches=" + LAUNCHES + " rounds=" + rounds + " delivered="
                + (long) LAUNCHES * rounds + " lost=0 duplicated=0 settings="
                + String.join(" | ", effectiveSettings()));
    }

    private List<TestJvm> startStorm() {
        List<TestJvm> storm = new ArrayList<>();
        for (int i = 0; i < LAUNCHES; i++) {
            storm.add(launch("storm", Integer.toString(i)));
        }
        return storm;
    }

    /** Waits until every launch exited or became the primary; returns those that are primaries. */
    private static List<TestJvm> settle(List<TestJvm> storm) {
        List<TestJvm> primaries = new ArrayList<>();
        for (TestJvm child : storm) {
            if (!exitedOrPrimary(child)) {
                primaries.add(child);
            } else {
                assertThat(child.exitValueOrFail()).as(child.describe()).isZero();
            }
        }
        return primaries;
    }

    private void assertEveryLaunchDeliveredOnce(List<TestJvm> processes, int round) {
        assertEveryLaunchDeliveredOnce(processes, round, LAUNCHES);
    }

    /** Counts each storm index over the PRIMARY and LAUNCH lines of all processes: each must appear once. */
    private static void assertEveryLaunchDeliveredOnce(List<TestJvm> processes, int round, int indexes) {
        int[] seen = new int[indexes];
        for (TestJvm process : processes) {
            for (String line : process.stdout().split("\n")) {
                if (line.startsWith("PRIMARY") || line.startsWith("LAUNCH")) {
                    Matcher m = INDEX.matcher(line);
                    if (m.find()) {
                        seen[Integer.parseInt(m.group(1))]++;
                    }
                }
            }
        }
        assertThat(seen).as("round %d: times each launch was seen", round).containsOnly(1);
    }

    private void stopPrimary(TestJvm primary) {
        TestJvm stop = launch("--stop");
        assertThat(stop.awaitExit(EXIT)).isZero();
        assertThat(primary.awaitExit(EXIT)).isZero();
        assertChannelsRemovedAsTheOsAllows();
        stopAllChildren();
    }
}
