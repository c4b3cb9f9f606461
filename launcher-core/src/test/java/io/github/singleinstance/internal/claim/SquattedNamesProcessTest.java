package io.github.singleinstance.internal.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.portable.PortableBackend;
import io.github.singleinstance.internal.wire.InstanceKey;
import io.github.singleinstance.testing.Backends;
import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestEnvironment;
import io.github.singleinstance.testsupport.TestJvm;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Another local user tries to stop this user's application from starting by pre-creating its objects' names (a local
 * denial of service that cost one {@code touch} before protocol 3). For Scope.USER the objects now live in the user's
 * private directory, where no one else can create a name: squatters at every name of the old layout change nothing.
 * The other uid is played by root with chown, so these tests need root (skipped elsewhere; strict mode fails them).
 */
class SquattedNamesProcessTest extends ProcessTestSupport {

    private static final int SQUATTER = 65534;
    private static final Path SHM = Path.of("/dev/shm");

    enum Kind {
        FILE,
        SYMLINK_TO_A_FILE_OF_THIS_USER,
        FIFO,
        DIRECTORY
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void squattersAtEveryNameOfTheOldLayoutDoNotStopTheApplicationAndAreNeverTouched(Kind kind) throws Exception {
        assumeRoot();
        Path victim = Files.writeString(dir.resolve("victim.txt"), "this user's file");
        List<Path> squatted = new ArrayList<>();
        for (Path path : oldLayoutPaths()) {
            squat(path, kind, victim);
            squatted.add(path);
        }
        try {
            TestJvm primary = startPrimary("first");
            TestJvm second = launch("second");
            assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
            assertThat(primary.stdout()).contains("LAUNCH [\"second\"]");
            for (Path path : squatted) {
                assertThat((Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS))
                        .as(path.toString())
                        .isEqualTo(SQUATTER);
                if (kind == Kind.FILE) {
                    assertThat(Files.readString(path)).isEqualTo("squat");
                }
            }
            assertThat(Files.readString(victim))
                    .as("nothing followed the links")
                    .isEqualTo("this user's file");
        } finally {
            for (Path path : squatted) {
                deleteTree(path);
            }
        }
    }

    /** What a squatter could do if the directory were not private: refused with a message that says what it is. */
    @Test
    void anObjectOfAnotherUserAtTheCurrentNameIsRefusedAsAPossibleAttack() throws Exception {
        assumeRoot();
        Path claim = objectPath(key().claimName());
        Files.writeString(claim, "squat");
        Files.setAttribute(claim, "unix:uid", SQUATTER);
        TestJvm launch = launch("blocked");
        assertThat(launch.awaitExit(EXIT)).as(launch.describe()).isEqualTo(77);
        assertThat(launch.stderr())
                .contains("belongs to uid " + SQUATTER)
                .contains("attempt to stop this application")
                .contains("remove it")
                .doesNotContain("Another user runs this application");
        assertThat(Files.readString(claim)).isEqualTo("squat");
    }

    @Test
    void aMachineWideInstanceCanBeDeniedByAnotherUserButNeverUsed() throws Exception {
        assumeRoot();
        TestEnvironment.applicableOnlyIf(
                !(Backends.current() instanceof PortableBackend), "Scope.SYSTEM is posix only");
        InstanceKey system = InstanceKey.of(id, io.github.singleinstance.Scope.SYSTEM, "0", null);
        Path claim = SHM.resolve(system.claimName().substring(1));
        Files.writeString(claim, "squat");
        Files.setAttribute(claim, "unix:uid", SQUATTER);
        try {
            TestJvm launch = launch(List.of("-Dtest.scope=SYSTEM"), "denied");
            assertThat(launch.awaitExit(EXIT)).as(launch.describe()).isEqualTo(77);
            assertThat(launch.stderr()).contains(claim.toString()).contains("never read, written or followed");
            assertThat(Files.readString(claim)).isEqualTo("squat");
        } finally {
            Files.deleteIfExists(claim);
        }
    }

