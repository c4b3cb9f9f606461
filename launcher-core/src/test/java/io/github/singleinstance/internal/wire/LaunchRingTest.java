package io.github.singleinstance.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.internal.os.BufferAtomics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LaunchRingTest {

    private static final int CAPACITY = ChannelLayout.MIN_RING_CAPACITY;

    private final ByteBuffer buffer =
            ByteBuffer.allocateDirect(ChannelLayout.HEADER_SIZE + CAPACITY).order(ByteOrder.nativeOrder());
    private final LaunchRing ring = new LaunchRing(buffer, ChannelLayout.ringOffset(), CAPACITY);

    private static byte[] payload(int length, int seed) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }

    private byte[] pollRecord() {
        LaunchRing.Poll poll;
        while ((poll = ring.poll()).kind() == LaunchRing.Poll.Kind.PADDING) {
            // the record after the padding is what we want
        }
        assertThat(poll.kind()).isEqualTo(LaunchRing.Poll.Kind.RECORD);
        return poll.payload();
    }

    @Test
    void recordsComeOutInOrderWithTheirBytesPaddedToEight() {
        assertThat(ring.poll()).isSameAs(LaunchRing.Poll.EMPTY);
        assertThat(ring.offer(payload(5, 1))).isTrue();
        assertThat(ring.offer(payload(0, 2))).isTrue();
        assertThat(ring.offer(payload(16, 3))).isTrue();
        assertThat(pollRecord()).startsWith(payload(5, 1)).hasSize(8);
        assertThat(pollRecord()).isEmpty();
        assertThat(pollRecord()).isEqualTo(payload(16, 3));
        assertThat(ring.poll()).isSameAs(LaunchRing.Poll.EMPTY);
        assertThat(BufferAtomics.getLongVolatile(buffer, ChannelLayout.TAIL_OFFSET))
                .as("nothing waiting")
                .isEqualTo(BufferAtomics.getLongVolatile(buffer, ChannelLayout.HEAD_OFFSET));
    }

    @Test
    void fullRingRefusesWithoutWritingAndAcceptsOnceDrained() {
        int size = ring.maxPayloadLength();
        for (int i = 0; i < 4; i++) {
            assertThat(ring.offer(payload(size, i))).isTrue(); // record = header + largest payload = a quarter
        }
        assertThat(ring.offer(payload(1, 9))).isFalse();
        assertThat(pollRecord()).isEqualTo(payload(size, 0));
        assertThat(ring.offer(payload(1, 9))).isTrue();
    }

    @Test
    void recordsWrapAroundTheEndIntact() {
        Random random = new Random(1);
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] data = payload(random.nextInt(3000), i);
            while (!ring.offer(data)) {
                assertNextRecordIs(expected.remove(0));
            }
            expected.add(data);
        }
        while (!expected.isEmpty()) {
            assertNextRecordIs(expected.remove(0));
        }
        long head = buffer.getLong(ChannelLayout.HEAD_OFFSET);
        assertThat(head).isGreaterThan(10L * CAPACITY); // wrapped many times
    }

    private void assertNextRecordIs(byte[] want) {
        byte[] record = pollRecord();
        assertThat(record.length - want.length).isBetween(0, 7);
        assertThat(java.util.Arrays.copyOf(record, want.length)).isEqualTo(want);
    }

    @Test
    void oversizedPayloadIsMisuse() {
        assertThatThrownBy(() -> ring.offer(new byte[ring.maxPayloadLength() + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit=");
    }

    @Test
    void recordBeingWrittenHoldsTheConsumerBack() {
        // a producer that claimed space and died before committing: TAIL moved, LENGTH negative
        buffer.putLong(ChannelLayout.TAIL_OFFSET, 64);
        buffer.putInt(ChannelLayout.ringOffset(), -64);
        assertThat(ring.poll()).isSameAs(LaunchRing.Poll.IN_PROGRESS);
        buffer.putInt(ChannelLayout.ringOffset(), 0); // died even before writing the header
        assertThat(ring.poll()).isSameAs(LaunchRing.Poll.IN_PROGRESS);
    }

    @Test
    void damagedCountersOrHeadersAreReportedNotFollowed() {
        buffer.putLong(ChannelLayout.TAIL_OFFSET, -8);
        assertThat(ring.poll()).isSameAs(LaunchRing.Poll.CORRUPT);
        buffer.putLong(ChannelLayout.TAIL_OFFSET, CAPACITY + 8L);
        assertThat(ring.poll()).isSameAs(LaunchRing.Poll.CORRUPT);
        buffer.putLong(ChannelLayout.TAIL_OFFSET, 64);
        buffer.putInt(ChannelLayout.ringOffset(), 12); // not aligned
        assertThat(ring.poll()).isSameAs(LaunchRing.Poll.CORRUPT);
        buffer.putInt(ChannelLayout.ringOffset(), 128); // longer than what was written
        assertThat(ring.poll()).isSameAs(LaunchRing.Poll.CORRUPT);
        buffer.putInt(ChannelLayout.ringOffset(), 64);
        buffer.putInt(ChannelLayout.ringOffset() + 4, 77); // unknown type
        assertThat(ring.poll()).isSameAs(LaunchRing.Poll.CORRUPT);
    }

    @Test
    void manyProducerThreadsLoseNothingAndKeepEachProducersOrder() throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perProducer; i++) {
                    byte[] data = ByteBuffer.allocate(8 + (i % 50))
                            .putInt(producer)
                            .putInt(i)
                            .array();
                    while (!ring.offer(data)) {
                        Thread.onSpinWait();
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        int[] next = new int[producers];
        int received = 0;
        while (received < producers * perProducer) {
            LaunchRing.Poll poll = ring.poll();
            if (poll.kind() == LaunchRing.Poll.Kind.RECORD) {
                ByteBuffer record = ByteBuffer.wrap(poll.payload());
                int producer = record.getInt();
                assertThat(record.getInt()).isEqualTo(next[producer]);
                next[producer]++;
                received++;
            } else {
                assertThat(poll.kind())
                        .isIn(
                                LaunchRing.Poll.Kind.PADDING,
                                LaunchRing.Poll.Kind.EMPTY,
                                LaunchRing.Poll.Kind.IN_PROGRESS);
            }
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        assertThat(next).containsOnly(perProducer);
        assertThat(ring.poll()).isSameAs(LaunchRing.Poll.EMPTY);
    }
}
