package io.github.singleinstance.internal.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * Writes the frames of one end of a stream connection ({@link StreamFrames}) through one buffer of the largest frame,
 * made on the first frame with data and reused: a stream of any length allocates nothing per frame, so it leaves no
 * garbage that would make the JVM touch more of its heap (the peak resident memory of a 1 GiB stream is that of a
 * short one). Each frame goes out in one write. Not thread-safe: the caller serialises writers.
 */
public final class FrameWriter {

    private final WritableByteChannel channel;
    private final ByteBuffer header =
            ByteBuffer.allocate(StreamFrames.HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
    private ByteBuffer frame;

    public FrameWriter(WritableByteChannel channel) {
        this.channel = channel;
    }

    /** Writes one frame of {@code type} carrying {@code length} (at most MAX_DATA) bytes of {@code data}. */
    public void write(byte type, byte[] data, int offset, int length) throws IOException {
        if (length > StreamFrames.MAX_DATA) {
            throw new IllegalArgumentException(
                    "a frame carries at most " + StreamFrames.MAX_DATA + " bytes: " + length);
        }
        if (frame == null) {
            frame = ByteBuffer.allocate(StreamFrames.HEADER_SIZE + StreamFrames.MAX_DATA)
                    .order(ByteOrder.BIG_ENDIAN);
        }
        frame.clear();
        frame.put(type).putInt(length).put(data, offset, length).flip();
        StreamFrames.writeFully(channel, frame);
    }

    /** Writes a frame of {@code type} without data whose LENGTH field says {@code value} (CREDIT), or 0. */
    public void writeEmpty(byte type, int value) throws IOException {
        header.clear();
        header.put(type).putInt(value).flip();
        StreamFrames.writeFully(channel, header);
    }
}
