package io.github.singleinstance.internal.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Maps a segment file read-write. This is the Java 17-21 version; the jar carries a second one for Java 22 and later
 * ({@code src/main/java22}, in {@code META-INF/versions/22}), which maps through the FFM API instead: from Java 18 on
 * {@code FileChannel.map} creates its buffer by core reflection, whose first use spins method handles, some 40 ms of
 * a second launch on Java 25 (measured in docs/performance.md); the FFM mapping takes no reflective path. Both give
 * a direct buffer over the file's shared pages, unmapped when it is garbage collected.
 */
public final class FileMapping {

    private FileMapping() {}

    /** The first {@code size} bytes of {@code channel}'s file, mapped shared and read-write. */
    public static ByteBuffer mapReadWrite(FileChannel channel, long size) throws IOException {
        return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
    }

    /** Which version of this class runs: 17 or 22 (for tests and benchmarks). */
    public static int variant() {
        return 17;
    }
}
