package io.github.singleinstance.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testsupport.TestJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar as a user would: {@code java -jar} twice, then {@code --stop}. */
class PlainExampleIT {

    private static final Path JAR = Path.of(System.getProperty("example.jar"));
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final String id = "test-plain-example-" + UUID.randomUUID();
    private final List<TestJvm> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        TestJvm.closeAll(started);
    }

    private TestJvm start(String name, String... args) {
        return start(name, List.of(), args);
    }

    private TestJvm start(String name, List<String> options, String... args) {
        TestJvm jvm = TestJvm.builder(name)
                .systemProperty("single-instance.id", id)
                .jvmArgs(options)
                .jar(JAR)
                .args(args)
                .directory(dir)
                .start();
        started.add(jvm);
        return jvm;
    }

    @Test
    void secondLaunchHandsItsArgumentsToThePrimaryAndStopEndsIt() throws Exception {
        TestJvm primary = start("primary");
        primary.awaitStdout("primary " + primary.pid(), WAIT);

        TestJvm second = start("second", "report.txt", "two words", "");
        assertThat(second.awaitExit(WAIT)).as(second.describe()).isZero();
        assertThat(second.stdout())
                .isEqualTo("primary " + primary.pid() + " received [\"report.txt\",\"two words\",\"\"]" + " from " + dir
                        + "\n");
        primary.awaitStdout("launch from pid " + second.pid(), WAIT);
        assertThat(primary.stdout())
                .contains("launch from pid " + second.pid() + " in " + dir + ": [\"report.txt\",\"two words\",\"\"]\n");

        TestJvm stop = start("stop", "--stop");
        assertThat(stop.awaitExit(WAIT)).as(stop.describe()).isZero();
        assertThat(stop.stdout()).contains("is stopping");
        assertThat(primary.awaitExit(WAIT)).as(primary.describe()).isZero();
        assertThat(primary.stdout()).contains("primary " + primary.pid() + " stopped");
    }

    @Test
    void aMalformedSettingOnTheCommandLineIsOneLineAndExit78() {
        TestJvm typo = start("typo", List.of("-Dsingle-instance.forward-timeout=1x"));

        assertThat(typo.awaitExit(WAIT)).as(typo.describe()).isEqualTo(78);
        assertThat(typo.stderr())
                .isEqualTo("single-instance.forward-timeout: '1x' is not a positive duration; write one like 500ms, 5s,"
                        + " 2m, 1h, 1d or PT5S\n");
        assertThat(typo.stdout()).isEmpty();
    }

    @Test
    void statusSaysWhetherAPrimaryRunsWithoutBecomingOne() {
        TestJvm none = start("none", "--status");
        assertThat(none.awaitExit(WAIT)).as(none.describe()).isEqualTo(3);
        assertThat(none.stdout()).isEqualTo("not running\n");

        TestJvm primary = start("primary"); // the query left the claim free: this one becomes the primary
        primary.awaitStdout("primary " + primary.pid(), WAIT);
        TestJvm status = start("status", "--status");
        assertThat(status.awaitExit(WAIT)).as(status.describe()).isZero();
        assertThat(status.stdout())
                .startsWith("running: pid " + primary.pid() + ", ")
                .contains(", protocol 3");
        assertThat(primary.stdout()).as("no launch was sent").doesNotContain("launch from pid " + status.pid());
    }

    @Test
    void theCommandsUseTheSecondLaunchsTerminal() throws Exception {
        TestJvm primary = start("primary");
        primary.awaitStdout("primary " + primary.pid(), WAIT);

        TestJvm exit = start("exit", "--exit", "3");
        assertThat(exit.awaitExit(WAIT)).as(exit.describe()).isEqualTo(3);
        assertThat(exit.stderr()).isEqualTo("exit 3\n");

        TestJvm lines = start("lines", "--lines", "3", "--every", "10");
        assertThat(lines.awaitExit(WAIT)).as(lines.describe()).isZero();
        assertThat(lines.stdout()).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(lines.stderr()).isEqualTo("done 3\n");

        TestJvm cat = start("cat", "--cat");
        try (var stdin = cat.process().getOutputStream()) {
            stdin.write("piped\nthrough ünïcödé\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        assertThat(cat.awaitExit(WAIT)).as(cat.describe()).isZero();
        assertThat(cat.stdout()).isEqualTo("piped\nthrough ünïcödé\n");

        TestJvm env = TestJvm.builder("env")
                .systemProperty("single-instance.id", id)
                .jar(JAR)
                .args("--env", "EXAMPLE_GREETING")
                .environment(java.util.Map.of("EXAMPLE_GREETING", "grüß dich"))
                .directory(dir)
                .start();
        started.add(env);
        assertThat(env.awaitExit(WAIT)).as(env.describe()).isZero();
        assertThat(env.stdout()).isEqualTo("grüß dich\n");

        TestJvm unset = start(
                "unset",
                "--env",
                "EXAMPLE_UNSET_" + UUID.randomUUID().toString().replace('-', '_'));
        assertThat(unset.awaitExit(WAIT)).as(unset.describe()).isEqualTo(1);
        assertThat(unset.stderr()).contains("is not set");
    }

    @Test
    void theForcedPortableBackendForwardsWithoutLoadingNativeCode() throws Exception {
        List<String> portable = List.of("-Dsingle-instance.backend=portable");
        Path classes = dir.resolve("primary-classes.log");
        TestJvm primary = start(
                "primary", List.of("-Dsingle-instance.backend=portable", "-Xlog:class+load=info:file=" + classes));
        primary.awaitStdout("primary " + primary.pid(), WAIT);
        String loaded = Files.readString(classes);
        assertThat(loaded)
                .as("the primary runs on the portable backend")
                .contains("io.github.singleinstance.internal.os.portable.PortableBackend");
        assertThat(loaded).as("no native code loaded: no JNA").doesNotContain("com.sun.jna");

        TestJvm second = start("second", portable, "a.txt");
        assertThat(second.awaitExit(WAIT)).as(second.describe()).isZero();
        assertThat(second.stdout()).isEqualTo("primary " + primary.pid() + " received [\"a.txt\"] from " + dir + "\n");

        TestJvm stop = start("stop", portable, "--stop");
        assertThat(stop.awaitExit(WAIT)).as(stop.describe()).isZero();
        assertThat(primary.awaitExit(WAIT)).as(primary.describe()).isZero();
    }
}
