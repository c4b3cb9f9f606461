package io.github.singleinstance.internal.os.portable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.ForeignOwnerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoryTest {

    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path temp;

    @Test
    void xdgRuntimeDirWinsWhenItIsADirectoryElseTheTempDirWithTheUsersName() {
        assertThat(PrivateDirectory.choose(temp.toString(), "/tmp", "ann")).isEqualTo(temp.resolve("single-instance"));
        assertThat(PrivateDirectory.choose(null, temp.toString(), "ann")).isEqualTo(temp.resolve(
                "single-instance-ann"));
        assertThat(PrivateDirectory.choose("relative/dir", temp.toString(), "ann")).isEqualTo(temp.resolve(
                "single-instance-ann"));
        assertThat(PrivateDirectory.choose(temp.resolve("absent").toString(), temp.toString(), "ann"))
                .isEqualTo(temp.resolve("single-instance-ann"));
        assertThat(PrivateDirectory.choose("", temp.toString(), "DOMAIN\\ann b/../x")).isEqualTo(temp.resolve(
                "single-instance-DOMAIN_ann_b_.._x"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void isCreatedOwnerOnlyAndAcceptedAgain() throws Exception {
        Path dir = temp.resolve("private");
        assertThat(PrivateDirectory.prepare(dir, USER)).isEqualTo(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PrivateDirectory.prepare(dir, USER)).isEqualTo(dir);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aDirectoryOpenToOthersOrASymbolicLinkIsRefused() throws Exception {
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> PrivateDirectory.prepare(open, USER)).isInstanceOf(ForeignOwnerException.class)
                .hasMessageContaining("chmod 700 " + open);

        Path target = Files.createDirectory(temp.resolve("target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), target);
        assertThatThrownBy(() -> PrivateDirectory.prepare(link, USER)).isInstanceOf(ForeignOwnerException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aDirectoryOfAnotherUserIsRefused() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(USER.equals("root"), "needs root to chown (CI runs as root)");
        Path foreign = Files.createDirectory(temp.resolve("foreign"));
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(foreign, "unix:uid", 65534);
        assertThatThrownBy(() -> PrivateDirectory.prepare(foreign, USER)).isInstanceOf(ForeignOwnerException.class)
                .hasMessageContaining("uid 65534");
    }
}
