package io.github.singleinstance.testing;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * Starts a child the way native code or a careless launcher would: {@code posix_spawnp} without file actions, so the
 * child inherits every descriptor not marked close-on-exec (the JDK's own {@code ProcessBuilder} closes them all,
 * which would make a test of inheritance pass whatever the lock). Linux and macOS.
 */
public final class InheritingSpawn {

    private interface LibC extends Library {
        int posix_spawnp(
                IntByReference pid, String file, Pointer fileActions, Pointer attributes, String[] argv, String[] envp);
    }

    private InheritingSpawn() {}

    /** Starts {@code argv} (searched on PATH) with an empty environment; returns its pid. */
    public static long spawn(String... argv) {
        LibC libc = Native.load("c", LibC.class);
        IntByReference pid = new IntByReference();
        String[] nullTerminated = java.util.Arrays.copyOf(argv, argv.length + 1);
        int error =
                libc.posix_spawnp(pid, argv[0], null, null, nullTerminated, new String[] {"PATH=/usr/bin:/bin", null});
        if (error != 0) {
            throw new IllegalStateException("posix_spawnp " + argv[0] + " failed: errno " + error);
        }
        return pid.getValue();
    }
}
