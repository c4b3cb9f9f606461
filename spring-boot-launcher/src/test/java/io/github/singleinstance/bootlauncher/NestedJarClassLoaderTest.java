package io.github.singleinstance.bootlauncher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NestedJarClassLoaderTest {

    /** A class with nothing but the JDK behind it, defined again from its bytes by the loader under test. */
    public static final class Probe {
        @Override
        public String toString() {
            return "probe";
        }
    }

    @TempDir
    Path directory;

    @Test
    void definesClassesOfTheNestedJarTheNewestFitMultiReleaseVersionWinningAndSeesNothingElse() throws Exception {
        byte[] probe = AnnotationReaderTest.classFile(Probe.class);
        String name = Probe.class.getName().replace('.', '/') + ".class";
        int next = Runtime.version().feature() + 1;
        byte[] nested = jar(
                new String[] {name, "META-INF/versions/9/" + name, "META-INF/versions/" + next + "/" + name},
                new byte[][] {garbage(), probe, garbage()},
                true);
        try (ZipFile outer = outer("BOOT-INF/lib/core.jar", nested)) {
            NestedJarClassLoader loader = new NestedJarClassLoader(outer, new String[] {"BOOT-INF/lib/core.jar"}, null);

            Class<?> loaded = Class.forName(Probe.class.getName(), true, loader);

            assertThat(loaded.getClassLoader()).isSameAs(loader);
            assertThat(loaded).isNotSameAs(Probe.class);
            assertThat(loaded.getConstructor().newInstance()).hasToString("probe");
            assertThatThrownBy(() -> Class.forName(FastLauncherTest.class.getName(), false, loader))
                    .as("the application's class path is not visible")
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void slf4jIsReadWhenFirstAskedForAndBindsItsNoOperationProviderWithoutAWarning() throws Exception {
        Path slf4j = Path.of(org.slf4j.LoggerFactory.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        byte[] empty = jar(new String[0], new byte[0][], true);
        Path outerJar = directory.resolve("app.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(outerJar))) {
            stored(out, "BOOT-INF/lib/core.jar", empty);
            stored(out, "BOOT-INF/lib/slf4j-api.jar", Files.readAllBytes(slf4j));
        }
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (ZipFile outer = new ZipFile(outerJar.toFile())) {
            NestedJarClassLoader loader = new NestedJarClassLoader(
                    outer, new String[] {"BOOT-INF/lib/core.jar"}, "BOOT-INF/lib/slf4j-api.jar");
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            Object logger = Class.forName("org.slf4j.LoggerFactory", true, loader)
                    .getMethod("getLogger", String.class)
                    .invoke(null, "x");
            logger.getClass().getMethod("warn", String.class).invoke(logger, "not printed");

            assertThat(logger.getClass().getName()).isEqualTo("org.slf4j.helpers.NOPLogger");
            assertThat(logger.getClass().getClassLoader()).isSameAs(loader);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private ZipFile outer(String entry, byte[] nested) throws IOException {
        Path jar = directory.resolve("app.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            stored(out, entry, nested);
        }
        return new ZipFile(jar.toFile());
    }

    /** Spring Boot stores nested jars uncompressed. */
    private static void stored(ZipOutputStream out, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        out.putNextEntry(entry);
        out.write(content);
    }

    private static byte[] jar(String[] names, byte[][] contents, boolean deflated) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (int i = 0; i < names.length; i++) {
                if (deflated) {
                    out.putNextEntry(new ZipEntry(names[i]));
                    out.write(contents[i]);
                } else {
                    stored(out, names[i], contents[i]);
                }
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] garbage() {
        return "not a class".getBytes(StandardCharsets.UTF_8);
    }
}
