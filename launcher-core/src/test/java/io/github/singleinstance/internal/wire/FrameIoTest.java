package io.github.singleinstance.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stream connection's frames round trip, are checked, and allocate nothing per frame. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FrameIoTest {

    private static final int FRAMES = 20_000;

    /**
     * A stream's frames leave no garbage: a 1 GiB stream of 16,384 frames that allocated even one small wrapper per
     * frame would make the JVM touch megabytes more of its heap (its peak resident memory would grow with the
     * stream). Counted by the JVM per thread, after a warm-up; an allocation per frame (a ByteBuffer.wrap: 48 bytes)
     * would count close to a megabyte here.
     */
    @Test
    void framesOfAnyNumberAllocateNothingPerFrame() throws Exception {
        Pipe pipe = Pipe.open();
        byte[] data = new byte[StreamFrames.MAX_DATA];
        new Random(42).nextBytes(data);
        CompletableFuture<Long> written = CompletableFuture.supplyAsync(() -> {
            FrameWriter writer = new FrameWriter(pipe.sink());
            try {
                for (int i = 0; i < 100; i++) {
                    writer.write(StreamFrames.OUT, data, i, 1000);
                    writer.writeEmpty(StreamFrames.CREDIT, i);
                }
                long before = allocatedByThisThread();
                for (int i = 0; i < FRAMES; i++) {
                    writer.write(StreamFrames.OUT, data, i % 1000, 1000);
                    writer.writeEmpty(StreamFrames.CREDIT, i);
                }
                return allocatedByThisThread() - before;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        FrameReader reader = new FrameReader(pipe.source());
        byte[] into = new byte[StreamFrames.MAX_DATA];
        ByteBuffer view = ByteBuffer.wrap(into);
        int wrong = readFrames(reader, view, 100);
        long before = allocatedByThisThread();
        wrong += readFrames(reader, view, FRAMES);
        long readAllocated = allocatedByThisThread() - before;
        assertThat(wrong).as("frames read back wrong").isZero();
        int last = (FRAMES - 1) % 1000;
        assertThat(Arrays.copyOfRange(into, 7, 1007)).isEqualTo(Arrays.copyOfRange(data, last, last + 1000));
        assertThat(written.get(30, TimeUnit.SECONDS))
                .as("bytes the writer allocated for %d frames", 2 * FRAMES)
                .isLessThan(64 * 1024);
        assertThat(readAllocated)
                .as("bytes the reader allocated for %d frames", 2 * FRAMES)
                .isLessThan(64 * 1024);
    }

    @Test
    void aFrameLongerThanTheLargestIsRefusedBeforeAnythingIsAllocatedOrSent() throws Exception {
        Pipe pipe = Pipe.open();
        FrameWriter writer = new FrameWriter(pipe.sink());
        assertThatThrownBy(() -> writer.write(StreamFrames.OUT, new byte[StreamFrames.MAX_DATA + 1], 0, 70_000))
                .isInstanceOf(IllegalArgumentException.class);
        ByteBuffer hostile = ByteBuffer.allocate(StreamFrames.HEADER_SIZE);
        hostile.put(StreamFrames.IN).putInt(StreamFrames.MAX_DATA + 1).flip();
        pipe.sink().write(hostile);
        FrameReader reader = new FrameReader(pipe.source());
        assertThatThrownBy(reader::next).isInstanceOf(IOException.class).hasMessageContaining("malformed frame");
    }

    @Test
    void anUnknownTypeAndACutHeaderAreErrorsAndACleanEndIsNot() throws Exception {
        Pipe pipe = Pipe.open();
        pipe.sink().write(ByteBuffer.wrap(new byte[] {9, 0, 0, 0, 0}));
        FrameReader reader = new FrameReader(pipe.source());
        assertThatThrownBy(reader::next).hasMessageContaining("type=9");
        pipe.sink().write(ByteBuffer.wrap(new byte[] {StreamFrames.OUT, 0}));
        pipe.sink().close();
        assertThatThrownBy(reader::next).hasMessageContaining("inside a frame header");
        Pipe clean = Pipe.open();
        clean.sink().close();
        assertThat(new FrameReader(clean.source()).next()).isFalse();
    }

    /** Reads {@code count} pairs of OUT and CREDIT frames as written above; how many were not as written. */
    private static int readFrames(FrameReader reader, ByteBuffer view, int count) throws IOException {
        int wrong = 0;
        for (int i = 0; i < count; i++) {
            if (!reader.next() || reader.type() != StreamFrames.OUT || reader.length() != 1000) {
                wrong++;
            }
            reader.readData(view, 7, 1000);
            if (!reader.next() || reader.type() != StreamFrames.CREDIT || reader.length() != i) {
                wrong++;
            }
        }
        return wrong;
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
