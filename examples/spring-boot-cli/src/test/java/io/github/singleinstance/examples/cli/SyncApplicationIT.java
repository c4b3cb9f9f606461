package io.github.singleinstance.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.spring.testing.HeldStartup;
import io.github.singleinstance.spring.testing.LaunchedJvm;
import io.github.singleinstance.testsupport.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Starts the packaged job runner twice (or more) with a fresh id and checks what later launches get. */
class SyncApplicationIT {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final String READY = "Started SyncApplication";

    private final String id = LaunchedJvm.freshId();
    private final List<LaunchedJvm> launched = new ArrayList<>();

    @TempDir
    Path workingDirectory;

    @AfterEach
    void stopAll() {
        launched.forEach(LaunchedJvm::close);
    }

    @Test
    void secondLaunchGetsThePrimarysStatusAndNeverStartsItsOwnApplication() {
        LaunchedJvm primary = launch("primary");
        primary.awaitStdout(READY, STARTUP);

        LaunchedJvm second = launch("second", "status");

        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        assertThat(second.stdout()).contains("running since", "pid " + primary.pid(), "sync(s) done");
        assertThat(second.stdout()).as("piped: plain lines").doesNotContain("\u2502", "\u001b[");
        assertThat(second.stdout()).doesNotContain("Starting SyncApplication", READY);
        assertThat(second.stderr()).isEmpty();
        assertThat(primary.isAlive()).isTrue();
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGINT with kill(1), which Windows does not have")
    void logsFollowStreamsTheJobsLogUntilCtrlCThenExits130() throws Exception {
        LaunchedJvm primary = launch("primary", "--sync.interval=300ms");
        primary.awaitStdout(READY, STARTUP);

        LaunchedJvm follower = launch("follower", "logs", "--follow");
        follower.awaitStdout(out -> out.split("sync #", -1).length > 3, "three log lines streamed", EXIT);
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(follower.pid())).start();
        assertThat(kill.waitFor()).isZero();

        assertThat(follower.awaitExit(EXIT)).as(follower.describe()).isEqualTo(130);
        assertThat(follower.stdout()).startsWith("following the job's log of pid " + primary.pid());
        LaunchedJvm status = launch("status", "status");
        assertThat(status.awaitExit(EXIT))
                .as("the primary serves on: " + status.describe())
                .isZero();
    }

