package io.github.singleinstance.internal.os.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.NativeCallException;
import java.nio.ByteBuffer;

/**
 * The claim as a 1-byte named file mapping that only the primary keeps open. The kernel destroys a named object with
 * its last handle, a crash included, so a dead primary's claim cannot outlive it: whoever creates the mapping (and
 * does not find it existing) is the primary. A contender never keeps a handle of someone else's claim, which would
 * keep it alive: {@link #tryLock()} tries to create it again each time. Used by one thread at a time.
 */
final class WindowsClaim implements ClaimHandle {

    private final Kernel32 kernel32;
    private final String kernelName;
    private Pointer held;

    private WindowsClaim(Kernel32 kernel32, String kernelName, Pointer held) {
        this.kernel32 = kernel32;
        this.kernelName = kernelName;
        this.held = held;
    }

    static WindowsClaim open(Kernel32 kernel32, String kernelName) {
        return new WindowsClaim(kernel32, kernelName, create(kernel32, kernelName));
    }

    /** The handle of a mapping this call created, or null if it existed (its handle closed at once). */
    private static Pointer create(Kernel32 kernel32, String kernelName) {
        Pointer handle = kernel32.CreateFileMappingW(
                Kernel32.INVALID_HANDLE_VALUE, null, Kernel32.PAGE_READWRITE, 0, 1, new WString(kernelName));
        int error = Native.getLastError();
        if (handle == null) {
            throw new NativeCallException("CreateFileMappingW", kernelName, error);
        }
        if (error == Kernel32.ERROR_ALREADY_EXISTS) {
            kernel32.CloseHandle(handle);
            return null;
        }
        return handle;
    }

    @Override
    public boolean tryLock() {
        if (held == null) {
            held = create(kernel32, kernelName);
        }
        return held != null;
    }

    /** Always true: a Windows name cannot be removed while its object lives. */
    @Override
    public boolean stillNamed() {
        return true;
    }

    /**
     * No header: contenders never hold a handle of the claim mapping (that would keep a dead primary's claim alive),
     * so they cannot read one. Launches on this backend wait on the channel alone (README: never run).
     */
    @Override
    public int read(ByteBuffer dst, long position) {
        return -1;
    }

    /** Ignored: see {@link #read}. */
    @Override
    public void write(ByteBuffer src, long position) {}

    @Override
    public void close() {
        if (held != null) {
            kernel32.CloseHandle(held);
            held = null;
        }
    }
}
