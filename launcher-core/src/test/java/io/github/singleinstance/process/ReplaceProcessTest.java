package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestJvm;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@code single-instance.replace=true}: a launch asks the running primary to hand over and becomes the primary. */
class ReplaceProcessTest extends ProcessTestSupport {

    private static final List<String> REPLACE = List.of("-Dsingle-instance.replace=true");

    @Test
    void aReplacingLaunchBecomesThePrimaryAndTheOldOneExits() {
        TestJvm old = startPrimary("old");
        TestJvm replacing = launch(REPLACE, "new");
        assertThat(replacing.awaitLine("PRIMARY", STARTUP)).contains("[\"new\"]");
        assertThat(old.awaitExit(EXIT)).as(old.describe()).isZero();
        TestJvm later = launch("later");
        assertThat(later.awaitExit(EXIT)).as(later.describe()).isZero();
        assertThat(replacing.stdout()).contains("LAUNCH [\"later\"]");
        assertThat(old.stdout()).doesNotContain("later");
    }

    @Test
    void aPrimaryWhoseApplicationRefusesKeepsRunningAndTheReplacingLaunchFailsClearly() {
        TestJvm old = startPrimary(List.of("-Dtest.refuse-replace=true"), "old");
        TestJvm replacing = launch(REPLACE, "new");
        assertThat(replacing.awaitExit(EXIT)).as(replacing.describe()).isEqualTo(75);
        assertThat(replacing.stderr()).contains("refused to hand over").contains("not delivered");
        assertThat(old.stdout()).contains("REPLACE REFUSED");
        assertThat(old.process().isAlive()).isTrue();
        TestJvm later = launch("later");
        assertThat(later.awaitExit(EXIT)).as(later.describe()).isZero();
        assertThat(old.stdout()).contains("LAUNCH [\"later\"]");
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGSTOP and SIGCONT, which Windows does not have")
    void aStoppedPrimaryIsNotReplacedAndKeepsItsClaim() {
        TestJvm old = startPrimary("old");
        Jvm.signal(old.pid(), "STOP");
        try {
            TestJvm replacing = launch(REPLACE, "new");
            assertThat(replacing.awaitExit(EXIT)).as(replacing.describe()).isEqualTo(75);
            assertThat(replacing.stderr()).contains("did not hand over").contains(stoppedPrimaryWording());
        } finally {
            Jvm.signal(old.pid(), "CONT");
        }
        TestJvm later = launch("later");
        assertThat(later.awaitExit(EXIT)).as(later.describe()).isZero();
        assertThat(old.stdout()).contains("LAUNCH [\"later\"]");
    }
}
