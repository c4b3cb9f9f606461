package io.github.singleinstance.bootlauncher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastLauncherTest {

    @TempDir
    Path directory;

    @AfterEach
    void clearProperties() {
        System.clearProperty("single-instance.id");
        System.clearProperty("single-instance.enabled");
        System.clearProperty("single-instance.replace");
        System.clearProperty("single-instance.forward-timeout");
        System.clearProperty("single-instance.scope");
    }

    @Test
    void itsJarStaysOpenWhileAClaimIsHandedOverAndIsClosedOtherwise() throws IOException {
        assertThat(FastLauncher.HANDOVER_PROPERTY)
                .isEqualTo(io.github.singleinstance.internal.os.ClaimFiles.HANDOVER_PROPERTY);
        Path jar = directory.resolve("app.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("a.txt"));
            out.write('a');
        }
        ZipFile handingOver = new ZipFile(jar.toFile());
        Object pending = new Object();
        System.getProperties().put(FastLauncher.HANDOVER_PROPERTY, pending);
        try {
            FastLauncher.closeUnlessHandingOver(handingOver);
        } finally {
            System.getProperties().remove(FastLauncher.HANDOVER_PROPERTY, pending);
        }
        assertThat(handingOver.getEntry("a.txt"))
                .as("open: its entries still read")
                .isNotNull();
        handingOver.close();
        ZipFile done = new ZipFile(jar.toFile());
        FastLauncher.closeUnlessHandingOver(done);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> done.getEntry("a.txt"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void durationsAreReadAsSpringBootReadsThem() {
        assertThat(FastLauncher.duration("500")).isEqualTo(Duration.ofMillis(500));
        assertThat(FastLauncher.duration(" 3s ")).isEqualTo(Duration.ofSeconds(3));
        assertThat(FastLauncher.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(FastLauncher.duration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(FastLauncher.duration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(FastLauncher.duration("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(FastLauncher.duration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThat(FastLauncher.duration("pt2s")).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void durationsItCannotReadOrNotPositiveAreNull() {
        for (String text :
                new String[] {"", "s", "3 weeks", "3y", "-3s", "0s", "PT0S", "PTxS", "99999999999999999999"}) {
            assertThat(FastLauncher.duration(text)).as(text).isNull();
        }
    }

    @Test
    void settingsComeFromTheStartClassAnnotationAndSystemPropertiesWin() throws IOException {
        try (ZipFile jar = jar(AnnotationReaderTest.Annotated.class)) {
            FastLauncher.Settings settings = FastLauncher.settings(jar);
            assertThat(settings.id).isEqualTo("com.example.viewer");
            assertThat(settings.scope).isEqualTo("SESSION");
            assertThat(settings.forwardTimeout).isEqualTo(Duration.ofSeconds(3));
            assertThat(settings.totalTimeout).isEqualTo(Duration.ofMinutes(1));
            assertThat(settings.backend).isEqualTo("portable");

            System.setProperty("single-instance.id", "overridden");
            System.setProperty("single-instance.forward-timeout", "700ms");
            System.setProperty("single-instance.scope", "user");
            settings = FastLauncher.settings(jar);
            assertThat(settings.id).isEqualTo("overridden");
            assertThat(settings.forwardTimeout).isEqualTo(Duration.ofMillis(700));
            assertThat(settings.scope).isEqualTo("USER");
        }
    }

    @Test
    void defaultsAreTheRunListenersOnes() throws IOException {
        try (ZipFile jar = jar(AnnotationReaderTest.Defaults.class)) {
            FastLauncher.Settings settings = FastLauncher.settings(jar);
            assertThat(settings.id).isEqualTo(AnnotationReaderTest.Defaults.class.getName());
            assertThat(settings.scope).isEqualTo("USER");
            assertThat(settings.forwardTimeout).isEqualTo(Duration.ofSeconds(5));
            assertThat(settings.totalTimeout).isEqualTo(Duration.ofSeconds(60));
            assertThat(settings.backend).isEqualTo("auto");
        }
    }

    @Test
    void whenItCannotTellTheApplicationDecides() throws IOException {
        try (ZipFile jar = jar(AnnotationReaderTest.Other.class)) {
            assertThat(FastLauncher.settings(jar))
                    .as("no @SingleInstance on the start class")
                    .isNull();
        }
        try (ZipFile jar = jar(AnnotationReaderTest.Annotated.class)) {
            System.setProperty("single-instance.enabled", "FALSE");
            assertThat(FastLauncher.settings(jar)).as("disabled").isNull();
            System.clearProperty("single-instance.enabled");
            System.setProperty("single-instance.replace", "true");
            assertThat(FastLauncher.settings(jar))
                    .as("replace: the application claims")
                    .isNull();
            System.setProperty("single-instance.replace", "yes");
            assertThat(FastLauncher.settings(jar))
                    .as("a replace it cannot read")
                    .isNull();
            System.clearProperty("single-instance.replace");
            System.setProperty("single-instance.forward-timeout", "soon");
            assertThat(FastLauncher.settings(jar))
                    .as("a timeout it cannot read")
                    .isNull();
            System.clearProperty("single-instance.forward-timeout");
            System.setProperty("single-instance.scope", "galaxy");
            assertThat(FastLauncher.settings(jar)).as("a scope it cannot read").isNull();
        }
    }

    @Test
    void withoutACoreInTheJarItStartsTheApplication() throws IOException {
        try (ZipFile jar = jar(AnnotationReaderTest.Annotated.class)) {
            assertThat(FastLauncher.forwardIfRunning(jar, new String[0])).isEqualTo(-1);
        }
    }

    @Test
    void classPathIndexLinesNameTheNestedJars() {
        assertThat(FastLauncher.unquote("- \"BOOT-INF/lib/single-instance-core-1.0.jar\""))
                .isEqualTo("BOOT-INF/lib/single-instance-core-1.0.jar");
        assertThat(FastLauncher.unquote("BOOT-INF/lib/x.jar\r")).isEqualTo("BOOT-INF/lib/x.jar");
    }

    /** A jar laid out as Spring Boot's, whose Start-Class is {@code startClass}. */
    private ZipFile jar(Class<?> startClass) throws IOException {
        Path jar = Files.createTempFile(directory, "app", ".jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            write(
                    out,
                    "Manifest-Version: 1.0\r\nStart-Class: " + startClass.getName()
                            + "\r\nSpring-Boot-Classes: BOOT-INF/classes/\r\n\r\n");
            out.putNextEntry(
                    new ZipEntry("BOOT-INF/classes/" + startClass.getName().replace('.', '/') + ".class"));
            out.write(AnnotationReaderTest.classFile(startClass));
        }
        return new ZipFile(jar.toFile());
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }
}
