package io.github.singleinstance.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.testing.Backends;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A sender's mark that its ring ended (ChannelLayout's RUNG), which the intake reads to tell a lost wake-up (the ring
 * ended while it slept) from a late ring (it had not ended when the sleep timed out).
 */
class RungMarkTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final OsBackend os = Backends.current();
    private final String name = "/si-t-" + UUID.randomUUID().toString().substring(0, 12) + "m";

    @Test
    void aMarkCountsOnlyForTheSlotItWasMadeForAndOnlyBeforeTheDeadline() {
        try (Channel channel = Channel.create(os, name, ChannelLayout.MIN_RING_CAPACITY, os.pid(), false)) {
            assertThat(channel.rungBefore(7, System.nanoTime() + SECOND))
                    .as("never rung")
                    .isFalse();
            channel.markRung(7);
            long now = System.nanoTime();
            assertThat(channel.rungBefore(7, now + SECOND))
                    .as("rung before a later deadline")
                    .isTrue();
            assertThat(channel.rungBefore(7, now - SECOND))
                    .as("rung after an earlier deadline")
                    .isFalse();
            assertThat(channel.rungBefore(8, now + SECOND)).as("another slot").isFalse();
            channel.clearRung(7); // the slot's next sender, before its record goes into the ring
            assertThat(channel.rungBefore(7, now + SECOND))
                    .as("cleared for the next launch")
                    .isFalse();
        } finally {
            os.unlink(name);
        }
    }

    @Test
    void slotsPastTheTableAreNeverMarkedAndTheMarksStayInTheHeaderPage() {
        try (Channel channel = Channel.create(os, name, ChannelLayout.MIN_RING_CAPACITY, os.pid(), false)) {
            channel.markRung(ChannelLayout.RUNG_SLOTS - 1);
            channel.markRung(ChannelLayout.RUNG_SLOTS);
            long later = System.nanoTime() + SECOND;
            assertThat(channel.rungBefore(ChannelLayout.RUNG_SLOTS - 1, later)).isTrue();
            assertThat(channel.rungBefore(ChannelLayout.RUNG_SLOTS, later)).isFalse();
            assertThat(channel.rungBefore(-1, later)).isFalse();
            assertThat(ChannelLayout.RUNG_OFFSET + 4 * ChannelLayout.RUNG_SLOTS).isEqualTo(ChannelLayout.HEADER_SIZE);
            assertThat(channel.ring().poll().kind())
                    .as("the ring, after the header page")
                    .isEqualTo(LaunchRing.Poll.Kind.EMPTY);
        } finally {
            os.unlink(name);
        }
    }
}
