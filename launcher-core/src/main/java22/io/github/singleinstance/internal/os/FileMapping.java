package io.github.singleinstance.internal.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Maps a segment file read-write, Java 22 and later: through the FFM API, whose mapping takes no core-reflection path
 * (see the Java 17 version in src/main/java for why that matters). The automatic arena unmaps the file when the
 * buffer is garbage collected, as a {@code MappedByteBuffer} is.
 */
public final class FileMapping {

    private FileMapping() {}

    /** The first {@code size} bytes of {@code channel}'s file, mapped shared and read-write. */
    public static ByteBuffer mapReadWrite(FileChannel channel, long size) throws IOException {
        return channel.map(FileChannel.MapMode.READ_WRITE, 0, size, Arena.ofAuto()).asByteBuffer();
    }

    /** Which version of this class runs: 17 or 22 (for tests and benchmarks). */
    public static int variant() {
        return 22;
    }
}
