package io.github.singleinstance.internal.os;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testsupport.TestEnvironment;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both versions of {@link FileMapping}: two mappings of one file share their bytes, atomics included. */
class FileMappingTest {

    private static final Path JAVA22_CLASSES = Path.of("target/classes/META-INF/versions/22");

    @TempDir
    Path dir;

    @Test
    void twoMappingsOfOneFileShareTheirBytes() throws Exception {
        assertSharedMappings((channel, size) -> FileMapping.mapReadWrite(channel, size));
    }

    /**
     * The Java 22+ version, as a multi-release jar serves it on Java 22 and later (the tests run from class
     * directories, where the JVM never looks into META-INF/versions): loaded from its own directory.
     */
    @Test
    void theJava22VersionMapsThroughTheFfmApi() throws Exception {
        TestEnvironment.applicableOnlyIf(Runtime.version().feature() >= 22, "Java 22+ only");
        // a Maven build on Java 22+ compiles them (profile java22-mapping); an IDE's build may not
        TestEnvironment.requireOrSkip(
                Files.isDirectory(JAVA22_CLASSES),
                "the java22 sources are not compiled (" + JAVA22_CLASSES + "): build with the java22-mapping profile");
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {JAVA22_CLASSES.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Class<?> java22 = loader.loadClass(FileMapping.class.getName());
            assertThat(java22.getMethod("variant").invoke(null)).isEqualTo(22);
            Method map = java22.getMethod("mapReadWrite", FileChannel.class, long.class);
            assertSharedMappings((channel, size) -> (ByteBuffer) map.invoke(null, channel, size));
        }
    }

    private interface Mapper {
        ByteBuffer map(FileChannel channel, long size) throws Exception;
    }

    private void assertSharedMappings(Mapper mapper) throws Exception {
        Path file = dir.resolve("segment");
        Files.write(file, new byte[8192]);
        try (FileChannel one = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileChannel two = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer a = mapper.map(one, 8192).order(ByteOrder.nativeOrder());
            ByteBuffer b = mapper.map(two, 8192).order(ByteOrder.nativeOrder());
            assertThat(a.isDirect()).isTrue();
            assertThat(a.capacity()).isEqualTo(8192);
            assertThat(BufferAtomics.compareAndSetLong(a, 128, 0, 42)).isTrue();
            assertThat(BufferAtomics.getLongVolatile(b, 128)).isEqualTo(42);
            BufferAtomics.putIntRelease(b, 4096, 7);
            assertThat(BufferAtomics.getIntVolatile(a, 4096)).isEqualTo(7);
        }
        ByteBuffer onDisk = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.nativeOrder());
        assertThat(onDisk.getLong(128)).isEqualTo(42);
    }
}
