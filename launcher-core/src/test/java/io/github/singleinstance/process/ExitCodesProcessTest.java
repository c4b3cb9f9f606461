package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestEnvironment;
import io.github.singleinstance.testsupport.TestJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Exit codes of README's table that only a failing second launch produces, produced by real second-launch JVMs for
 * the documented reasons, with their messages: 65 (a launch too large for the ring that the primary could not read)
 * and 71 (an OS call failed, named with its object and error).
 */
@Timeout(300)
class ExitCodesProcessTest extends ProcessTestSupport {

    private static final String SETPRIV = "/usr/bin/setpriv";

    /**
     * 65: a launch too large for the ring goes as a stub that announces its length; one over the primary's limit for
     * such a launch (64 MiB) is refused unread, and the primary serves on.
     */
    @Test
    void aLaunchOverTheLargeLaunchLimitIsRefusedUnreadWithSixtyFiveAndThePrimaryServesOn() {
        TestJvm primary = startPrimary();
        TestJvm oversized = Jvm.start(dir, id, List.of("-Xmx768m"), OversizedLaunch.class, "65");
        children.add(oversized);
        assertThat(oversized.awaitExit(EXIT)).as(oversized.describe()).isEqualTo(65);
        assertThat(oversized.stderr())
                .contains("the running instance could not read this launch")
                .contains("over the limit of " + (64 << 20));
        assertThat(primary.stdout()).doesNotContain("LAUNCH");
        TestJvm after = launch("after");
        assertThat(after.awaitExit(EXIT)).as(after.describe()).isZero();
    }

    /**
     * 71: the primary's channel file is made read-only, so the second launch's open for read and write fails; the
     * message names what failed, the file and the error. As root (which opens any file) the launch runs with no
     * capabilities ({@code setpriv}), as the same uid.
     */
    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "POSIX file permissions")
    void aLaunchThatCannotOpenThePrimarysChannelExitsSeventyOneNamingTheFileAndTheError() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            TestEnvironment.requireOrSkip(
                    Files.isExecutable(Path.of(SETPRIV)), "util-linux's setpriv, to drop root's capabilities");
        }
        TestJvm primary = startPrimary();
        assertThat(launch("served").awaitExit(EXIT)).isZero(); // its channel is open
        Path channel = objectPath(channelName());
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(channel);
        Files.setPosixFilePermissions(channel, PosixFilePermissions.fromString("r--------"));
        try {
            List<String> wrapper = root ? List.of(SETPRIV, "--bounding-set=-all", "--inh-caps=-all") : List.of();
            TestJvm refused = Jvm.start(
                    dir, id, Map.of(), wrapper, List.of(), io.github.singleinstance.testing.TestApp.class, "refused");
            children.add(refused);
            assertThat(refused.awaitExit(EXIT)).as(refused.describe()).isEqualTo(71);
            assertThat(refused.stderr()).contains("cannot open segment file").contains(channel.toString());
            assertThat(primary.stdout()).doesNotContain("refused");
        } finally {
            Files.setPosixFilePermissions(channel, mode);
        }
        TestJvm after = launch("after");
        assertThat(after.awaitExit(EXIT)).as(after.describe()).isZero();
    }
}
