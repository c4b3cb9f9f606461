package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.portable.PortableBackend;
import io.github.singleinstance.testing.Backends;
import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.PlatformRules;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestEnvironment;
import io.github.singleinstance.testsupport.TestJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ForwardingProcessTest extends ProcessTestSupport {

    @Test
    void secondLaunchGetsPrimaryReplyAndExitsWithItsCode() {
        TestJvm primary = startPrimary("first");
        assertThat(primary.stdout()).contains("PRIMARY " + primary.pid() + " [\"first\"]");

        TestJvm second = launch("open", "report.txt", "--code=3");
        assertThat(second.awaitExit(EXIT)).as(second.describe()).isEqualTo(3);
        assertThat(second.stderr()).contains("handled [\"open\",\"report.txt\",\"--code=3\"]");
        assertThat(primary.awaitLine("LAUNCH", STARTUP))
                .isEqualTo("LAUNCH [\"open\",\"report.txt\",\"--code=3\"] cwd=" + dir + " pid=" + second.pid());

        TestJvm ok = launch("again");
        assertThat(ok.awaitExit(EXIT)).isZero();
        assertThat(ok.stdout()).isEqualTo("handled [\"again\"]\n");
    }

    @Test
    void aSecondLaunchLoadsNoNativeCode() throws Exception {
        startPrimary();
        Path classes = dir.resolve("second-launch-classes.log");
        TestJvm second = launch(List.of("-Xlog:class+load=info:file=" + classes), "no-jna");
        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        String loaded = Files.readString(classes);
        assertThat(loaded)
                .as("JNA costs a second launch some 80 ms")
                .doesNotContain("com.sun.jna")
                .contains("io.github.singleinstance.internal.sender.Forwarder");
        assertThat(loaded)
                .as("the login session is read (a file under /proc) only for Scope.SESSION; this launch is USER")
                .doesNotContain("io.github.singleinstance.internal.os.SessionTag");
        if (!(Backends.current() instanceof PortableBackend)) {
            assertThat(loaded).contains("io.github.singleinstance.internal.os.linux.LinuxForwardingBackend");
        }
    }

    /**
     * Both backends keep their objects in the same private directory under the same names, and the claim header names
     * the primary's doorbell: a launch on the other backend meets the same primary and forwards to it.
     */
    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "Windows has no posix backend")
    void aLaunchOnTheOtherBackendMeetsTheSamePrimaryAndIsDelivered() {
        TestEnvironment.applicableOnlyIf(
                PlatformRules.inForce().isEmpty(),
                "the posix backend is Linux's own (it needs /proc): not under other OSes' rules; the default "
                        + "execution runs this test");
        for (String[] backends : new String[][] {{"portable", "posix"}, {"posix", "portable"}}) {
            id = Jvm.freshId("cross-backend-" + backends[0]);
            TestJvm primary = launch(List.of("-Dsingle-instance.backend=" + backends[0]), "primary");
            primary.awaitLine("PRIMARY", STARTUP);
            TestJvm other = launch(List.of("-Dsingle-instance.backend=" + backends[1]), "from-" + backends[1]);
            assertThat(other.awaitExit(EXIT)).as(other.describe()).isZero();
            assertThat(other.stdout()).isEqualTo("handled [\"from-" + backends[1] + "\"]\n");
            // printed before the reply, but read from the primary's pipe by another thread: wait for it
            primary.awaitStdout("LAUNCH [\"from-" + backends[1] + "\"]", EXIT);
            TestJvm stop = launch("--stop");
            assertThat(stop.awaitExit(EXIT)).as(stop.describe()).isZero();
            assertThat(primary.awaitExit(EXIT)).isZero();
        }
    }

    @Test
    void aHandlerThatThrowsAnswersSeventyWithItsMessageClippedToTheLimitAndThePrimaryServesOn() {
        startPrimary();
        TestJvm failing = launch("--throw");
        assertThat(failing.awaitExit(EXIT)).as(failing.describe()).isEqualTo(70);
        assertThat(failing.stderr())
                .contains("the running instance failed to handle this launch")
                .contains("handler failed on purpose");
        TestJvm longFailure = launch("--throw-long=10000");
        assertThat(longFailure.awaitExit(EXIT)).as(longFailure.describe()).isEqualTo(70);
        String message = longFailure.stderr().strip();
        assertThat(message)
                .startsWith("the running instance failed to handle this launch")
                .endsWith("x ...");
        assertThat(message.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(io.github.singleinstance.Reply.MAX_MESSAGE_BYTES)
                .isGreaterThan(4000);
        TestJvm after = launch("after");
        assertThat(after.awaitExit(EXIT)).as(after.describe()).isZero();
    }

    @Test
    void oddArgumentsArriveExactlyAndInOrder() {
        TestJvm primary = startPrimary();
        String[] odd = {"", " ", "a b", "\"q\"", "it's", "line\nbreak", "tab\tx", "ünï€😀", "--x=y", "\\"};
        TestJvm second = launch(odd);
        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        assertThat(primary.awaitLine("LAUNCH", STARTUP))
                .startsWith("LAUNCH [\"\",\" \",\"a b\",\"\\\"q\\\"\","
                        + "\"it's\",\"line\\nbreak\",\"tab\\tx\",\"ünï€😀\",\"--x=y\",\"\\\\\"]");
    }

    @Test
    void launchesArrivingBeforeTheHandlerWaitAndAreDelivered() {
        TestJvm primary = launch(List.of("-Dtest.handler-delay-ms=2000"));
        primary.awaitLine("PRIMARY", STARTUP);
        TestJvm early = launch("early");
        assertThat(early.awaitExit(EXIT)).as(early.describe()).isZero();
        assertThat(early.stdout()).contains("handled [\"early\"]");
        assertThat(primary.stdout()).contains("LAUNCH [\"early\"]");
    }

    @Test
    void aLaunchOverAQuarterOfTheRingArrivesWholeAndThePrimaryServesOn() {
        TestJvm primary = startPrimary();
        String x = "x".repeat(100_000);
        TestJvm huge = launch(x, "y".repeat(100_000), "z".repeat(100_000));
        assertThat(huge.awaitExit(EXIT)).as(huge.describe()).isZero();
        assertThat(huge.stdout()).isEqualTo("handled 300010 chars\n");
        assertThat(primary.awaitLine("LAUNCH", STARTUP)).startsWith("LAUNCH [\"" + x + "\",\"yyyy");
        TestJvm small = launch("small");
        assertThat(small.awaitExit(EXIT)).isZero();
        primary.awaitStdout("LAUNCH [\"small\"]", EXIT);
    }

    @Test
    void largeLaunchJustUnderTheLimitArrivesWhole() {
        TestJvm primary = startPrimary();
        String big = "b".repeat(120_000);
        TestJvm second = launch(big, big);
        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        assertThat(primary.awaitLine("LAUNCH", STARTUP)).startsWith("LAUNCH [\"" + big + "\",\"" + big + "\"]");
    }

    @Test
    void stopLaunchClosesThePrimaryAndLeavesNoNamedObjects() {
        TestJvm primary = startPrimary();
        assertThat(launch("first").awaitExit(EXIT)).isZero(); // served: its channel is open
        assertThat(channelObjectsExist()).isTrue();
        TestJvm stop = launch("--stop");
        assertThat(stop.awaitExit(EXIT)).isZero();
        assertThat(primary.awaitExit(EXIT)).isZero();
        assertThat(primary.stdout()).contains("CLOSED");
        assertChannelsRemovedAsTheOsAllows();
    }

    /**
     * Channels are removed where the OS lets us and left where it does not (Windows: a file any process maps), but
     * never piled up: each primary removes the two generations before its own.
     */
    @Test
    void aChannelLeftBehindIsRemovedByALaterPrimary() {
        List<String> departed = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            TestJvm primary = startPrimary("round-" + round);
            assertThat(launch("served").awaitExit(EXIT)).isZero(); // its channel is open
            departed.add(channelName());
            assertThat(launch("--stop").awaitExit(EXIT)).isZero();
            assertThat(primary.awaitExit(EXIT)).isZero();
        }
        TestJvm last = startPrimary("last");
        assertThat(launch("served").awaitExit(EXIT)).isZero();
        assertThat(objectPath(departed.get(0))).as("two primaries later").doesNotExist();
        assertThat(objectPath(departed.get(1))).as("two primaries later").doesNotExist();
        assertThat(channelsLeft())
                .as("channels left: this primary's, and one a later primary removes where the OS refused")
                .hasSizeLessThanOrEqualTo(2);
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "no SIGTERM: destroy() is TerminateProcess, which runs no hook")
    void sigtermRunsTheCleanupHook() {
        TestJvm primary = startPrimary();
        Jvm.terminate(primary.pid());
        primary.awaitExit(EXIT);
        assertChannelsRemovedAsTheOsAllows();
        TestJvm next = launch("next");
        assertThat(next.awaitLine("PRIMARY", STARTUP)).contains("[\"next\"]");
    }
}
