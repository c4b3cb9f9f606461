package io.github.singleinstance;

import java.util.Locale;

/**
 * The OS layer that holds the claim and the channel. Every launch of one application must use the same backend: two
 * backends never see each other's objects. Chosen with {@link SingleInstance.Builder#backend}, overridden by the
 * system property {@code single-instance.backend} or the environment variable {@code SINGLE_INSTANCE_BACKEND}.
 */
public enum Backend {

    /** The native backend of this OS where one exists and loads ({@link #POSIX} on Linux), else {@link #PORTABLE}. */
    AUTO,
    /** POSIX shared memory in {@code /dev/shm}, {@code flock} and a futex doorbell, through JNA. Linux only so far. */
    POSIX,
    /**
     * Pure JDK, no native code: files mapped in a per-user directory, {@code FileChannel} locks, a Unix-domain socket
     * doorbell. Per user: {@link Scope#SYSTEM} is refused.
     */
    PORTABLE,
    /** Named file mappings through JNA. Not in this version: choosing it fails with exit code 69. */
    WINDOWS;

    /** Parses a configured value ({@code auto}, {@code posix}, {@code portable}, {@code windows}; any case). */
    public static Backend parse(String text) {
        String value = text.strip().toUpperCase(Locale.ROOT);
        for (Backend backend : values()) {
            if (backend.name().equals(value)) {
                return backend;
            }
        }
        throw new IllegalArgumentException("unknown backend: single-instance.backend=" + text
                + "; use one of auto, posix, portable, windows");
    }
}
