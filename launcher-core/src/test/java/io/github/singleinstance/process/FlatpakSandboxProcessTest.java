package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.Processes;
import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testing.TestApp;
import io.github.singleinstance.testsupport.TestEnvironment;
import io.github.singleinstance.testsupport.TestJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * Flatpak's layout, rebuilt with bubblewrap (the sandbox Flatpak itself runs apps in): every launch in a sandbox of its
 * own with a private {@code /dev/shm} and {@code /tmp}, its own pid, IPC and network namespaces, and a private
 * {@code $XDG_RUNTIME_DIR} into which only {@code app/$FLATPAK_ID} is bind-mounted from one shared host directory, as
 * {@code flatpak run} does (see {@code PrivateDirectory}). The JDK and the classpath are the host's, read-only.
 *
 * <p>With {@code FLATPAK_ID} set: one primary, the other launches forward to it and get its reply, a storm of sandboxed
 * launches is delivered exactly once, and a {@code kill -9} of the sandboxed primary lets the next sandboxed launch
 * become the primary. Without it, the same sandboxes see nothing of each other and each launch becomes a primary:
 * proof that the sandboxes isolate and that it is the shared directory that brings the launches together.
 *
 * <p>Needs {@code bwrap} (Debian package {@code bubblewrap}) able to create sandboxes (root, or unprivileged user
 * namespaces); skipped where it cannot, a failure in strict mode ({@code SINGLE_INSTANCE_TEST_STRICT=true}).
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "bubblewrap sandboxes, as Flatpak makes them, are Linux's")
class FlatpakSandboxProcessTest extends ProcessTestSupport {

    private static final String APP_ID = "io.github.singleinstance.SandboxTest";
    private static final int STORM = Integer.getInteger("sandbox.storm.launches", 20);
    private static final Pattern INDEX = Pattern.compile("\\[\"storm\",\"(\\d+)\"\\]");
    private static String bwrap;
    /** Why bwrap cannot be used here, else null. */
    private static String missing;

    /** The host directory that every sandbox sees as {@code $XDG_RUNTIME_DIR/app/$FLATPAK_ID}. */
    private Path shared;
    /** The launches' working directory, the same path inside every sandbox. */
    private Path work;

    private int sandboxes;

    @BeforeAll
    static void needsBubblewrap() throws Exception {
        String found = null;
        for (String candidate : new String[] {"/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                found = candidate;
                break;
            }
        }
        String problem = found == null ? "bwrap (Debian package bubblewrap) is not installed" : probe(found);
        // each test reports itself skipped (or failed in strict mode): a skip in @BeforeAll is counted nowhere
        missing = problem == null ? null : problem + " (.ci/install-test-tools installs bubblewrap)";
        bwrap = found;
    }

    /** Null if {@code bwrap} can create a sandbox like the tests' here, else why not. */
    private static String probe(String bwrap) throws IOException, InterruptedException {
        Process probe = new ProcessBuilder(
                        bwrap,
                        "--ro-bind",
                        "/",
                        "/",
                        "--dev",
                        "/dev",
                        "--proc",
                        "/proc",
                        "--tmpfs",
                        "/tmp",
                        "--tmpfs",
                        "/dev/shm",
                        "--unshare-pid",
                        "--unshare-ipc",
                        "--unshare-net",
                        "--die-with-parent",
                        "true")
                .redirectErrorStream(true)
                .start();
        if (!probe.waitFor(30, TimeUnit.SECONDS)) {
            probe.destroyForcibly();
            return "bwrap did not finish within 30 s";
        }
        String output = new String(probe.getInputStream().readAllBytes()).strip();
        return probe.exitValue() == 0
                ? null
                : "bwrap cannot create a sandbox here (exit " + probe.exitValue() + ": " + output
                        + "; it needs root or unprivileged user namespaces)";
    }

    @BeforeEach
    void sharedDirectories() throws IOException {
        TestEnvironment.requireOrSkip(missing == null, missing);
        shared = ownerOnly(dir.resolve("host-runtime/app/" + APP_ID));
        work = Files.createDirectories(dir.resolve("work"));
    }

    @Test
    void inSeparateSandboxesOneLaunchIsThePrimaryAndTheOtherForwardsToIt() {
        TestJvm primary = sandboxed(true, "first");
        primary.awaitLine("PRIMARY", STARTUP);

        TestJvm second = sandboxed(true, "second.txt");
        assertThat(exitedOrPrimary(second))
                .as("the second launch forwarded (did not become a primary too)\n%s", second.describe())
                .isTrue();
        assertThat(second.exitValueOrFail()).as(second.describe()).isZero();
        assertThat(shared.resolve("single-instance").resolve(key().claimName().substring(1)))
                .as("the claim lives in the shared app directory")
                .exists();
        assertThat(second.stdout()).doesNotContain("PRIMARY").contains("handled [\"second.txt\"]");
        assertThat(primary.stdout()).contains("LAUNCH [\"second.txt\"] cwd=" + work);
        assertThat(primary.process().isAlive()).isTrue();
    }

