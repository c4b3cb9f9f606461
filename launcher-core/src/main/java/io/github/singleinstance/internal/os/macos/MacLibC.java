package io.github.singleinstance.internal.os.macos;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Map;

/**
 * The libc calls the macOS backend makes, bound through JNA. {@code shm_open} and {@code fcntl} are C variadic
 * functions: they are bound with Java varargs, so that JNA passes the extra argument the way arm64's calling
 * convention requires for variadic arguments (on the stack, not in a register; a fixed-argument binding works on
 * x86-64 only by luck). Constants are macOS's, which differ from Linux's. JNA bindings are thread-safe.
 */
interface MacLibC extends Library {

    int O_RDWR = 0x0002;
    int O_CREAT = 0x0200;
    int O_EXCL = 0x0800;
    /** Recent macOS rejects it in {@code shm_open}'s flags: close-on-exec is set with fcntl afterwards. */
    int O_CLOEXEC = 0x01000000;

    int F_SETFD = 2;
    int FD_CLOEXEC = 1;
    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 1;
    int ENOENT = 2;
    int EINTR = 4;
    int EEXIST = 17;
    int EINVAL = 22;

    /** {@code fstat} with 64-bit inodes: its own symbol on x86-64, the plain name on arm64. */
    static String fstatSymbol(String arch) {
        return arch.equals("x86_64") || arch.equals("amd64") ? "fstat$INODE64" : "fstat";
    }

    static MacLibC load() {
        String fstat = fstatSymbol(System.getProperty("os.arch", ""));
        Map<String, Object> options = Map.of(Library.OPTION_FUNCTION_MAPPER, (com.sun.jna.FunctionMapper)
                (library, method) -> method.getName().equals("fstat") ? fstat : method.getName());
        return Native.load("c", MacLibC.class, options);
    }

    int shm_open(String name, int oflag, Object... mode);

    int shm_unlink(String name);

    int ftruncate(int fd, long length);

    int fcntl(int fd, int cmd, Object... arguments);

    int fstat(int fd, Pointer stat);

    Pointer mmap(Pointer address, long length, int protection, int flags, int fd, long offset);

    int munmap(Pointer address, long length);

    int close(int fd);

    int getpid();

    int geteuid();
}
