package io.github.singleinstance.internal.os.linux;

import com.sun.jna.Pointer;
import io.github.singleinstance.internal.os.SharedSegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A shm segment mapped with mmap, and the bell relay of its doorbell word if the primary started one; see
 * {@link SharedSegment} for who may touch the buffer when.
 */
final class LinuxSegment implements SharedSegment {

    private final LibC libc;
    private final String name;
    private final Pointer address;
    private final int size;
    private final ByteBuffer buffer;
    private BellRelay relay;
    private boolean unmapped;

    LinuxSegment(LibC libc, String name, Pointer address, int size) {
        this.libc = libc;
        this.name = name;
        this.address = address;
        this.size = size;
        this.buffer = address.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
    }

    Pointer address() {
        return address;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    synchronized void relay(BellRelay started) {
        if (relay != null) {
            started.stop();
            throw new IllegalStateException("segment " + name + " has a doorbell relay already");
        }
        relay = started;
    }

    /** Stops the relay, then unmaps; if the relay's thread does not end, the mapping stays (it would crash). */
    @Override
    public synchronized void close() {
        if (!unmapped) {
            unmapped = true;
            if (relay != null && !relay.stop()) {
                return;
            }
            libc.munmap(address, size);
        }
    }
}
