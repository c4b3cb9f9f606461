package io.github.singleinstance.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Reply;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ReplySlotsTest {

    private static final int COUNT = 4;
    private final ByteBuffer buffer =
            ByteBuffer.allocateDirect(COUNT * ChannelLayout.SLOT_SIZE).order(ByteOrder.nativeOrder());
    private final ReplySlots slots = new ReplySlots(buffer, 0, COUNT, ChannelLayout.SLOT_SIZE);

    @Test
    void senderGetsTheAnswerThePrimaryWrote() {
        ReplySlots.Ticket ticket = slots.claim(100, pid -> true);
        assertThat(ReplySlots.state(ticket.control())).isEqualTo(ReplySlots.CLAIMED);
        assertThat(ReplySlots.ownerPid(ticket.control())).isEqualTo(100);
        assertThat(slots.take(ticket.slot(), ticket.control())).isTrue();
        assertThat(slots.answer(ticket.slot(), ticket.control(), new Reply(3, "dreï")))
                .isTrue();
        assertThat(ReplySlots.state(slots.control(ticket.slot()))).isEqualTo(ReplySlots.REPLIED);
        assertThat(slots.readReply(ticket.slot())).isEqualTo(new Reply(3, "dreï"));
        slots.release(ticket, ReplySlots.REPLIED);
        assertThat(ReplySlots.state(slots.control(ticket.slot()))).isEqualTo(ReplySlots.FREE);
    }

    @Test
    void withdrawnLaunchIsNeverTakenAndTakenLaunchCannotBeWithdrawn() {
        ReplySlots.Ticket withdrawn = slots.claim(100, pid -> true);
        assertThat(slots.withdraw(withdrawn)).isTrue();
        assertThat(slots.take(withdrawn.slot(), withdrawn.control())).isFalse();

        ReplySlots.Ticket taken = slots.claim(100, pid -> true);
        assertThat(slots.take(taken.slot(), taken.control())).isTrue();
        assertThat(slots.withdraw(taken)).isFalse();
    }

    @Test
    void staleTicketOfAReusedSlotIsRefused() {
        ReplySlots.Ticket first = slots.claim(100, pid -> true);
        slots.withdraw(first);
        ReplySlots.Ticket second;
        do {
            second = slots.claim(200, pid -> true);
        } while (second.slot() != first.slot() && slots.withdraw(second));
        assertThat(slots.take(first.slot(), first.control())).isFalse();
        assertThat(slots.take(second.slot(), second.control())).isTrue();
    }

    @Test
    void abandonedAnswerFreesTheSlot() {
        ReplySlots.Ticket ticket = slots.claim(100, pid -> true);
        slots.take(ticket.slot(), ticket.control());
        assertThat(slots.abandon(ticket)).isTrue();
        assertThat(slots.answer(ticket.slot(), ticket.control(), Reply.ok("late")))
                .isFalse();
        assertThat(ReplySlots.state(slots.control(ticket.slot()))).isEqualTo(ReplySlots.FREE);
    }

    @Test
    void onlyOneAnswerWins() {
        ReplySlots.Ticket ticket = slots.claim(100, pid -> true);
        slots.take(ticket.slot(), ticket.control());
        assertThat(slots.answer(ticket.slot(), ticket.control(), Reply.ok("first")))
                .isTrue();
        assertThat(slots.answer(ticket.slot(), ticket.control(), Reply.ok("second")))
                .isFalse();
        assertThat(slots.readReply(ticket.slot()).message()).isEqualTo("first");
    }

    @Test
    void slotsOfDeadSendersAreReclaimedOnlyWhenNoneIsFree() {
        for (int i = 0; i < COUNT; i++) {
            assertThat(slots.claim(100 + i, pid -> true)).isNotNull();
        }
        assertThat(slots.claim(999, pid -> true)).isNull();
        ReplySlots.Ticket reclaimed = slots.claim(999, pid -> pid != 102);
        assertThat(reclaimed).isNotNull();
        assertThat(ReplySlots.ownerPid(reclaimed.control())).isEqualTo(999);
        assertThat(slots.claim(1000, pid -> pid != 102)).isNull(); // 102's slot is 999's now, and 999 lives
    }

    @Test
    void closingPrimarySendsWaitingLaunchesBack() {
        ReplySlots.Ticket waiting = slots.claim(100, pid -> true);
        ReplySlots.Ticket inHandler = slots.claim(101, pid -> true);
        slots.take(inHandler.slot(), inHandler.control());
        assertThat(slots.sendBackClaimed()).containsExactly(waiting.slot());
        assertThat(ReplySlots.state(slots.control(waiting.slot()))).isEqualTo(ReplySlots.RETRY);
        assertThat(ReplySlots.state(slots.control(inHandler.slot()))).isEqualTo(ReplySlots.TAKEN);
        assertThat(slots.sendBackTaken(inHandler.slot(), inHandler.control())).isTrue();
        assertThat(ReplySlots.state(slots.control(inHandler.slot()))).isEqualTo(ReplySlots.RETRY);
    }

    @Test
    void damagedReplyIsReportedAsSuch() {
        ReplySlots.Ticket ticket = slots.claim(100, pid -> true);
        buffer.putInt(ticket.slot() * ChannelLayout.SLOT_SIZE + ReplySlots.MESSAGE_LENGTH_OFFSET, 1 << 20);
        assertThat(slots.readReply(ticket.slot()).exitCode()).isEqualTo(70);
    }

    @Test
    void deadPrimarysChannelSendsBackEveryPendingLaunchTakenOrNot() {
        ReplySlots.Ticket waiting = slots.claim(100, pid -> true);
        ReplySlots.Ticket taken = slots.claim(101, pid -> true);
        ReplySlots.Ticket answered = slots.claim(102, pid -> true);
        slots.take(taken.slot(), taken.control());
        slots.take(answered.slot(), answered.control());
        slots.answer(answered.slot(), answered.control(), Reply.ok("done"));
        assertThat(slots.sendBackAllPending()).containsExactlyInAnyOrder(waiting.slot(), taken.slot());
        assertThat(ReplySlots.state(slots.control(answered.slot()))).isEqualTo(ReplySlots.REPLIED);
    }
}
