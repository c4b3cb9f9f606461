package io.github.singleinstance.internal.os.portable;

import io.github.singleinstance.internal.os.SharedSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A file mapped with {@link java.nio.channels.FileChannel#map}, and the wake sockets this process waits with on its
 * words. Java 17 cannot unmap a file on demand: {@link #close()} closes the sockets and drops the mapping, which the
 * JDK releases once the buffer is garbage. Touching the buffer after close is therefore harmless here.
 */
final class PortableSegment implements SharedSegment {

    private final String name;
    private final Path directory;
    private final long pid;
    private final ByteBuffer buffer;
    /** Sockets not in use right now, one per word; a second thread waiting on the same word gets its own. */
    private final Map<Integer, WakeSocket> idleSockets = new HashMap<>();
    private boolean closed;

    PortableSegment(String name, Path directory, long pid, MappedByteBuffer mapping) {
        this.name = name;
        this.directory = directory;
        this.pid = pid;
        this.buffer = mapping.order(java.nio.ByteOrder.nativeOrder());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    /** A socket for waiting on the word at {@code offset}, bound (and so reachable) before this returns. */
    WakeSocket takeSocket(int offset) throws IOException {
        synchronized (this) {
            WakeSocket idle = idleSockets.remove(offset);
            if (idle != null) {
                return idle;
            }
        }
        return WakeSocket.bind(directory, WakeSocket.wordPrefix(name, offset), pid);
    }

    /** Gives a socket back after a wait: kept for the next wait on that word, or closed. */
    void returnSocket(int offset, WakeSocket socket) {
        synchronized (this) {
            if (!closed && idleSockets.putIfAbsent(offset, socket) == null) {
                return;
            }
        }
        socket.close();
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (WakeSocket socket : idleSockets.values()) {
                socket.close();
            }
            idleSockets.clear();
        }
    }
}
