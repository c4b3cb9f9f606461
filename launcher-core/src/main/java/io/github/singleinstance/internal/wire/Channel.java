package io.github.singleinstance.internal.wire;

import io.github.singleinstance.IncompatiblePrimaryException;
import io.github.singleinstance.internal.os.BufferAtomics;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.SegmentSizeException;
import io.github.singleinstance.internal.os.SharedSegment;
import java.nio.ByteBuffer;

/**
 * One mapped channel segment: header, ring and reply slots, laid out as {@link ChannelLayout} draws. Created by a
 * primary, opened by second launches. Thread-safe as far as the ring and slots are; {@link #close()} unmaps, so its
 * caller makes sure no thread of this process still uses the channel.
 */
public final class Channel implements AutoCloseable {

    private final SharedSegment segment;
    private final ByteBuffer buffer;
    private final LaunchRing ring;
    private final ReplySlots slots;

    private Channel(SharedSegment segment, int ringCapacity, int slotCount, int slotSize) {
        this.segment = segment;
        this.buffer = segment.buffer();
        this.ring = new LaunchRing(buffer, ChannelLayout.ringOffset(), ringCapacity);
        this.slots = new ReplySlots(buffer, ChannelLayout.slotsOffset(ringCapacity), slotCount, slotSize);
    }

    /**
     * Creates the channel for primary {@code pid}, READY when this returns; {@code streams}: whether it offers stream
     * connections (FEATURE_STREAMS).
     *
     * @return the channel, or null if a segment of that name exists (the caller removes it and tries again)
     */
    public static Channel create(OsBackend os, String name, int ringCapacity, long pid, boolean streams) {
        int size = ChannelLayout.segmentSize(ringCapacity, ChannelLayout.SLOT_COUNT, ChannelLayout.SLOT_SIZE);
        SharedSegment segment = os.createSegment(name, size);
        if (segment == null) {
            return null;
        }
        ByteBuffer b = segment.buffer();
        b.putInt(ChannelLayout.VERSION_OFFSET, ChannelLayout.VERSION);
        b.putLong(ChannelLayout.PRIMARY_PID_OFFSET, pid);
        b.putLong(ChannelLayout.CREATED_MILLIS_OFFSET, System.currentTimeMillis());
        b.putInt(ChannelLayout.RING_CAPACITY_OFFSET, ringCapacity);
        b.putInt(ChannelLayout.SLOT_COUNT_OFFSET, ChannelLayout.SLOT_COUNT);
        b.putInt(ChannelLayout.SLOT_SIZE_OFFSET, ChannelLayout.SLOT_SIZE);
        b.putInt(
                ChannelLayout.FEATURES_OFFSET,
                streams ? ChannelLayout.FEATURE_STREAMS | ChannelLayout.FEATURE_MORE : 0);
        try {
            os.openBell(segment, ChannelLayout.DOORBELL_OFFSET); // before READY: senders may ring at once
        } catch (RuntimeException e) {
            segment.close();
            os.unlink(name);
            throw e;
        }
        // MAGIC after VERSION, with release: whoever sees the magic also sees the version (and the fields above)
        BufferAtomics.putLongRelease(b, ChannelLayout.MAGIC_OFFSET, ChannelLayout.MAGIC);
        BufferAtomics.putIntRelease(b, ChannelLayout.STATE_OFFSET, ChannelLayout.STATE_READY);
        return new Channel(segment, ringCapacity, ChannelLayout.SLOT_COUNT, ChannelLayout.SLOT_SIZE);
    }

