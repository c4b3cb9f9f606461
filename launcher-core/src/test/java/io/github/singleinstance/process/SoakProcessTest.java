package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcFs;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testing.ResourceStats;
import io.github.singleinstance.testsupport.TestJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Many forwards into one primary leave it as they found it, and an idle primary uses no CPU. Size:
 * {@code -Dsoak.launches=N} (default 10,000); idle window {@code -Dsoak.idle-seconds=S} (default 10).
 */
class SoakProcessTest extends ProcessTestSupport {

    private static final int LAUNCHES = Integer.getInteger("soak.launches", 10_000);
    private static final int IDLE_SECONDS = Integer.getInteger("soak.idle-seconds", 10);

    private String stats() {
        TestJvm ask = launch("--stats");
        assertThat(ask.awaitExit(EXIT)).as(ask.describe()).isZero();
        return ask.stdout().strip();
    }

    @Test
    void manyForwardsLeakNothingAndAnIdlePrimaryUsesNoCpu() {
        ProcFs.requireInChildren("the primary's descriptors, mappings and CPU time (ResourceStats)");
        TestJvm primary = launch(List.of("-Dtest.quiet=true"));
        primary.awaitLine("PRIMARY", STARTUP);
        TestJvm warmUp = Jvm.start(dir, id, List.of(), io.github.singleinstance.testing.SoakSender.class, "500");
        children.add(warmUp);
        assertThat(warmUp.awaitExit(EXIT)).as(warmUp.describe()).isZero();
        String before = stats();

        TestJvm sender = Jvm.start(
                dir, id, List.of(), io.github.singleinstance.testing.SoakSender.class, Integer.toString(LAUNCHES));
        children.add(sender);
        assertThat(sender.awaitExit(Duration.ofMinutes(5)))
                .as(sender.describe())
                .isZero();
        assertThat(sender.stdout()).contains("SENT " + LAUNCHES);
        String after = stats();
        System.out.println("REPORT soak forwards=" + LAUNCHES + " before={" + before + "} after={" + after + "}");

        // no growth: a descriptor or thread that was open only for a moment at "before" may be gone at "after"
        for (String key : List.of("fds", "threads", "shmMaps")) {
            assertThat(ResourceStats.value(after, key))
                    .as(key + ": " + before + " -> " + after)
                    .isLessThanOrEqualTo(ResourceStats.value(before, key));
        }
        assertThat(ResourceStats.value(before, "shmMaps")).isEqualTo(1); // the channel, mapped once
        assertThat(ResourceStats.value(after, "heapAfterGc"))
                .as("heap after GC: " + before + " -> " + after)
                .isLessThan(ResourceStats.value(before, "heapAfterGc") + 4 * 1024 * 1024);

        Jvm.sleep(500); // let the stats launch's own work settle
        long ticksBefore = ResourceStats.cpuTicks(primary.pid());
        Jvm.sleep(IDLE_SECONDS * 1000L);
        long idleTicks = ResourceStats.cpuTicks(primary.pid()) - ticksBefore;
        System.out.println("REPORT idle-primary seconds=" + IDLE_SECONDS + " cpu-ms=" + idleTicks * 10);
        // a polling listener would burn far more; the JVM's own housekeeping threads use a few ticks
        assertThat(idleTicks).as("CPU ticks (1/100 s) while idle").isLessThanOrEqualTo(IDLE_SECONDS * 2L);
    }
}
