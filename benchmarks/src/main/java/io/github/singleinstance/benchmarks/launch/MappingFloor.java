package io.github.singleinstance.benchmarks.launch;

import io.github.singleinstance.internal.os.FileMapping;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The floor under a second launch that maps its primary's channel, with no protocol at all: a JVM opens a file the
 * size of a default channel and reads its first byte, either with a positional read ({@code read}) or through a
 * mapping made by the library's own {@link FileMapping} ({@code map}: {@code FileChannel.map} on Java 17-21, the FFM
 * API from the core jar's Java 22+ part). Then it exits through {@link System#exit}, as a second launch that passes on
 * its primary's exit code must. The difference between the two is what mapping alone costs a fresh JVM; no second
 * launch that maps can be faster than {@code map}.
 *
 * <p>Arguments: {@code read|map} and the file's path.
 */
public final class MappingFloor {

    private MappingFloor() {}

    public static void main(String[] args) throws IOException {
        boolean map = args[0].equals("map");
        int first;
        try (FileChannel channel =
                FileChannel.open(Path.of(args[1]), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (map) {
                first = FileMapping.mapReadWrite(channel, channel.size()).get(0);
            } else {
                ByteBuffer oneByte = ByteBuffer.allocate(1);
                channel.read(oneByte, 0);
                first = oneByte.get(0);
            }
        }
        System.out.println("first byte " + first);
        System.exit(0);
    }
}