    @Test
    void aRuntimeDirectoryOpenToOthersOrALinkIsRefusedWithAWarningAndThePrivateCacheDirectoryUsed() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open-runtime"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path target = Files.createDirectory(dir.resolve("runtime-target"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        Path link = Files.createSymbolicLink(dir.resolve("link-runtime"), target);
        // the cache directory named for the child: the test JVM's own may be a runtime directory (GitHub's runners)
        Path cache = dir.resolve("cache");
        for (Path refused : List.of(open, link)) {
            TestJvm primary = Jvm.start(
                    dir,
                    id,
                    Map.of("XDG_RUNTIME_DIR", refused.toString(), "XDG_CACHE_HOME", cache.toString()),
                    List.of(),
                    io.github.singleinstance.testing.TestApp.class,
                    "refused");
            children.add(primary);
            primary.awaitLine("PRIMARY", STARTUP);
            assertThat(primary.stderr()).contains("XDG_RUNTIME_DIR=" + refused + " is not used");
            assertThat(cache.resolve("single-instance")
                            .resolve(key().claimName().substring(1)))
                    .as("the cache directory is used")
                    .exists();
            assertThat(refused.resolve("single-instance")).doesNotExist();
            stopAllChildren();
        }
    }

    @Test
    void aFitRuntimeDirectoryHoldsTheObjects() throws Exception {
        Path runtime = Files.createDirectory(dir.resolve("runtime"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> environment = Map.of("XDG_RUNTIME_DIR", runtime.toString());
        TestJvm primary =
                Jvm.start(dir, id, environment, List.of(), io.github.singleinstance.testing.TestApp.class, "first");
        children.add(primary);
        primary.awaitLine("PRIMARY", STARTUP);
        assertThat(runtime.resolve("single-instance").resolve(key().claimName().substring(1)))
                .exists();
        TestJvm second =
                Jvm.start(dir, id, environment, List.of(), io.github.singleinstance.testing.TestApp.class, "second");
        children.add(second);
        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        assertThat(primary.stdout()).contains("LAUNCH [\"second\"]");
    }

    /** Every name the layout before protocol 3 used for this id (posix in /dev/shm, portable in the temp dir). */
    private List<Path> oldLayoutPaths() {
        String uid = Backends.current().userTag();
        String oldPrefix = "si-" + uid + "-" + InstanceKey.hash("single-instance/2\0USER\0" + uid + "\0\0" + id);
        List<Path> paths = new ArrayList<>();
        for (String suffix : List.of(".c", ".r", ".r.bell")) {
            paths.add(SHM.resolve(oldPrefix + suffix));
        }
        Path oldPortable =
                Path.of(System.getProperty("java.io.tmpdir"), "single-instance-" + System.getProperty("user.name"));
        if (!Files.exists(oldPortable, LinkOption.NOFOLLOW_LINKS)) {
            paths.add(oldPortable); // the whole old portable directory, squatted
        }
        return paths;
    }

    private static void squat(Path path, Kind kind, Path victim) throws Exception {
        switch (kind) {
            case FILE -> Files.writeString(path, "squat");
            case SYMLINK_TO_A_FILE_OF_THIS_USER -> Files.createSymbolicLink(path, victim);
            case FIFO ->
                assertThat(new ProcessBuilder("mkfifo", path.toString()).start().waitFor())
                        .isZero();
            case DIRECTORY -> Files.createDirectory(path);
        }
        Files.setAttribute(path, "unix:uid", SQUATTER, LinkOption.NOFOLLOW_LINKS);
    }

    private static void deleteTree(Path path) throws Exception {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (var entries = Files.list(path)) {
                for (Path entry : entries.toList()) {
                    deleteTree(entry);
                }
            }
        }
        Files.deleteIfExists(path);
    }

    private static void assumeRoot() {
        io.github.singleinstance.testing.RootOnly.assume();
    }
}
