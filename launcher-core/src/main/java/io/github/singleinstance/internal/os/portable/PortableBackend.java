package io.github.singleinstance.internal.os.portable;

import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.ClaimFiles;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.FileMapping;
import io.github.singleinstance.internal.os.FileOwner;
import io.github.singleinstance.internal.os.Interrupts;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OwnerOnlyDirectory;
import io.github.singleinstance.internal.os.PrivateDirectory;
import io.github.singleinstance.internal.os.Processes;
import io.github.singleinstance.internal.os.SegmentFiles;
import io.github.singleinstance.internal.os.SharedSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Pure JDK, no native code: segments are files mapped with {@link FileChannel#map} in a per-user private directory
 * ({@link PrivateDirectory}), the liveness lock is a {@link FileChannel} lock (the OS releases it when its holder
 * dies, {@code kill -9} included), and the primary's intake sleeps in the kernel on one of two doorbells:
 * <ul>
 *   <li>where the JDK watches directories in the kernel (Linux, Windows): a watched directory, which a launch rings
 *       by creating a file ({@link WatchedBell}, doorbell kind 5): a second launch loads no socket class;
 *   <li>elsewhere (macOS, whose JDK watch polls, every 10 s by default): a Unix-domain socket per waiter
 *       ({@link SocketDoorbell}, kind 2).
 * </ul>
 * Second launches poll their reply slots either way. For where JNA's native library cannot load, for sandboxes that
 * hide {@code /dev/shm}, and for every OS that has no native backend yet.
 *
 * <pre>
 * $XDG_RUNTIME_DIR/single-instance/          (else ~/.cache/single-instance: PrivateDirectory), 0700
 *   si-abc...xyz.c                           claim: its fixed header (ClaimHeader); one byte past its end locked by
 *                                            the primary; never removed
 *   si-abc...xyz.0000002a.r                  channel of generation 0x2a: header, ring, reply slots (ChannelLayout)
 *   si-abc...xyz.0000002a.r.wake/4242.1      the channel's watched bell and a ring in it (WatchedBell; kind 5)
 *   w1a2b3c4d-100.4242.1                     the intake's wake socket (DoorbellSocket; kind 2)
 * </pre>
 * Thread-safe. Scope.SYSTEM is refused: a per-user directory cannot hold a machine-wide claim.
 */
public final class PortableBackend implements OsBackend {

    private final Path directory;
    private final String userName;
    private final Integer uid;
    private final long pid = Processes.currentPid();
    private final FileOwner owner;
    private final SocketDoorbell doorbell;
    /** Whether the primary's intake sleeps on a {@link WatchedBell} (else on a socket of {@link #doorbell}). */
    private final boolean watchedBells;

    /** A backend over the default private directory, with this OS's doorbell. */
    public PortableBackend() {
        this(PrivateDirectory.ofThisUser());
    }

    /** A backend over {@code directory}, created owner-only if absent and checked, with this OS's doorbell. */
    public PortableBackend(Path directory) {
        this(directory, kernelWatchesDirectories());
    }

    /**
     * A backend over {@code directory} whose primary sleeps on a watched directory ({@code watchedBells}) or on
     * sockets, whatever the OS (the macOS backend waits through the sockets of one of these).
     */
    public PortableBackend(Path directory, boolean watchedBells) {
        this.watchedBells = watchedBells;
        this.userName = System.getProperty("user.name");
        this.directory = OwnerOnlyDirectory.prepare(directory, userName);
        boolean posix = OwnerOnlyDirectory.hasPosixPermissions(directory);
        Integer ownUid = Processes.currentUid();
        this.uid = ownUid != null ? ownUid : posix ? unixUid(this.directory) : null;
        this.owner = new FileOwner(uid, userName);
        this.doorbell = new SocketDoorbell(this.directory, pid);
    }

    @Override
    public Path streamDirectory() {
        return directory;
    }

    /** The private directory in use. */
    public Path directory() {
        return directory;
    }

    /** Where the object {@code name} lives. */
    public Path pathOf(String name) {
        return directory.resolve(name.startsWith("/") ? name.substring(1) : name);
    }

    /**
     * Whether this OS's JDK watches directories in the kernel ({@code WatchService}: inotify on Linux,
     * ReadDirectoryChangesW on Windows), so that a {@link WatchedBell} wakes its waiter at once. Decided by name, not by
     * making a watch service: that costs a thread and a kernel object, too much for every second launch.
     */
    public static boolean kernelWatchesDirectories() {
        String os = System.getProperty("os.name", "");
        return os.startsWith("Linux") || os.startsWith("Windows");
    }

    /**
     * Opens the claim; with sockets for a doorbell, starts loading the socket classes that both a primary and a second
     * launch need next.
     */
    @Override
    public ClaimHandle openClaim(String name) {
        if (!watchedBells) {
            SocketDoorbell.startPreparingToWake();
        }
        return ClaimFiles.open(pathOf(name), owner);
    }

    @Override
    public ClaimHandle openExistingClaim(String name) {
        return ClaimFiles.openExisting(pathOf(name), owner);
    }

    @Override
    public SharedSegment createSegment(String name, int size) {
        boolean interrupted = Interrupts.clear();
        try {
            Path path = pathOf(name);
            try (FileChannel channel = FileChannel.open(
                    path,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    owner.ownerOnly())) {
                // mapping past the end grows the file with zeros; openers meanwhile see a size out of bounds and retry
                return new PortableSegment(name, FileMapping.mapReadWrite(channel, size), doorbell.newPool(name));
            } catch (FileAlreadyExistsException e) {
                return null;
            } catch (IOException e) {
                throw new SingleInstanceException(
                        "cannot create segment file: path=" + path + ", size=" + size + ": " + e, 71, e);
            }
        } finally {
            Interrupts.restore(interrupted);
        }
    }

    @Override
    public SharedSegment openSegment(String name, int minSize, int maxSize) {
        ByteBuffer mapping = SegmentFiles.mapExisting(pathOf(name), name, minSize, maxSize, owner);
        return mapping == null ? null : new PortableSegment(name, mapping, doorbell.newPool(name));
    }

    /**
     * Removes the name, its watched bell, and the wake sockets of the segment whose processes are gone (of whichever
     * doorbell: a primary of the other kind may have left them). False, changing nothing, where
     * the OS refuses: Windows does not delete a file that any process still maps (on Java 17 a process cannot unmap
     * its own mapping before it exits). The protocol never needs the removal (channel names are never reused): the
     * primary after next removes what is left.
     */
    @Override
    public boolean unlink(String name) {
        Path path = pathOf(name);
        WatchedBell.remove(WatchedBell.directoryOf(path));
        sweepSockets(name);
        try {
            return Files.deleteIfExists(path);
        } catch (AccessDeniedException e) {
            return false;
        } catch (IOException e) {
            throw new SingleInstanceException("cannot remove: path=" + path + ": " + e, 71, e);
        }
    }

    /**
     * The primary's doorbell word: its intake sleeps on a watched directory (WatchedBell) or a socket (SocketDoorbell);
     * every other word is polled.
     */
    @Override
    public void openBell(SharedSegment segment, int offset) {
        if (watchedBells) {
            ((PortableSegment) segment).attach(WatchedBell.open(segment.buffer(), offset, pathOf(segment.name())));
        } else {
            doorbell.openBell(((SocketWaitedSegment) segment).sockets(), offset);
        }
    }

    @Override
    public boolean await(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        WatchedBell bell = watchedBellOf(segment, offset);
        return bell != null
                ? bell.await(expected, timeoutNanos)
                : doorbell.await(
                        ((SocketWaitedSegment) segment).sockets(), segment.buffer(), offset, expected, timeoutNanos);
    }

    @Override
    public void awaitPatiently(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        WatchedBell bell = watchedBellOf(segment, offset);
        if (bell != null) {
            bell.await(expected, timeoutNanos);
        } else {
            doorbell.awaitPatiently(
                    ((SocketWaitedSegment) segment).sockets(), segment.buffer(), offset, expected, timeoutNanos);
        }
    }

    private WatchedBell watchedBellOf(SharedSegment segment, int offset) {
        return watchedBells && segment instanceof PortableSegment mapped ? mapped.bellOf(offset) : null;
    }

    /** True: a second launch polls its reply slot (SocketDoorbell), so a reply needs no wake-up. */
    @Override
    public boolean repliesArePolled() {
        return true;
    }

    /** With sockets for a doorbell, loads their classes (SocketDoorbell); a watched bell needs nothing loaded. */
    @Override
    public void prepareToWake() {
        if (!watchedBells) {
            SocketDoorbell.prepareToWake();
        }
    }

    /**
     * Rings the word's waiters: a ring file if the primary sleeps on a watched bell (then the word must be the one
     * with the bell: polled words are never rung here, as replies are polled), else a connection to every socket
     * waiting on the word.
     */
    @Override
    public void wakeAll(SharedSegment segment, int offset) {
        if (watchedBells) {
            WatchedBell.ring(segment.buffer(), offset, pathOf(segment.name()), pid);
        } else {
            doorbell.wakeAll(segment.name(), offset);
        }
    }

    /** The wake sockets of a new segment {@code name} mapped by this process (another backend's segment too). */
    public DoorbellSocketPool newSocketPool(String name) {
        return doorbell.newPool(name);
    }

    /** Removes the leftover wake sockets of segment {@code name}, as {@link #unlink} does. */
    public void sweepSockets(String name) {
        doorbell.sweep(name);
    }

    @Override
    public int doorbellKind() {
        return watchedBells ? DOORBELL_WATCHED_DIRECTORY : DOORBELL_SOCKETS;
    }

    @Override
    public long pid() {
        return pid;
    }

    /** The uid where the file system knows one (the owner of our own directory), else a hash of the user's name. */
    @Override
    public String userTag() {
        return uid != null ? Integer.toUnsignedString(uid) : "u" + Integer.toHexString(userName.hashCode());
    }

    /** False: the private directory is per user, so no claim here can be machine-wide. */
    @Override
    public boolean machineWide() {
        return false;
    }

    private static Integer unixUid(Path directory) {
        try {
            return (Integer) Files.getAttribute(directory, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }
}
