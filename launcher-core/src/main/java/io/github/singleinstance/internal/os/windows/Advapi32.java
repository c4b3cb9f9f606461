package io.github.singleinstance.internal.os.windows;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

/** The Advapi32 calls of the owner check ({@link WindowsOwner}), bound through JNA. Thread-safe. */
interface Advapi32 extends Library {

    static Advapi32 load() {
        return Native.load("advapi32", Advapi32.class);
    }

    int GetSecurityInfo(
            Pointer handle,
            int objectType,
            int securityInfo,
            PointerByReference owner,
            Pointer group,
            Pointer dacl,
            Pointer sacl,
            PointerByReference securityDescriptor);

    boolean OpenProcessToken(Pointer process, int desiredAccess, PointerByReference token);

    boolean GetTokenInformation(
            Pointer token, int informationClass, Pointer information, int length, IntByReference returnLength);

    boolean EqualSid(Pointer sid1, Pointer sid2);
}
