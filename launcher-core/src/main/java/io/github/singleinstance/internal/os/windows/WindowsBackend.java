package io.github.singleinstance.internal.os.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.NativeCallException;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.SegmentSizeException;
import io.github.singleinstance.internal.os.SharedSegment;

/**
 * Windows through JNA: named file mappings backed by the paging file for the claim and the channel
 * ({@code Local\} names for USER and SESSION scope, {@code Global\} for SYSTEM), whose kernel lifetime ends with their
 * last handle, so no claim or channel outlives its processes; owner checks by SID ({@link WindowsOwner}); auto-reset
 * named events as the doorbell, one per word (each word of the protocol has a single waiter: the listener on the
 * doorbell, a sender on its slot).
 *
 * <p>USER scope is per login session here: {@code Local\} names live in the session's namespace, and creating file
 * mappings in {@code Global\} needs a privilege ordinary users lack.
 *
 * <p><b>Never run on Windows by this project's CI</b> (Linux only): its off-platform tests check names. Thread-safe.
 */
public final class WindowsBackend implements OsBackend {

    private final Kernel32 kernel32;
    private final WindowsOwner owner;
    private final long pid;

    private final String namespace;

    /** @param machineWide whether for Scope.SYSTEM (the Global namespace) rather than the session's */
    public WindowsBackend(boolean machineWide) {
        this.namespace = machineWide ? WindowsNames.GLOBAL_NAMESPACE : WindowsNames.SESSION_NAMESPACE;
        this.kernel32 = Kernel32.load();
        this.owner = new WindowsOwner(kernel32, Advapi32.load());
        this.pid = Integer.toUnsignedLong(kernel32.GetCurrentProcessId());
    }

    @Override
    public ClaimHandle openClaim(String name) {
        return WindowsClaim.open(kernel32, WindowsNames.kernelName(name, namespace));
    }

    @Override
    public SharedSegment createSegment(String name, int size) {
        String kernelName = WindowsNames.kernelName(name, namespace);
        Pointer mapping = kernel32.CreateFileMappingW(
                Kernel32.INVALID_HANDLE_VALUE, null, Kernel32.PAGE_READWRITE, 0, size, new WString(kernelName));
        int error = Native.getLastError();
        if (mapping == null) {
            throw new NativeCallException("CreateFileMappingW(" + size + ")", kernelName, error);
        }
        if (error == Kernel32.ERROR_ALREADY_EXISTS) {
            kernel32.CloseHandle(mapping);
            return null;
        }
        return map(name, kernelName, mapping, size);
    }

    @Override
    public SharedSegment openSegment(String name, int minSize, int maxSize) {
        String kernelName = WindowsNames.kernelName(name, namespace);
        Pointer mapping = kernel32.OpenFileMappingW(Kernel32.FILE_MAP_ALL_ACCESS, false, new WString(kernelName));
        if (mapping == null) {
            int error = Native.getLastError();
            if (error == Kernel32.ERROR_FILE_NOT_FOUND) {
                return null;
            }
            if (error == Kernel32.ERROR_ACCESS_DENIED) {
                throw new ForeignOwnerException("kernel object " + kernelName + " belongs to another user (or to an "
                        + "elevated process) and is closed to this one; it is never used.");
            }
            throw new NativeCallException("OpenFileMappingW", kernelName, error);
        }
        try {
            owner.check(mapping, kernelName);
            Pointer view = kernel32.MapViewOfFile(mapping, Kernel32.FILE_MAP_ALL_ACCESS, 0, 0, 0); // the whole section
            if (view == null) {
                throw new NativeCallException("MapViewOfFile", kernelName, Native.getLastError());
            }
            long size = regionSize(view, kernelName); // the section's size rounded up to whole pages
            if (size < minSize || size > maxSize) {
                kernel32.UnmapViewOfFile(view);
                throw new SegmentSizeException(name, size, minSize, maxSize);
            }
            return new WindowsSegment(kernel32, name, namespace, mapping, view, (int) size);
        } catch (RuntimeException e) {
            kernel32.CloseHandle(mapping);
            throw e;
        }
    }

    /** Always false: a named mapping is removed by the kernel with its last handle, not by name. */
    @Override
    public boolean unlink(String name) {
        return false;
    }

    @Override
    public boolean await(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        WindowsSegment windows = (WindowsSegment) segment;
        Pointer event = windows.event(offset); // exists before the word is read again: no wake-up is lost
        if (segment.buffer().getInt(offset) != expected) {
            return true;
        }
        int millis = timeoutNanos < 0
                ? Kernel32.INFINITE
                : (int) Math.min(Integer.MAX_VALUE - 1, (timeoutNanos + 999_999) / 1_000_000);
        int result = kernel32.WaitForSingleObject(event, millis);
        if (result == Kernel32.WAIT_FAILED) {
            throw new NativeCallException(
                    "WaitForSingleObject",
                    WindowsNames.eventName(segment.name(), offset, namespace),
                    Native.getLastError());
        }
        return result != Kernel32.WAIT_TIMEOUT; // not the word: a sender whose wake-up was lost has moved it too
    }

    @Override
    public void wakeAll(SharedSegment segment, int offset) {
        String eventName = WindowsNames.eventName(segment.name(), offset, namespace);
        Pointer event = kernel32.OpenEventW(Kernel32.EVENT_MODIFY_STATE, false, new WString(eventName));
        if (event == null) {
            return; // no one has waited on this word yet; a later waiter reads the changed word first
        }
        try {
            kernel32.SetEvent(event);
        } finally {
            kernel32.CloseHandle(event);
        }
    }

    @Override
    public int doorbellKind() {
        return DOORBELL_WINDOWS;
    }

    @Override
    public long pid() {
        return pid;
    }

    /** A hash of the user's name: the Local\ namespace is per session already, the name keeps users apart in it. */
    @Override
    public String userTag() {
        return "u" + Integer.toHexString(System.getProperty("user.name").hashCode());
    }

    private SharedSegment map(String name, String kernelName, Pointer mapping, int size) {
        Pointer view = kernel32.MapViewOfFile(mapping, Kernel32.FILE_MAP_ALL_ACCESS, 0, 0, size);
        if (view == null) {
            int error = Native.getLastError();
            kernel32.CloseHandle(mapping);
            throw new NativeCallException("MapViewOfFile(" + size + ")", kernelName, error);
        }
        return new WindowsSegment(kernel32, name, namespace, mapping, view, size);
    }

    private long regionSize(Pointer view, String kernelName) {
        Memory info = new Memory(Kernel32.MEMORY_BASIC_INFORMATION_SIZE);
        if (kernel32.VirtualQuery(view, info, Kernel32.MEMORY_BASIC_INFORMATION_SIZE) == 0) {
            throw new NativeCallException("VirtualQuery", kernelName, Native.getLastError());
        }
        return info.getLong(Kernel32.REGION_SIZE_OFFSET);
    }
}