    @Test
    void importReadsTheSecondLaunchsStandardInput() throws Exception {
        LaunchedJvm primary = launch("primary");
        primary.awaitStdout(READY, STARTUP);

        LaunchedJvm importer = launch("importer", "import", "-");
        try (var stdin = importer.process().getOutputStream()) {
            for (int i = 0; i < 1000; i++) {
                stdin.write(("record " + i + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }

        assertThat(importer.awaitExit(EXIT)).as(importer.describe()).isZero();
        assertThat(importer.stdout()).isEqualTo("imported 1000 line(s)\n");
    }

    @Test
    void stopStopsThePrimary() {
        LaunchedJvm primary = launch("primary");
        primary.awaitStdout(READY, STARTUP);

        LaunchedJvm second = launch("second", "stop");

        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        assertThat(second.stdout()).contains("stopping the running instance, pid " + primary.pid());
        assertThat(primary.awaitExit(EXIT)).as(primary.describe()).isZero();
    }

    @Test
    void unknownCommandAnswersCode2WithUsage() {
        LaunchedJvm primary = launch("primary");
        primary.awaitStdout(READY, STARTUP);

        LaunchedJvm second = launch("second", "frobnicate");

        assertThat(second.awaitExit(EXIT)).as(second.describe()).isEqualTo(2);
        assertThat(second.stderr()).contains("unknown command: frobnicate", Commands.USAGE);
        assertThat(second.stdout()).isEmpty();
        assertThat(second.classLoadingLog().lines().filter(line -> line.contains("org.springframework")))
                .as("the jar's fast launcher forwarded before any class of Spring loaded")
                .isEmpty();
        assertThat(primary.isAlive()).isTrue();
    }

    @Test
    void aMalformedSettingOnTheCommandLineIsOneLineAndExit78() {
        List<String> typo = List.of(
                "-Dsingle-instance.forward-timeout=1x",
                "-jar",
                LaunchedJvm.exampleJar().toString());
        LaunchedJvm launch = LaunchedJvm.startJava("typo", id, workingDirectory, typo, "status");
        launched.add(launch);

        assertThat(launch.awaitExit(EXIT)).as(launch.describe()).isEqualTo(78);
        assertThat(launch.stderr())
                .isEqualTo("single-instance.forward-timeout: '1x' is not a positive duration; write one like 500ms, 5s,"
                        + " 2m, 1h, 1d or PT5S\n");
        assertThat(launch.stdout()).isEmpty();
    }

    @Test
    void statusWithoutARunningInstanceSaysSoAndExits3() {
        LaunchedJvm alone = launch("alone", "status");

        assertThat(alone.awaitExit(STARTUP)).as(alone.describe()).isEqualTo(3);
        assertThat(alone.stderr()).contains("no running instance");
        assertThat(alone.stdout())
                .as("SingleInstance.runningInstance() said none before the application started")
                .doesNotContain("Starting SyncApplication");
    }

    @Test
    @EnabledOnOs(OS.LINUX) // script(1) and /proc/self/fd
    void statusInATerminalIsABoxAndPipedPlainLines() throws Exception {
        TestEnvironment.requireOrSkip(
                Files.isExecutable(Path.of("/usr/bin/script")), "script is not installed (apt-get install bsdutils)");
        LaunchedJvm primary = launch("primary");
        primary.awaitStdout(READY, STARTUP);
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command =
                "'" + javaBin + "' '-Dsingle-instance.id=" + id + "' -jar '" + LaunchedJvm.exampleJar() + "' status";
        Path out = workingDirectory.resolve("pty.out");
        Process script = new ProcessBuilder("script", "-qfec", command, "/dev/null")
                .directory(workingDirectory.toFile())
                .redirectInput(new java.io.File("/dev/null"))
                .redirectOutput(out.toFile())
                .redirectErrorStream(true)
                .start();
        assertThat(script.waitFor(EXIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
        String text = Files.readString(out);
        assertThat(script.exitValue()).as(text).isZero();
        assertThat(text).contains("\u250c\u001b[1m sync job \u001b[0m", "\u2502 pid " + primary.pid(), "\u2518");
    }

    @Test
    void launchDuringStartupIsHeldAnsweredStillStartingAndRunAfterTheApplicationIsReady() throws Exception {
        Path release = workingDirectory.resolve("release-startup");
        LaunchedJvm primary = LaunchedJvm.startHeld(
                "primary",
                LaunchedJvm.exampleJar(),
                id,
                workingDirectory,
                release,
                List.of("-Dsingle-instance.startup-reply-timeout=1s"),
                "--sync.interval=1h"); // sync #1 at start, #2 only when asked
        launched.add(primary);
        primary.awaitStdout(HeldStartup.HELD, STARTUP); // claimed, and held before its context is refreshed

        LaunchedJvm second = launch("second", "sync");

        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        // the reply only a launch held during startup gets (after the startup reply timeout, 1 s here)
        assertThat(second.stdout())
                .isEqualTo(id + ": the running instance (pid " + primary.pid()
                        + ") is still starting; it will handle this launch once it is ready\n");
        assertThat(primary.stdout())
                .as("the launch arrived while the primary was held, before it was ready")
                .doesNotContain(HeldStartup.RELEASED, READY, "sync #1 done");

        Files.createFile(release);

        primary.awaitStdout(out -> out.contains("sync #2 done"), "the requested sync", STARTUP);
        String log = primary.stdout();
        assertThat(log.indexOf(HeldStartup.RELEASED)).as(log).isNotNegative().isLessThan(log.indexOf(READY));
        assertThat(log.indexOf(READY)).as(log).isLessThan(log.indexOf("sync #2 done"));
    }

    @Test
    @EnabledOnOs(OS.LINUX) // reads /proc to see which backend the primary uses
    void worksWithThePortableBackendForced() {
        List<String> portable = List.of(
                "-Dsingle-instance.backend=portable",
                "-jar",
                LaunchedJvm.exampleJar().toString());
        LaunchedJvm primary = LaunchedJvm.startJava("primary", id, workingDirectory, portable);
        launched.add(primary);
        primary.awaitStdout(READY, STARTUP);
        primary.assertUsesThePortableBackend();

        LaunchedJvm second = LaunchedJvm.startJava("second", id, workingDirectory, portable, "status");
        launched.add(second);

        assertThat(second.awaitExit(EXIT)).as(second.describe()).isZero();
        assertThat(second.stdout()).contains("running since", "pid " + primary.pid());
    }

    private LaunchedJvm launch(String name, String... args) {
        LaunchedJvm jvm = LaunchedJvm.start(name, LaunchedJvm.exampleJar(), id, workingDirectory, args);
        launched.add(jvm);
        return jvm;
    }
}
