package io.github.singleinstance.internal.os.linux;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The C library calls the Linux backend makes, with their C names. Each returns -1 (or MAP_FAILED) and sets errno on
 * failure; read errno with {@link Native#getLastError()} right after the call, on the same thread. Since glibc 2.34
 * shm_open and friends live in libc itself (docs/platform-facts.md); older glibc resolves them through libc's dependencies.
 */
interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    // <fcntl.h>, generic Linux values (x86-64, aarch64, riscv64)
    int O_RDWR = 02;
    int O_CREAT = 0100;
    int O_EXCL = 0200;
    int O_NONBLOCK = 04000;
    int O_CLOEXEC = 02000000;
    /** Differs by architecture: 0100000 on arm64, the generic 0400000 on x86-64 and riscv64. */
    int O_NOFOLLOW = com.sun.jna.Platform.isARM() ? 0100000 : 0400000;

    // <sys/mman.h>
    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 1;

    // <errno.h>
    int EINTR = 4;
    int EAGAIN = 11;
    int EEXIST = 17;
    int ENOENT = 2;
    int ETIMEDOUT = 110;
    int ELOOP = 40;

    // <linux/futex.h>: shared (not private) operations, so the word may be in a segment mapped by several processes
    int FUTEX_WAIT = 0;
    int FUTEX_WAKE = 1;

    /** Opens a POSIX shared-memory object; glibc adds O_NOFOLLOW and O_CLOEXEC itself, we pass O_CLOEXEC anyway. */
    int shm_open(String name, int oflag, int mode);

    int shm_unlink(String name);

    int ftruncate(int fd, long length);

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset);

    int munmap(Pointer addr, long length);

    /** Creates a FIFO (named pipe) at {@code path}; fails with EEXIST if the name exists. */
    int mkfifo(String path, int mode);

    /** {@code int open(const char *path, int flags, ...)}: variadic (the mode), so bound as Java varargs. */
    int open(String path, int flags, Object... mode);

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}; timeout in milliseconds, -1 for none. */
    int poll(Pointer fds, long nfds, int timeout);

    long read(int fd, Pointer buffer, long count);

    long write(int fd, Pointer buffer, long count);

    int close(int fd);

    int geteuid();

    int getpid();

    /** {@code long syscall(long number, ...)}: variadic, so bound as Java varargs (docs/platform-facts.md). */
    long syscall(long number, Object... args);
}
