package io.github.singleinstance.internal.os;

import io.github.singleinstance.SingleInstanceException;

/** An OS call failed: names the call, the object and the error code. Exit code 71 (EX_OSERR). */
public final class NativeCallException extends SingleInstanceException {

    private final int errno;

    public NativeCallException(String call, String object, int errno) {
        super(call + " failed: object=" + object + ", errno=" + errno + " (" + describe(errno) + ")", 71);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    private static String describe(int errno) {
        return switch (errno) {
            case 1 -> "EPERM, operation not permitted";
            case 2 -> "ENOENT, no such object";
            case 4 -> "EINTR, interrupted";
            case 9 -> "EBADF, bad descriptor";
            case 11 -> "EAGAIN, try again";
            case 12 -> "ENOMEM, out of memory";
            case 13 -> "EACCES, permission denied";
            case 17 -> "EEXIST, exists";
            case 22 -> "EINVAL, invalid argument";
            case 24 -> "EMFILE, too many open files";
            case 28 -> "ENOSPC, no space left (is /dev/shm full?)";
            case 38 -> "ENOSYS, not implemented";
            default -> "see errno(3)";
        };
    }
}
