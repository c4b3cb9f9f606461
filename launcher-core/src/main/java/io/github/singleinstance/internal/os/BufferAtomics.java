package io.github.singleinstance.internal.os;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Volatile, release and CAS access to aligned ints and longs of a direct (mapped) buffer. The JDK supports these on
 * byte-buffer views with no JVM flags, unlike Agrona 2.x's Unsafe path (docs/platform-facts.md). Offsets must be aligned to the
 * value's size; every offset of the channel layout is.
 */
public final class BufferAtomics {

    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private BufferAtomics() {}

    public static int getIntVolatile(ByteBuffer buffer, int offset) {
        return (int) INT.getVolatile(buffer, offset);
    }

    public static void putIntRelease(ByteBuffer buffer, int offset, int value) {
        INT.setRelease(buffer, offset, value);
    }

    public static int getAndAddInt(ByteBuffer buffer, int offset, int delta) {
        return (int) INT.getAndAdd(buffer, offset, delta);
    }

    public static long getLongVolatile(ByteBuffer buffer, int offset) {
        return (long) LONG.getVolatile(buffer, offset);
    }

    public static void putLongRelease(ByteBuffer buffer, int offset, long value) {
        LONG.setRelease(buffer, offset, value);
    }

    public static void putLongVolatile(ByteBuffer buffer, int offset, long value) {
        LONG.setVolatile(buffer, offset, value);
    }

    public static boolean compareAndSetLong(ByteBuffer buffer, int offset, long expected, long value) {
        return LONG.compareAndSet(buffer, offset, expected, value);
    }

    private static final byte[] ZEROS = new byte[4096];

    public static void zero(ByteBuffer buffer, int offset, int length) {
        for (int done = 0; done < length; done += ZEROS.length) {
            buffer.put(offset + done, ZEROS, 0, Math.min(ZEROS.length, length - done));
        }
    }

    public static void putIntVolatile(ByteBuffer buffer, int offset, int value) {
        INT.setVolatile(buffer, offset, value);
    }

    public static boolean compareAndSetInt(ByteBuffer buffer, int offset, int expected, int value) {
        return INT.compareAndSet(buffer, offset, expected, value);
    }
}
