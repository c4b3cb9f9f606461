package io.github.singleinstance.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Starts real JVMs for process-level tests: same java and classpath as the test, output captured to files (no pipe
 * can fill up and block a child), and a fresh application id per test so tests never meet each other or a real app.
 */
public final class Jvm {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    /** Flags that make short-lived test JVMs cheaper on a 2-core machine; same for every child. */
    private static final List<String> FLAGS = List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xmx64m",
            "-Xshare:auto",
            "--enable-native-access=ALL-UNNAMED");

    private Jvm() {}

    /** A unique application id for one test. */
    public static String freshId(String test) {
        return "test-" + test + "-" + UUID.randomUUID();
    }

    public static Child start(Path outputDir, String appId, List<String> jvmArgs, Class<?> mainClass, String... args) {
        return start(outputDir, appId, Map.of(), jvmArgs, mainClass, args);
    }

    /** {@link #start(Path, String, List, Class, String...)} with {@code environment} added to the child's. */
    public static Child start(
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
     * rest of the command line, such as a sandbox: {@code bwrap ...}); {@link Child#process()} is the wrapper's.
     */
    public static Child start(
            Path outputDir,
            String appId,
            Map<String, String> environment,
            List<String> wrapper,
            List<String> jvmArgs,
            Class<?> mainClass,
            String... args) {
        List<String> command = new ArrayList<>(wrapper);
        command.add(JAVA.toString());
        command.addAll(FLAGS);
        command.add("-Dsingle-instance.id=" + appId);
        String backend = System.getProperty("single-instance.backend");
        if (backend != null) {
            command.add("-Dsingle-instance.backend=" + backend); // children use the backend the tests run with
        }
        command.addAll(jvmArgs);
        for (String arg : jvmArgs) {
            if (arg.startsWith("-Dsingle-instance.")) { // for the reliability report: what this test changed
                System.out.println("SETTINGS " + arg.substring(2));
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        String name = UUID.randomUUID().toString();
        Path out = outputDir.resolve(name + ".out");
        Path err = outputDir.resolve(name + ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(outputDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new Child(process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A started JVM and its captured output. */
    public record Child(Process process, Path stdoutFile, Path stderrFile) {

        public long pid() {
            return process.pid();
        }

        public String stdout() {
            return read(stdoutFile);
        }

        public String stderr() {
            return read(stderrFile);
        }

        /** Waits for a line of standard output that starts with {@code prefix}; fails with the output if none. */
        public String awaitLine(String prefix, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : stdout().split("\n")) {
                    if (line.startsWith(prefix)) {
                        return line;
                    }
                }
                if (!process.isAlive() && !stdout().contains(prefix)) {
                    throw new AssertionError("process ended (exit " + process.exitValue() + ") without a line '"
                            + prefix + "'\n" + describe());
                }
                sleep(10);
            }
            throw new AssertionError("no line '" + prefix + "' within " + timeout + "\n" + describe());
        }

        /** Waits for the exit; kills the process and fails with its output if it does not end in time. */
        public int awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("process did not exit within " + timeout + "\n" + describe());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return process.exitValue();
        }

        /** The exit code of a process that has ended. */
        public int exitValueOrFail() {
            if (process.isAlive()) {
                throw new AssertionError("still running\n" + describe());
            }
            return process.exitValue();
        }

        public String describe() {
            return "pid " + process.pid() + " stdout:\n" + stdout() + "\nstderr:\n" + stderr();
        }

        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }

    /** Sends a signal by name (STOP, CONT, TERM) with kill(1). */
    public static void signal(long pid, String signal) {
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

    /** Ends every child: SIGTERM first, so primaries run their cleanup hook; SIGKILL after 5 s. */
    public static void destroyAll(List<Child> children) {
        children.forEach(child -> child.process().destroy());
        for (Child child : children) {
            try {
                if (!child.process().waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    child.kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.kill();
            }
        }
        children.clear();
    }
}
