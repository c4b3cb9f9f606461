package io.github.singleinstance.examples.desktopfx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.examples.desktop.XServer;
import io.github.singleinstance.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged JavaFX jar on a real X server (Xvfb with openbox, the Swing example's {@link XServer}), each launch a
 * JVM of its own with a clean environment: a later launch opens its file in the running window and brings it to the
 * front, also out of the minimised state. Skipped where the X tools are not installed, a failure in strict mode
 * ({@code SINGLE_INSTANCE_TEST_STRICT=true}). Keeps a picture of the window with both files in
 * {@code target/desktop-javafx.png}.
 */
class DesktopFxExampleIT {

    static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    static final String JAR = System.getProperty("example.jar");
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration FOCUS = Duration.ofSeconds(20);

    private static XServer server;
    private static String missingTools;

    @TempDir
    Path dir;

    private final String id = "test-" + UUID.randomUUID();
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    @Timeout(60)
    static void startXServer() throws Exception {
        List<String> missing = new ArrayList<>(XServer.missingTools());
        if (!hasGtk3()) {
            missing.add("GTK 3 (libgtk-3-0), which JavaFX opens its windows with");
        }
        if (!missing.isEmpty()) {
            // each test reports itself skipped, or failed in strict mode (a skip in @BeforeAll is counted nowhere)
            missingTools = "not installed: " + String.join(", ", missing) + " (.ci/install-test-tools installs them)";
            return;
        }
        server = XServer.start();
    }

    private static boolean hasGtk3() throws Exception {
        Process ldconfig = new ProcessBuilder("/sbin/ldconfig", "-p")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String libraries = new String(ldconfig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return ldconfig.waitFor(30, TimeUnit.SECONDS) && libraries.contains("libgtk-3.so.0");
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

    /** A JVM running the jar, or another X program, with only the environment a desktop session would give it. */
    private Process start(String name, Path workingDirectory, List<String> command) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path runtime = dir.resolve("run");
        if (!Files.isDirectory(runtime)) {
            Files.createDirectory(
                    runtime, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createDirectories(workingDirectory);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        builder.environment().clear();
        builder.environment().put("DISPLAY", server.display());
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("HOME", home.toString());
        builder.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        builder.environment().put("LANG", "C.UTF-8");
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private Process startExample(String name, Path workingDirectory, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Dsingle-instance.id=" + id, "-jar", JAR));
        command.addAll(List.of(args));
        return start(name, workingDirectory, command);
    }

    /** Starts a later launch, waits for its exit, asserts exit 0 and returns its standard output. */
    private String launch(String name, Path workingDirectory, String... args) throws Exception {
        Process process = startExample(name, workingDirectory, args);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(name + " exits").isTrue();
        assertThat(process.exitValue())
                .as(name + "'s exit code; stderr: " + output(name + ".err"))
                .isZero();
        return output(name + ".out");
    }

    private String output(String file) throws IOException {
        return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
    }

    /** The JVMs running the example with this test's id. */
    private List<ProcessHandle> examples() {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info()
                        .arguments()
                        .map(args -> List.of(args).contains("-Dsingle-instance.id=" + id))
                        .orElse(false))
                .toList();
    }

    private void activateAnotherWindow() throws Exception {
        start("other", dir, List.of("xmessage", "-name", "other", "-geometry", "+20+20", "other window"));
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
    void aLaterLaunchOpensItsFileInTheRunningWindowAndBringsItToTheFront() throws Exception {
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        Process primary = startExample("primary", first, "notes.txt");
        String window;
        try {
            window = server.awaitWindow(NotesWindow.TITLE, START);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "; primary alive: " + primary.isAlive() + ", stdout: " + output("primary.out")
                            + ", stderr: " + output("primary.err"),
                    e);
        }
        assertThat(server.windowName(window)).isEqualTo(NotesWindow.TITLE + "notes.txt");
        activateAnotherWindow();

        // a file relative to the later launch's working directory, not the primary's
        assertThat(launch("second", second, "drafts/todo.txt")).isEqualTo("opened 1 file(s) in the running window\n");
        assertThat(examples()).as("the JVMs with this test's id").containsExactly(primary.toHandle());
        awaitActive(window, NotesWindow.TITLE + "todo.txt");
        assertThat(output("primary.out"))
                .contains(
                        "opened " + first.resolve("notes.txt") + "\n",
                        "opened " + second.resolve("drafts/todo.txt") + "\n");
        Path screenshot = Path.of(System.getProperty("desktop.screenshot", "target/desktop-javafx.png"));
        assertThat(server.screenshot(window, screenshot))
                .as("screenshot " + screenshot)
                .isTrue();

        server.run("xdotool", "windowminimize", "--sync", window);
        server.await("the example's window is minimised", FOCUS, () -> server.windowState(window), "Iconic"::equals);

        assertThat(launch("third", second)).isEqualTo("brought the running window to the front\n");
        server.await("the example's window is restored", FOCUS, () -> server.windowState(window), "Normal"::equals);
        awaitActive(window, NotesWindow.TITLE + "todo.txt");
    }
}
