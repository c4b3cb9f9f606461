package io.github.singleinstance.internal.os.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.ClaimFiles;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.FileOwner;
import io.github.singleinstance.internal.os.NativeCallException;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.SegmentSizeException;
import io.github.singleinstance.internal.os.SharedSegment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Linux through JNA, the primary's side: the channel is a file mapped with mmap, and a futex on a word of it is the
 * doorbell, so no named semaphore can be left behind by a crash. The claim is a file with a
 * {@link java.nio.channels.FileChannel} lock (a record lock the kernel releases when its holder dies,
 * {@link ClaimFiles} for the close-any-descriptor pitfall), and the listener's doorbell can also be rung through a FIFO
 * ({@link FifoDoorbell}): so a second launch needs none of this class and never loads JNA ({@link LinuxForwardingBackend}).
 *
 * <pre>
 * &lt;directory&gt;/si-abc...xyz.c                  claim: its fixed header (ClaimHeader); one byte past its end
 *                                                record-locked by the primary; never removed
 * &lt;directory&gt;/si-abc...xyz.0000002a.r         channel of generation 0x2a: header, ring, reply slots (ChannelLayout)
 * &lt;directory&gt;/si-abc...xyz.0000002a.r.bell    FIFO: the wake-up of the channel's doorbell word (FifoDoorbell)
 * </pre>
 * The directory is the user's private one (PrivateDirectory: no other user can create a name there) for
 * {@code Scope.USER} and {@code SESSION}, {@code /dev/shm} for {@code Scope.SYSTEM}. Nothing follows a symbolic
 * link. Thread-safe.
 */
public final class LinuxBackend implements OsBackend {

    private static final int OWNER_READ_WRITE = 0600;
    private static final int ACCESS_BY_OTHERS = 0077;
    private static final Path SYSTEM_DIRECTORY = Path.of("/dev/shm");
    private final Path directory;
    private final LibC libc = LibC.INSTANCE;
    private final long futexSyscall = futexSyscallNumber();
    private final int euid = libc.geteuid();
    private final long pid = libc.getpid();
    private final FileOwner owner = new FileOwner(euid, System.getProperty("user.name"));

    /**
     * @param directory where the objects live: the user's private directory ({@code Scope.USER}, {@code SESSION}), or
     *     {@code /dev/shm} ({@code Scope.SYSTEM})
     */
    public LinuxBackend(Path directory) {
        this.directory = directory;
    }

    /** The claim is a file locked through the JDK, so that a second launch sees it without JNA. */
    @Override
    public ClaimHandle openClaim(String name) {
        return ClaimFiles.open(pathOf(name), owner);
    }

    @Override
    public ClaimHandle openExistingClaim(String name) {
        return ClaimFiles.openExisting(pathOf(name), owner);
    }