    /** Why an existing channel segment cannot be used yet; the opener retries until its deadline. */
    public static final class NotUsableException extends Exception {
        NotUsableException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Opens the channel segment {@code name} as a second launch, checking everything before use.
     *
     * @return the channel (in any state: the caller checks {@link #state()}), or null if there is none
     * @throws IncompatiblePrimaryException if it is a channel of another format version
     * @throws NotUsableException if it is not (yet) a valid channel: being created, or damaged
     */
    public static Channel open(OsBackend os, String name) throws NotUsableException {
        SharedSegment segment;
        try {
            segment = os.openSegment(name, ChannelLayout.HEADER_SIZE, ChannelLayout.MAX_SEGMENT_SIZE);
        } catch (SegmentSizeException e) {
            throw new NotUsableException(e.getMessage());
        }
        if (segment == null) {
            return null;
        }
        try {
            ByteBuffer b = segment.buffer();
            long magic = BufferAtomics.getLongVolatile(b, ChannelLayout.MAGIC_OFFSET);
            if (magic != ChannelLayout.MAGIC) {
                throw new NotUsableException("channel " + name + " has no valid magic number (0x"
                        + Long.toHexString(magic) + "): being created, or not a channel");
            }
            int version = b.getInt(ChannelLayout.VERSION_OFFSET);
            if (version != ChannelLayout.VERSION) {
                throw new IncompatiblePrimaryException("the running primary (pid "
                        + b.getLong(ChannelLayout.PRIMARY_PID_OFFSET) + ") speaks channel format version " + version
                        + ", this launch speaks version " + ChannelLayout.VERSION + ": nothing was sent. Run the same "
                        + "version of the application, or stop the running one first.");
            }
            if (BufferAtomics.getIntVolatile(b, ChannelLayout.STATE_OFFSET) == ChannelLayout.STATE_INITIALIZING) {
                throw new NotUsableException("channel " + name + " is still being created");
            }
            int capacity = b.getInt(ChannelLayout.RING_CAPACITY_OFFSET);
            int slotCount = b.getInt(ChannelLayout.SLOT_COUNT_OFFSET);
            int slotSize = b.getInt(ChannelLayout.SLOT_SIZE_OFFSET);
            boolean sane = Integer.bitCount(capacity) == 1
                    && capacity >= ChannelLayout.MIN_RING_CAPACITY
                    && capacity <= ChannelLayout.MAX_RING_CAPACITY
                    && slotCount > 0
                    && slotCount <= ChannelLayout.MAX_SLOT_COUNT
                    && slotSize == ChannelLayout.SLOT_SIZE
                    && ChannelLayout.segmentSize(capacity, slotCount, slotSize) == b.capacity();
            if (!sane) {
                throw new NotUsableException("channel " + name + " has a damaged header: ringCapacity=" + capacity
                        + ", slotCount=" + slotCount + ", slotSize=" + slotSize + ", segmentSize=" + b.capacity());
            }
            return new Channel(segment, capacity, slotCount, slotSize);
        } catch (NotUsableException | RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    public LaunchRing ring() {
        return ring;
    }

    public ReplySlots slots() {
        return slots;
    }

    public String name() {
        return segment.name();
    }

    public int state() {
        return BufferAtomics.getIntVolatile(buffer, ChannelLayout.STATE_OFFSET);
    }

    public long primaryPid() {
        return buffer.getLong(ChannelLayout.PRIMARY_PID_OFFSET);
    }

    /** Whether the primary offers stream connections and large launches ({@link ChannelLayout#FEATURE_STREAMS}). */
    public boolean streams() {
        return (buffer.getInt(ChannelLayout.FEATURES_OFFSET) & ChannelLayout.FEATURE_STREAMS) != 0;
    }

    /**
     * Whether the primary reads the MORE section of an extended record ({@link ChannelLayout#FEATURE_MORE}): the
     * sender's terminal.
     */
    public boolean more() {
        int features = buffer.getInt(ChannelLayout.FEATURES_OFFSET);
        return (features & ChannelLayout.FEATURE_STREAMS) != 0 && (features & ChannelLayout.FEATURE_MORE) != 0;
    }

    /** When the primary created this channel (its wall clock, milliseconds since the epoch). */
    public long createdMillis() {
        return buffer.getLong(ChannelLayout.CREATED_MILLIS_OFFSET);
    }

    /** How many launches the primary has taken from this channel: it moves while its intake works. */
    public long taken() {
        return BufferAtomics.getLongVolatile(buffer, ChannelLayout.TAKEN_OFFSET);
    }

    /** For the primary's intake: one more launch taken. */
    public void countTaken() {
        BufferAtomics.putLongRelease(
                buffer, ChannelLayout.TAKEN_OFFSET, buffer.getLong(ChannelLayout.TAKEN_OFFSET) + 1);
    }

    void markClosed() {
        BufferAtomics.putIntRelease(buffer, ChannelLayout.STATE_OFFSET, ChannelLayout.STATE_CLOSED);
    }

    /** The doorbell's current value; pass it to the wait so that a ring between read and wait is not missed. */
    public int doorbell() {
        return BufferAtomics.getIntVolatile(buffer, ChannelLayout.DOORBELL_OFFSET);
    }

    /** Rings the doorbell: the listener wakes (or, if awake, will not go to sleep on the old value). */
    public void ringDoorbell(OsBackend os) {
        BufferAtomics.getAndAddInt(buffer, ChannelLayout.DOORBELL_OFFSET, 1);
        os.wakeAll(segment, ChannelLayout.DOORBELL_OFFSET);
    }

    /** Sleeps on the doorbell while it still reads {@code seen}; false if no ring ended the sleep (OsBackend#await). */
    public boolean awaitDoorbell(OsBackend os, int seen, long timeoutNanos) {
        return os.await(segment, ChannelLayout.DOORBELL_OFFSET, seen, timeoutNanos);
    }

    /** For a sender that has just claimed {@code slot}, before its record goes into the ring: not rung yet. */
    public void clearRung(int slot) {
        if (slot < ChannelLayout.RUNG_SLOTS) {
            BufferAtomics.putIntRelease(buffer, rungOffset(slot), 0);
        }
    }

    /** For a sender, once its ring for the launch in {@code slot} has ended: when it ended (ChannelLayout's RUNG). */
    public void markRung(int slot) {
        if (slot < ChannelLayout.RUNG_SLOTS) {
            BufferAtomics.putIntRelease(buffer, rungOffset(slot), rungTicks(System.nanoTime()));
        }
    }

    /**
     * For the intake, of a launch it has taken: whether its sender's ring ended before {@code deadlineNanos}
     * ({@link System#nanoTime()}, which on every platform this runs on reads one clock for all processes).
     */
    public boolean rungBefore(int slot, long deadlineNanos) {
        if (slot < 0 || slot >= ChannelLayout.RUNG_SLOTS) {
            return false;
        }
        int rung = BufferAtomics.getIntVolatile(buffer, rungOffset(slot));
        return rung != 0 && rung - rungTicks(deadlineNanos) < 0; // ticks wrap in 73 minutes: compare by difference
    }

    private static int rungOffset(int slot) {
        return ChannelLayout.RUNG_OFFSET + slot * 4;
    }

    private static int rungTicks(long nanos) {
        return (int) (nanos >>> 10) | 1;
    }

    /** Wakes the sender waiting on {@code slot}; nothing to do where senders poll their slots. */
    public void wakeSlot(OsBackend os, int slot) {
        if (!os.repliesArePolled()) {
            os.wakeAll(segment, slots.wakeWordOffset(slot));
        }
    }

    /** Waits until {@code slot}'s control word differs from {@code control}, at most {@code timeoutNanos}. */
    public void awaitSlot(OsBackend os, int slot, long control, long timeoutNanos) {
        os.await(segment, slots.wakeWordOffset(slot), (int) control, timeoutNanos);
    }

    /** {@link #awaitSlot} for a reply expected to take long (the launch was taken, the handler works on it). */
    public void awaitSlotPatiently(OsBackend os, int slot, long control, long timeoutNanos) {
        os.awaitPatiently(segment, slots.wakeWordOffset(slot), (int) control, timeoutNanos);
    }

    /**
     * Closes this channel to launches and sends every sender still waiting in the ring back to retry; launches the
     * closing primary already took are its to answer. For a primary that stops, or rebuilds a damaged channel.
     */
    public void retire(OsBackend os) {
        markClosed();
        wakeAll(os, slots.sendBackClaimed());
    }

    /** Closes the channel of a dead primary: every pending launch, taken or not, goes back to its sender. */
    public void retireAfterCrash(OsBackend os) {
        markClosed();
        wakeAll(os, slots.sendBackAllPending());
    }

    private void wakeAll(OsBackend os, int[] slotsToWake) {
        for (int slot : slotsToWake) {
            wakeSlot(os, slot);
        }
        ringDoorbell(os);
    }

    @Override
    public void close() {
        segment.close();
    }
}
