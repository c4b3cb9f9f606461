package io.github.singleinstance.bootlauncher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.internal.boot.ForwardOnly;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FastLauncherTest {

    @TempDir
    Path directory;

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
    void itHandsTheCoreTheStartClassAndItsAttributesAsWrittenByTheirNames() throws IOException {
        try (ZipFile jar = jar(AnnotationReaderTest.Annotated.class)) {
            String[] args = {"a"};
            Map<String, Object> arguments = FastLauncher.forwardArguments(jar, args);
            assertThat(arguments)
                    .containsOnlyKeys(
                            ForwardOnly.ARGS, ForwardOnly.MAIN_CLASS, ForwardOnly.DECLARED, ForwardOnly.HAND_OVER)
                    .containsEntry(ForwardOnly.ARGS, args)
                    .containsEntry(ForwardOnly.MAIN_CLASS, AnnotationReaderTest.Annotated.class.getName())
                    .containsEntry(ForwardOnly.HAND_OVER, Boolean.TRUE);
            assertThat(arguments.get(ForwardOnly.DECLARED))
                    .isEqualTo(Map.of(
                            "id", "com.example.viewer",
                            "scope", "SESSION",
                            "forwardTimeout", "3s",
                            "totalTimeout", "PT1M",
                            "ringCapacity", "65536",
                            "backend", "PORTABLE"));
        }
    }

    @Test
    void withoutTheAnnotationOnTheStartClassTheApplicationDecides() throws IOException {
        try (ZipFile jar = jar(AnnotationReaderTest.Other.class)) {
            assertThat(FastLauncher.forwardArguments(jar, new String[0])).isNull();
        }
    }

    @Test
    void itUsesTheCoresNamesWithoutNeedingAnyClassOfTheCore() throws Exception {
        URL launcherClasses =
                FastLauncher.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader withoutCore = new URLClassLoader(
                        "launcher-only", new URL[] {launcherClasses}, ClassLoader.getPlatformClassLoader());
                ZipFile jar = jar(AnnotationReaderTest.Annotated.class)) {
            Class<?> launcher = Class.forName(FastLauncher.class.getName(), true, withoutCore);
            assertThatThrownBy(() -> withoutCore.loadClass(ForwardOnly.class.getName()))
                    .as("the core is not on this loader's class path")
                    .isInstanceOf(ClassNotFoundException.class);
            Method forwardArguments = launcher.getDeclaredMethod("forwardArguments", ZipFile.class, String[].class);
            forwardArguments.setAccessible(true);

            Object arguments = forwardArguments.invoke(null, jar, new String[] {"a"});

            assertThat(((Map<?, ?>) arguments).keySet().toArray(new Object[0]))
                    .as("named by the core's constants, copied in by javac")
                    .containsExactlyInAnyOrder(
                            ForwardOnly.ARGS, ForwardOnly.MAIN_CLASS, ForwardOnly.DECLARED, ForwardOnly.HAND_OVER);
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
