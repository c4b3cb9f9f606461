package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcessTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Many launches at the same moment with no primary yet: exactly one becomes the primary, every other launch is
 * delivered exactly once and exits 0. Size and rounds: {@code -Dstorm.launches=N -Dstorm.rounds=R}.
 */
class LaunchStormProcessTest extends ProcessTestSupport {

    private static final int LAUNCHES = Integer.getInteger("storm.launches", 50);
    private static final int ROUNDS = Integer.getInteger("storm.rounds", 2);
    private static final Pattern INDEX = Pattern.compile("\\[\"storm\",\"(\\d+)\"\\]");

    @Test
    void stormWithNoPrimaryMakesExactlyOnePrimaryAndDeliversEveryLaunchOnce() {
        for (int round = 0; round < ROUNDS; round++) {
            id = "test-storm-" + UUID.randomUUID();
            List<Jvm.Child> storm = new ArrayList<>();
            for (int i = 0; i < LAUNCHES; i++) {
                storm.add(launch(List.of("-Dsingle-instance.forward-timeout=90s"), "storm", Integer.toString(i)));
            }
            List<Jvm.Child> primaries = new ArrayList<>();
            for (Jvm.Child child : storm) {
                if (!waitForExitOrPrimary(child)) {
                    primaries.add(child);
                }
            }
            assertThat(primaries).as("round %d: primaries", round).hasSize(1);
            Jvm.Child primary = primaries.get(0);
            for (Jvm.Child child : storm) {
                if (child != primary) {
                    assertThat(child.exitValueOrFail()).as(child.describe()).isZero();
                }
            }
            int[] seen = new int[LAUNCHES];
            Matcher own = INDEX.matcher(primary.awaitLine("PRIMARY", STARTUP));
            assertThat(own.find()).isTrue();
            seen[Integer.parseInt(own.group(1))]++;
            for (String line : primary.stdout().split("\n")) {
                if (line.startsWith("LAUNCH")) {
                    Matcher m = INDEX.matcher(line);
                    assertThat(m.find()).as(line).isTrue();
                    seen[Integer.parseInt(m.group(1))]++;
                }
            }
            assertThat(seen).as("round %d: times each launch was seen", round).containsOnly(1);
            Jvm.Child stop = launch("--stop");
            assertThat(stop.awaitExit(EXIT)).isZero();
            assertThat(primary.awaitExit(EXIT)).isZero();
            assertThat(namedObjectsExist()).isFalse();
            Jvm.destroyAll(children);
        }
    }

    /** True once the child exited; false if it is (still running as) the primary. */
    private static boolean waitForExitOrPrimary(Jvm.Child child) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.process().isAlive()) {
                return true;
            }
            if (child.stdout().startsWith("PRIMARY")) {
                return false;
            }
            Jvm.sleep(20);
        }
        throw new AssertionError("neither exited nor became primary\n" + child.describe());
    }
}
