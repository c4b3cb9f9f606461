package io.github.singleinstance.internal.wire;

import io.github.singleinstance.internal.os.BufferAtomics;
import java.nio.ByteBuffer;

/**
 * A many-producer, single-consumer ring of variable-length records over shared memory. Producers are second
 * launches in other processes; the consumer is the primary's listener thread. The protocol follows the shape of
 * Agrona's ManyToOneRingBuffer (length-prefixed records, negative length while being written, a padding record at
 * the wrap), written anew over {@link BufferAtomics} so it needs no JVM flags.
 *
 * <pre>
 * Record (aligned to 8 bytes; never split across the wrap: a PADDING record fills the end instead)
 *   0         4         8
 *   +---------+---------+------------------------------------+
 *   | LENGTH  |  TYPE   |  payload (LENGTH - 8 bytes, then   |
 *   |         |         |  zero up to the 8-byte boundary)   |
 *   +---------+---------+------------------------------------+
 *   LENGTH: 0 = not yet written; negative = being written (-LENGTH is the record's size);
 *           positive = committed (written with release, read with acquire).
 *   TYPE:   1 = LAUNCH, 2 = PADDING.
 * </pre>
 *
 * <p>Producer: CAS TAIL forward by the record's size (plus padding at the wrap), write LENGTH negative, the type and
 * payload, then LENGTH positive with release. Consumer: read LENGTH at HEAD with acquire; if positive, copy the
 * record out, zero its bytes (so the next lap sees 0 = not yet written), then advance HEAD with release, which is
 * what frees the space for producers. A full ring is a result ({@code false}), not an exception.
 *
 * <p>Everything read from the buffer is untrusted: the consumer validates HEAD, TAIL and each LENGTH and TYPE, and
 * reports {@link Poll#CORRUPT} instead of reading out of bounds; a record stuck "being written" (its producer died or
 * froze mid-write) shows as {@link Poll#IN_PROGRESS} and the listener decides how long to wait for it.
 */
public final class LaunchRing {

    static final int RECORD_HEADER_SIZE = 8;
    static final int LENGTH_OFFSET = 0;
    static final int TYPE_OFFSET = 4;
    static final int TYPE_LAUNCH = 1;
    static final int TYPE_PADDING = 2;
    private static final int ALIGNMENT = 8;

    /** What one {@link #poll()} found. */
    public record Poll(Kind kind, byte[] payload) {
        public enum Kind {
            RECORD,
            PADDING,
            EMPTY,
            IN_PROGRESS,
            CORRUPT
        }

        static final Poll PADDING = new Poll(Kind.PADDING, null);
        static final Poll EMPTY = new Poll(Kind.EMPTY, null);
        static final Poll IN_PROGRESS = new Poll(Kind.IN_PROGRESS, null);
        static final Poll CORRUPT = new Poll(Kind.CORRUPT, null);
    }

    private final ByteBuffer buffer;
    private final int ringOffset;
    private final int capacity;
    private final int mask;

    /**
     * @param capacity a power of two of at least 64 bytes; what a channel may use is narrower and checked where it
     *     is configured ({@link ChannelLayout#checkRingCapacity}) and where a channel is opened
     */
    LaunchRing(ByteBuffer buffer, int ringOffset, int capacity) {
        if (Integer.bitCount(capacity) != 1 || capacity < 64) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 64: capacity=" + capacity);
        }
        this.buffer = buffer;
        this.ringOffset = ringOffset;
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    /** The largest payload one record can carry: a quarter of the ring, so several launches fit at once. */
    public int maxPayloadLength() {
        return capacity / 4 - RECORD_HEADER_SIZE;
    }

    /**
     * Appends one record. Thread-safe and process-safe among producers.
     *
     * @return false if the ring has no room for it now (the consumer is behind); nothing was written
     * @throws IllegalArgumentException if the payload is longer than {@link #maxPayloadLength()}
     */
    public boolean offer(byte[] payload) {
        if (payload.length > maxPayloadLength()) {
            throw new IllegalArgumentException(
                    "record payload too long: length=" + payload.length + ", limit=" + maxPayloadLength());
        }
        int recordLength = align(RECORD_HEADER_SIZE + payload.length);
        while (true) {
            long head = BufferAtomics.getLongVolatile(buffer, ChannelLayout.HEAD_OFFSET);
            long tail = BufferAtomics.getLongVolatile(buffer, ChannelLayout.TAIL_OFFSET);
            long used = tail - head;
            if (used < 0 || used > capacity) {
                return false; // counters damaged: the consumer will notice and rebuild the channel
            }
            int tailIndex = (int) (tail & mask);
            int toEnd = capacity - tailIndex;
            int padding = recordLength > toEnd ? toEnd : 0;
            if (used + padding + recordLength > capacity) {
                return false;
            }
            if (!BufferAtomics.compareAndSetLong(
                    buffer, ChannelLayout.TAIL_OFFSET, tail, tail + padding + recordLength)) {
                continue;
            }
            if (padding > 0) {
                buffer.putInt(ringOffset + tailIndex + TYPE_OFFSET, TYPE_PADDING);
                BufferAtomics.putIntRelease(buffer, ringOffset + tailIndex + LENGTH_OFFSET, padding);
                tailIndex = 0;
            }
            int at = ringOffset + tailIndex;
            BufferAtomics.putIntRelease(buffer, at + LENGTH_OFFSET, -recordLength);
            buffer.putInt(at + TYPE_OFFSET, TYPE_LAUNCH);
            buffer.put(at + RECORD_HEADER_SIZE, payload);
            BufferAtomics.putIntRelease(buffer, at + LENGTH_OFFSET, recordLength);
            return true;
        }
    }

    /** Takes the record at HEAD, if committed. Only the consumer thread calls this. */
    public Poll poll() {
        long head = BufferAtomics.getLongVolatile(buffer, ChannelLayout.HEAD_OFFSET);
        long tail = BufferAtomics.getLongVolatile(buffer, ChannelLayout.TAIL_OFFSET);
        long used = tail - head;
        if (used == 0) {
            return Poll.EMPTY;
        }
        if (used < 0 || used > capacity || (head & (ALIGNMENT - 1)) != 0) {
            return Poll.CORRUPT;
        }
        int index = (int) (head & mask);
        int at = ringOffset + index;
        int length = BufferAtomics.getIntVolatile(buffer, at + LENGTH_OFFSET);
        if (length <= 0) {
            return Poll.IN_PROGRESS;
        }
        if ((length & (ALIGNMENT - 1)) != 0
                || length < RECORD_HEADER_SIZE
                || length > capacity - index
                || length > used) {
            return Poll.CORRUPT;
        }
        int type = buffer.getInt(at + TYPE_OFFSET);
        Poll result;
        if (type == TYPE_PADDING) {
            result = Poll.PADDING;
        } else if (type == TYPE_LAUNCH && length <= align(RECORD_HEADER_SIZE + maxPayloadLength())) {
            byte[] payload = new byte[length - RECORD_HEADER_SIZE];
            buffer.get(at + RECORD_HEADER_SIZE, payload);
            result = new Poll(Poll.Kind.RECORD, payload);
        } else {
            return Poll.CORRUPT;
        }
        BufferAtomics.zero(buffer, at, length);
        BufferAtomics.putLongRelease(buffer, ChannelLayout.HEAD_OFFSET, head + length);
        return result;
    }

    private static int align(int length) {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }
}
