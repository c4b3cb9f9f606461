package io.github.singleinstance.internal.wire;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads the frames of one end of a stream connection ({@link StreamFrames}), allocating nothing per frame (see
 * {@link FrameWriter} for why): {@link #next()} reads a header and checks it, then the caller reads its data into a
 * buffer of its own with {@link #readData}. Not thread-safe: one reading thread.
 */
public final class FrameReader {

    private final ReadableByteChannel channel;
    private final ByteBuffer header =
            ByteBuffer.allocate(StreamFrames.HEADER_SIZE).order(ByteOrder.BIG_ENDIAN);
    private byte type;
    private int length;

    public FrameReader(ReadableByteChannel channel) {
        this.channel = channel;
    }

    /**
     * Reads the next frame's header; false at a clean end of the connection (none of the header read).
     *
     * @throws IOException on a broken connection, a truncated header, or a type or length out of bounds
     */
    public boolean next() throws IOException {
        header.clear();
        while (header.hasRemaining()) {
            if (channel.read(header) < 0) {
                if (header.position() == 0) {
                    return false;
                }
                throw new EOFException("the connection ended inside a frame header");
            }
        }
        type = header.get(0);
        length = header.getInt(1);
        if (type < StreamFrames.OUT
                || type > StreamFrames.CANCEL
                || length < 0
                || length > StreamFrames.MAX_DATA && type != StreamFrames.CREDIT) {
            throw new IOException("malformed frame: " + describe());
        }
        return true;
    }

    /** The type of the frame {@link #next()} read. */
    public byte type() {
        return type;
    }

    /** The LENGTH of the frame {@link #next()} read: its data's size, or the bytes of a CREDIT. */
    public int length() {
        return length;
    }

    /** Reads {@code count} bytes of the current frame's data into {@code view} at {@code offset} (its array's index). */
    public void readData(ByteBuffer view, int offset, int count) throws IOException {
        view.limit(offset + count).position(offset);
        while (view.hasRemaining()) {
            if (channel.read(view) < 0) {
                throw new EOFException("the connection ended inside a frame");
            }
        }
    }

    public String describe() {
        return "type=" + type + ", length=" + length;
    }
}
