package io.github.singleinstance.internal.os.portable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A file mapped with {@link java.nio.channels.FileChannel#map}, and what this process waits with on its words: its
 * {@link WatchedBell} if its creator opened one, or wake sockets. Java 17 cannot unmap a file on demand:
 * {@link #close()} closes the bell and the sockets and drops the mapping, which the JDK releases once the buffer is
 * garbage. Touching the buffer after close is therefore harmless here. Thread-safe as far as its buffer's users make
 * it; close from any thread.
 */
final class PortableSegment implements SocketWaitedSegment {

    private final String name;
    private final ByteBuffer buffer;
    private final DoorbellSocketPool sockets;
    private volatile WatchedBell bell;
    private boolean closed;

    PortableSegment(String name, ByteBuffer mapping, DoorbellSocketPool sockets) {
        this.name = name;
        this.buffer = mapping.order(ByteOrder.nativeOrder());
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

    synchronized void attach(WatchedBell opened) {
        if (bell != null || closed) {
            opened.close();
            throw new IllegalStateException("segment " + name + " has a bell already, or is closed");
        }
        bell = opened;
    }

    /** The watched bell of the word at {@code offset}, or null if that word has none. */
    WatchedBell bellOf(int offset) {
        WatchedBell attached = bell;
        return attached != null && attached.offset() == offset ? attached : null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (bell != null) {
            bell.close();
        }
        sockets.close();
    }
}
