package io.github.singleinstance.internal.wire;

import io.github.singleinstance.internal.os.ClaimHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The claim file's fixed header: the part of the rendezvous that never changes between versions, so that any launch,
 * of any version, can tell who holds the claim, which protocol it speaks, whether it is alive and making progress,
 * where its channel is, and can ask it to hand over (replace).
 *
 * <pre>
 * Claim file (FROZEN: these offsets, sizes and meanings never change; later versions may only use bytes 64 and up,
 * and never the lock byte)
 *   0                   8         12        16                  24                  32                  40
 *   +-------------------+---------+---------+-------------------+-------------------+-------------------+
 *   | MAGIC "SICLAIM1"  |PROTOCOL |  STATE  |        PID        |     PROGRESS      |   REPLACE_PID     |
 *   +---------+---------+---------+---------+-------------------+-------------------+-------------------+
 *   40        44        48                                                                             64
 *   |DOORBELL | CHANNEL | (zero)  ...                                                                     |
 *   +---------+---------+------------------------------------------------------------------------------------+
 *   ... no data up to LOCK_BYTE (2^30): the file is 64 bytes long, the byte is past its end
 *   2^30
 *   +------+
 *   | LOCK |  the one byte the primary locks (ClaimFiles.LOCK_POSITION); never read or written by anyone
 *   +------+
 *   All fields little-endian, whatever the machine (a frozen format must not depend on it).
 *   MAGIC        written last by the lock's holder: a header without it is a claim whose holder is starting
 *   PROTOCOL     the protocol version the holder speaks (the channel's format and everything behind it)
 *   STATE        1 STARTING (claimed, channel not yet open), 2 READY (taking launches), 3 CLOSING (stopping or
 *                handing over)
 *   PID          the holder's process id, as it sees it (meaningless across pid namespaces: only for messages)
 *   PROGRESS     a counter the holder advances every 100 ms while it owes anyone something: while it starts, while
 *                launches it took are unanswered, while it closes. A waiting launch that sees it move knows the
 *                holder is alive and working; silence for the forward timeout means stopped or hung
 *   REPLACE_PID  0, or the pid of a launch that asks the holder to hand over (written by that launch)
 *   DOORBELL     the holder's doorbell kind, so a launch forwards through the matching one: 0 not yet known
 *                (starting), 1 posix (bell FIFO), 2 portable (Unix-domain sockets: macOS, others), 3 posix on macOS,
 *                4 windows, 5 portable (a watched directory: Linux, Windows)
 *   CHANNEL      the generation of the holder's channel (unsigned; InstanceKey.channelName): each new holder takes
 *                the previous holder's generation + 1, so no channel name is ever created twice
 *   LOCK         the liveness lock covers this byte alone. Windows' byte-range locks are mandatory (a locked byte
 *                cannot be read or written by any other process), so the lock lives where no data does, as
 *                SQLite's lock bytes do: every launch can read the header while a primary holds the claim
 * </pre>
 * The claim file is created once and never removed: deleting a file another process has open is refused or left
 * "delete pending" on Windows, and a name that is never removed can never be raced. A new holder overwrites the header.
 * The holder writes the fields with positional writes on the claim file (no mapping); readers read them the same
 * way. A read may interleave with a write: only PROGRESS changes often, and a torn PROGRESS just reads as progress.
 * Stateless helpers; any thread.
 */
public final class ClaimHeader {

    /** The protocol version this build speaks: the one constant to change when the protocol changes. */
    public static final int PROTOCOL_VERSION = 3;

    public static final long MAGIC = 0x314D49414C434953L; // "SICLAIM1" as little-endian bytes
    public static final int MAGIC_OFFSET = 0;
    public static final int PROTOCOL_OFFSET = 8;
    public static final int STATE_OFFSET = 12;
    public static final int PID_OFFSET = 16;
    static final int PROGRESS_OFFSET = 24;
    static final int REPLACE_PID_OFFSET = 32;
    public static final int DOORBELL_OFFSET = 40;
    public static final int CHANNEL_OFFSET = 44;
    public static final int SIZE = 64;

