package io.github.singleinstance.internal.os.linux;

import com.sun.jna.Pointer;
import io.github.singleinstance.internal.os.SharedSegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A shm segment mapped with mmap, and the {@link FifoDoorbell} of its doorbell word if its creator opened one; see
 * {@link SharedSegment} for who may touch the buffer when.
 */
final class LinuxSegment implements SharedSegment {

    private final LibC libc;
    private final String name;
    private final Pointer address;
    private final int size;
    private final ByteBuffer buffer;
    private volatile FifoDoorbell bell;
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

    synchronized void attach(FifoDoorbell opened) {
        if (bell != null) {
            opened.close();
            throw new IllegalStateException("segment " + name + " has a bell already");
        }
        bell = opened;
    }

    /** The bell of the word at {@code offset}, or null if that word has none (it uses a futex). */
    FifoDoorbell bellOf(int offset) {
        FifoDoorbell attached = bell;
        return attached != null && attached.offset() == offset ? attached : null;
    }

    /** Closes the bell, if any, and unmaps. */
    @Override
    public synchronized void close() {
        if (!unmapped) {
            unmapped = true;
            if (bell != null) {
                bell.close();
            }
            libc.munmap(address, size);
        }
    }
}
