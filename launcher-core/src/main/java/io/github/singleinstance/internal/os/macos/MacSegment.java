package io.github.singleinstance.internal.os.macos;

import com.sun.jna.Pointer;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.internal.os.portable.DoorbellSocketPool;
import io.github.singleinstance.internal.os.portable.SocketWaitedSegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A POSIX shm segment mapped with mmap, and its wake sockets; see {@link SharedSegment} for who may touch what.
 * {@link #close()} from any thread, once no thread of this process uses the buffer.
 */
final class MacSegment implements SocketWaitedSegment {

    private final MacLibC libc;
    private final String name;
    private final Pointer address;
    private final int size;
    private final ByteBuffer buffer;
    private final DoorbellSocketPool sockets;
    private boolean unmapped;

    MacSegment(MacLibC libc, String name, Pointer address, int size, DoorbellSocketPool sockets) {
        this.libc = libc;
        this.name = name;
        this.address = address;
        this.size = size;
        this.buffer = address.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
        this.sockets = sockets;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public DoorbellSocketPool sockets() {
        return sockets;
    }

    @Override
    public synchronized void close() {
        sockets.close();
        if (!unmapped) {
            unmapped = true;
            libc.munmap(address, size);
        }
    }
}
