package io.github.singleinstance.internal.os.portable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The wake sockets one segment's waiters in this process use: kept between waits, one per word; a second thread
 * waiting on the same word at the same time gets a socket of its own. Only the words this process opened a bell on
 * ({@link #openBell}: the primary's doorbell word) are waited on with a socket; the others are polled. Closed with its
 * segment. Thread-safe.
 */
public final class DoorbellSocketPool implements AutoCloseable {

    private final Path directory;
    private final String segmentName;
    private final long pid;
    private final Map<Integer, DoorbellSocket> idle = new HashMap<>();
    private final Set<Integer> bells = new HashSet<>();
    private boolean closed;

    DoorbellSocketPool(Path directory, String segmentName, long pid) {
        this.directory = directory;
        this.segmentName = segmentName;
        this.pid = pid;
    }

    String segmentName() {
        return segmentName;
    }

    /** Waits on the word at {@code offset} will be on a socket from now on. */
    synchronized void openBell(int offset) {
        bells.add(offset);
    }

    /** Whether waits on the word at {@code offset} are on a socket ({@link #openBell}), rather than polled. */
    synchronized boolean hasBell(int offset) {
        return bells.contains(offset);
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
