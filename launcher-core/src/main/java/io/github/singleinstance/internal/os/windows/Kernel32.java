package io.github.singleinstance.internal.os.windows;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;

/**
 * The Win32 calls the Windows backend makes, bound here directly (jna-platform has no CreateSemaphore, and a dozen
 * functions do not justify a 3 MB dependency for every user). Wide-character ("W") functions with {@link WString}
 * names; handles as {@link Pointer}. JNA keeps GetLastError of each call, per thread, for
 * {@link Native#getLastError()}. Thread-safe.
 */
interface Kernel32 extends Library {

    Pointer INVALID_HANDLE_VALUE = new Pointer(-1);
    int PAGE_READWRITE = 0x04;
    int FILE_MAP_ALL_ACCESS = 0xF001F;
    int EVENT_MODIFY_STATE = 0x0002;
    int INFINITE = 0xFFFFFFFF;
    int WAIT_FAILED = 0xFFFFFFFF;
    /** WaitForSingleObject's result when the interval elapsed with the object still unsignalled. */
    int WAIT_TIMEOUT = 0x00000102;

    int ERROR_FILE_NOT_FOUND = 2;
    int ERROR_ACCESS_DENIED = 5;
    int ERROR_ALREADY_EXISTS = 183;
    int TOKEN_QUERY = 0x0008;
    int TOKEN_USER = 1;
    int SE_KERNEL_OBJECT = 6;
    int OWNER_SECURITY_INFORMATION = 1;
    /** {@code MEMORY_BASIC_INFORMATION} on 64-bit Windows: RegionSize (SIZE_T) at offset 24, 48 bytes in all. */
    int MEMORY_BASIC_INFORMATION_SIZE = 48;

    int REGION_SIZE_OFFSET = 24;

    static Kernel32 load() {
        return Native.load("kernel32", Kernel32.class);
    }

    Pointer CreateFileMappingW(
            Pointer file, Pointer attributes, int protect, int maximumSizeHigh, int maximumSizeLow, WString name);

    Pointer OpenFileMappingW(int desiredAccess, boolean inheritHandle, WString name);

    Pointer MapViewOfFile(Pointer mapping, int desiredAccess, int offsetHigh, int offsetLow, long bytesToMap);

    boolean UnmapViewOfFile(Pointer address);

    long VirtualQuery(Pointer address, Pointer buffer, long length);

    Pointer CreateEventW(Pointer attributes, boolean manualReset, boolean initialState, WString name);

    Pointer OpenEventW(int desiredAccess, boolean inheritHandle, WString name);

    boolean SetEvent(Pointer event);

    int WaitForSingleObject(Pointer handle, int milliseconds);

    boolean CloseHandle(Pointer handle);

    int GetCurrentProcessId();

    Pointer GetCurrentProcess();

    Pointer LocalFree(Pointer memory);
}
