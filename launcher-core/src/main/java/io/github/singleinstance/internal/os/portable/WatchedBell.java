package io.github.singleinstance.internal.os.portable;

import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.BufferAtomics;
import io.github.singleinstance.internal.os.Interrupts;
import io.github.singleinstance.internal.os.OsBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The portable doorbell where the JDK watches directories in the kernel (inotify on Linux, ReadDirectoryChangesW on
 * Windows): the primary's intake sleeps on a {@link WatchService} over a directory of its own, and a launch rings by
 * creating an empty file there. Ringing so costs a cold JVM about a millisecond, where connecting a Unix-domain
 * socket costs it tens (the JDK's socket classes, whose initialiser sets up a {@code SecureRandom}).
 *
 * <pre>
 * private directory/
 *   si-abc...xyz.0000002a.r.wake/     the bell of that channel's doorbell word, made by its primary
 *     4242.1                          a ring: an empty file named after the ringer's pid and a number of its own
 *
 * waiter (await)                                   ringer (ring)
 * ARMED = 1                                        DOORBELL += 1   (the caller, before ringing)
 * DOORBELL still the value seen? sleep on watch    CAS ARMED 1 -> 0; if it won: create a ring file
 * remove the ring files it saw; ARMED = 0
 * </pre>
 * ARMED is the word after the doorbell ({@link OsBackend#BELL_ARMED_DELTA}), as for the posix backend's bell FIFO: no
 * ring is lost while ringers live (a ringer whose CAS fails saw ARMED = 0, so the waiter will see the new DOORBELL
 * before sleeping), at most one ring file is made per arming, so a frozen primary's directory never fills, and an
 * awake waiter costs ringers nothing. A ringer killed between its CAS and its file loses its ring: the primary's
 * intake never sleeps without a timeout, and reports such a launch. A wait that times out looks in the directory
 * before it says so: the JDK reads the kernel's events on a thread of its own, which a loaded machine may hold up
 * for seconds, and a ring file found there is a ring that came in time.
 *
 * <p>Windows' rules: a file another process still has open is only deleted "pending", its name taken until the last
 * handle closes, so no name is ever reused (a ringer whose name is taken takes another) and nothing waits for a
 * removal; ring files the waiter could not remove go with the next wake-up's or the directory's removal
 * ({@link #remove}). macOS has no such watch in the JDK (it polls, every 10 s by default): there the portable backend keeps
 * its sockets ({@link SocketDoorbell}). One waiter at a time, which must have left {@link #await} before
 * {@link #close()}; ringers on any thread or process.
 */
final class WatchedBell implements AutoCloseable {

    /** The suffix of a bell's directory, after its segment file's name. */
    private static final String SUFFIX = ".wake";

    private static final AtomicInteger RING_NUMBER = new AtomicInteger();
    private static final int MAX_RING_NAMES = 100;

    private final ByteBuffer buffer;
    private final int offset;
    private final Path directory;
    private final WatchService watcher;

    private WatchedBell(ByteBuffer buffer, int offset, Path directory, WatchService watcher) {
        this.buffer = buffer;
        this.offset = offset;
        this.directory = directory;
        this.watcher = watcher;
    }

    /** The bell directory of the segment stored at {@code segmentPath}: beside it, {@code .wake} appended. */
    static Path directoryOf(Path segmentPath) {
        return segmentPath.resolveSibling(segmentPath.getFileName() + SUFFIX);
    }

    /**
     * Makes the bell of the word at {@code offset} in {@code buffer}, a segment stored at {@code segmentPath}, and
     * starts watching it. Only the claim's holder makes segments, so a leftover directory of that name (channel names
     * are never reused: only one put back by hand) is removed first.
     */
    static WatchedBell open(ByteBuffer buffer, int offset, Path segmentPath) {
        Path directory = directoryOf(segmentPath);
        boolean interrupted = Interrupts.clear();
        WatchService watcher = null;
        try {
            remove(directory);
            try {
                Files.createDirectory(directory);
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                }
                // a leftover the OS kept (Windows: a ring file still open): its rings only wake us once, spuriously
            }
            watcher = directory.getFileSystem().newWatchService();
            directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            return new WatchedBell(buffer, offset, directory, watcher);
        } catch (IOException e) {
            closeQuietly(watcher);
            throw new SingleInstanceException(
                    "cannot watch the doorbell directory " + directory + ": " + e
                            + (e.getMessage() != null && e.getMessage().contains("inotify")
                                    ? " (raise fs.inotify.max_user_instances, or use the posix backend)"
                                    : ""),
                    71,
                    e);
        } finally {
            Interrupts.restore(interrupted);
        }
    }

    int offset() {
        return offset;
    }

    /**
     * Sleeps until a ring, a change of the word from {@code expected}, or the timeout (negative: none); false if it
     * timed out with no ring (see OsBackend#await). An interrupt ends the sleep as a spurious wake-up, the thread's
     * status set again.
     */
    boolean await(int expected, long timeoutNanos) {
        BufferAtomics.putIntVolatile(buffer, offset + OsBackend.BELL_ARMED_DELTA, 1);
        boolean interrupted = Interrupts.clear();
        try {
            if (BufferAtomics.getIntVolatile(buffer, offset) != expected) {
                return true;
            }
            WatchKey signalled =
                    timeoutNanos < 0 ? watcher.take() : watcher.poll(Math.max(0, timeoutNanos), TimeUnit.NANOSECONDS);
            if (signalled == null) {
                // The JDK's watch thread may not have read the kernel's event yet (a starved thread, on a loaded
                // machine): a ring file in the directory is a ring all the same, and says so.
                return sweep(directory) > 0;
            }
            // rings of an earlier arming may come along: they only make this wait end early, which callers allow
            for (WatchEvent<?> event : signalled.pollEvents()) {
                if (event.context() instanceof Path ring) {
                    deleteQuietly(directory.resolve(ring));
                } else {
                    sweep(directory); // OVERFLOW: the names are lost, not the wake-up
                }
            }
            signalled.reset();
            return true;
        } catch (InterruptedException e) {
            interrupted = true;
            return true;
        } catch (ClosedWatchServiceException e) {
            return true; // closed under us: the caller is stopping
        } finally {
            Interrupts.restore(interrupted);
            BufferAtomics.putIntVolatile(buffer, offset + OsBackend.BELL_ARMED_DELTA, 0);
        }
    }

    /**
     * Rings the bell whose word is at {@code offset} of {@code buffer}, stored at {@code segmentPath}, if its waiter
     * sleeps or is about to ({@code pid}: this process's, for the ring's name). A missing directory is no error: its
     * primary is closing and removed it, and the sender sees that in the channel's state.
     */
    static void ring(ByteBuffer buffer, int offset, Path segmentPath, long pid) {
        if (!BufferAtomics.compareAndSetInt(buffer, offset + OsBackend.BELL_ARMED_DELTA, 1, 0)) {
            return; // the waiter is awake, or another ringer rang it already
        }
        Path directory = directoryOf(segmentPath);
        boolean interrupted = Interrupts.clear();
        try {
            for (int attempt = 0; attempt < MAX_RING_NAMES; attempt++) {
                try {
                    Files.createFile(directory.resolve(pid + "." + RING_NUMBER.incrementAndGet()));
                    return;
                } catch (FileAlreadyExistsException e) {
                    // a name left by a process with our pid: take another
                } catch (AccessDeniedException e) {
                    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
                        return; // Windows: the closing primary's directory is "delete pending"; the channel tells
                    }
                    // the name is still "delete pending" on Windows: take another
                }
            }
            throw new SingleInstanceException(
                    "cannot ring the doorbell in " + directory + ": " + MAX_RING_NAMES + " ring names for pid " + pid
                            + " are taken; is another program writing into this directory?",
                    71);
        } catch (NoSuchFileException e) {
            // the primary removed its bell while closing; the channel's state tells the sender
        } catch (IOException e) {
            throw new SingleInstanceException("cannot ring the doorbell in " + directory + ": " + e, 71, e);
        } finally {
            Interrupts.restore(interrupted);
        }
    }

    /**
     * Removes the bell directory {@code directory} and its ring files where the OS lets us (Windows keeps a file a
     * ringer still has open, and so the directory); whatever stays is removed with a later generation's channel.
     */
    static void remove(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        sweep(directory);
        deleteQuietly(directory);
    }

    /** Removes the ring files in {@code directory}; returns how many it removed (not those the OS kept). */
    private static int sweep(Path directory) {
        int removed = 0;
        try (DirectoryStream<Path> rings = Files.newDirectoryStream(directory)) {
            for (Path ring : rings) {
                removed += deleteQuietly(ring) ? 1 : 0;
            }
        } catch (IOException e) {
            // gone, or unreadable: nothing of ours to remove
        }
        return removed;
    }

    /** Whether {@code path} was removed now. */
    private static boolean deleteQuietly(Path path) {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            return false; // still open elsewhere (Windows), or not empty: a later sweep removes it
        }
    }

    private static void closeQuietly(WatchService watcher) {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // never watched anything: nothing to release
            }
        }
    }

    /** Stops watching; the directory goes with the segment's name ({@link PortableBackend#unlink}). */
    @Override
    public void close() {
        closeQuietly(watcher);
    }
}
