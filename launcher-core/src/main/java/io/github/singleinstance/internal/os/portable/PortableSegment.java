package io.github.singleinstance.internal.os.portable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A file mapped with {@link java.nio.channels.FileChannel#map}, and the wake sockets this process waits with on its
 * words. Java 17 cannot unmap a file on demand: {@link #close()} closes the sockets and drops the mapping, which the
 * JDK releases once the buffer is garbage. Touching the buffer after close is therefore harmless here. Thread-safe
 * as far as its buffer's users make it; close from any thread.
 */
final class PortableSegment implements SocketWaitedSegment {

    private final String name;
    private final ByteBuffer buffer;
    private final DoorbellSocketPool sockets;

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

    @Override
    public void close() {
        sockets.close();
    }
}
