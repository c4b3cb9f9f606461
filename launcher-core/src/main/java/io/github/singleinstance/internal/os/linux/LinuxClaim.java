package io.github.singleinstance.internal.os.linux;

import com.sun.jna.Native;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.NativeCallException;
import java.nio.file.Path;

/** The claim object as an open shm descriptor, locked with {@code flock}. Used by one thread at a time. */
final class LinuxClaim implements ClaimHandle {

    private final LibC libc;
    private final String name;
    private final boolean created;
    private int fd;

    LinuxClaim(LibC libc, String name, int fd, boolean created) {
        this.libc = libc;
        this.name = name;
        this.fd = fd;
        this.created = created;
    }

    @Override
    public boolean created() {
        return created;
    }

    @Override
    public boolean tryLock() {
        if (libc.flock(fd, LibC.LOCK_EX | LibC.LOCK_NB) == 0) {
            return true;
        }
        int errno = Native.getLastError();
        if (errno == LibC.EAGAIN || errno == LibC.EINTR) {
            return false;
        }
        throw new NativeCallException("flock(LOCK_EX|LOCK_NB)", name, errno);
    }

    @Override
    public boolean stillNamed() {
        FileIdentity named = FileIdentity.ofPath(Path.of("/dev/shm", name.substring(1)));
        return named != null && named.sameFileAs(FileIdentity.ofDescriptor(fd));
    }

    @Override
    public void markClaimed() {
        if (libc.ftruncate(fd, 1) != 0) {
            throw new NativeCallException("ftruncate(1)", name, Native.getLastError());
        }
    }

    @Override
    public void unlink() {
        if (libc.shm_unlink(name) != 0 && Native.getLastError() != LibC.ENOENT) {
            throw new NativeCallException("shm_unlink", name, Native.getLastError());
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            libc.close(fd); // closing the last descriptor releases the flock
            fd = -1;
        }
    }
}
