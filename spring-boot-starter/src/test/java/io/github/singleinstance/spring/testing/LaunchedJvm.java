package io.github.singleinstance.spring.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One launch of an example's jar in its own JVM ({@code java -Dsingle-instance.id=<id> -jar <jar> <args>}), with its
 * standard output and error captured, for the process-level tests. Every wait is bounded; {@link #close()} kills the
 * process if it is still running. Each test uses {@link #freshId()} so that parallel tests never meet.
 *
 * <p>Not thread-safe for starting; the output accessors may be called from any thread.
 */
public final class LaunchedJvm implements AutoCloseable {

    /** The forward timeout every launched JVM gets. */
    private final String name;

    private final Path classes;
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Thread outPump;
    private final Thread errPump;

    private static Path classLog(String name) {
        try {
            return Files.createTempFile("launched-" + name.replaceAll("[^A-Za-z0-9-]", "_") + "-", ".classes.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LaunchedJvm(String name, Process process, Path classes) {
        this.classes = classes;
        this.name = name;
        this.process = process;
        this.outPump = pump(process.getInputStream(), out, name + "-out");
        this.errPump = pump(process.getErrorStream(), err, name + "-err");
    }

    /** An application id no other test uses. */
    public static String freshId() {
        return "test-" + UUID.randomUUID();
    }

    /** The jar named by the system property {@code example.jar} (set by the failsafe configuration). */
    public static Path exampleJar() {
        String jar = System.getProperty("example.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("example.jar does not name a built jar: example.jar=" + jar
                    + "; run the tests with ./mvnw verify (they need the packaged jar)");
        }
        return Path.of(jar);
    }

    /** Starts {@code jar} with the JDK running the tests, in {@code workingDirectory}. */
    public static LaunchedJvm start(String name, Path jar, String id, Path workingDirectory, String... args) {
        return startJava(name, id, workingDirectory, List.of("-jar", jar.toString()), args);
    }

    /**
     * Starts {@code java -Dsingle-instance.id=<id> <launch...> <args...>} (default settings, class loading logged) with
     * the JDK running the tests, in
     * {@code workingDirectory}; {@code launch} is {@code -jar <jar>} or {@code -cp <path> <main class>}.
     */
    public static LaunchedJvm startJava(
            String name, String id, Path workingDirectory, List<String> launch, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dsingle-instance.id=" + id);
        // every launch at default settings; its class-loading log tells which backend it ran on
        Path classes = classLog(name);
        command.add("-Xlog:class+load=info:file=" + classes);
        command.addAll(launch);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
        builder.environment().remove("SINGLE_INSTANCE_ID");
        try {
            return new LaunchedJvm(name, builder.start(), classes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Fails unless this JVM ran on the portable backend and loaded no JNA class, by its class-loading log.
     */
    public void assertUsesThePortableBackend() {
        String loaded;
        try {
            loaded = Files.readString(classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!loaded.contains("io.github.singleinstance.internal.os.portable.PortableBackend")
                || loaded.contains("com.sun.jna")) {
            throw new AssertionError(name + " does not run on the portable backend alone (its class-loading log "
                    + classes + " lacks PortableBackend or has JNA)");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return out.toString();
    }

    public String stderr() {
        return err.toString();
    }

    /** Waits until standard output contains {@code text}; fails with both outputs if it does not in time. */
    public void awaitStdout(String text, Duration timeout) {
        awaitStdout(output -> output.contains(text), "\"" + text + "\"", timeout);
    }

    /** Waits until standard output satisfies {@code condition}; fails with both outputs if it does not in time. */
    public void awaitStdout(Predicate<String> condition, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(stdout())) {
            if (System.nanoTime() > deadline || !process.isAlive() && !outPump.isAlive()) {
                throw new AssertionError(name + ": standard output never showed " + description + " within " + timeout
                        + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + describe());
            }
            sleep(20);
        }
    }

    /** Waits for the process to exit and its output to be read; fails if it does not in time. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + timeout + describe());
            }
            outPump.join(5000);
            errPump.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name, e);
        }
        return process.exitValue();
    }

    /** Both outputs, for failure messages. */
    public String describe() {
        return "\n--- " + name + " stdout ---\n" + stdout() + "\n--- " + name + " stderr ---\n" + stderr();
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 seconds) if it still runs. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Thread pump(InputStream stream, StringBuffer into, String name) {
        Thread thread = new Thread(
                () -> {
                    try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                        char[] buffer = new char[4096];
                        int read;
                        while ((read = reader.read(buffer)) >= 0) {
                            into.append(buffer, 0, read);
                        }
                    } catch (IOException e) {
                        into.append("\n[output unreadable: ").append(e).append(']');
                    }
                },
                name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
