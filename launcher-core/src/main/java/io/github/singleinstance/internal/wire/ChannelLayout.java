package io.github.singleinstance.internal.wire;

import java.nio.ByteOrder;

/**
 * The byte layout of the channel segment ({@code <key>.r}): a header page, the launch ring, the reply slots. All
 * integers are in the machine's native byte order; every field is aligned to its size. The format's version is the
 * protocol version ({@link ClaimHeader#PROTOCOL_VERSION}), which the claim's frozen header announces first.
 *
 * <pre>
 * Header (one 4096-byte page)
 *   0                   8         12        16                  24                  32
 *   +-------------------+---------+---------+-------------------+-------------------+
 *   | MAGIC "SNGLINST"  | VERSION |  STATE  |    PRIMARY_PID    |   CREATED_MILLIS  |
 *   +---------+---------+---------+---------+-------------------+-------------------+
 *   32        36        40        44        48                  56
 *   | RING_CAP|SLOT_CNT |SLOT_SIZE|FEATURES |      TAKEN        |  ... zero to 128
 *   +---------+---------+---------+---------+-------------------+
 *   FEATURES: what this primary offers beyond the version's base; zero in primaries that predate the field (it was
 *          always zero), so a sender uses a feature only where its bit is set.
 *          bit 0 STREAMS: stream connections (StreamFrames), extended launch records (LaunchCodec's EXTENSION) and
 *          launches too large for the ring (sent as a stub record, the rest over the stream connection)
 *          bit 1 MORE: the primary reads the MORE section after an EXTENSION's environment (LaunchCodec: the
 *          sender's terminal); set only with STREAMS
 *   TAKEN: launches the primary has taken from the ring so far; a waiting sender that sees it move knows the
 *          primary's intake is working through the launches ahead of its own
 *   128: TAIL (long, producers CAS it)     own cache line
 *   192: HEAD (long, the consumer's)       own cache line
 *   256: DOORBELL (int)                    own cache line: producers bump and ring it, the listener waits on it
 *   (DOORBELL + 4: the OS layer's ARMED word, OsBackend.openBell: 1 while the listener is about to sleep and wants
 *   a byte on the bell FIFO, os.linux.FifoDoorbell)
 *   1024: RUNG (int per reply slot, slots 0 to 767; 4096 ends the page)
 *   +--------+--------+-- ... --+--------+
 *   | slot 0 | slot 1 |         |slot 767|   each: 0 until the launch in that slot has rung the doorbell, then the
 *   +--------+--------+-- ... --+--------+   sender's System.nanoTime() when its ring ended, in 1024 ns ticks, low bit
 *                                            set (Channel.markRung). Read only by the intake's lost-wake-up check: a
 *          launch its intake found on the recheck was lost only if its ring ended before that sleep's timeout.
 *          Written by senders that know the field; a primary that predates it never reads it, and a launch of a
 *          sender that predates it counts as not rung.
 *
 * Ring: RING_CAP bytes (a power of two) at offset 4096; records as drawn in {@link LaunchRing}.
 * Reply slots: SLOT_CNT slots of SLOT_SIZE bytes at offset 4096 + RING_CAP; drawn in {@link ReplySlots}.
 * </pre>
 *
 * <p>MAGIC and VERSION stay at offsets 0 and 8 in every future version, so any launcher can tell which format a
 * primary speaks. A creator writes VERSION before MAGIC and MAGIC with release semantics, so a reader that sees
 * the magic (read with acquire) also sees the version: a segment still being created has no magic yet, never a
 * magic with version 0. STATE is written last, with release semantics, when the primary has initialised everything:
 * INITIALIZING (0) until then, READY (1) while it serves, CLOSED (2) once it stops taking launches.
 */
public final class ChannelLayout {

    public static final long MAGIC = 0x534E474C494E5354L; // "SNGLINST" read as a big-endian long
    /** The channel format this build speaks: the protocol version, one constant for both. */
    public static final int VERSION = ClaimHeader.PROTOCOL_VERSION;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int STATE_OFFSET = 12;
    public static final int PRIMARY_PID_OFFSET = 16;
    static final int CREATED_MILLIS_OFFSET = 24;
    static final int RING_CAPACITY_OFFSET = 32;
    static final int SLOT_COUNT_OFFSET = 36;
    static final int SLOT_SIZE_OFFSET = 40;
    public static final int FEATURES_OFFSET = 44;
    static final int TAKEN_OFFSET = 48;
    static final int TAIL_OFFSET = 128;
    static final int HEAD_OFFSET = 192;
    public static final int DOORBELL_OFFSET = 256;
    static final int RUNG_OFFSET = 1024;
    static final int RUNG_SLOTS = (4096 - RUNG_OFFSET) / 4;

    public static final int HEADER_SIZE = 4096;

    static final int FEATURE_STREAMS = 1;
    static final int FEATURE_MORE = 2;

    static final int STATE_INITIALIZING = 0;
    public static final int STATE_READY = 1;
    static final int STATE_CLOSED = 2;

    public static final int DEFAULT_RING_CAPACITY = 1 << 20;
    public static final int MIN_RING_CAPACITY = 1 << 16;
    static final int MAX_RING_CAPACITY = 1 << 26;
    static final int SLOT_COUNT = 256;
    public static final int SLOT_SIZE = 4096;
    static final int MAX_SLOT_COUNT = 4096;

    public static final int MAX_SEGMENT_SIZE = HEADER_SIZE + MAX_RING_CAPACITY + MAX_SLOT_COUNT * SLOT_SIZE;

    private ChannelLayout() {}

    static int ringOffset() {
        return HEADER_SIZE;
    }

    static int slotsOffset(int ringCapacity) {
        return HEADER_SIZE + ringCapacity;
    }

    public static int segmentSize(int ringCapacity, int slotCount, int slotSize) {
        return HEADER_SIZE + ringCapacity + slotCount * slotSize;
    }

    /**
     * Where the low 32 bits of a 64-bit word at {@code offset} are: futexes wait on 32-bit words, and the part of a
     * slot's control word that changes with every transition is its low half.
     */
    static int lowHalfOffset(int offset) {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? offset : offset + 4;
    }

    public static void checkRingCapacity(int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < MIN_RING_CAPACITY || capacity > MAX_RING_CAPACITY) {
            throw new IllegalArgumentException("ring capacity must be a power of two in [" + MIN_RING_CAPACITY + ", "
                    + MAX_RING_CAPACITY + "]: ringCapacity=" + capacity);
        }
    }
}
