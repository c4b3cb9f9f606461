package io.github.singleinstance.testing;

import io.github.singleinstance.internal.os.portable.PortableBackend;
import io.github.singleinstance.testsupport.TestEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Windows' and macOS' file rules played on Linux, for child JVMs: an {@code LD_PRELOAD} library built from
 * {@code src/test/c/platform-rules.c} with the system C compiler (its comment says what each rule does and why it is
 * faithful). The tests run with the rules named by the system property {@value #PROPERTY} (the portable backend's
 * surefire execution sets {@code windows-locks,windows-delete,no-proc}); {@link Jvm} gives every child the library.
 *
 * <p>Without a C compiler the rules cannot be played: the tests meant to run under them run on plain Linux instead
 * (saying so once), {@code PlatformRulesTest} skips, and under the project's strict mode ({@link TestEnvironment})
 * they fail. Off Linux nothing is played: the real rules apply. Any thread; the library is built once per test JVM.
 */
public final class PlatformRules {

    /** The system property naming the rules the child JVMs run under, comma-separated; absent: none. */
    public static final String PROPERTY = "single-instance.test.platform-rules";

    private static final Path SOURCE = Path.of("src/test/c/platform-rules.c");
    private static final Path LIBRARY = Path.of("target/platform-rules/platform-rules.so");

    /** Guarded by the class: the library once built, or why it could not be. */
    private static Path built;

    private static String problem;

    private PlatformRules() {}

    private static final String OS = System.getProperty("os.name", "");

    /**
     * The rules played for the tests ({@value #PROPERTY}), empty for none. Only on Linux: on macOS and Windows the
     * real rules apply (the GitHub workflow's legs), and nothing is played.
     */
    public static List<String> inForce() {
        String rules = System.getProperty(PROPERTY, "").strip();
        if (rules.isEmpty() || !OS.startsWith("Linux") || !playable()) {
            return List.of();
        }
        return Arrays.asList(rules.split(","));
    }

    /**
     * Whether the library is built (building it on first use). Where it cannot be, the tests that would run under
     * the rules run without them, on plain Linux, which this prints once; in strict mode that fails instead.
     */
    private static synchronized boolean playable() {
        if (built == null && problem == null) {
            problem = build();
            if (problem == null) {
                built = LIBRARY.toAbsolutePath();
            } else {
                System.err.println("Windows' and macOS' file rules are not played: " + problem);
            }
        }
        if (problem != null && TestEnvironment.strict()) {
            throw new AssertionError("Windows' and macOS' file rules cannot be played here: " + problem + " ("
                    + TestEnvironment.STRICT + "=true; .ci/install-test-tools installs a C compiler)");
        }
        return built != null;
    }

    /** Whether the child JVMs can read {@code /proc}: on Linux, unless macOS' rule hides it. */
    public static boolean childrenHaveProc() {
        return OS.startsWith("Linux") && !inForce().contains("no-proc");
    }

    /** Whether removing a file another process maps may be refused: on Windows, or under its rule played here. */
    public static boolean deletesMayBeRefused() {
        return OS.startsWith("Windows") || inForce().contains("windows-delete");
    }

    /**
     * The environment that puts a child JVM under the rules in force, for objects in the backend's private directory;
     * empty where none are in force (or none can be played: see the class comment).
     */
    public static Map<String, String> childEnvironment() {
        List<String> rules = inForce();
        if (rules.isEmpty()) {
            return Map.of();
        }
        Path directory = Backends.current() instanceof PortableBackend portable
                ? portable.directory()
                : Path.of("/nonexistent"); // the rules' delete checks look only in the private directory
        return environment(String.join(",", rules), directory);
    }

    /** The environment that puts a child JVM under {@code rules}, its delete rule applying under {@code directory}. */
    public static Map<String, String> environment(String rules, Path directory) {
        return Map.of(
                "LD_PRELOAD", library().toString(),
                "SI_RULES", rules,
                "SI_RULES_DIR", directory.toAbsolutePath().toString());
    }

    /** The built library; skips the calling test (fails it in strict mode) where it cannot be built. */
    public static synchronized Path library() {
        boolean playable = OS.startsWith("Linux") && playable();
        TestEnvironment.requireOrSkip(
                playable,
                "Windows' and macOS' file rules cannot be played here: "
                        + (problem != null ? problem : "they are an LD_PRELOAD library for Linux, and this is " + OS)
                        + " (.ci/install-test-tools installs a C compiler)");
        return built;
    }

    /** Builds the library; null on success, else why not. */
    private static String build() {
        try {
            Files.createDirectories(LIBRARY.getParent());
            Path log = LIBRARY.resolveSibling("cc.log");
            Process cc = new ProcessBuilder(
                            "cc",
                            "-shared",
                            "-fPIC",
                            "-O2",
                            "-Wall",
                            "-o",
                            LIBRARY.toString(),
                            SOURCE.toString(),
                            "-ldl")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!cc.waitFor(60, TimeUnit.SECONDS)) {
                cc.destroyForcibly();
                return "cc did not finish within 60 s";
            }
            if (cc.exitValue() != 0) {
                return "cc failed: " + Files.readString(log, StandardCharsets.UTF_8);
            }
            return null;
        } catch (IOException e) {
            return "no C compiler (cc): " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while building the rules' library", e));
        }
    }
}
