package io.github.singleinstance.testing;

import io.github.singleinstance.testsupport.TestJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starts real JVMs for process-level tests ({@link TestJvm}): same java and classpath as the test, the backend the
 * tests run with, cheap JVM flags, {@code SETTINGS} lines for what a test changed, and a fresh application id per test
 * so tests never meet each other or a real app.
 */
public final class Jvm {

    /**
     * Flags that make short-lived test JVMs cheaper on a 2-core machine; same for every child. C1 only
     * ({@code TieredStopAtLevel=1}) unless the test asks for {@link #C2_ON}.
     */
    private static final List<String> FLAGS = List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx64m",
            "-Xshare:auto",
            "--enable-native-access=ALL-UNNAMED");

    /**
     * JVM arguments that switch C2 back on (given after {@link #FLAGS}, the later wins): for the storm and crash tests,
     * whose children run long enough for C2 to compile the ring and reply code, as an application's JVM would. A
     * race that only the optimised code exposes (reordered loads, hoisted reads) never shows under C1 alone.
     */
    public static final List<String> C2_ON = List.of("-XX:TieredStopAtLevel=4");

    private Jvm() {}

    /** A unique application id for one test. */
    public static String freshId(String test) {
        return "test-" + test + "-" + UUID.randomUUID();
    }

    public static TestJvm start(
            Path outputDir, String appId, List<String> jvmArgs, Class<?> mainClass, String... args) {
        return start(outputDir, appId, Map.of(), jvmArgs, mainClass, args);
    }

    /** {@link #start(Path, String, List, Class, String...)} with {@code environment} added to the child's. */
    public static TestJvm start(
            Path outputDir,
            String appId,
            Map<String, String> environment,
            List<String> jvmArgs,
            Class<?> mainClass,
            String... args) {
        return start(outputDir, appId, environment, List.of(), jvmArgs, mainClass, args);
    }

    /**
     * {@link #start(Path, String, Map, List, Class, String...)} run through {@code wrapper} (a command that runs the
     * rest of the command line, such as a sandbox: {@code bwrap ...}); {@link TestJvm#process()} is the wrapper's.
     */
    public static TestJvm start(
            Path outputDir,
            String appId,
            Map<String, String> environment,
            List<String> wrapper,
            List<String> jvmArgs,
            Class<?> mainClass,
            String... args) {
        TestJvm.Builder builder = TestJvm.builder(mainClass.getSimpleName() + "-" + appId)
                .wrapper(wrapper)
                .jvmArgs(FLAGS)
                .systemProperty("single-instance.id", appId)
                .systemProperty(
                        EffectiveSettings.PROPERTY,
                        EffectiveSettings.folder(outputDir).toString());
        String backend = System.getProperty("single-instance.backend");
        if (backend != null) {
            builder.systemProperty("single-instance.backend", backend); // children use the backend the tests run with
        }
        TestJvm.printSettings("single-instance.", jvmArgs); // for the reliability report: what this test changed
        return builder.jvmArgs(jvmArgs)
                .mainClass(System.getProperty("java.class.path"), mainClass.getName())
                .args(args)
                .environment(PlatformRules.childEnvironment()) // on top of TestJvm's clean environment
                .environment(environment)
                .directory(outputDir)
                .start();
    }

    /**
     * The command {@link #start(Path, String, List, Class, String...)} runs, as a process builder in {@code outputDir}
     * that the caller redirects (a file for standard input, standard output to a file or a pipe read byte by byte).
     */
    public static ProcessBuilder processBuilder(
            Path outputDir, String appId, List<String> jvmArgs, Class<?> mainClass, String... args) {
        TestJvm.Builder builder = TestJvm.builder(mainClass.getSimpleName() + "-" + appId)
                .jvmArgs(FLAGS)
                .systemProperty("single-instance.id", appId)
                .systemProperty(
                        EffectiveSettings.PROPERTY,
                        EffectiveSettings.folder(outputDir).toString());
        String backend = System.getProperty("single-instance.backend");
        if (backend != null) {
            builder.systemProperty("single-instance.backend", backend);
        }
        TestJvm.printSettings("single-instance.", jvmArgs);
        List<String> command = builder.jvmArgs(jvmArgs)
                .mainClass(System.getProperty("java.class.path"), mainClass.getName())
                .args(args)
                .command();
        ProcessBuilder process =
                TestJvm.withCleanEnvironment(new ProcessBuilder(command).directory(outputDir.toFile()));
        process.environment().putAll(PlatformRules.childEnvironment());
        return process;
    }

    /**
     * Asks process {@code pid} to end ({@link ProcessHandle#destroy()}): SIGTERM on Linux and macOS, so that its
     * shutdown hooks run. On Windows it is TerminateProcess, which runs no hook: a test that needs the hook is
     * disabled there.
     */
    public static void terminate(long pid) {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        if (!process.destroy()) {
            throw new AssertionError("could not ask process " + pid + " to end");
        }
    }

    /** Kills process {@code pid} at once ({@link ProcessHandle#destroyForcibly()}: SIGKILL, on Windows TerminateProcess). */
    public static void kill(long pid) {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        if (!process.destroyForcibly()) {
            throw new AssertionError("could not kill process " + pid);
        }
    }

    /**
     * Sends a POSIX signal that {@link ProcessHandle} has no call for (STOP, CONT, INT) with kill(1). Windows has
     * neither the signals nor kill(1): a test that sends them is disabled there ({@code @DisabledOnOs(OS.WINDOWS)}).
     * For TERM and KILL use {@link #terminate(long)} and {@link #kill(long)}, which work everywhere.
     */
    public static void signal(long pid, String signal) {
        if (signal.equals("TERM") || signal.equals("KILL")) {
            throw new IllegalArgumentException("use terminate or kill for SIG" + signal + ": they work on every OS");
        }
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            throw new AssertionError("SIG" + signal + " on Windows: this test must be disabled there");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Ends every child and its descendants: SIGTERM first, so primaries run their cleanup hook; SIGKILL after 5 s. */
    public static void destroyAll(List<TestJvm> children) {
        TestJvm.closeAll(children);
        children.clear();
    }
}
