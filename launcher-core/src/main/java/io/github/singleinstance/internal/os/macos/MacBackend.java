package io.github.singleinstance.internal.os.macos;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.NativeCallException;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.PrivateDirectory;
import io.github.singleinstance.internal.os.SegmentSizeException;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.internal.os.portable.PortableBackend;
import java.nio.file.Path;

/**
 * macOS: POSIX shared memory through JNA for the channel; the claim's liveness lock on a lock file in the per-user
 * private directory ({@code flock} on a shm descriptor is not supported on macOS, docs/platform-facts.md), and the Unix-domain
 * socket doorbell of the portable backend (macOS has neither futexes nor {@code sem_timedwait}). Every shm object
 * is sized with exactly one {@code ftruncate} (macOS refuses a second), opened without {@code O_CLOEXEC} in its flags
 * (set with fcntl after), and named in at most 30 characters (macOS allows 31 with the slash).
 *
 * <p><b>Never run on macOS by this project's CI</b> (Linux only): its off-platform tests check names, flags and the
 * {@code struct stat} layout. Thread-safe.
 */
public final class MacBackend implements OsBackend {

    static final int MAX_NAME_LENGTH = 30;
    private static final int OWNER_READ_WRITE = 0600;
    private static final int ACCESS_BY_OTHERS = 0077;

    private final MacLibC libc;
    private final PortableBackend files;
    private final int euid;
    private final long pid;

    public MacBackend() {
        this.libc = MacLibC.load();
        this.files = new PortableBackend(PrivateDirectory.ofThisUser(), false); // sockets: kind 3 rings them
        this.euid = libc.geteuid();
        this.pid = libc.getpid();
    }

    /** The flags a segment is created with: no O_CLOEXEC, which recent macOS refuses in shm_open. */
    static int createFlags() {
        return MacLibC.O_RDWR | MacLibC.O_CREAT | MacLibC.O_EXCL;
    }

    /**
     * The shm name of segment {@code name}: macOS has one shm namespace for all users, so the uid goes into the name,
     * in base 32 to fit macOS' 31 characters; only channels are shm objects here, so their ".r" can go
     * ({@code /si-<hash>.<generation>.r} becomes {@code /<uid>-<hash>.<generation>}, at most 30 characters).
     */
    static String shmName(String name, int uid) {
        String rest = name.substring(3);
        if (rest.endsWith(".r")) {
            rest = rest.substring(0, rest.length() - 2);
        }
        return checkName("/" + Integer.toUnsignedString(uid, 32) + rest);
    }

    static String checkName(String name) {
        if (!name.startsWith("/") || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("not a POSIX shm name macOS accepts (a '/' and at most "
                    + (MAX_NAME_LENGTH - 1) + " more characters): name=" + name);
        }
        return name;
    }

    @Override
    public Path streamDirectory() {
        return files.directory();
    }

    /** The claim is a lock file in the private directory, as in the portable backend. */
    @Override
    public ClaimHandle openClaim(String name) {
        return files.openClaim(name);
    }

    @Override
    public ClaimHandle openExistingClaim(String name) {
        return files.openExistingClaim(name);
    }

    @Override
    public SharedSegment createSegment(String name, int size) {
        int fd = libc.shm_open(shmName(name, euid), createFlags(), OWNER_READ_WRITE);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == MacLibC.EEXIST) {
                return null;
            }
            throw new NativeCallException("shm_open(O_CREAT|O_EXCL)", name, errno);
        }
        try {
            closeOnExec(fd, name);
            if (libc.ftruncate(fd, size) != 0) { // the one ftruncate this object gets
                int errno = Native.getLastError();
                libc.shm_unlink(shmName(name, euid));
                throw new NativeCallException("ftruncate(" + size + ")", name, errno);
            }
            return map(name, fd, size);
        } finally {
            libc.close(fd);
        }
    }

    @Override
    public SharedSegment openSegment(String name, int minSize, int maxSize) {
        int fd = libc.shm_open(shmName(name, euid), MacLibC.O_RDWR, 0);
        if (fd < 0) {
            int errno = Native.getLastError();
            if (errno == MacLibC.ENOENT) {
                return null;
            }
            throw new NativeCallException("shm_open", name, errno);
        }
        try {
            closeOnExec(fd, name);
            MacStat stat = MacStat.of(libc, fd, name);
            if (stat.uid() != euid) {
                throw new ForeignOwnerException("shared object " + name + " belongs to uid "
                        + Integer.toUnsignedString(stat.uid()) + ", not to this user (uid "
                        + Integer.toUnsignedString(euid) + "); it is never used.");
            }
            if ((stat.mode() & ACCESS_BY_OTHERS) != 0) {
                throw new ForeignOwnerException("shared object " + name + " is open to other users (mode "
                        + Integer.toOctalString(stat.mode() & 0777) + "); it is never used.");
            }
            if (stat.size() < minSize || stat.size() > maxSize) { // never map past the end: SIGBUS
                throw new SegmentSizeException(name, stat.size(), minSize, maxSize);
            }
            return map(name, fd, (int) stat.size());
        } finally {
            libc.close(fd);
        }
    }

    @Override
    public boolean unlink(String name) {
        files.sweepSockets(name);
        if (libc.shm_unlink(shmName(name, euid)) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == MacLibC.ENOENT) {
            return false;
        }
        throw new NativeCallException("shm_unlink", name, errno);
    }

    /** The doorbell is the portable backend's: a socket for the intake's word, polling for every other. */
    @Override
    public void openBell(SharedSegment segment, int offset) {
        files.openBell(segment, offset);
    }

    @Override
    public boolean await(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        return files.await(segment, offset, expected, timeoutNanos);
    }

    @Override
    public void awaitPatiently(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        files.awaitPatiently(segment, offset, expected, timeoutNanos);
    }

    @Override
    public boolean repliesArePolled() {
        return files.repliesArePolled();
    }

    @Override
    public void prepareToWake() {
        files.prepareToWake();
    }

    @Override
    public void wakeAll(SharedSegment segment, int offset) {
        files.wakeAll(segment, offset);
    }

    @Override
    public int doorbellKind() {
        return DOORBELL_MACOS;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public String userTag() {
        return Integer.toUnsignedString(euid);
    }

    /** False: the claim's lock file lives in a per-user directory. */
    @Override
    public boolean machineWide() {
        return false;
    }

    private void closeOnExec(int fd, String name) {
        if (libc.fcntl(fd, MacLibC.F_SETFD, MacLibC.FD_CLOEXEC) != 0) {
            throw new NativeCallException("fcntl(F_SETFD, FD_CLOEXEC)", name, Native.getLastError());
        }
    }

    private SharedSegment map(String name, int fd, int size) {
        Pointer address = libc.mmap(null, size, MacLibC.PROT_READ | MacLibC.PROT_WRITE, MacLibC.MAP_SHARED, fd, 0);
        if (address == null || Pointer.nativeValue(address) == -1L) {
            throw new NativeCallException("mmap(" + size + ")", name, Native.getLastError());
        }
        return new MacSegment(libc, name, address, size, files.newSocketPool(name));
    }
}
