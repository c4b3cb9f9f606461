package io.github.singleinstance.testing;

import io.github.singleinstance.SingleInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The settings a test's child JVMs actually ran with, as each resolved them (properties, environment, defaults), for
 * the reports: a test's {@code SETTINGS} lines say what it changed, these what its children used. A child that runs
 * {@link TestApp} writes one file, named by its pid, into the folder of the system property {@value #PROPERTY}
 * ({@link Jvm} sets it); {@link ProcessTestSupport} prints the distinct ones as {@code EFFECTIVE-SETTINGS} lines.
 */
public final class EffectiveSettings {

    /** The system property naming the folder the children write to. */
    public static final String PROPERTY = "test.effective-settings";

    private EffectiveSettings() {}

    /** In the child: records what {@code instance} runs with, if {@value #PROPERTY} is set. */
    static void write(SingleInstance instance) throws IOException {
        String folder = System.getProperty(PROPERTY);
        if (folder == null) {
            return;
        }
        Path directory = Files.createDirectories(Path.of(folder));
        Files.writeString(
                directory.resolve(Long.toString(ProcessHandle.current().pid())),
                describe(instance),
                StandardCharsets.UTF_8);
    }

    /** {@code forward-timeout=5s total-timeout=60s backend=auto replace=false scope=USER}. */
    static String describe(SingleInstance instance) {
        return "forward-timeout=" + format(instance.forwardTimeout()) + " total-timeout="
                + format(instance.totalTimeout()) + " backend="
                + instance.backend().name().toLowerCase(Locale.ROOT)
                + " replace=" + instance.replace() + " scope=" + instance.scope();
    }

    /** The folder the children of a test writing into {@code outputDir} record their settings in. */
    static Path folder(Path outputDir) {
        return outputDir.resolve("effective-settings");
    }

    /** The distinct settings the children writing into {@code outputDir} recorded, sorted; empty if none did. */
    public static List<String> of(Path outputDir) {
        Path folder = folder(outputDir);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        TreeSet<String> distinct = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                distinct.add(Files.readString(file, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        distinct.remove("");
        return List.copyOf(distinct);
    }

    private static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