    public static final int STATE_STARTING = 1;
    public static final int STATE_READY = 2;
    public static final int STATE_CLOSING = 3;

    private ClaimHeader() {}

    /** What a launch read of a claim's header. */
    public record Snapshot(
            boolean valid,
            int protocol,
            int state,
            long pid,
            long progress,
            long replacePid,
            int doorbellKind,
            int channel) {

        public static final Snapshot NONE = new Snapshot(false, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Reads {@code claim}'s header; {@link Snapshot#NONE} if it has none yet (its holder is starting). */
    public static Snapshot read(ClaimHandle claim) {
        ByteBuffer in = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            if (claim.read(in, in.position()) <= 0) {
                return Snapshot.NONE;
            }
        }
        if (in.getLong(MAGIC_OFFSET) != MAGIC) {
            return Snapshot.NONE;
        }
        return new Snapshot(
                true,
                in.getInt(PROTOCOL_OFFSET),
                in.getInt(STATE_OFFSET),
                in.getLong(PID_OFFSET),
                in.getLong(PROGRESS_OFFSET),
                in.getLong(REPLACE_PID_OFFSET),
                in.getInt(DOORBELL_OFFSET),
                in.getInt(CHANNEL_OFFSET));
    }

    /**
     * For the lock's new holder: writes the whole header, STARTING, MAGIC last, with the channel generation after
     * the previous holder's (whatever a dead or departed holder left there: a header is never removed). MAGIC is
     * cleared first, so that no reader takes the previous holder's fields, half overwritten, for this holder's.
     */
    public static void claim(ClaimHandle claim, long pid, int doorbellKind) {
        int previousChannel = (int) readWord(claim, CHANNEL_OFFSET, 4); // even without MAGIC: a holder died writing
        writeLong(claim, MAGIC_OFFSET, 0);
        ByteBuffer out = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(PROTOCOL_OFFSET, PROTOCOL_VERSION);
        out.putInt(STATE_OFFSET, STATE_STARTING);
        out.putLong(PID_OFFSET, pid);
        out.putInt(DOORBELL_OFFSET, doorbellKind);
        out.putInt(CHANNEL_OFFSET, previousChannel + 1);
        out.position(8);
        claim.write(out, 8);
        writeLong(claim, MAGIC_OFFSET, MAGIC);
    }

    /** For the holder: the channel generation it creates its channel under (see {@link #claim}). */
    public static void setChannel(ClaimHandle claim, int generation) {
        ByteBuffer out = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, generation);
        claim.write(out, CHANNEL_OFFSET);
    }

    public static void setState(ClaimHandle claim, int state) {
        ByteBuffer out = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, state);
        claim.write(out, STATE_OFFSET);
    }

    public static void setDoorbellKind(ClaimHandle claim, int doorbellKind) {
        ByteBuffer out = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, doorbellKind);
        claim.write(out, DOORBELL_OFFSET);
    }

    public static void setProgress(ClaimHandle claim, long progress) {
        writeLong(claim, PROGRESS_OFFSET, progress);
    }

    /** A launch asks the holder to hand over ({@code pid}), or withdraws its request (0). */
    public static void requestReplace(ClaimHandle claim, long pid) {
        writeLong(claim, REPLACE_PID_OFFSET, pid);
    }

    public static long replacePid(ClaimHandle claim) {
        return readWord(claim, REPLACE_PID_OFFSET, 8);
    }

    /** The little-endian word of {@code size} (4 or 8) bytes at {@code offset}; 0 where the file ends before it. */
    private static long readWord(ClaimHandle claim, int offset, int size) {
        ByteBuffer in = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).limit(size);
        while (in.hasRemaining()) {
            if (claim.read(in, offset + in.position()) <= 0) {
                return 0;
            }
        }
        return size == 4 ? in.getInt(0) & 0xFFFFFFFFL : in.getLong(0);
    }

    private static void writeLong(ClaimHandle claim, int offset, long value) {
        claim.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
    }
}
