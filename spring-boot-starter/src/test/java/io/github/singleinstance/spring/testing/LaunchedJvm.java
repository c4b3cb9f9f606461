package io.github.singleinstance.spring.testing;

import io.github.singleinstance.testsupport.TestJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * One launch of an example's jar in its own JVM ({@code java -Dsingle-instance.id=<id> -jar <jar> <args>}), with its
 * standard output and error captured, for the process-level tests: a {@link TestJvm} (every wait bounded,
 * {@link #close()} ends the process and its descendants) with what the examples' tests add: the example's jar, a
 * class-loading log that tells the backend, no {@code SINGLE_INSTANCE_ID} from the test's environment. Each test uses
 * {@link #freshId()} so that parallel tests never meet.
 *
 * <p>Not thread-safe for starting; the output accessors may be called from any thread.
 */
public final class LaunchedJvm implements AutoCloseable {

    private final String name;
    private final Path classes;
    private final TestJvm jvm;

    private static Path classLog(String name) {
        try {
            return Files.createTempFile("launched-" + name.replaceAll("[^A-Za-z0-9-]", "_") + "-", ".classes.log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LaunchedJvm(String name, TestJvm jvm, Path classes) {
        this.name = name;
        this.jvm = jvm;
        this.classes = classes;
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
     * the JDK running the tests, in {@code workingDirectory}; {@code launch} is {@code -jar <jar>} or
     * {@code -cp <path> <main class>}, optionally after JVM options.
     */
    public static LaunchedJvm startJava(
            String name, String id, Path workingDirectory, List<String> launch, String... args) {
        // every launch at default settings; its class-loading log tells which backend it ran on
        Path classes = classLog(name);
        TestJvm jvm = TestJvm.builder(name)
                .systemProperty("single-instance.id", id)
                .jvmArgs(List.of("-Xlog:class+load=info:file=" + classes))
                .launch(new ArrayList<>(launch))
                .args(args)
                .directory(workingDirectory)
                .withoutEnvironment("SINGLE_INSTANCE_ID")
                .start();
        return new LaunchedJvm(name, jvm, classes);
    }

    /**
     * Starts {@code jar} like {@link #start} but with its startup held ({@link HeldStartup}) after it claimed and
     * before its context is refreshed, until {@code releaseFile} exists; {@code jvmOptions} come first. The jar runs
     * through Spring Boot's {@code PropertiesLauncher}, which adds {@link HeldStartup} from {@code loader.path}.
     */
    public static LaunchedJvm startHeld(
            String name,
            Path jar,
            String id,
            Path workingDirectory,
            Path releaseFile,
            List<String> jvmOptions,
            String... args) {
        Path loaderPath;
        try {
            loaderPath = HeldStartup.copyTo(Files.createTempDirectory("held-startup-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> launch = new ArrayList<>(jvmOptions);
        launch.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED", // what the jar's manifest says, not read without -jar
                "-Dloader.path=" + loaderPath,
                "-D" + HeldStartup.RELEASE_FILE + "=" + releaseFile,
                "-cp",
                jar.toString(),
                "org.springframework.boot.loader.launch.PropertiesLauncher"));
        return startJava(name, id, workingDirectory, launch, args);
    }

    /** The entry of the fast launcher's jar naming the Spring Boot launcher it delegates to (FastLauncher's). */
    static final String BOOT_LAUNCHER_ENTRY = "io/github/singleinstance/bootlauncher/boot-launcher";

    /**
     * A copy of the executable {@code jar} in {@code directory} whose fast launcher delegates to {@code bootLauncher}
     * instead of Spring Boot's {@code JarLauncher}, with the class {@code extraClass} (JDK-only) added at its root, if
     * not null. Nested jars stay stored, as Spring Boot's loader needs them.
     */
    public static Path withBootLauncher(Path jar, Path directory, String bootLauncher, Class<?> extraClass) {
        Path copy = directory.resolve("relaunched-" + jar.getFileName());
        try (ZipFile in = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(copy))) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                byte[] bytes;
                if (entry.getName().equals(BOOT_LAUNCHER_ENTRY)) {
                    bytes = bootLauncher.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                } else {
                    try (InputStream read = in.getInputStream(entry)) {
                        bytes = read.readAllBytes();
                    }
                }
                put(out, entry.getName(), bytes, entry.getMethod() == ZipEntry.STORED);
            }
            if (extraClass != null) {
                String resource = extraClass.getName().replace('.', '/') + ".class";
                try (InputStream read = extraClass.getClassLoader().getResourceAsStream(resource)) {
                    if (read == null) {
                        throw new IllegalStateException("no " + resource + " on the test class path");
                    }
                    put(out, resource, read.readAllBytes(), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return copy;
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes, boolean stored) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        if (stored) {
            CRC32 crc = new CRC32();
            crc.update(bytes);
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(bytes.length);
            entry.setCompressedSize(bytes.length);
            entry.setCrc(crc.getValue());
        }
        out.putNextEntry(entry);
        out.write(bytes);
        out.closeEntry();
    }

    /**
     * Starts {@code jar} through its fast launcher ({@code -jar}), with its startup held ({@link HeldStartup}) after
     * it claimed and before its context is refreshed, until {@code releaseFile} exists: a copy of the jar whose fast
     * launcher delegates to Spring Boot's {@code PropertiesLauncher}, which adds {@link HeldStartup} from
     * {@code loader.path}. The copy is made in {@code workingDirectory}.
     */
    public static LaunchedJvm startHeldThroughTheFastLauncher(
            String name, Path jar, String id, Path workingDirectory, Path releaseFile, String... args) {
        Path loaderPath;
        try {
            loaderPath = HeldStartup.copyTo(Files.createTempDirectory("held-startup-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path copy = withBootLauncher(
                jar, workingDirectory, "org.springframework.boot.loader.launch.PropertiesLauncher", null);
        List<String> launch = List.of(
                "-Dloader.path=" + loaderPath,
                "-D" + HeldStartup.RELEASE_FILE + "=" + releaseFile,
                "-jar",
                copy.toString());
        return startJava(name, id, workingDirectory, launch, args);
    }

    public long pid() {
        return jvm.pid();
    }

    /** The process: its standard input to write to (its output is captured: {@link #stdout()}). */
    public Process process() {
        return jvm.process();
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

    /** The JVM's class-loading log ({@code -Xlog:class+load}) so far: one line per class, with where it came from. */
    public String classLoadingLog() {
        try {
            return Files.readString(classes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return jvm.isAlive();
    }

    public String stdout() {
        return jvm.stdout();
    }

    public String stderr() {
        return jvm.stderr();
    }

    /** Waits until standard output contains {@code text}; fails with both outputs if it does not in time. */
    public void awaitStdout(String text, Duration timeout) {
        jvm.awaitStdout(text, timeout);
    }

    /** Waits until standard output satisfies {@code condition}; fails with both outputs if it does not in time. */
    public void awaitStdout(Predicate<String> condition, String description, Duration timeout) {
        jvm.awaitStdout(condition, description, timeout);
    }

    /** Waits for the process to exit and its output to be read; fails if it does not in time. */
    public int awaitExit(Duration timeout) {
        return jvm.awaitExit(timeout);
    }

    /** Both outputs, for failure messages. */
    public String describe() {
        return jvm.describe();
    }

    /** Stops the process and its descendants (SIGTERM, then SIGKILL after a grace period) if they still run. */
    @Override
    public void close() {
        jvm.close();
    }
}
