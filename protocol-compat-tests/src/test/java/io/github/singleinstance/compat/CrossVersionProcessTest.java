package io.github.singleinstance.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary of one build and a launch of another build whose protocol version is one higher (this module compiles the
 * core's sources again with {@code PROTOCOL_VERSION} raised: "the next version"), both ways, at default settings:
 * exactly one primary, and the other launch either delivered (replace) or refused with a message naming both versions.
 * The rendezvous (the claim's name and header) is the same for both, which is what makes this work.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrossVersionProcessTest {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final String id = "test-cross-version-" + UUID.randomUUID();
    private final List<Process> started = new ArrayList<>();

    enum Build {
        CURRENT,
        NEXT
    }

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aNextVersionLaunchMeetingACurrentPrimaryIsRefusedAndNeverBecomesASecondPrimary() throws Exception {
        assertOnePrimaryAndARefusal(Build.CURRENT, Build.NEXT, 3, 4);
    }

    @Test
    void aCurrentLaunchMeetingANextVersionPrimaryIsRefusedAndNeverBecomesASecondPrimary() throws Exception {
        assertOnePrimaryAndARefusal(Build.NEXT, Build.CURRENT, 4, 3);
    }

    @Test
    void aNextVersionLaunchCanReplaceACurrentPrimary() throws Exception {
        Child old = start(Build.CURRENT, List.of(), "old");
        old.awaitLine("PRIMARY");
        Child replacing = start(Build.NEXT, List.of("-Dsingle-instance.replace=true"), "new");
        replacing.awaitLine("PRIMARY");
        assertThat(old.process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as(old.describe())
                .isTrue();
        assertThat(old.process.exitValue()).isZero();
        Child later = start(Build.NEXT, List.of(), "later");
        assertThat(later.awaitExit()).as(later.describe()).isZero();
        assertThat(replacing.stdout()).contains("LAUNCH later");
        Child stop = start(Build.NEXT, List.of(), "stop");
        assertThat(stop.awaitExit()).as(stop.describe()).isZero();
    }

    private void assertOnePrimaryAndARefusal(
            Build primaryBuild, Build launchBuild, int primaryVersion, int launchVersion) throws Exception {
        Child primary = start(primaryBuild, List.of(), "first");
        primary.awaitLine("PRIMARY");
        Child other = start(launchBuild, List.of(), "second");
        assertThat(other.awaitExit()).as(other.describe()).isEqualTo(69);
        assertThat(other.stdout()).doesNotContain("PRIMARY");
        assertThat(other.stderr())
                .contains("(pid " + primary.process.pid() + ")")
                .contains("speaks protocol version " + primaryVersion)
                .contains("this launch speaks version " + launchVersion)
                .contains("Nothing was sent");
        assertThat(primary.stdout()).doesNotContain("second");
        Child same = start(primaryBuild, List.of(), "same-version");
        assertThat(same.awaitExit()).as(same.describe()).isZero();
        assertThat(primary.stdout()).contains("LAUNCH same-version");
        Child stop = start(primaryBuild, List.of(), "stop");
        assertThat(stop.awaitExit()).as(stop.describe()).isZero();
    }

    /** The child's classpath: one build of the core, the app, and the core's dependencies (JNA, SLF4J). */
    private static String classpath(Build build) {
        List<String> path = new ArrayList<>();
        String core = null;
        String next = null;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("single-instance-core") || entry.endsWith("launcher-core/target/classes")) {
                core = entry;
            } else if (entry.endsWith("protocol-compat-tests/target/classes")) {
                next = entry;
            } else if (entry.endsWith("test-classes") || entry.contains("jna") || entry.contains("slf4j")) {
                path.add(entry);
            }
        }
        if (core == null || next == null) {
            throw new IllegalStateException(
                    "cannot find both builds on the test classpath: " + System.getProperty("java.class.path"));
        }
        path.add(0, build == Build.CURRENT ? core : next);
        return String.join(File.pathSeparator, path);
    }

    private Child start(Build build, List<String> jvmArgs, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                JAVA.toString(),
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "--enable-native-access=ALL-UNNAMED",
                "-Dsingle-instance.id=" + id));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", classpath(build), CompatApp.class.getName()));
        command.addAll(List.of(args));
        String name = UUID.randomUUID().toString();
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        started.add(process);
        return new Child(build, process, out, err);
    }

    private record Child(Build build, Process process, Path out, Path err) {

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("did not exit within " + WAIT + "\n" + describe());
            }
            return process.exitValue();
        }

        void awaitLine(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (stdout().startsWith(prefix)) {
                    return;
                }
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no line " + prefix + "\n" + describe());
        }

        String describe() {
            return "[" + build + " pid " + process.pid() + " stdout:\n" + stdout() + "\nstderr:\n" + stderr() + "]";
        }

        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file) : "";
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }
}
