package io.github.singleinstance.internal.os.portable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The wake sockets one segment's waiters in this process use: kept between waits, one per word; a second thread
 * waiting on the same word at the same time gets a socket of its own. Closed with its segment. Thread-safe.
 */
public final class DoorbellSocketPool implements AutoCloseable {

    private final Path directory;
    private final String segmentName;
    private final long pid;
    private final Map<Integer, DoorbellSocket> idle = new HashMap<>();
    private boolean closed;

    DoorbellSocketPool(Path directory, String segmentName, long pid) {
        this.directory = directory;
        this.segmentName = segmentName;
        this.pid = pid;
    }

    String segmentName() {
        return segmentName;
    }

    /** A socket for waiting on the word at {@code offset}, bound (and so reachable) before this returns. */
    DoorbellSocket take(int offset) throws IOException {
        synchronized (this) {
            DoorbellSocket kept = idle.remove(offset);
            if (kept != null) {
                return kept;
            }
        }
        return DoorbellSocket.bind(directory, DoorbellSocket.wordPrefix(segmentName, offset), pid);
    }

    /** Gives a socket back after a wait: kept for the next wait on that word, or closed. */
    void giveBack(int offset, DoorbellSocket socket) {
        synchronized (this) {
            if (!closed && idle.putIfAbsent(offset, socket) == null) {
                return;
            }
        }
        socket.close();
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (DoorbellSocket socket : idle.values()) {
            socket.close();
        }
        idle.clear();
    }
}
