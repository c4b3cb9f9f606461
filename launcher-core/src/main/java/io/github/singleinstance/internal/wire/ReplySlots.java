package io.github.singleinstance.internal.wire;

import io.github.singleinstance.Reply;
import io.github.singleinstance.internal.os.BufferAtomics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongPredicate;

/**
 * The reply slots: each waiting second launch owns one slot, where the primary writes its answer and wakes it.
 *
 * <pre>
 * Slot (SLOT_SIZE bytes)
 *   0                                       8           12          16
 *   +---------------------------------------+-----------+-----------+-------------------------------+
 *   | CONTROL: OWNER_PID(32) GEN(24) STATE(8)| EXIT_CODE |MESSAGE_LEN| MESSAGE (UTF-8, up to 4080 B) |
 *   +---------------------------------------+-----------+-----------+-------------------------------+
 * </pre>
 *
 * CONTROL changes only by CAS. Its low half (GEN and STATE) changes on every transition, so the owner waits on it
 * with a futex. A record in the ring names its slot and the CONTROL value it expects (its "ticket"); a ticket that no
 * longer matches means the sender withdrew, and the record is dropped.
 *
 * <pre>
 *  FREE --claim(sender)--> CLAIMED --take(primary)--> TAKEN --answer(primary)--> WRITING --> REPLIED --release(sender)--> FREE
 *                            |  \--withdraw(sender, on timeout)--> FREE          |  \--abandon(sender, on timeout)--> ABANDONED --(primary)--> FREE
 *                            \--sendBack(primary closing)--> RETRY --release(sender)--> FREE
 *  TAKEN --sendBackTaken(primary closing before the handler ran it)--> RETRY
 *  TAKEN --offerStream(primary: the handler uses the launch's streams)--> STREAM --release(sender, once connected)
 *        or freeStream(primary, when the sender never connected)--> FREE       (the reply then comes as a frame)
 *  CLAIMED, TAKEN or WRITING --sendBackAllPending(new primary clearing a dead one's channel)--> RETRY
 *  CLAIMED, REPLIED, RETRY or STREAM whose owner process is dead may be claimed again by a new sender (GEN
 *  increments).
 * </pre>
 * An ABANDONED launch is one whose sender stopped waiting: timed out, or interrupted (Ctrl-C); its handler sees it as
 * cancelled. STREAM is offered only to a sender that said it can stream (LaunchCodec's FLAGS), so a sender of an
 * older version never meets it; the offer (where to connect) is drawn in {@link StreamFrames}.
 */
public final class ReplySlots {

    static final int FREE = 0;
    public static final int CLAIMED = 1;
    public static final int TAKEN = 2;
    public static final int WRITING = 3;
    public static final int REPLIED = 4;
    public static final int RETRY = 5;
    static final int ABANDONED = 6;
    public static final int STREAM = 7;

    static final int CONTROL_OFFSET = 0;
    static final int EXIT_CODE_OFFSET = 8;
    static final int MESSAGE_LENGTH_OFFSET = 12;
    static final int MESSAGE_OFFSET = 16;

    private final ByteBuffer buffer;
    private final int slotsOffset;
    private final int slotCount;
    private final int slotSize;

    ReplySlots(ByteBuffer buffer, int slotsOffset, int slotCount, int slotSize) {
        this.buffer = buffer;
        this.slotsOffset = slotsOffset;
        this.slotCount = slotCount;
        this.slotSize = slotSize;
    }

    public static long control(long pid, int generation, int state) {
        return (pid << 32) | ((long) (generation & 0xFFFFFF) << 8) | state;
    }

    public static int state(long control) {
        return (int) (control & 0xFF);
    }

    static int generation(long control) {
        return (int) ((control >>> 8) & 0xFFFFFF);
    }

    static long ownerPid(long control) {
        return control >>> 32;
    }

    static long withState(long control, int state) {
        return (control & ~0xFFL) | state;
    }

