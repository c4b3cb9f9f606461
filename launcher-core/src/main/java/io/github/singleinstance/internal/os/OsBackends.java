package io.github.singleinstance.internal.os;

import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.linux.LinuxBackend;

/** Chooses the backend for this OS, once. */
public final class OsBackends {

    private static volatile OsBackend current;

    private OsBackends() {
    }

    /** The backend for this OS; throws on an OS with none yet. */
    public static OsBackend current() {
        OsBackend backend = current;
        if (backend == null) {
            synchronized (OsBackends.class) {
                backend = current;
                if (backend == null) {
                    backend = create();
                    current = backend;
                }
            }
        }
        return backend;
    }

    private static OsBackend create() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
            throw new SingleInstanceException("single-instance supports Linux only in this version (os.name=" + os
                    + "); macOS and Windows backends are planned. See the README's platform table.", 69);
        }
        try {
            return new LinuxBackend();
        } catch (LinkageError e) {
            throw new SingleInstanceException("cannot load JNA's native library to reach shared memory: " + e
                    + ". If the temp directory is mounted noexec, set -Djna.tmpdir to a directory that allows "
                    + "executables.", 71, e);
        }
    }
}
