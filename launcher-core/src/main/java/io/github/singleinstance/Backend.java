package io.github.singleinstance;

import java.util.Locale;

/**
 * The OS layer that holds the claim and the channel. Every launch of one application must use the same backend: two
 * backends never see each other's objects. Chosen with {@link SingleInstance.Builder#backend}, overridden by the
 * system property {@code single-instance.backend} or the environment variable {@code SINGLE_INSTANCE_BACKEND}.
 */
public enum Backend {

    /**
     * {@link #POSIX} on Linux ({@link #PORTABLE} if JNA cannot load there or there is no {@code /dev/shm});
     * {@link #PORTABLE} on every other OS, until the native backends there are tested.
     */
    AUTO,
    /**
     * POSIX shared memory through JNA. Linux (tested): {@code /dev/shm}, a {@code FileChannel} lock on the claim file,
     * a FIFO doorbell; only the primary loads JNA, a second launch forwards in pure JDK. macOS: a lock file and a
     * Unix-domain socket doorbell (never run by this project's CI).
     */
    POSIX,
    /**
     * Pure JDK, no native code: files mapped in a per-user directory, {@code FileChannel} locks, a Unix-domain socket
     * doorbell. Per user: {@link Scope#SYSTEM} is refused.
     */
    PORTABLE,
    /** Named file mappings and named events through JNA (never run by this project's CI). Windows only. */
    WINDOWS;

    /** Parses a configured value ({@code auto}, {@code posix}, {@code portable}, {@code windows}; any case). */
    public static Backend parse(String text) {
        String value = text.strip().toUpperCase(Locale.ROOT);
        for (Backend backend : values()) {
            if (backend.name().equals(value)) {
                return backend;
            }
        }
        throw new IllegalArgumentException(
                "unknown backend: single-instance.backend=" + text + "; use one of auto, posix, portable, windows");
    }
}
