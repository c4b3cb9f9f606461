package io.github.singleinstance.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The consumer side of the ring over arbitrary shared memory: it must neither throw nor loop without end. */
class LaunchRingProperties {

    private static final int CAPACITY = ChannelLayout.MIN_RING_CAPACITY;

    @Property(tries = 300)
    void pollingGarbageEndsWithoutExceptionsWithinOneLap(
            @ForAll long seed,
            @ForAll @LongRange(min = -4, max = 1 << 20) long head,
            @ForAll @IntRange(min = -64, max = CAPACITY + 64) int used,
            @ForAll boolean plausibleRecords) {
        ByteBuffer buffer =
                ByteBuffer.allocateDirect(ChannelLayout.HEADER_SIZE + CAPACITY).order(ByteOrder.nativeOrder());
        byte[] garbage = new byte[CAPACITY];
        Random random = new Random(seed);
        random.nextBytes(garbage);
        buffer.put(ChannelLayout.ringOffset(), garbage);
        if (plausibleRecords) { // aligned, positive lengths and known types: the decoder is what must cope then
            for (int at = 0; at < CAPACITY; at += 64) {
                buffer.putInt(ChannelLayout.ringOffset() + at, 8 * (1 + random.nextInt(8)));
                buffer.putInt(ChannelLayout.ringOffset() + at + 4, 1 + random.nextInt(2));
            }
        }
        buffer.putLong(ChannelLayout.HEAD_OFFSET, head);
        buffer.putLong(ChannelLayout.TAIL_OFFSET, head + used);
        LaunchRing ring = new LaunchRing(buffer, ChannelLayout.ringOffset(), CAPACITY);

        for (int polls = 0; ; polls++) {
            LaunchRing.Poll.Kind kind = ring.poll().kind();
            if (kind != LaunchRing.Poll.Kind.RECORD && kind != LaunchRing.Poll.Kind.PADDING) {
                break;
            }
            assertThat(polls)
                    .as("each poll consumes >= 8 bytes, so one lap ends it")
                    .isLessThan(CAPACITY / 8);
        }
    }
}
