package io.github.singleinstance.examples.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on a real X server (Xvfb with openbox), driven as a person would with xdotool: a later launch
 * opens its file in the running window and brings it to the front, also out of the minimised state. Skipped where the
 * X tools are not installed, a failure in strict mode ({@code SINGLE_INSTANCE_TEST_STRICT=true}). A failing test
 * leaves a screenshot of the screen in {@code target/failsafe-reports/<test>.png}.
 */
class DesktopExampleIT {

    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    static final String JAR = System.getProperty("example.jar");
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration FOCUS = Duration.ofSeconds(20);

    private static XServer server;
    private static String missingTools;

    @RegisterExtension
    final AfterTestExecutionCallback screenshotOnFailure = DesktopExampleIT::screenshotOnFailure;

    @TempDir
    Path dir;

    private final String id = "test-" + UUID.randomUUID();
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    @Timeout(60)
    static void startXServer() throws Exception {
        List<String> missing = XServer.missingTools();
        if (!missing.isEmpty()) {
            // each test reports itself skipped, or failed in strict mode (a skip in @BeforeAll is counted nowhere)
            missingTools = "not installed: " + String.join(", ", missing) + " (.ci/install-test-tools installs them)";
            return;
        }
        server = XServer.start();
    }

    @BeforeEach
    void skipWithoutTheTools() {
        TestEnvironment.requireOrSkip(missingTools == null, missingTools);
    }

    @AfterAll
    static void stopXServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Runs after the test method, before {@code @AfterEach} closes its windows: the screen as the test left it. */
    private static void screenshotOnFailure(ExtensionContext context) {
        if (server == null || context.getExecutionException().isEmpty()) {
            return;
        }
        Path png = Path.of(
                System.getProperty("screenshot.dir", "target/failsafe-reports"),
                context.getRequiredTestClass().getName() + "."
                        + context.getRequiredTestMethod().getName() + ".png");
        System.out.println(
                server.screenshot(png)
                        ? "screenshot of the failed test's screen: " + png.toAbsolutePath()
                        : "no screenshot: import -window root failed");
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process process : started) {
            process.destroy();
        }
        for (Process process : started) {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private Process start(String name, Path workingDirectory, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Dsingle-instance.id=" + id, "-jar", JAR));
        command.addAll(List.of(args));
        Files.createDirectories(workingDirectory);
        Process process = server.command(command)
                .directory(workingDirectory.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        started.add(process);
        return process;
    }

    /** Starts a launch, waits for its exit, asserts exit 0 and returns its standard output. */
    private String launch(String name, Path workingDirectory, String... args) throws Exception {
        Process process = start(name, workingDirectory, args);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(name + " exits").isTrue();
        assertThat(process.exitValue())
                .as(name + "'s exit code; stderr: " + output(name + ".err"))
                .isZero();
        return output(name + ".out");
    }

    private String output(String file) throws IOException {
        return Files.readString(dir.resolve(file));
    }

    /** Starts the primary and returns its window's id once the window is on the screen. */
    private String startPrimary(Path workingDirectory, String... files) throws Exception {
        Process primary = start("primary", workingDirectory, files);
        try {
            return server.awaitWindow(NotesWindow.TITLE, START);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "; primary alive: " + primary.isAlive() + ", stdout: " + output("primary.out")
                            + ", stderr: " + output("primary.err"),
                    e);
        }
    }

    /** Opens another application's window (xmessage) and gives it the focus. */
    private void activateAnotherWindow() throws Exception {
        Process other = server.command(List.of("xmessage", "-name", "other", "-geometry", "+20+20", "other window"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        started.add(other);
        String window = server.awaitWindow("other", START);
        server.run("xdotool", "windowactivate", "--sync", window);
        server.await("the other window is active", FOCUS, server::activeWindow, window::equals);
    }

    private void awaitActive(String window, String title) {
        server.await(
                "the example's window is active, titled '" + title + "'",
                FOCUS,
                () -> server.activeWindow() + " '" + server.windowName(server.activeWindow()) + "'",
                seen -> seen.equals(window + " '" + title + "'"));
    }

    @Test
    @Timeout(180)
    void laterLaunchesOpenTheirFilesInTheRunningWindowAndBringItToTheFront() throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        String window = startPrimary(first, "notes.txt");
        assertThat(server.windowName(window)).isEqualTo(NotesWindow.TITLE + "notes.txt");

        activateAnotherWindow();
        assertThat(server.activeWindow()).isNotEqualTo(window);

        // a file relative to the later launch's working directory, not the primary's
        assertThat(launch("second", second, "drafts/todo.txt")).isEqualTo("opened 1 file(s) in the running window\n");
        awaitActive(window, NotesWindow.TITLE + "todo.txt");
        assertThat(output("primary.out"))
                .contains(
                        "opened " + first.resolve("notes.txt") + "\n",
                        "opened " + second.resolve("drafts/todo.txt") + "\n");
        Path docsScreenshot = Path.of(System.getProperty("desktop.screenshot", "target/desktop.png"));
        assertThat(server.screenshot(window, docsScreenshot))
                .as("screenshot " + docsScreenshot)
                .isTrue();

        server.run("xdotool", "windowminimize", "--sync", window);
        server.await("the example's window is minimised", FOCUS, () -> server.windowState(window), "Iconic"::equals);
        assertThat(server.activeWindow()).isNotEqualTo(window);

        assertThat(launch("third", second)).isEqualTo("brought the running window to the front\n");
        server.await("the example's window is restored", FOCUS, () -> server.windowState(window), "Normal"::equals);
        awaitActive(window, NotesWindow.TITLE + "todo.txt");
    }

    @Test
    @Timeout(120)
    void aLaterLaunchWithoutADisplayStillReachesTheRunningWindow() throws Exception {
        String window = startPrimary(dir, "notes.txt");
        activateAnotherWindow();

        List<String> command = List.of(JAVA.toString(), "-Dsingle-instance.id=" + id, "-jar", JAR, "more.txt");
        ProcessBuilder headless = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("headless.out").toFile())
                .redirectError(dir.resolve("headless.err").toFile());
        io.github.singleinstance.testsupport.TestJvm.withCleanEnvironment(headless); // no SINGLE_INSTANCE_* leaks in
        headless.environment().remove("DISPLAY");
        headless.environment().remove("WAYLAND_DISPLAY");
        Process process = headless.start();
        started.add(process);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("stderr: " + output("headless.err")).isZero();
        assertThat(output("headless.out")).isEqualTo("opened 1 file(s) in the running window\n");
        awaitActive(window, NotesWindow.TITLE + "more.txt");
    }
}
