package io.github.singleinstance.internal.os.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.internal.os.NativeCallException;

/**
 * Checks that a kernel object's owner is this process's user: the owner SID from {@code GetSecurityInfo} against
 * the token's user SID. An object created by an elevated process (owned by Administrators) or by another user is
 * refused, never used. Immutable after construction; any thread.
 */
final class WindowsOwner {

    private final Kernel32 kernel32;
    private final Advapi32 advapi32;
    private final Memory tokenUser;

    WindowsOwner(Kernel32 kernel32, Advapi32 advapi32) {
        this.kernel32 = kernel32;
        this.advapi32 = advapi32;
        PointerByReference token = new PointerByReference();
        if (!advapi32.OpenProcessToken(kernel32.GetCurrentProcess(), Kernel32.TOKEN_QUERY, token)) {
            throw new NativeCallException("OpenProcessToken", "this process", Native.getLastError());
        }
        try {
            IntByReference length = new IntByReference();
            advapi32.GetTokenInformation(token.getValue(), Kernel32.TOKEN_USER, null, 0, length); // asks the size
            tokenUser = new Memory(Math.max(length.getValue(), 1));
            if (!advapi32.GetTokenInformation(
                    token.getValue(), Kernel32.TOKEN_USER, tokenUser, length.getValue(), length)) {
                throw new NativeCallException("GetTokenInformation(TokenUser)", "this process", Native.getLastError());
            }
        } finally {
            kernel32.CloseHandle(token.getValue());
        }
    }

    /** Throws unless {@code handle}'s owner is this process's user. */
    void check(Pointer handle, String name) {
        PointerByReference owner = new PointerByReference();
        PointerByReference descriptor = new PointerByReference();
        int error = advapi32.GetSecurityInfo(
                handle,
                Kernel32.SE_KERNEL_OBJECT,
                Kernel32.OWNER_SECURITY_INFORMATION,
                owner,
                null,
                null,
                null,
                descriptor);
        if (error != 0) {
            throw new NativeCallException("GetSecurityInfo(OWNER)", name, error);
        }
        try {
            Pointer userSid = tokenUser.getPointer(0); // TOKEN_USER { SID_AND_ATTRIBUTES { PSID Sid; DWORD ...} }
            if (!advapi32.EqualSid(owner.getValue(), userSid)) {
                throw new ForeignOwnerException("kernel object " + name + " belongs to another user (or to an "
                        + "elevated process); it is never used. Run the application the same way as the running "
                        + "instance, or give yours another id (-Dsingle-instance.id=...).");
            }
        } finally {
            kernel32.LocalFree(descriptor.getValue());
        }
    }
}
