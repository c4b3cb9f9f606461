package io.github.singleinstance.internal.os.portable;

import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.Interrupts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The doorbell of the backends without a futex: wait on a 32-bit word of a segment with a {@link DoorbellSocket} in a
 * private directory; wake by connecting to every socket named for that word. Blocks in the kernel
 * ({@code Selector.select}): epoll on Linux, kqueue on macOS, the JDK's select on Windows. Thread-safe.
 */
public final class SocketDoorbell {

    private final Path directory;
    private final long pid;

    public SocketDoorbell(Path directory, long pid) {
        this.directory = directory;
        this.pid = pid;
    }

    /** The waiting sockets of one segment in this process, for the segment to hold and close. */
    public DoorbellSocketPool newPool(String segmentName) {
        return new DoorbellSocketPool(directory, segmentName, pid);
    }

    /** Blocks while {@code buffer}'s word at {@code offset} holds {@code expected}; see OsBackend#await. */
    public void await(DoorbellSocketPool pool, ByteBuffer buffer, int offset, int expected, long timeoutNanos) {
        boolean interrupted = Interrupts.clear();
        try {
            try {
                DoorbellSocket socket = pool.take(offset);
                try {
                    socket.drain(); // wake-ups from before we read the word: that read settles them
                    if (buffer.getInt(offset) == expected) {
                        socket.await(timeoutNanos);
                    }
                    socket.drain();
                } finally {
                    pool.giveBack(offset, socket);
                }
            } catch (IOException e) {
                throw new SingleInstanceException(
                        "cannot wait on a wake socket: segment=" + pool.segmentName() + ", offset=" + offset
                                + ", directory=" + directory + ": " + e,
                        71,
                        e);
            }
        } finally {
            Interrupts.restore(interrupted);
        }
    }

    /** Loads what {@link #wakeAll} needs (see {@code OsBackend.prepareToWake}). */
    public static void prepareToWake() {
        DoorbellSocket.loadSocketClasses();
    }

    /** Wakes every process waiting on the word at {@code offset} of segment {@code segmentName}. */
    public void wakeAll(String segmentName, int offset) {
        boolean interrupted = Interrupts.clear();
        try {
            String prefix = DoorbellSocket.wordPrefix(segmentName, offset);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) { // no glob, no lambda: cheap
                for (Path socket : files) {
                    if (socket.getFileName().toString().startsWith(prefix)) {
                        DoorbellSocket.ring(socket);
                    }
                }
            } catch (IOException e) {
                throw new SingleInstanceException("cannot list wake sockets: directory=" + directory + ": " + e, 71, e);
            }
        } finally {
            Interrupts.restore(interrupted);
        }
    }

    /** Removes the leftover sockets of segment {@code segmentName} ({@link DoorbellSocket#isLeftover}), not our own. */
    public void sweep(String segmentName) {
        String prefix = DoorbellSocket.segmentPrefix(segmentName);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path socket : files) {
                if (!socket.getFileName().toString().startsWith(prefix)) {
                    continue;
                }
                long owner = DoorbellSocket.pidOf(socket.getFileName().toString());
                if (owner != pid && DoorbellSocket.isLeftover(socket)) {
                    DoorbellSocket.deleteQuietly(socket);
                }
            }
        } catch (IOException e) {
            throw new SingleInstanceException("cannot list wake sockets: directory=" + directory + ": " + e, 71, e);
        }
    }
}
