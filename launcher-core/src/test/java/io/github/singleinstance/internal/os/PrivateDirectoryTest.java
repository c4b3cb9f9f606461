package io.github.singleinstance.internal.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.SingleInstanceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class PrivateDirectoryTest {

    private static final String USER = System.getProperty("user.name");

    @TempDir
    Path temp;

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aFitRuntimeDirectoryWinsElseTheCacheDirectory() throws Exception {
        Path runtime = ownerOnlyDirectory("runtime");
        Path home = Files.createDirectory(temp.resolve("home"));
        assertThat(choose(runtime.toString(), null, home.toString())).isEqualTo(runtime.resolve("single-instance"));
        assertThat(choose(null, null, home.toString())).isEqualTo(home.resolve(".cache/single-instance"));
        assertThat(choose("", temp.resolve("cache").toString(), home.toString()))
                .isEqualTo(temp.resolve("cache/single-instance"));
        assertThat(choose(null, "relative/cache", home.toString())).isEqualTo(home.resolve(".cache/single-instance"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aRuntimeDirectoryThatIsALinkOpenToOthersAbsentOrRelativeIsRefusedForTheCacheDirectory() throws Exception {
        Path home = Files.createDirectory(temp.resolve("home"));
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
            assertThat(choose(refused, null, home.toString())).as(refused).isEqualTo(fallback);
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
        assertThat(OwnerOnlyDirectory.prepare(dir, USER)).isEqualTo(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(OwnerOnlyDirectory.prepare(dir, USER)).isEqualTo(dir);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aDirectoryOpenToOthersOrASymbolicLinkIsRefused() throws Exception {
        Path open = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> OwnerOnlyDirectory.prepare(open, USER))
                .isInstanceOf(ForeignOwnerException.class)
                .hasMessageContaining("chmod 700 " + open);

        Path link = Files.createSymbolicLink(temp.resolve("link"), ownerOnlyDirectory("target"));
        assertThatThrownBy(() -> OwnerOnlyDirectory.prepare(link, USER))
                .isInstanceOf(ForeignOwnerException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aDirectoryOfAnotherUserIsRefused() throws Exception {
        assumeRoot();
        Path foreign = ownerOnlyDirectory("foreign");
        Files.setAttribute(foreign, "unix:uid", 65534);
        assertThatThrownBy(() -> OwnerOnlyDirectory.prepare(foreign, USER))
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
        assertThat(choose(runtime.toString(), null, home.toString(), "org.example.Viewer", null))
                .isEqualTo(app.resolve("single-instance"));
        // without FLATPAK_ID: the sandbox's own runtime directory, which other sandboxes do not see
        assertThat(choose(runtime.toString(), null, home.toString(), null, null))
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
        assertThat(choose(runtime.toString(), null, temp.resolve("home").toString(), "org.example.Viewer", null))
                .isEqualTo(runtime.resolve("app/org.example.Viewer/single-instance"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void inFlatpakAnAppDirectoryThatIsAbsentOpenALinkOrAPathFallsBackToTheRuntimeDirectory() throws Exception {
        Path runtime = ownerOnlyDirectory("runtime");
        Path home = Files.createDirectory(temp.resolve("home"));
        Path apps = Files.createDirectories(runtime.resolve("app"));
        Path open = Files.createDirectory(apps.resolve("org.example.Open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(apps.resolve("org.example.Link"), ownerOnlyDirectory("elsewhere"));
        for (String id : new String[] {
            "org.example.Absent", "org.example.Open", "org.example.Link", "../runtime", "a/b", ".hidden", "x..y"
        }) {
            assertThat(choose(runtime.toString(), null, home.toString(), id, null))
                    .as(id)
                    .isEqualTo(runtime.resolve("single-instance"));
        }
        assertThat(choose(null, null, home.toString(), "org.example.Viewer", null))
                .isEqualTo(home.resolve(".cache/single-instance"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void inASnapItsOwnRuntimeDirectoryIsUsedAndCreatedOwnerOnlyIfAbsent() throws Exception {
        Path userRuntime = ownerOnlyDirectory("1"); // short: the socket paths in it must stay within 100 bytes
        Path snapRuntime = userRuntime.resolve("snap.viewer_beta");
        Path home = Files.createDirectory(temp.resolve("home"));
        assertThat(choose(snapRuntime.toString(), null, home.toString(), null, "viewer_beta"))
                .isEqualTo(snapRuntime.resolve("single-instance"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(snapRuntime)))
                .isEqualTo("rwx------");
        // a runtime directory that is not the snap's own is never created
        Path other = userRuntime.resolve("other");
        assertThat(choose(other.toString(), null, home.toString(), null, "viewer_beta"))
                .isEqualTo(home.resolve(".cache/single-instance"));
        assertThat(other).doesNotExist();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void anExplicitDirectoryWinsOverAFitRuntimeDirectoryAndIsCreatedOwnerOnly() throws Exception {
        Path runtime = ownerOnlyDirectory("runtime");
        Path explicit = temp.resolve("deploy/state");
        assertThat(PrivateDirectory.choose(sources(explicit.toString(), "Linux", runtime.toString(), home(), null)))
                .isEqualTo(explicit);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(explicit)))
                .isEqualTo("rwx------");
        assertThat(runtime.resolve("single-instance")).doesNotExist();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aRelativeExplicitDirectoryIsRefusedWithExitCode78NamingTheSetting() {
        assertThatThrownBy(() -> PrivateDirectory.choose(sources("relative/dir", "Linux", null, home(), null)))
                .isInstanceOfSatisfying(
                        SingleInstanceException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(78))
                .hasMessageStartingWith("single-instance.directory=relative/dir is not an absolute path");
        assertThat(Path.of("relative")).doesNotExist();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aRelativeHomeIsNeverUsedAndTheTemporaryDirectoryHoldsAPerUidDirectoryOwnerOnly() throws Exception {
        Path chosen = PrivateDirectory.choose(sources(null, "Linux", null, "?", null));
        assertThat(chosen).isEqualTo(tmp().resolve("single-instance-" + Processes.currentUid()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(chosen)))
                .isEqualTo("rwx------");
        assertThat(Path.of("?"))
                .as("nothing made relative to the working directory")
                .doesNotExist();
        assertThat(PrivateDirectory.choose(sources(null, "Linux", null, "?", null)))
                .as("the same again")
                .isEqualTo(chosen);
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aHomeThatDoesNotExistOrCannotHoldTheDirectoryIsPassedOver() throws Exception {
        Path absent = temp.resolve("nonexistent");
        assertThat(PrivateDirectory.choose(sources(null, "Linux", null, absent.toString(), null)))
                .isEqualTo(tmp().resolve("single-instance-" + Processes.currentUid()));
        assertThat(absent).doesNotExist();
        Path blocked = Files.createDirectory(temp.resolve("blocked"));
        Files.writeString(blocked.resolve(".cache"), "a file where the cache directory would be");
        assertThat(PrivateDirectory.choose(sources(null, "Linux", null, blocked.toString(), null)))
                .isEqualTo(tmp().resolve("single-instance-" + Processes.currentUid()));
        Path deep = Files.createDirectories(temp.resolve("h".repeat(60)));
        assertThat(PrivateDirectory.choose(sources(null, "Linux", null, deep.toString(), null)))
                .as("a socket path in %s/.cache/single-instance would pass 100 bytes", deep)
                .isEqualTo(tmp().resolve("single-instance-" + Processes.currentUid()));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void aSquattedTemporaryDirectoryIsRefused() throws Exception {
        Path squatted = Files.createDirectories(tmp().resolve("single-instance-" + Processes.currentUid()));
        Files.setPosixFilePermissions(squatted, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> PrivateDirectory.choose(sources(null, "Linux", null, "?", null)))
                .isInstanceOf(ForeignOwnerException.class)
                .hasMessageContaining("chmod 700 " + squatted);
        assumeRoot();
        Files.setPosixFilePermissions(squatted, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(squatted, "unix:uid", 65534);
        assertThatThrownBy(() -> PrivateDirectory.choose(sources(null, "Linux", null, "?", null)))
                .isInstanceOfSatisfying(
                        ForeignOwnerException.class,
                        e -> assertThat(e.exitCode()).isEqualTo(77))
                .hasMessageContaining("belongs to uid 65534")
                .hasMessageContaining("single-instance.directory");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void macOsUsesLibraryCachesAndWindowsLocalAppData() throws Exception {
        assertThat(PrivateDirectory.choose(sources(null, "Mac OS X", null, home(), null)))
                .isEqualTo(Path.of(home(), "Library/Caches/single-instance"));
        Path local = Files.createDirectory(temp.resolve("local"));
        assertThat(PrivateDirectory.choose(sources(null, "Windows 11", null, home(), local.toString())))
                .isEqualTo(local.resolve("single-instance"));
        assertThat(PrivateDirectory.choose(sources(null, "Windows 11", null, home(), "relative")))
                .isEqualTo(Path.of(home(), ".cache/single-instance"));
    }

    @Test
    void aUserKnownByNameOnlyGetsAFileNameSafeTag() {
        assertThat(PrivateDirectory.nameTag("alice")).isEqualTo("alice");
        assertThat(PrivateDirectory.nameTag("DOMAIN\\bob")).startsWith("u").doesNotContain("\\");
        assertThat(PrivateDirectory.nameTag("?")).startsWith("u").doesNotContain("?");
        assertThat(PrivateDirectory.nameTag("..")).startsWith("u");
    }

    /** Linux sources with the temporary directory and the user of this test. */
    private Path choose(String runtime, String cache, String home) {
        return choose(runtime, cache, home, null, null);
    }

    private Path choose(String runtime, String cache, String home, String flatpakId, String snapInstanceName) {
        return PrivateDirectory.choose(new PrivateDirectory.Sources(
                null,
                "single-instance.directory",
                "Linux",
                runtime,
                cache,
                home,
                null,
                tmp().toString(),
                USER,
                flatpakId,
                snapInstanceName));
    }

    private PrivateDirectory.Sources sources(
            String explicit, String os, String runtime, String home, String localAppData) {
        return new PrivateDirectory.Sources(
                explicit,
                "single-instance.directory",
                os,
                runtime,
                null,
                home,
                localAppData,
                tmp().toString(),
                USER,
                null,
                null);
    }

    /** An existing home. */
    private String home() {
        try {
            return Files.createDirectories(temp.resolve("home")).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path tmp() {
        try {
            return Files.createDirectories(temp.resolve("tmp"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
