package io.github.singleinstance.examples.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testsupport.TestEnvironment;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The desktop tests' session on an {@link XServer}, a JUnit extension in a static field of the test class ({@code
 * @RegisterExtension static final DesktopSession session = DesktopSession.onXServer();}): the X server starts before
 * the class's tests (and its {@code @BeforeAll} methods) and stops after them; each test gets a directory of its own
 * ({@link #dir()}) and, where the X tools (and what the class adds) are not installed, reports itself skipped, or
 * failed in strict mode ({@code SINGLE_INSTANCE_TEST_STRICT=true}). A failing test leaves a screenshot of the screen
 * in {@code target/failsafe-reports/<test>.png}.
 *
 * <p>The programs a test starts get only the environment a desktop session would give them ({@link #environment()}:
 * nothing of the test's own, no {@code SINGLE_INSTANCE_*} leaks in), write their output to {@code <dir>/<name>.out}
 * and {@code <name>.err}, and end after the test with what they started. With the waits the desktop tests share: a
 * program's window, the active window, another application's window taking the focus, minimising and restoring.
 * Shared with the JavaFX example's tests (this module's test-jar). Not thread-safe: one test thread drives it, one test
 * at a time.
 */
public final class DesktopSession
        implements BeforeAllCallback,
                BeforeEachCallback,
                AfterTestExecutionCallback,
                AfterEachCallback,
                AfterAllCallback {

    /** How long a program may take to show its window. */
    public static final Duration START = Duration.ofSeconds(60);

    /** How long the window manager may take to move the focus or to minimise or restore a window. */
    public static final Duration FOCUS = Duration.ofSeconds(20);

    private static final Duration SERVER_START = Duration.ofSeconds(60);

    private final Callable<List<String>> alsoMissing;
    private final String notApplicable;
    private XServer server;
    private String missing;
    private Path dir;
    private final List<Process> started = new ArrayList<>();
    private String otherWindow;

    private DesktopSession(Callable<List<String>> alsoMissing, String notApplicable) {
        this.alsoMissing = alsoMissing;
        this.notApplicable = notApplicable;
    }

    /** For tests that need the X tools of {@link XServer#TOOLS}. */
    public static DesktopSession onXServer() {
        return onXServer(List::of);
    }

    /**
     * For tests that also need what {@code alsoMissing} (asked once, before the X server starts) names as not installed,
     * as "what (package)".
     */
    public static DesktopSession onXServer(Callable<List<String>> alsoMissing) {
        return new DesktopSession(alsoMissing, null);
    }

    /**
     * These tests only where {@code applies}: elsewhere each test reports itself skipped with {@code reason}, in strict
     * mode too (no machine could run it), and no X server starts.
     */
    public DesktopSession onlyIf(boolean applies, String reason) {
        return new DesktopSession(alsoMissing, applies ? null : reason);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (notApplicable != null) {
            return;
        }
        List<String> absent = new ArrayList<>(XServer.missingTools());
        absent.addAll(alsoMissing.call());
        // each test reports itself skipped, or failed in strict mode (a skip before all tests is counted nowhere)
        missing = XServer.notInstalled(absent);
        if (missing == null) {
            server = Assertions.assertTimeoutPreemptively(SERVER_START, XServer::start, "the X server starts");
        }
    }

    /** True where the tests can run: they apply here and nothing is missing (so {@link #server()} runs). */
    public boolean runs() {
        return server != null;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        TestEnvironment.applicableOnlyIf(notApplicable == null, notApplicable);
        TestEnvironment.requireOrSkip(missing == null, missing);
        dir = Files.createTempDirectory("desktop-test-");
        started.clear();
        otherWindow = null;
    }

    /** Runs after the test method, before the test's programs end: the screen as the test left it. */
    @Override
    public void afterTestExecution(ExtensionContext context) {
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

    /**
     * Ends every program the test started, and what each started (xdg-open waits for its application); then {@link
     * #dir()}. It waits for each process it signalled, not only the ones it started: a shell ends at once on SIGTERM
     * while the application it ran is still in its shutdown hook, removing its files from the directory being deleted.
     */
    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        List<ProcessHandle> signalled = new ArrayList<>();
        for (Process process : started) {
            process.descendants().forEach(signalled::add);
            signalled.add(process.toHandle());
        }
        signalled.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (ProcessHandle handle : signalled) {
            try {
                handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                handle.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        started.clear();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
            dir = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The X server, running once the tests can run ({@link #runs()}). */
    public XServer server() {
        return server;
    }

    /** The running test's own directory: the programs' outputs, the session's home and runtime directory. */
    public Path dir() {
        return dir;
    }

    /** {@code java -Dsingle-instance.id=<id> -jar <jar> <args>}, with the {@code java} of the JDK running the test. */
    public static List<String> javaJar(String id, String jar, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dsingle-instance.id=" + id,
                "-jar",
                jar));
        command.addAll(List.of(args));
        return command;
    }

    /** PATH and a UTF-8 locale (a desktop session has one; file names with é come through only with it). */
    public static Map<String, String> baseEnvironment() {
        return Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "LANG", "C.UTF-8");
    }

    /**
     * A desktop session's environment, to change at will: {@link #baseEnvironment()}, the display, and a home and an
     * {@code XDG_RUNTIME_DIR} (0700) of the test's own.
     */
    public Map<String, String> environment() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path runtime = dir.resolve("run");
        if (!Files.isDirectory(runtime)) {
            Files.createDirectory(
                    runtime, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Map<String, String> environment = new HashMap<>(baseEnvironment());
        environment.put("DISPLAY", server.display());
        environment.put("HOME", home.toString());
        environment.put("XDG_RUNTIME_DIR", runtime.toString());
        return environment;
    }

    /** {@link #start(String, Path, List, Map)} with the session's {@link #environment()}. */
    public Process start(String name, Path workingDirectory, List<String> command) throws IOException {
        return start(name, workingDirectory, command, environment());
    }

    /**
     * Starts {@code command} in {@code workingDirectory} (created if missing) with exactly {@code environment}, its
     * output in {@code <name>.out} and {@code <name>.err}; it ends after the test.
     */
    public Process start(String name, Path workingDirectory, List<String> command, Map<String, String> environment)
            throws IOException {
        Files.createDirectories(workingDirectory);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    /** What a started program wrote to {@code file} ({@code <name>.out} or {@code <name>.err}). */
    public String output(String file) throws IOException {
        return Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
    }

    /**
     * Waits up to {@code timeout} for the end of the program started as {@code name}, asserts its exit code 0 and
     * returns its standard output.
     */
    public String awaitSuccess(String name, Process process, Duration timeout)
            throws IOException, InterruptedException {
        return awaitSuccess(name, process, timeout, () -> "");
    }

    /** {@link #awaitSuccess(String, Process, Duration)}; should the program not end, the failure adds {@code context}. */
    public String awaitSuccess(String name, Process process, Duration timeout, Supplier<String> context)
            throws IOException, InterruptedException {
        assertThat(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
                .as(() -> name + " ends" + context.get())
                .isTrue();
        assertThat(process.exitValue())
                .as(name + "'s exit code; stderr: " + output(name + ".err"))
                .isZero();
        return output(name + ".out");
    }

    /**
     * The id of the visible window whose title contains {@code title}, waited for up to {@link #START}; the program
     * started as {@code name} shows it. Fails with whether that program still runs and what it wrote.
     */
    public String awaitWindow(String title, String name, Process process) throws IOException {
        try {
            return server.awaitWindow(title, START);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + "; " + name + " alive: " + process.isAlive() + ", stdout: " + output(name + ".out")
                            + ", stderr: " + output(name + ".err"),
                    e);
        }
    }

    /** Gives the focus to another application's window (an xmessage, opened the first time) and waits until it has it. */
    public void activateAnotherWindow() throws IOException {
        if (otherWindow == null) {
            start("other", dir, List.of("xmessage", "-name", "other", "-geometry", "+20+20", "other window"));
            otherWindow = server.awaitWindow("other", START);
        }
        server.run("xdotool", "windowactivate", "--sync", otherWindow);
        server.await("the other window is active", FOCUS, server::activeWindow, otherWindow::equals);
    }

    /** Waits up to {@link #FOCUS} until {@code window} is the active window and is titled {@code title}. */
    public void awaitActive(String window, String title) {
        server.await(
                "the example's window is active, titled '" + title + "'",
                FOCUS,
                () -> server.activeWindow() + " '" + server.windowName(server.activeWindow()) + "'",
                seen -> seen.equals(window + " '" + title + "'"));
    }

    /**
     * Keeps a picture of {@code window} with its frame (the one in the docs) at the path of the system property {@code
     * desktop.screenshot}, else at {@code defaultPath}; asserts that it was taken.
     */
    public void screenshot(String window, String defaultPath) {
        Path png = Path.of(System.getProperty("desktop.screenshot", defaultPath));
        assertThat(server.screenshot(window, png)).as("screenshot " + png).isTrue();
    }

    /** Minimises {@code window} and waits up to {@link #FOCUS} until the window manager has it minimised (iconic). */
    public void minimise(String window) {
        server.run("xdotool", "windowminimize", "--sync", window);
        server.await("the example's window is minimised", FOCUS, () -> server.windowState(window), "Iconic"::equals);
    }

    /**
     * Waits up to {@link #FOCUS} until the window manager has {@code window} restored from minimised (normal), then
     * until it is the active window, titled {@code title}.
     */
    public void awaitRestored(String window, String title) {
        server.await("the example's window is restored", FOCUS, () -> server.windowState(window), "Normal"::equals);
        awaitActive(window, title);
    }

    /** The processes running now, of any test, whose {@link ProcessHandle.Info} {@code which} accepts. */
    public static List<ProcessHandle> processes(Predicate<ProcessHandle.Info> which) {
        return ProcessHandle.allProcesses()
                .filter(process -> which.test(process.info()))
                .toList();
    }
}
