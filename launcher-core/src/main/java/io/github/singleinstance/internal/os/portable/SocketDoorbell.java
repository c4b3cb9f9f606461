package io.github.singleinstance.internal.os.portable;

import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.Interrupts;
import io.github.singleinstance.internal.os.PolledWait;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The doorbell of the backends without a futex. The primary's intake, which may sleep for hours, waits on its
 * doorbell word with a {@link DoorbellSocket} in a private directory, blocking in the kernel
 * ({@code Selector.select}: epoll on Linux, kqueue on macOS, the JDK's select on Windows); a waker connects to every
 * socket named for that word. A second launch, which waits for one reply, polls its word instead
 * ({@link PolledWait}): it binds no socket and opens no selector, and the primary need not wake it. Which words have a
 * socket is the segment's creator's choice ({@link #openBell}). Thread-safe.
 */
public final class SocketDoorbell {

    /** Guarded by the class: whether {@link #startPreparingToWake} ran in this process. */
    private static boolean preparing;

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

    /** From now on this process waits on the word at {@code offset} with a socket (see OsBackend#openBell). */
    public void openBell(DoorbellSocketPool pool, int offset) {
        pool.openBell(offset);
    }

    /** Returns once {@code buffer}'s word at {@code offset} no longer holds {@code expected}; see OsBackend#await. */
    public boolean await(DoorbellSocketPool pool, ByteBuffer buffer, int offset, int expected, long timeoutNanos) {
        return pool.hasBell(offset)
                ? awaitOnSocket(pool, buffer, offset, expected, timeoutNanos)
                : PolledWait.await(buffer, offset, expected, timeoutNanos);
    }

    /** {@link #await} for a wait expected to be long; see OsBackend#awaitPatiently. */
    public void awaitPatiently(
            DoorbellSocketPool pool, ByteBuffer buffer, int offset, int expected, long timeoutNanos) {
        if (pool.hasBell(offset)) {
            awaitOnSocket(pool, buffer, offset, expected, timeoutNanos);
        } else {
            PolledWait.awaitPatiently(buffer, offset, expected, timeoutNanos);
        }
    }

    /** False only if the selector timed out with no connection pending, even at the last drain. */
    private boolean awaitOnSocket(
            DoorbellSocketPool pool, ByteBuffer buffer, int offset, int expected, long timeoutNanos) {
        boolean interrupted = Interrupts.clear();
        try {
            try {
                DoorbellSocket socket = pool.take(offset);
                try {
                    socket.drain(); // wake-ups from before we read the word: that read settles them
                    if (buffer.getInt(offset) != expected) {
                        return true;
                    }
                    boolean woken = socket.await(timeoutNanos);
                    // not the word: a sender whose ring was lost has moved it too
                    return socket.drain() > 0 || woken;
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

    /**
     * Starts loading what a wake-up needs on a thread of its own, once per process: the JDK's Unix-domain socket
     * classes, whose initialiser sets up a {@code SecureRandom} (about 20 ms of a second launch; more on a loaded
     * machine). Called as the claim opens, so that the loading overlaps the launch's other work (header, channel,
     * record) instead of following it; {@link #prepareToWake} then finds it done, or waits for the rest.
     */
    public static void startPreparingToWake() {
        synchronized (SocketDoorbell.class) {
            if (preparing) {
                return;
            }
            preparing = true;
        }
        Thread thread = new Thread(new WakePreparation(), "single-instance-wake-preparation");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Loads what {@link #wakeAll} needs (see {@code OsBackend.prepareToWake}); if {@link #startPreparingToWake} began
     * it, this waits for the JDK's class initialisation that thread runs.
     */
    public static void prepareToWake() {
        DoorbellSocket.loadSocketClasses();
    }

    /** {@link #startPreparingToWake}'s thread. */
    private static final class WakePreparation implements Runnable {
        @Override
        public void run() {
            DoorbellSocket.loadSocketClasses();
        }
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
