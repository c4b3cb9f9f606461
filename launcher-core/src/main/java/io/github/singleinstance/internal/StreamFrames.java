package io.github.singleinstance.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The frames of a launch's stream connection: a Unix-domain socket between the primary and one second launch, opened
 * when the handler first uses the launch's streams (or at once, for a launch too large for the ring). It carries the
 * output, the input, the cancellation and the final reply; the kernel's socket buffers are its flow control (a slow
 * reader blocks the writer, nothing grows without bound).
 *
 * <pre>
 * Opening (the primary offers, the sender connects):
 *   primary: binds a socket in its private directory, writes the offer into the launch's reply slot and moves the
 *            slot TAKEN --> STREAM (ReplySlots); the sender connects and writes the 16-byte TOKEN of the offer first.
 *   Offer, in the slot's EXIT_CODE..MESSAGE area:  | PATH_LEN (int) | TOKEN (16 bytes) | PATH (UTF-8) |
 *
 * Every frame after the token:
 *   0      1                 5
 *   +------+-----------------+---------------------+
 *   | TYPE | LENGTH (int, BE)| LENGTH bytes of data |
 *   +------+-----------------+---------------------+
 *
 * primary --> sender                              sender --> primary
 *   OUT    (1) bytes for its standard output        LAUNCH (5) a piece of the launch record too large for the ring
 *   ERR    (2) bytes for its standard error                    (its full length was in the stub record)
 *   CREDIT (3) LENGTH more bytes of standard        IN     (6) bytes of its standard input, never more than the
 *              input may come; no data                         credit given
 *   END    (4) EXIT_CODE (int) then the reply's     IN_EOF (7) its standard input ended; no data
 *              message (UTF-8); the last frame      CANCEL (8) it was interrupted (SIGINT, SIGTERM); no data
 * </pre>
 * The sender reads no standard input until it has credit, so a handler that never reads it costs nothing, and a
 * launch from a terminal never waits on the terminal. Every length is checked before anything is allocated.
 */
final class StreamFrames {

    static final byte OUT = 1;
    static final byte ERR = 2;
    static final byte CREDIT = 3;
    static final byte END = 4;
    static final byte LAUNCH = 5;
    static final byte IN = 6;
    static final byte IN_EOF = 7;
    static final byte CANCEL = 8;

    static final int HEADER_SIZE = 5;
    static final int TOKEN_SIZE = 16;
    /** The largest data of one frame: larger writes are cut into frames of this size. */
    static final int MAX_DATA = 64 * 1024;
    /** How much standard input the primary takes ahead of its handler: one credit window. */
    static final int INPUT_WINDOW = 256 * 1024;

    static final int OFFER_PATH_LENGTH_OFFSET = 0;
    static final int OFFER_TOKEN_OFFSET = 4;
    static final int OFFER_PATH_OFFSET = OFFER_TOKEN_OFFSET + TOKEN_SIZE;

    private StreamFrames() {}

    /** A frame's header, read. */
    record Header(byte type, int length) {}

    /** Writes one frame's header and data; the caller serialises writers. */
    static void write(GatheringByteChannel channel, byte type, byte[] data, int offset, int length) throws IOException {
        write(channel, ByteBuffer.allocate(HEADER_SIZE), type, data, offset, length);
    }

    /**
     * Writes one frame, its header through {@code header} (HEADER_SIZE bytes, reused by a writer of many frames: no
     * garbage per frame); the caller serialises writers.
     */
    static void write(GatheringByteChannel channel, ByteBuffer header, byte type, byte[] data, int offset, int length)
            throws IOException {
        header.clear();
        header.order(ByteOrder.BIG_ENDIAN).put(0, type).putInt(1, length);
        ByteBuffer[] frame = {header, ByteBuffer.wrap(data, offset, length)};
        while (frame[1].hasRemaining() || frame[0].hasRemaining()) {
            channel.write(frame); // one system call for header and data, as a rule
        }
    }

    static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /**
     * Reads the next frame's header; null at a clean end of stream (none of the header read).
     *
     * @throws IOException on a broken connection, a truncated header, or a length out of bounds
     */
    static Header readHeader(ReadableByteChannel channel, ByteBuffer scratch) throws IOException {
        scratch.clear().limit(HEADER_SIZE);
        while (scratch.hasRemaining()) {
            if (channel.read(scratch) < 0) {
                if (scratch.position() == 0) {
                    return null;
                }
                throw new EOFException("the connection ended inside a frame header");
            }
        }
        byte type = scratch.get(0);
        int length = scratch.order(ByteOrder.BIG_ENDIAN).getInt(1);
        if (type < OUT || type > CANCEL || length < 0 || length > MAX_DATA && type != CREDIT) {
            throw new IOException("malformed frame: type=" + type + ", length=" + length);
        }
        return new Header(type, length);
    }

    /** Reads exactly {@code buffer.remaining()} bytes. */
    static void readFully(ReadableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException("the connection ended inside a frame");
            }
        }
    }
}
