package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.wire.InstanceKey;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testing.RootOnly;
import io.github.singleinstance.testing.TestApp;
import io.github.singleinstance.testsupport.TestJvm;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Users the default places do not fit, played by real JVMs that {@code setpriv} starts as another uid with an empty
 * environment (issue 28): a uid with no passwd entry (Java's {@code user.home} is then {@code ?}, which used to put
 * the "private" directory relative to the working directory: one primary per working directory, exit 71 from
 * {@code /}), a home that does not exist and a read-only home (both used to fail with exit 71). Each time: one primary,
 * the other launches forward to it, nothing is made in a working directory or a home, and the objects are in the
 * per-uid directory under {@code java.io.tmpdir}, named with the uid.
 *
 * <p>Needs root (to switch uids) and util-linux's {@code setpriv}. The children read a world-readable copy of the
 * classpath, since the test's may be in root's home.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ForeignUidProcessTest extends ProcessTestSupport {

    private static final int NO_PASSWD_UID = 54321;
    private static final int NOBODY = 65534;
    private static final String SETPRIV = "/usr/bin/setpriv";

    /** World-readable: the classpath copy, the children's temporary directory and working directories. */
    private Path base;

    private Path tmp;
    private String classpath;

    @BeforeEach
    void layout() throws IOException {
        RootOnly.assume();
        assertThat(Path.of(SETPRIV)).as("util-linux's setpriv").isExecutable();
        base = Files.createTempDirectory("foreign-uid");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        classpath = readableClasspath(Files.createDirectory(base.resolve("cp")));
        tmp = Files.createDirectory(base.resolve("tmp"));
        chmod("1777", tmp); // sticky, like /tmp
    }

    @AfterEach
    void removeLayout() throws IOException {
        stopAllChildren(); // before their directories go (the superclass's clean-up runs after this one)
        if (base != null) {
            try (Stream<Path> all = Files.walk(base)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void aUidWithoutPasswdEntryGetsOnePrimaryFromAnyWorkingDirectory() throws IOException {
        Path one = workingDirectory("one", NO_PASSWD_UID);
        Path two = workingDirectory("two", NO_PASSWD_UID);
        TestJvm primary = start(NO_PASSWD_UID, "/", List.of(), one, "first");
        primary.awaitLine("PRIMARY", STARTUP);

        TestJvm second = start(NO_PASSWD_UID, "/", List.of(), two, "second");
        assertForwarded(second, "second");
        TestJvm third = start(NO_PASSWD_UID, "/", List.of(), Path.of("/"), "third");
        assertForwarded(third, "third");

        assertThat(primary.stdout()).contains("LAUNCH [\"second\"] cwd=" + two).contains("LAUNCH [\"third\"] cwd=/");
        assertThat(tree(one))
                .as("made in a working directory (it used to get ?/.cache)")
                .isEmpty();
        assertThat(tree(two)).as("made in a working directory").isEmpty();
        assertThat(Path.of("/?")).doesNotExist();
        assertObjectsInTheTemporaryDirectoryOf(NO_PASSWD_UID);
    }

    @Test
    void aHomeThatDoesNotExistGetsOnePrimary() throws IOException {
        Path work = workingDirectory("work", NOBODY);
        TestJvm primary = start(NOBODY, "/nonexistent", List.of("-Duser.home=/nonexistent"), work, "first");
        primary.awaitLine("PRIMARY", STARTUP);
        TestJvm second = start(NOBODY, "/nonexistent", List.of("-Duser.home=/nonexistent"), work, "second");
        assertForwarded(second, "second");
        assertThat(primary.stdout()).contains("LAUNCH [\"second\"]");
        assertThat(Path.of("/nonexistent")).doesNotExist();
        assertThat(tree(work)).as("made in the working directory").isEmpty();
        assertObjectsInTheTemporaryDirectoryOf(NOBODY);
    }

    @Test
    void aReadOnlyHomeGetsOnePrimary() throws IOException {
        Path home = Files.createDirectory(base.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path work = workingDirectory("work", NO_PASSWD_UID);
        List<String> jvmArgs = List.of("-Duser.home=" + home);
        TestJvm primary = start(NO_PASSWD_UID, home.toString(), jvmArgs, work, "first");
        primary.awaitLine("PRIMARY", STARTUP);
        TestJvm second = start(NO_PASSWD_UID, home.toString(), jvmArgs, work, "second");
        assertForwarded(second, "second");
        assertThat(primary.stdout()).contains("LAUNCH [\"second\"]");
        assertThat(tree(home)).as("made in the home").isEmpty();
        assertObjectsInTheTemporaryDirectoryOf(NO_PASSWD_UID);
    }

    @Test
    void theDirectoryNamedByEnvironmentVariableOrSystemPropertyIsUsedAndARelativeOneIsRefused() throws IOException {
        Path work = workingDirectory("work", NO_PASSWD_UID);
        Path named = base.resolve("named/state");
        Files.createDirectories(named.getParent());
        chmod("1777", named.getParent());
        TestJvm primary =
                start(NO_PASSWD_UID, List.of("HOME=/", "SINGLE_INSTANCE_DIRECTORY=" + named), List.of(), work, "first");
        primary.awaitLine("PRIMARY", STARTUP);
        TestJvm second = start(
                NO_PASSWD_UID, List.of("HOME=/"), List.of("-Dsingle-instance.directory=" + named), work, "second");
        assertForwarded(second, "second");
        assertThat(Files.getAttribute(named, "unix:uid")).isEqualTo(NO_PASSWD_UID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(named)))
                .isEqualTo("rwx------");
        assertThat(tmp.resolve("single-instance-" + NO_PASSWD_UID)).doesNotExist();

        TestJvm relative =
                start(NO_PASSWD_UID, List.of("HOME=/", "SINGLE_INSTANCE_DIRECTORY=state"), List.of(), work, "third");
        assertThat(relative.awaitExit(EXIT)).as(relative.describe()).isEqualTo(78);
        assertThat(relative.stderr().strip())
                .as("one line, no stack trace")
                .doesNotContain("\n")
                .endsWith("SINGLE_INSTANCE_DIRECTORY=state is not an absolute path: name the directory for "
                        + "single-instance files by its absolute path");
        assertThat(tree(work)).isEmpty();
    }

    private void assertForwarded(TestJvm launch, String arg) {
        assertThat(exitedOrPrimary(launch))
                .as("forwarded, not a second primary\n%s", launch.describe())
                .isTrue();
        assertThat(launch.exitValueOrFail()).as(launch.describe()).isZero();
        assertThat(launch.stdout()).doesNotContain("PRIMARY").contains("handled [\"" + arg + "\"]");
    }

    /** The claim is in {@code <tmp>/single-instance-<uid>} (0700, the uid's), named for the uid as the user. */
    private void assertObjectsInTheTemporaryDirectoryOf(int uid) throws IOException {
        Path directory = tmp.resolve("single-instance-" + uid);
        assertThat(Files.getAttribute(directory, "unix:uid")).isEqualTo(uid);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                .isEqualTo("rwx------");
        String claim = InstanceKey.of(id, Scope.USER, Integer.toString(uid), null)
                .claimName()
                .substring(1);
        assertThat(directory.resolve(claim))
                .as("the user part of the key is the uid")
                .exists();
    }

    /** Everything under {@code dir}, for a failure message that shows what was made. */
    private static List<Path> tree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(path -> !path.equals(dir)).toList();
        }
    }

    /** A working directory of {@code uid}'s own, writable by it alone. */
    private Path workingDirectory(String name, int uid) throws IOException {
        Path work = Files.createDirectory(base.resolve(name));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(work, "unix:uid", uid);
        Files.setAttribute(work, "unix:gid", uid);
        return work;
    }

    /**
     * The test application as {@code uid}, in {@code work}, with an empty environment but {@code HOME} and
     * {@code PATH} (no inherited SINGLE_INSTANCE_* or XDG_* variable) and the layout's temporary directory.
     */
    private TestJvm start(int uid, String home, List<String> jvmArgs, Path work, String... args) {
        return start(uid, List.of("HOME=" + home), jvmArgs, work, args);
    }

    /** As {@link #start(int, String, List, Path, String...)}, with {@code environment} (NAME=value) the only one. */
    private TestJvm start(int uid, List<String> environment, List<String> jvmArgs, Path work, String... args) {
        List<String> wrapper = new ArrayList<>(List.of("/usr/bin/env", "-i", "PATH=/usr/bin:/bin"));
        wrapper.addAll(environment);
        wrapper.addAll(List.of(SETPRIV, "--reuid=" + uid, "--regid=" + uid, "--clear-groups"));
        TestJvm.Builder builder = TestJvm.builder(TestApp.class.getSimpleName() + "-" + uid + "-" + args[0])
                .wrapper(wrapper)
                .jvmArgs(List.of(
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Xmx64m",
                        "-Xshare:auto",
                        "--enable-native-access=ALL-UNNAMED"))
                .systemProperty("single-instance.id", id)
                .systemProperty("java.io.tmpdir", tmp.toString());
        String backend = System.getProperty("single-instance.backend");
        if (backend != null) {
            builder.systemProperty("single-instance.backend", backend);
        }
        TestJvm child = builder.jvmArgs(jvmArgs)
                .mainClass(classpath, TestApp.class.getName())
                .args(args)
                .directory(work)
                .start();
        children.add(child);
        return child;
    }

    /** A copy of this test's classpath that any uid can read, as a classpath string. */
    private static String readableClasspath(Path into) throws IOException {
        List<String> entries = new ArrayList<>();
        int index = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path source = Path.of(entry);
            if (!Files.exists(source)) {
                continue;
            }
            Path target = into.resolve(index++ + "-" + source.getFileName());
            try (Stream<Path> tree = Files.walk(source)) {
                tree.forEach(path -> copyReadable(
                        path, target.resolve(source.relativize(path).toString())));
            }
            entries.add(target.toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void chmod(String mode, Path path) {
        try {
            Process chmod = new ProcessBuilder("chmod", mode, path.toString())
                    .inheritIO()
                    .start();
            assertThat(chmod.waitFor(30, TimeUnit.SECONDS) && chmod.exitValue() == 0)
                    .as("chmod %s %s", mode, path)
                    .isTrue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static void copyReadable(Path from, Path to) {
        try {
            if (Files.isDirectory(from)) {
                Files.createDirectories(to);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else {
                Files.copy(from, to);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
