package io.github.singleinstance.internal.wire;

import io.github.singleinstance.internal.os.BufferAtomics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * For the jcstress module (which gets it from this module's test-jar): a small ring and the checks every jcstress
 * test applies to what came out of it. The ring protocol has no abort
 * step (a producer that dies mid-write makes the primary rebuild the channel, tested with real processes), so the
 * steps under test are claim (CAS of TAIL), commit (release store of LENGTH), wrap (padding) and consume.
 */
public final class RingStress {

    public static final int CAPACITY = 64; // records of up to 16 bytes: the wrap comes every few records

    private final ByteBuffer buffer =
            ByteBuffer.allocateDirect(ChannelLayout.HEADER_SIZE + CAPACITY).order(ByteOrder.nativeOrder());
    private final LaunchRing ring = new LaunchRing(buffer, ChannelLayout.ringOffset(), CAPACITY);
    private int intact;
    private int torn;
    private int orderBroken;
    private final int[] lastSeen = new int[3];

    /** Moves HEAD and TAIL to {@code position} (empty ring), so that the next records meet the wrap. */
    public RingStress startingAt(int position) {
        buffer.putLong(ChannelLayout.HEAD_OFFSET, position);
        buffer.putLong(ChannelLayout.TAIL_OFFSET, position);
        return this;
    }

    /** A payload of 8 bytes all equal to {@code producer}, then the producer's sequence number: tearing shows. */
    public static byte[] payload(int producer, int sequence) {
        return new byte[] {
            (byte) producer,
            (byte) producer,
            (byte) producer,
            (byte) producer,
            (byte) producer,
            (byte) producer,
            (byte) producer,
            (byte) sequence
        };
    }

    /** Offers one record to the ring, as a second launch does. */
    public boolean offer(byte[] payload) {
        return ring.offer(payload);
    }

    /** Polls once; records what came out. Returns false if nothing committed was there. */
    public boolean pollOnce() {
        LaunchRing.Poll poll = ring.poll();
        if (poll.kind() == LaunchRing.Poll.Kind.PADDING) {
            return true;
        }
        if (poll.kind() != LaunchRing.Poll.Kind.RECORD) {
            return false;
        }
        byte[] p = poll.payload();
        int producer = p[0];
        boolean whole = p.length == 8 && producer >= 1 && producer <= 2;
        for (int i = 1; whole && i < 7; i++) {
            whole = p[i] == producer;
        }
        if (!whole) {
            torn++;
            return true;
        }
        intact++;
        if (p[7] != lastSeen[producer] + 1) {
            orderBroken++;
        }
        lastSeen[producer] = p[7];
        return true;
    }

    /** Drains what is left (all producers are done when the arbiter calls this). */
    public void drain() {
        for (int i = 0;
                i < 64
                        && BufferAtomics.getLongVolatile(buffer, ChannelLayout.TAIL_OFFSET)
                                != BufferAtomics.getLongVolatile(buffer, ChannelLayout.HEAD_OFFSET);
                i++) {
            pollOnce();
        }
    }

    public int intact() {
        return intact;
    }

    public int torn() {
        return torn;
    }

    public int orderBroken() {
        return orderBroken;
    }
}
