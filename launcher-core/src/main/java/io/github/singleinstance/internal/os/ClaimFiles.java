package io.github.singleinstance.internal.os;

import io.github.singleinstance.SingleInstanceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The claim files this JVM has open: one {@link FileChannel} per file, shared by every {@link ClaimHandle} of it.
 *
 * <p>Why shared: a {@link FileChannel} lock is a POSIX record lock, which the kernel releases when the process closes
 * ANY descriptor of the file (docs/platform-facts.md). A second claim of the same id in this JVM that opened the file again and
 * closed it would silently free the primary's claim. So the file is opened once, and the lock is lent to one handle
 * at a time here, the way {@code flock} on separate descriptors behaves (a second handle in the same process is a
 * second contender that loses).
 *
 * <p>Which file a descriptor denotes: the JDK cannot stat an open channel, so the file's key (device and inode) is
 * read from its name before and after opening; a name replaced in between (a primary removed it while shutting down
 * and a new one created it) makes the open start over.
 *
 * <p>One registry per JVM, shared by the backends that lock claim files through the JDK (posix on Linux, portable):
 * two registries would each open the file, and closing one would free the other's lock. All methods hold its lock.
 *
 * <p>One registry per class loader, strictly: a second copy of this library in the same JVM (the Spring Boot fast
 * launcher's, before the application's own copy loads) has a registry of its own. A claim that copy won is handed to
 * the application's copy through JDK types only ({@link #detachForHandover} there, the adoption in {@link #open}
 * here): the copy that claimed publishes, under the system property {@value #HANDOVER_PROPERTY}, an object that is a
 * {@code Function<Object, Object[]>} (given the claim file's key, it hands over {@code {FileChannel, FileLock}} once,
 * or answers null) and a {@code Runnable} (lets go of a claim not yet handed over). The first {@link #open} of that
 * file in the other copy takes the channel and its lock into this registry: the file stays open once in the process,
 * its lock is never taken twice, and only the adopting copy ever closes it.
 */
public final class ClaimFiles {

    /**
     * The system property (an object, not a string, present only between the claim and its adoption) under which a
     * copy of this library that claimed before the application loaded hands its claim over; see the class comment.
     */
    public static final String HANDOVER_PROPERTY = "io.github.singleinstance.claim-handover";

    /**
     * The one byte of a claim file that its primary locks: far past the header's 64 bytes (the file's whole length),
     * so that no read or write of the header ever touches a locked byte. Windows' byte-range locks are mandatory: an
     * exclusive lock over the header (as {@code tryLock()} with no arguments takes, bytes 0 to {@code Long.MAX_VALUE})
     * would make every other process's read of it fail with ERROR_LOCK_VIOLATION, and no launch could learn who the
     * primary is. Frozen with the header (drawn in the protocol's {@code ClaimHeader}); locking past the end of a file
     * is allowed on Windows, Linux and macOS alike.
     */
    public static final long LOCK_POSITION = 1L << 30;

    /** Every claim file this JVM has open, by file key, whichever backend opened it; guarded by {@code OPEN}. */
    private static final Map<Object, OpenFile> OPEN = new HashMap<>();

    private ClaimFiles() {}

    /** One claim file open in this JVM. */
    private static final class OpenFile {
        final Path path;
        final Object key;
        final FileChannel channel;
        int handles;
        /** The lock this JVM holds on it, if any: lent to {@code holder}, or (adopted, not yet lent) to no handle. */
        FileLock lock;

        Handle holder;
        /** Handed to another copy of this library: closing handles here no longer releases or closes anything. */
        boolean handedOver;

        OpenFile(Path path, Object key, FileChannel channel) {
            this.path = path;
            this.key = key;
            this.channel = channel;
        }
    }

    /**
     * Opens the claim file {@code path}, creating it owner-only if absent; an existing one must pass {@code owner}'s
     * check. Does not lock it.
     */
    public static ClaimHandle open(Path path, FileOwner owner) {
        return open(path, owner, true);
    }

    /**
     * Opens the claim file {@code path} if it exists, as {@link #open} does, but never creates it: null if there is
     * none (for a query that must leave no trace: {@code claim.InstanceQuery}).
     */
    public static ClaimHandle openExisting(Path path, FileOwner owner) {
        return open(path, owner, false);
    }

    /**
     * Whether a copy of this library in this JVM has published a claim for another copy to adopt (see the class
     * comment): then no other descriptor of a claim file may be opened and closed here, which would release that
     * claim's lock, and the claim cannot be told apart without taking it.
     */
    public static boolean handoverPending() {
        return System.getProperties().get(HANDOVER_PROPERTY) != null;
    }

    private static ClaimHandle open(Path path, FileOwner owner, boolean create) {
        boolean interrupted = Interrupts.clear();
        try {
            synchronized (OPEN) {
                return openLocked(path, owner, create);
            }
        } finally {
            Interrupts.restore(interrupted);
        }
    }

    private static ClaimHandle openLocked(Path path, FileOwner owner, boolean create) {
        try {
            while (true) {
                Object before = keyOf(path);
                if (before != null) {
                    OpenFile known = OPEN.get(before);
                    if (known != null) {
                        known.handles++;
                        return new Handle(known, false);
                    }
                    Handle adopted = create ? adopt(path, before) : null; // a query adopts nothing
                    if (adopted != null) {
                        return adopted;
                    }
                    FileChannel channel;
                    try {
                        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    } catch (NoSuchFileException e) {
                        continue; // removed between the two calls: a primary just shut down
                    }
                    if (!before.equals(keyOf(path))) {
                        channel.close(); // no lock of this JVM is on it: we checked the registry under our lock
                        continue;
                    }
                    boolean stillThere;
                    try {
                        stillThere = owner.check(path);
                    } catch (RuntimeException e) {
                        channel.close();
                        throw e;
                    }
                    if (!stillThere) {
                        channel.close(); // removed since we opened it: a primary just shut down
                        continue;
                    }
                    return register(path, before, channel);
                }
                if (!create) {
                    return null;
                }
                FileChannel channel;
                try {
                    channel = FileChannel.open(
                            path,
                            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                            owner.ownerOnly());
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
                Object key = keyOf(path);
                if (key == null) {
                    channel.close();
                    continue;
                }
                return register(path, key, channel);
            }
        } catch (IOException e) {
            throw new SingleInstanceException("cannot open the claim file: path=" + path + ": " + e, 71, e);
        }
    }

    /**
     * The claim file {@code key} as handed over by another copy of this library in this process, which holds its lock
     * (see the class comment): registered here with that lock, lent to no handle yet (the next {@link
     * ClaimHandle#tryLock} of a handle of it takes it); null if nothing is handed over for this file. Called under the
     * registry's lock, for a file this registry does not have open.
     */
    private static Handle adopt(Path path, Object key) {
        // one map read on every open of a claim file this copy has not open; no class loaded unless something is there
        Object published = System.getProperties().get(HANDOVER_PROPERTY);
        if (!(published instanceof Function<?, ?> handover)) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Object handed = ((Function<Object, Object>) handover).apply(key);
        if (!(handed instanceof Object[] parts)
                || parts.length < 2
                || !(parts[0] instanceof FileChannel channel)
                || !(parts[1] instanceof FileLock lock)) {
            return null; // another file's, or let go of already
        }
        OpenFile file = new OpenFile(path, key, channel);
        file.handles = 1;
        file.lock = lock;
        OPEN.put(key, file);
        return new Handle(file, true);
    }

    /**
     * For the copy of this library that claimed before the application loaded: takes the file of {@code claim} (a
     * handle of this registry that holds its lock, the only handle of its file) out of this registry, to be handed to
     * another copy in this process; returns {@code {FileChannel, FileLock, file key}}. From then on no handle here
     * releases or closes it: {@code claim} may still read and write it (the heartbeat) until the receiver takes it.
     * Returns null, changing nothing, for any other handle (another backend's claim, a lock not held, a file shared).
     */
    public static Object[] detachForHandover(ClaimHandle claim) {
        synchronized (OPEN) {
            if (!(claim instanceof Handle handle)) {
                return null;
            }
            OpenFile file = handle.file;
            if (handle.closed || file.holder != handle || file.handles != 1 || file.handedOver) {
                return null;
            }
            file.handedOver = true;
            OPEN.remove(file.key, file);
            return new Object[] {file.channel, file.lock, file.key};
        }
    }

    private static Handle register(Path path, Object key, FileChannel channel) {
        OpenFile file = new OpenFile(path, key, channel);
        file.handles = 1;
        OPEN.put(key, file);
        return new Handle(file, false);
    }

    /** The file key (device and inode on POSIX) of what {@code path} names now, or null if nothing. */
    static Object keyOf(Path path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            Object key = attributes.fileKey();
            return key != null ? key : path.toAbsolutePath().toString(); // no file keys (Windows): the name
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** A claim handle over a shared {@link OpenFile}. */
    private static final class Handle implements ClaimHandle {

        private final OpenFile file;
        private final boolean adopted;
        private boolean closed;

        Handle(OpenFile file, boolean adopted) {
            this.file = file;
            this.adopted = adopted;
        }

        @Override
        public boolean adopted() {
            return adopted;
        }

        @Override
        public boolean tryLock() {
            boolean interrupted = Interrupts.clear();
            try {
                synchronized (OPEN) {
                    if (file.holder != null) {
                        return file.holder == this;
                    }
                    if (file.lock != null) { // adopted, lent to no handle yet
                        file.holder = this;
                        return true;
                    }
                    try {
                        FileLock lock = file.channel.tryLock(LOCK_POSITION, 1, false);
                        if (lock == null) {
                            return false;
                        }
                        file.lock = lock;
                        file.holder = this;
                        return true;
                    } catch (IOException e) {
                        throw new SingleInstanceException(
                                "cannot lock the claim file: path=" + file.path + ": " + e, 71, e);
                    }
                }
            } finally {
                Interrupts.restore(interrupted);
            }
        }

        @Override
        public boolean lockFree() {
            boolean interrupted = Interrupts.clear();
            try {
                synchronized (OPEN) {
                    if (file.holder != null || file.lock != null) {
                        return false; // held in this JVM (by any handle, or adopted and not yet lent)
                    }
                    try {
                        FileLock lock = file.channel.tryLock(LOCK_POSITION, 1, false);
                        if (lock == null) {
                            return false;
                        }
                        lock.release(); // at once: a launch racing this finds the lock free on its next look
                        return true;
                    } catch (IOException e) {
                        throw new SingleInstanceException(
                                "cannot lock the claim file: path=" + file.path + ": " + e, 71, e);
                    }
                }
            } finally {
                Interrupts.restore(interrupted);
            }
        }

        @Override
        public boolean stillNamed() {
            try {
                return Objects.equals(keyOf(file.path), file.key);
            } catch (IOException e) {
                throw new SingleInstanceException("cannot read the claim file: path=" + file.path + ": " + e, 71, e);
            }
        }

        @Override
        public int read(ByteBuffer dst, long position) {
            boolean interrupted = Interrupts.clear();
            try {
                return file.channel.read(dst, position);
            } catch (IOException e) {
                throw new SingleInstanceException("cannot read the claim file: path=" + file.path + ": " + e, 71, e);
            } finally {
                Interrupts.restore(interrupted);
            }
        }

        @Override
        public void write(ByteBuffer src, long position) {
            boolean interrupted = Interrupts.clear();
            try {
                long at = position;
                while (src.hasRemaining()) {
                    at += file.channel.write(src, at);
                }
            } catch (IOException e) {
                throw new SingleInstanceException("cannot write the claim file: path=" + file.path + ": " + e, 71, e);
            } finally {
                Interrupts.restore(interrupted);
            }
        }

        @Override
        public void close() {
            boolean interrupted = Interrupts.clear();
            try {
                synchronized (OPEN) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    if (file.handedOver) {
                        return; // another copy of this library owns the file now
                    }
                    try {
                        if (file.holder == this) {
                            file.holder = null;
                            file.lock.release();
                            file.lock = null;
                        }
                        if (--file.handles == 0) {
                            OPEN.remove(file.key, file);
                            if (file.lock != null) { // adopted and never lent: this process lets go of it here
                                file.lock.release();
                                file.lock = null;
                            }
                            file.channel.close();
                        }
                    } catch (IOException e) {
                        throw new SingleInstanceException(
                                "cannot release the claim file: path=" + file.path + ": " + e, 71, e);
                    }
                }
            } finally {
                Interrupts.restore(interrupted);
            }
        }
    }
}