    public int count() {
        return slotCount;
    }

    /** Offset of the futex word of {@code slot}: the low half of its CONTROL. */
    int wakeWordOffset(int slot) {
        return ChannelLayout.lowHalfOffset(controlOffset(slot));
    }

    public long control(int slot) {
        return BufferAtomics.getLongVolatile(buffer, controlOffset(slot));
    }

    /**
     * Claims a free slot for {@code pid}, or else one whose owner is dead. Starts at a random slot so that concurrent
     * senders rarely contend.
     *
     * @return the slot index and its CLAIMED control value, or null if every slot is held by a live process
     */
    public Ticket claim(long pid, LongPredicate isAlive) {
        int start = ThreadLocalRandom.current().nextInt(slotCount);
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < slotCount; i++) {
                int slot = (start + i) % slotCount;
                long current = control(slot);
                int state = state(current);
                boolean reclaimable = state == FREE
                        || (pass == 1
                                && (state == CLAIMED || state == REPLIED || state == RETRY || state == STREAM)
                                && !isAlive.test(ownerPid(current)));
                if (!reclaimable) {
                    continue;
                }
                long claimed = control(pid, generation(current) + 1, CLAIMED);
                if (cas(slot, current, claimed)) {
                    return new Ticket(slot, claimed);
                }
            }
        }
        return null;
    }

    /** A slot and the CLAIMED control value its claimer holds it with. */
    public record Ticket(int slot, long control) {}

    /** Sender gives up before the primary took its launch; false if the primary took it meanwhile. */
    public boolean withdraw(Ticket ticket) {
        return cas(ticket.slot(), ticket.control(), control(0, generation(ticket.control()), FREE));
    }

    /** Sender gives up on a launch the primary took but has not answered; false if the answer came meanwhile. */
    public boolean abandon(Ticket ticket) {
        return cas(ticket.slot(), withState(ticket.control(), TAKEN), withState(ticket.control(), ABANDONED));
    }

    /** Sender is done with a REPLIED or RETRY slot. */
    public void release(Ticket ticket, int fromState) {
        cas(ticket.slot(), withState(ticket.control(), fromState), control(0, generation(ticket.control()), FREE));
    }

    public Reply readReply(int slot) {
        int base = slotBase(slot);
        int exitCode = buffer.getInt(base + EXIT_CODE_OFFSET);
        int length = buffer.getInt(base + MESSAGE_LENGTH_OFFSET);
        if (length < 0 || length > slotSize - MESSAGE_OFFSET || exitCode < 0 || exitCode > 255) {
            return new Reply(
                    70,
                    "the primary's reply was damaged in shared memory (exitCode=" + exitCode + ", messageLength="
                            + length + "); the launch was delivered");
        }
        byte[] message = new byte[length];
        buffer.get(base + MESSAGE_OFFSET, message);
        return new Reply(exitCode, new String(message, StandardCharsets.UTF_8));
    }

    /**
     * Primary offers the sender a stream connection (a taken launch whose handler uses its streams): writes
     * {@code offer} into the slot, then moves it TAKEN to STREAM. False if the sender abandoned the launch.
     */
    public boolean offerStream(int slot, long ticketControl, byte[] offer) {
        if (offer.length > slotSize - EXIT_CODE_OFFSET) {
            throw new IllegalArgumentException("stream offer too long: bytes=" + offer.length);
        }
        buffer.put(slotBase(slot) + EXIT_CODE_OFFSET, offer);
        return cas(slot, withState(ticketControl, TAKEN), withState(ticketControl, STREAM));
    }

    /** Sender reads the offer of a slot in STREAM, bounded by the slot (its PATH_LEN is checked by the reader). */
    public byte[] readOffer(int slot) {
        int pathLength = buffer.getInt(slotBase(slot) + EXIT_CODE_OFFSET + StreamFrames.OFFER_PATH_LENGTH_OFFSET);
        int length = StreamFrames.OFFER_PATH_OFFSET + Math.max(0, pathLength);
        byte[] offer = new byte[Math.min(length, slotSize - EXIT_CODE_OFFSET)];
        buffer.get(slotBase(slot) + EXIT_CODE_OFFSET, offer);
        return offer;
    }

    /** Primary frees a STREAM slot whose sender never connected. False if the sender released it meanwhile. */
    public boolean freeStream(int slot, long ticketControl) {
        return cas(slot, withState(ticketControl, STREAM), control(0, generation(ticketControl), FREE));
    }

    /** Whether the sender of a taken launch has stopped waiting (ABANDONED): it timed out or was interrupted. */
    public boolean abandoned(int slot, long ticketControl) {
        return control(slot) == withState(ticketControl, ABANDONED);
    }

    /** Primary takes the launch a record announced; false if the ticket is stale (withdrawn, reclaimed, bogus). */
    public boolean take(int slot, long ticketControl) {
        return slot >= 0
                && slot < slotCount
                && state(ticketControl) == CLAIMED
                && cas(slot, ticketControl, withState(ticketControl, TAKEN));
    }

    /**
     * Primary writes the answer to a launch it took. Only one answer wins (the handler's or the closing primary's).
     *
     * @return true if the sender can read it; false if the sender had abandoned it (the slot is then freed)
     */
    public boolean answer(int slot, long ticketControl, Reply reply) {
        long taken = withState(ticketControl, TAKEN);
        if (!cas(slot, taken, withState(ticketControl, WRITING))) {
            cas(slot, withState(ticketControl, ABANDONED), control(0, generation(ticketControl), FREE));
            return false;
        }
        int base = slotBase(slot);
        byte[] message = reply.message().getBytes(StandardCharsets.UTF_8);
        buffer.putInt(base + EXIT_CODE_OFFSET, reply.exitCode());
        buffer.putInt(base + MESSAGE_LENGTH_OFFSET, message.length);
        buffer.put(base + MESSAGE_OFFSET, message);
        BufferAtomics.putLongVolatile(buffer, controlOffset(slot), withState(ticketControl, REPLIED));
        return true;
    }

    /**
     * Primary stops: every launch still waiting in the ring is sent back to its sender to retry.
     *
     * @return the slots sent back, whose owners need a wake-up
     */
    int[] sendBackClaimed() {
        return sendBack(false);
    }

    /**
     * A new primary clears a dead one's channel: every launch still pending there (waiting, taken, half answered)
     * goes back to its sender, since the dead primary will never answer it.
     *
     * @return the slots sent back, whose owners need a wake-up
     */
    int[] sendBackAllPending() {
        return sendBack(true);
    }

    private int[] sendBack(boolean alsoTaken) {
        int[] sentBack = new int[slotCount];
        int n = 0;
        for (int slot = 0; slot < slotCount; slot++) {
            long current = control(slot);
            int state = state(current);
            boolean pending = state == CLAIMED || alsoTaken && (state == TAKEN || state == WRITING);
            if (pending && cas(slot, current, withState(current, RETRY))) {
                sentBack[n++] = slot;
            }
        }
        return java.util.Arrays.copyOf(sentBack, n);
    }

    /** Primary stops before handling a launch it took: its sender retries. False if the sender gave up. */
    public boolean sendBackTaken(int slot, long ticketControl) {
        return cas(slot, withState(ticketControl, TAKEN), withState(ticketControl, RETRY));
    }

    private boolean cas(int slot, long expected, long value) {
        return BufferAtomics.compareAndSetLong(buffer, controlOffset(slot), expected, value);
    }

    private int controlOffset(int slot) {
        return slotBase(slot) + CONTROL_OFFSET;
    }

    private int slotBase(int slot) {
        return slotsOffset + slot * slotSize;
    }
}