    @Override
    public SharedSegment createSegment(String name, int size) {
        String path = pathOf(name).toString();
        int fd = libc.open(
                path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC | LibC.O_NOFOLLOW, OWNER_READ_WRITE);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.EEXIST) {
                return null;
            }
            throw new NativeCallException("open(O_CREAT|O_EXCL)", path, errno);
        }
        try {
            if (libc.ftruncate(fd, size) != 0) {
                int errno = Native.getLastError();
                unlinkQuietly(pathOf(name));
                throw new NativeCallException("ftruncate(" + size + ")", path, errno);
            }
            return map(name, fd, size);
        } finally {
            libc.close(fd);
        }
    }

    @Override
    public SharedSegment openSegment(String name, int minSize, int maxSize) {
        String path = pathOf(name).toString();
        int fd = libc.open(path, LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_NOFOLLOW);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == LibC.ENOENT) {
                return null;
            }
            if (errno == LibC.ELOOP) {
                throw new ForeignOwnerException(
                        path + " is a symbolic link where a segment should be; it is never followed. Remove it.");
            }
            throw new NativeCallException("open", path, errno);
        }
        try {
            FileIdentity identity = FileIdentity.ofDescriptor(fd);
            checkOwner(path, identity);
            // Never map before the size is known to be right: touching a page past the end is SIGBUS
            // (docs/platform-facts.md).
            if (identity.size() < minSize || identity.size() > maxSize) {
                throw new SegmentSizeException(name, identity.size(), minSize, maxSize);
            }
            return map(name, fd, (int) identity.size());
        } finally {
            libc.close(fd);
        }
    }

    /** Removes the segment's name and its bell FIFO's, if any. */
    @Override
    public boolean unlink(String name) {
        Path path = pathOf(name);
        try {
            Files.deleteIfExists(FifoDoorbellFiles.of(path));
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new SingleInstanceException("cannot remove " + path + " or its doorbell FIFO: " + e, 71, e);
        }
    }

    private static void unlinkQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // the creation failed already; that error is the one to report
        }
    }

    @Override
    public boolean await(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        FifoDoorbell bell = ((LinuxSegment) segment).bellOf(offset);
        if (bell != null) {
            return bell.await(expected, timeoutNanos);
        }
        Pointer word = ((LinuxSegment) segment).address().share(offset);
        Memory timeout = null;
        if (timeoutNanos >= 0) {
            timeout = new Memory(16); // struct timespec { long tv_sec; long tv_nsec; }, relative for FUTEX_WAIT
            timeout.setLong(0, timeoutNanos / 1_000_000_000L);
            timeout.setLong(8, timeoutNanos % 1_000_000_000L);
        }
        long result = libc.syscall(futexSyscall, word, LibC.FUTEX_WAIT, expected, timeout, null, 0);
        if (result != 0) {
            int errno = Native.getLastError();
            if (errno != LibC.EAGAIN && errno != LibC.ETIMEDOUT && errno != LibC.EINTR) {
                throw new NativeCallException("futex(FUTEX_WAIT)", segment.name() + "+" + offset, errno);
            }
            return errno != LibC.ETIMEDOUT;
        }
        return true;
    }

    @Override
    public void wakeAll(SharedSegment segment, int offset) {
        FifoDoorbell bell = ((LinuxSegment) segment).bellOf(offset);
        if (bell != null) {
            bell.ring();
            return;
        }
        Pointer word = ((LinuxSegment) segment).address().share(offset);
        if (libc.syscall(futexSyscall, word, LibC.FUTEX_WAKE, Integer.MAX_VALUE, null, null, 0) < 0) {
            throw new NativeCallException("futex(FUTEX_WAKE)", segment.name() + "+" + offset, Native.getLastError());
        }
    }

    /** The word's wake-up becomes a FIFO, which a pure-JDK sender can write ({@link FifoDoorbell}). */
    @Override
    public void openBell(SharedSegment segment, int offset) {
        LinuxSegment mapped = (LinuxSegment) segment;
        mapped.attach(FifoDoorbell.create(libc, mapped, offset, FifoDoorbellFiles.of(pathOf(segment.name()))));
    }

    /**
     * True: second launches forward through {@link LinuxForwardingBackend}, which polls. (Where {@code /proc} is missing a second
     * launch forwards through this class and sleeps on its slot's futex; unwoken, it sees the reply at its next
     * liveness check, within 100 ms.)
     */
    @Override
    public boolean repliesArePolled() {
        return true;
    }

    @Override
    public int doorbellKind() {
        return DOORBELL_BELL_FIFO;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public String userTag() {
        return Integer.toUnsignedString(euid);
    }

    private void checkOwner(String path, FileIdentity identity) {
        if (identity.uid() != euid) {
            throw new ForeignOwnerException(FileOwner.foreignMessage(
                    Path.of(path), "uid " + identity.uid(), "uid " + Integer.toUnsignedString(euid)));
        }
        if ((identity.mode() & ACCESS_BY_OTHERS) != 0) {
            throw new ForeignOwnerException(path + " is open to other users (mode "
                    + Integer.toOctalString(identity.mode() & 0777) + "); it is never used. Remove it.");
        }
    }

    /** The private directory; null for Scope.SYSTEM, whose objects live in the machine-wide /dev/shm. */
    @Override
    public Path streamDirectory() {
        return directory.equals(SYSTEM_DIRECTORY) ? null : directory;
    }

    /** Where object {@code name} lives. */
    public Path pathOf(String name) {
        return directory.resolve(name.substring(1));
    }

    private SharedSegment map(String name, int fd, int size) {
        Pointer address = libc.mmap(null, size, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        if (address == null || Pointer.nativeValue(address) == -1L) {
            throw new NativeCallException("mmap(" + size + ")", name, Native.getLastError());
        }
        return new LinuxSegment(libc, name, address, size);
    }

    private static long futexSyscallNumber() {
        if (Platform.isIntel() && Platform.is64Bit()) {
            return 202;
        }
        if (Platform.isARM() && Platform.is64Bit()) {
            return 98; // the generic syscall table: aarch64 (and riscv64 below)
        }
        if (Platform.ARCH.equals("riscv64")) {
            return 98;
        }
        throw new UnsupportedOperationException(
                "futex syscall number unknown for Linux on " + Platform.ARCH + "; supported: x86-64, aarch64, riscv64");
    }
}
