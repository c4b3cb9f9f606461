package io.github.singleinstance.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One JVM started by a test: {@code <wrapper...> <java> <jvm options and -D properties> (-cp <classpath> <main class> |
 * <launch...>) <args>}, in a working directory, with a clean environment ({@link #childEnvironment(Map)}: an
 * allow-list of the test's variables, never a {@code SINGLE_INSTANCE_*} one) and the variables the test adds. Standard output and
 * error are read as they come by two daemon threads (no pipe can fill up and block the child) and can be read at any
 * time from any thread. Every wait is bounded and fails with both outputs; {@link #close()} ends the process and its
 * descendants (SIGTERM, then SIGKILL after a grace period).
 *
 * <p>Started with {@link #builder(String)}.
 */
public final class TestJvm implements AutoCloseable {

    /** The {@code java} of the JDK running the tests. */
    public static final Path CURRENT_JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /**
     * The variables of the test's environment a child JVM gets: what a JVM, a shell, the locale, a desktop session and
     * Windows need to run, nothing that configures this library or the JVM ({@code JAVA_TOOL_OPTIONS} and the like
     * could carry {@code -Dsingle-instance.*}). Names compared case-insensitively (Windows' are); {@code LC_*} too.
     */
    public static final List<String> INHERITED_VARIABLES = List.of(
            "PATH",
            "HOME",
            "USER",
            "LOGNAME",
            "SHELL",
            "LANG",
            "LANGUAGE",
            "TZ",
            "TMPDIR",
            "TMP",
            "TEMP",
            "JAVA_HOME",
            "XDG_RUNTIME_DIR",
            "XDG_CACHE_HOME",
            "XDG_SESSION_ID",
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "XAUTHORITY",
            "DBUS_SESSION_BUS_ADDRESS",
            // Windows: a JVM without SystemRoot cannot open sockets; the rest locate the user's folders
            "SYSTEMROOT",
            "SYSTEMDRIVE",
            "WINDIR",
            "COMSPEC",
            "PATHEXT",
            "USERPROFILE",
            "USERNAME",
            "APPDATA",
            "LOCALAPPDATA",
            "PROGRAMDATA");

    /** The prefix of the library's own variables, which a child never inherits (a test sets one explicitly). */
    public static final String LIBRARY_VARIABLE_PREFIX = "SINGLE_INSTANCE_";

    private final String name;
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final Thread outPump;
    private final Thread errPump;

    private TestJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        this.outPump = pump(process.getInputStream(), out, name + "-out");
        this.errPump = pump(process.getErrorStream(), err, name + "-err");
    }

    /** A JVM to start; {@code name} names it in thread names and failure messages. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Standard output so far. */
    public String stdout() {
        return out.toString();
    }

    /** Standard error so far. */
    public String stderr() {
        return err.toString();
    }

    /** Waits for a line of standard output that starts with {@code prefix} and returns it; fails if none in time. */
    public String awaitLine(String prefix, Duration timeout) {
        String[] found = new String[1];
        awaitStdout(
                output -> {
                    for (String line : output.split("\n", -1)) {
                        // a line is complete once its newline came: the last element has none yet
                        if (line.startsWith(prefix) && output.contains(line + "\n")) {
                            found[0] = line;
                            return true;
                        }
                    }
                    return false;
                },
                "a line '" + prefix + "'",
                timeout);
        return found[0];
    }

    /** Waits until standard output contains {@code text}; fails with both outputs if it does not in time. */
    public void awaitStdout(String text, Duration timeout) {
        awaitStdout(output -> output.contains(text), "\"" + text + "\"", timeout);
    }

    /**
     * Waits until standard output satisfies {@code condition}; fails with both outputs if it does not within
     * {@code timeout} or the process ends (and its output was read) without it.
     */
    public void awaitStdout(Predicate<String> condition, String description, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(stdout())) {
            if (!process.isAlive() && !outPump.isAlive()) {
                if (condition.test(stdout())) {
                    return;
                }
                throw new AssertionError(name + " exited (" + process.exitValue() + ") without " + description
                        + " on standard output" + describe());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(
                        name + ": standard output never showed " + description + " within " + timeout + describe());
            }
            pause(10);
        }
    }

    /** Waits for the exit and for its output to be read; kills it and fails if it does not exit in time. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                AssertionError failure = new AssertionError(name + " did not exit within " + timeout + describe());
                close();
                throw failure;
            }
            outPump.join(5000);
            errPump.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name, e);
        }
        return process.exitValue();
    }

    /** The exit code of a process that has ended; fails if it still runs. */
    public int exitValueOrFail() {
        if (process.isAlive()) {
            throw new AssertionError(name + " still runs" + describe());
        }
        return process.exitValue();
    }

    /** Both outputs, for failure messages. */
    public String describe() {
        return "\n--- " + name + " (pid " + process.pid() + ") stdout ---\n" + stdout() + "\n--- " + name
                + " stderr ---\n" + stderr();
    }

    /** SIGKILL to this process alone (its descendants live on) and waits for its end. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Ends the process and its descendants: SIGTERM (so that shutdown hooks run), SIGKILL to what still runs after
     * a grace period. Nothing if all have ended.
     */
    @Override
    public void close() {
        closeAll(List.of(this));
    }

    /** {@link #close()} for many at once: all get SIGTERM first, then each its grace period. */
    public static void closeAll(Collection<TestJvm> jvms) {
        List<ProcessHandle> all = new ArrayList<>();
        for (TestJvm jvm : jvms) {
            all.add(jvm.process.toHandle());
            jvm.process.descendants().forEach(all::add);
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        for (ProcessHandle handle : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left <= 0) {
                    throw new java.util.concurrent.TimeoutException();
                }
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                handle.destroyForcibly();
            }
        }
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * Prints {@code SETTINGS <property>=<value>} to the test's standard output for every {@code -D} option among
     * {@code jvmOptions} whose name starts with {@code prefix}: what a test changed, for reports generated from the
     * test output (docs/reliability.md's generator reads these lines).
     */
    public static void printSettings(String prefix, List<String> jvmOptions) {
        for (String option : jvmOptions) {
            if (option.startsWith("-D" + prefix)) {
                System.out.println("SETTINGS " + option.substring(2));
            }
        }
    }

    /**
     * The environment a child starts with, before the test's own variables: the entries of {@code parent} named in
     * {@link #INHERITED_VARIABLES} or starting with {@code LC_}, and never one starting with
     * {@value #LIBRARY_VARIABLE_PREFIX}. A runner's {@code SINGLE_INSTANCE_FORWARD_TIMEOUT} (or backend, directory, ...)
     * would otherwise reach every child while the test's report says it ran at the defaults.
     */
    public static Map<String, String> childEnvironment(Map<String, String> parent) {
        Map<String, String> child = new LinkedHashMap<>();
        parent.forEach((name, value) -> {
            String upper = name.toUpperCase(java.util.Locale.ROOT);
            if (!upper.startsWith(LIBRARY_VARIABLE_PREFIX)
                    && (INHERITED_VARIABLES.contains(upper) || upper.startsWith("LC_"))) {
                child.put(name, value);
            }
        });
        return child;
    }

    /**
     * Replaces {@code builder}'s environment (the test's, inherited) by {@link #childEnvironment(Map)} of it: for a
     * test that starts a child with a {@link ProcessBuilder} of its own; add the test's variables after.
     */
    public static ProcessBuilder withCleanEnvironment(ProcessBuilder builder) {
        Map<String, String> clean = childEnvironment(builder.environment());
        builder.environment().clear();
        builder.environment().putAll(clean);
        return builder;
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

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** What to start; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {

        private final String name;
        private Path java = CURRENT_JAVA;
        private final List<String> wrapper = new ArrayList<>();
        private final List<String> options = new ArrayList<>();
        private final List<String> launch = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<String> environmentRemoved = new ArrayList<>();
        private Path directory;

        private Builder(String name) {
            this.name = name;
        }

        /** The {@code java} executable; {@link #CURRENT_JAVA} unless set. */
        public Builder java(Path executable) {
            this.java = executable;
            return this;
        }

        /** A command that runs the rest of the command line (a sandbox such as {@code bwrap ...}). */
        public Builder wrapper(List<String> command) {
            wrapper.addAll(command);
            return this;
        }

        /** JVM options, after those given before (a later {@code -D} of the same name wins). */
        public Builder jvmArgs(List<String> jvmOptions) {
            options.addAll(jvmOptions);
            return this;
        }

        /** The JVM option {@code -Dproperty=value}, after those given before. */
        public Builder systemProperty(String property, String value) {
            options.add("-D" + property + "=" + value);
            return this;
        }

        /** {@code -cp classpath mainClass}. */
        public Builder mainClass(String classpath, String mainClass) {
            launch.clear();
            launch.addAll(List.of("-cp", classpath, mainClass));
            return this;
        }

        /** {@code -jar jar}. */
        public Builder jar(Path jar) {
            launch.clear();
            launch.addAll(List.of("-jar", jar.toString()));
            return this;
        }

        /** What follows the options: {@code -jar <jar>}, {@code -cp <path> <main class>} and the like. */
        public Builder launch(List<String> launchArgs) {
            launch.clear();
            launch.addAll(launchArgs);
            return this;
        }

        /** The program's arguments. */
        public Builder args(List<String> programArgs) {
            args.addAll(programArgs);
            return this;
        }

        /** The program's arguments. */
        public Builder args(String... programArgs) {
            return args(List.of(programArgs));
        }

        /** Added to (or replacing in) the child's clean environment ({@link TestJvm#childEnvironment(Map)}). */
        public Builder environment(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        /** Left out of the child's environment. */
        public Builder withoutEnvironment(String variable) {
            environmentRemoved.add(variable);
            return this;
        }

        /** The working directory; the test's unless set. */
        public Builder directory(Path workingDirectory) {
            this.directory = workingDirectory;
            return this;
        }

        /** The environment {@link #start()} gives the child: the clean one and the variables added, less those removed. */
        public Map<String, String> childEnvironment() {
            Map<String, String> result = new LinkedHashMap<>(TestJvm.childEnvironment(System.getenv()));
            result.putAll(environment);
            environmentRemoved.forEach(result::remove);
            return result;
        }

        /** The command line {@link #start()} runs. */
        public List<String> command() {
            List<String> command = new ArrayList<>(wrapper);
            command.add(java.toString());
            command.addAll(options);
            command.addAll(launch);
            command.addAll(args);
            return command;
        }

        public TestJvm start() {
            if (launch.isEmpty()) {
                throw new IllegalStateException(name + ": neither a main class nor a jar to start");
            }
            List<String> command = command();
            ProcessBuilder builder = new ProcessBuilder(command);
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            withCleanEnvironment(builder);
            builder.environment().putAll(environment);
            environmentRemoved.forEach(builder.environment()::remove);
            try {
                return new TestJvm(name, builder.start());
            } catch (IOException e) {
                throw new UncheckedIOException(name + ": cannot start " + command, e);
            }
        }
    }
}
