package io.github.singleinstance.internal.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
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
 * launch from a terminal never waits on the terminal. Every length is checked before anything is allocated
 * ({@link FrameReader}); frames are written by {@link FrameWriter}.
 */
public final class StreamFrames {

    public static final byte OUT = 1;
    public static final byte ERR = 2;
    public static final byte CREDIT = 3;
    public static final byte END = 4;
    public static final byte LAUNCH = 5;
    public static final byte IN = 6;
    public static final byte IN_EOF = 7;
    static final byte CANCEL = 8;

    public static final int HEADER_SIZE = 5;
    public static final int TOKEN_SIZE = 16;
    /** The largest data of one frame: larger writes are cut into frames of this size. */
    public static final int MAX_DATA = 64 * 1024;
    /** How much standard input the primary takes ahead of its handler: one credit window. */
    public static final int INPUT_WINDOW = 256 * 1024;

    public static final int OFFER_PATH_LENGTH_OFFSET = 0;
    public static final int OFFER_TOKEN_OFFSET = 4;
    public static final int OFFER_PATH_OFFSET = OFFER_TOKEN_OFFSET + TOKEN_SIZE;

    private StreamFrames() {}

    public static void writeFully(WritableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