    @Test
    void aStormOfSandboxedLaunchesMakesOnePrimaryAndDeliversEveryLaunchOnce() {
        List<TestJvm> storm = new ArrayList<>();
        for (int i = 0; i < STORM; i++) {
            storm.add(sandboxed(true, "storm", Integer.toString(i)));
        }
        List<TestJvm> primaries = new ArrayList<>();
        for (TestJvm child : storm) {
            if (exitedOrPrimary(child)) {
                assertThat(child.exitValueOrFail()).as(child.describe()).isZero();
            } else {
                primaries.add(child);
            }
        }
        assertThat(primaries).as("primaries among %d sandboxed launches", STORM).hasSize(1);
        int[] seen = new int[STORM];
        for (TestJvm child : storm) {
            for (String line : child.stdout().split("\n")) {
                Matcher index = INDEX.matcher(line);
                if ((line.startsWith("PRIMARY") || line.startsWith("LAUNCH")) && index.find()) {
                    seen[Integer.parseInt(index.group(1))]++;
                }
            }
        }
        assertThat(seen).as("times each launch was seen").containsOnly(1);
    }

    @Test
    void aKilledSandboxedPrimaryIsFollowedByTheNextSandboxedLaunch() {
        TestJvm first = sandboxed(true, "first");
        first.awaitLine("PRIMARY", STARTUP);
        long jvm = jvmInside(first);
        Jvm.kill(jvm); // the primary's JVM itself, not the sandbox around it
        assertThat(first.awaitExit(EXIT)).as("the sandbox ends with its JVM").isNotZero();

        TestJvm next = sandboxed(true, "next");
        next.awaitLine("PRIMARY", STARTUP);
        TestJvm after = sandboxed(true, "after");
        assertThat(exitedOrPrimary(after))
                .as("forwarded to the new primary\n%s", after.describe())
                .isTrue();
        assertThat(after.exitValueOrFail()).as(after.describe()).isZero();
        assertThat(after.stdout()).contains("handled [\"after\"]");
        assertThat(next.stdout()).contains("LAUNCH [\"after\"]");
    }

    @Test
    void withoutFlatpakIdTheSameSandboxesSeeNothingOfEachOtherAndBothArePrimaries() {
        TestJvm first = sandboxed(false, "first");
        first.awaitLine("PRIMARY", STARTUP);
        TestJvm second = sandboxed(false, "second");
        second.awaitLine("PRIMARY", STARTUP); // the test above fails this way without the shared directory
        assertThat(dir.resolve("sandbox-1/runtime/single-instance")
                        .resolve(key().claimName().substring(1)))
                .as("each claim in its own sandbox's runtime directory")
                .exists();
        assertThat(dir.resolve("sandbox-2/runtime/single-instance")
                        .resolve(key().claimName().substring(1)))
                .exists();
        assertThat(shared.resolve("single-instance")).doesNotExist();
    }

    /**
     * Starts the test application in a new sandbox: the host's file system read-only, private {@code /tmp},
     * {@code /dev/shm} and {@code /run}, its own runtime directory {@code /run/user/<uid>} (a fresh host directory) with
     * the shared one mounted at {@code app/<APP_ID>} inside it, and {@code FLATPAK_ID} set or not.
     */
    private TestJvm sandboxed(boolean flatpakId, String... args) {
        int uid = Processes.currentUid();
        String runtime = "/run/user/" + uid;
        Path ownRuntime;
        try {
            ownRuntime = ownerOnly(dir.resolve("sandbox-" + ++sandboxes + "/runtime"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        List<String> wrapper = new ArrayList<>(List.of(
                bwrap,
                "--ro-bind",
                "/",
                "/",
                "--dev",
                "/dev",
                "--proc",
                "/proc",
                "--tmpfs",
                "/tmp",
                "--tmpfs",
                "/dev/shm",
                "--tmpfs",
                "/run"));
        for (Path hidden : hostPathsUnderPrivateMounts()) { // the JDK and the classpath stay visible, read-only
            wrapper.addAll(List.of("--ro-bind", hidden.toString(), hidden.toString()));
        }
        wrapper.addAll(List.of(
                "--bind",
                ownRuntime.toString(),
                runtime,
                "--bind",
                shared.toString(),
                runtime + "/app/" + APP_ID,
                "--bind",
                work.toString(),
                work.toString(),
                "--chdir",
                work.toString(),
                "--unshare-pid",
                "--unshare-ipc",
                "--unshare-net",
                "--die-with-parent",
                "--setenv",
                "XDG_RUNTIME_DIR",
                runtime,
                "--setenv",
                "XDG_CACHE_HOME",
                "/tmp/cache",
                "--unsetenv",
                "SNAP_INSTANCE_NAME"));
        wrapper.addAll(flatpakId ? List.of("--setenv", "FLATPAK_ID", APP_ID) : List.of("--unsetenv", "FLATPAK_ID"));
        TestJvm child = Jvm.start(dir, id, Map.of(), wrapper, List.of(), TestApp.class, args);
        children.add(child);
        return child;
    }

    /** Entries of the classpath and the JDK that the private {@code /tmp} or {@code /run} would hide. */
    private static List<Path> hostPathsUnderPrivateMounts() {
        List<Path> hidden = new ArrayList<>();
        List<String> paths =
                new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        paths.add(System.getProperty("java.home"));
        for (String entry : paths) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if ((path.startsWith("/tmp") || path.startsWith("/run") || path.startsWith("/dev/shm"))
                    && Files.exists(path)) {
                hidden.add(path);
            }
        }
        return hidden;
    }

    /** The host pid of the JVM running inside {@code sandbox} (whose process is bwrap's). */
    private static long jvmInside(TestJvm sandbox) {
        return sandbox.process()
                .toHandle()
                .descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no JVM inside the sandbox\n" + sandbox.describe()))
                .pid();
    }

    /** Created with its parents; itself owner-only, as a runtime directory must be. */
    private static Path ownerOnly(Path path) throws IOException {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }
}
