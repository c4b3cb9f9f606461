package io.github.singleinstance.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Volatile, release and CAS access to aligned ints and longs of a direct (mapped) buffer. The JDK supports these on
 * byte-buffer views with no JVM flags, unlike Agrona 2.x's Unsafe path (FACTS.md). Offsets must be aligned to the
 * value's size; every offset in {@link ChannelLayout} is.
 */
final class BufferAtomics {

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private BufferAtomics() {
    }

    static int getIntVolatile(ByteBuffer buffer, int offset) {
        return (int) INT.getVolatile(buffer, offset);
    }

    static void putIntRelease(ByteBuffer buffer, int offset, int value) {
        INT.setRelease(buffer, offset, value);
    }

    static int getAndAddInt(ByteBuffer buffer, int offset, int delta) {
        return (int) INT.getAndAdd(buffer, offset, delta);
    }

    static long getLongVolatile(ByteBuffer buffer, int offset) {
        return (long) LONG.getVolatile(buffer, offset);
    }

    static void putLongRelease(ByteBuffer buffer, int offset, long value) {
        LONG.setRelease(buffer, offset, value);
    }

    static void putLongVolatile(ByteBuffer buffer, int offset, long value) {
        LONG.setVolatile(buffer, offset, value);
    }

    static boolean compareAndSetLong(ByteBuffer buffer, int offset, long expected, long value) {
        return LONG.compareAndSet(buffer, offset, expected, value);
    }

    private static final byte[] ZEROS = new byte[4096];

    static void zero(ByteBuffer buffer, int offset, int length) {
        for (int done = 0; done < length; done += ZEROS.length) {
            buffer.put(offset + done, ZEROS, 0, Math.min(ZEROS.length, length - done));
        }
    }
}
