package io.github.singleinstance.internal.os;

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
    @DisabledOnOs(OS.WINDOWS)
    void aFitRuntimeDirectoryWinsElseTheCacheDirectory() throws Exception {
        Path runtime = ownerOnlyDirectory("runtime");
        Path home = temp.resolve("home");
        assertThat(PrivateDirectory.choose(runtime.toString(), null, home.toString()))
                .isEqualTo(runtime.resolve("single-instance"));
        assertThat(PrivateDirectory.choose(null, null, home.toString()))
                .isEqualTo(home.resolve(".cache/single-instance"));
        assertThat(PrivateDirectory.choose("", temp.resolve("cache").toString(), home.toString()))
                .isEqualTo(temp.resolve("cache/single-instance"));
        assertThat(PrivateDirectory.choose(null, "relative/cache", home.toString()))
                .isEqualTo(home.resolve(".cache/single-instance"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aRuntimeDirectoryThatIsALinkOpenToOthersAbsentOrRelativeIsRefusedForTheCacheDirectory() throws Exception {
        Path home = temp.resolve("home");
        Path fallback = home.resolve(".cache/single-instance");
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(temp.resolve("link"), ownerOnlyDirectory("target"));
        assertThat(PrivateDirectory.unfitRuntimeDirectory(open)).contains("open to other users");
        assertThat(PrivateDirectory.unfitRuntimeDirectory(link)).contains("symbolic link");
        assertThat(PrivateDirectory.unfitRuntimeDirectory(temp.resolve("absent")))
                .contains("does not exist");
        assertThat(PrivateDirectory.unfitRuntimeDirectory(Path.of("relative"))).contains("absolute");
        for (String refused : new String[] {
            open.toString(), link.toString(), temp.resolve("absent").toString(), "relative/dir"
        }) {
            assertThat(PrivateDirectory.choose(refused, null, home.toString()))
                    .as(refused)
                    .isEqualTo(fallback);
        }
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aRuntimeDirectoryOfAnotherUserIsRefused() throws Exception {
        assumeRoot();
        Path foreign = ownerOnlyDirectory("foreign");
        Files.setAttribute(foreign, "unix:uid", 65534);
        assertThat(PrivateDirectory.unfitRuntimeDirectory(foreign)).contains("uid 65534");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void isCreatedOwnerOnlyWithItsParentAndAcceptedAgain() throws Exception {
        Path dir = temp.resolve("home/.cache/single-instance");
        assertThat(PrivateDirectory.prepare(dir, USER)).isEqualTo(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(PrivateDirectory.prepare(dir, USER)).isEqualTo(dir);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aDirectoryOpenToOthersOrASymbolicLinkIsRefused() throws Exception {
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> PrivateDirectory.prepare(open, USER))
                .isInstanceOf(ForeignOwnerException.class)
                .hasMessageContaining("chmod 700 " + open);

        Path link = Files.createSymbolicLink(temp.resolve("link"), ownerOnlyDirectory("target"));
        assertThatThrownBy(() -> PrivateDirectory.prepare(link, USER))
                .isInstanceOf(ForeignOwnerException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aDirectoryOfAnotherUserIsRefused() throws Exception {
        assumeRoot();
        Path foreign = ownerOnlyDirectory("foreign");
        Files.setAttribute(foreign, "unix:uid", 65534);
        assertThatThrownBy(() -> PrivateDirectory.prepare(foreign, USER))
                .isInstanceOf(ForeignOwnerException.class)
                .hasMessageContaining("uid 65534");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void inFlatpakTheAppDirectoryInsideTheRuntimeDirectoryWinsWhenFit() throws Exception {
        Path runtime = ownerOnlyDirectory("runtime");
        Path home = temp.resolve("home");
        Files.createDirectories(runtime.resolve("app"));
        Path app = Files.createDirectory(runtime.resolve("app/org.example.Viewer"));
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwx------"));
        assertThat(PrivateDirectory.choose(runtime.toString(), null, home.toString(), "org.example.Viewer", null))
                .isEqualTo(app.resolve("single-instance"));
        // without FLATPAK_ID: the sandbox's own runtime directory, which other sandboxes do not see
        assertThat(PrivateDirectory.choose(runtime.toString(), null, home.toString(), null, null))
                .isEqualTo(runtime.resolve("single-instance"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void inFlatpak111AndLaterAppIsALinkToRunFlatpakAppAndTheAppDirectoryBehindItIsUsed() throws Exception {
        Path runtime = ownerOnlyDirectory("runtime");
        Path runFlatpakApp = Files.createDirectories(temp.resolve("run/flatpak/app"));
        Path app = Files.createDirectory(runFlatpakApp.resolve("org.example.Viewer"));
        Files.setPosixFilePermissions(app, PosixFilePermissions.fromString("rwx------"));
        Files.createSymbolicLink(runtime.resolve("app"), runFlatpakApp);
        assertThat(PrivateDirectory.choose(
                        runtime.toString(), null, temp.resolve("home").toString(), "org.example.Viewer", null))
                .isEqualTo(runtime.resolve("app/org.example.Viewer/single-instance"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void inFlatpakAnAppDirectoryThatIsAbsentOpenALinkOrAPathFallsBackToTheRuntimeDirectory() throws Exception {
        Path runtime = ownerOnlyDirectory("runtime");
        Path home = temp.resolve("home");
        Path apps = Files.createDirectories(runtime.resolve("app"));
        Path open = Files.createDirectory(apps.resolve("org.example.Open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(apps.resolve("org.example.Link"), ownerOnlyDirectory("elsewhere"));
        for (String id : new String[] {
            "org.example.Absent", "org.example.Open", "org.example.Link", "../runtime", "a/b", ".hidden", "x..y"
        }) {
            assertThat(PrivateDirectory.choose(runtime.toString(), null, home.toString(), id, null))
                    .as(id)
                    .isEqualTo(runtime.resolve("single-instance"));
        }
        assertThat(PrivateDirectory.choose(null, null, home.toString(), "org.example.Viewer", null))
                .isEqualTo(home.resolve(".cache/single-instance"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void inASnapItsOwnRuntimeDirectoryIsUsedAndCreatedOwnerOnlyIfAbsent() throws Exception {
        Path userRuntime = ownerOnlyDirectory("1000");
        Path snapRuntime = userRuntime.resolve("snap.viewer_beta");
        Path home = temp.resolve("home");
        assertThat(PrivateDirectory.choose(snapRuntime.toString(), null, home.toString(), null, "viewer_beta"))
                .isEqualTo(snapRuntime.resolve("single-instance"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(snapRuntime)))
                .isEqualTo("rwx------");
        // a runtime directory that is not the snap's own is never created
        Path other = userRuntime.resolve("other");
        assertThat(PrivateDirectory.choose(other.toString(), null, home.toString(), null, "viewer_beta"))
                .isEqualTo(home.resolve(".cache/single-instance"));
        assertThat(other).doesNotExist();
    }

    private Path ownerOnlyDirectory(String name) throws Exception {
        Path dir = Files.createDirectory(temp.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    static void assumeRoot() {
        io.github.singleinstance.testing.RootOnly.assume();
    }
}
