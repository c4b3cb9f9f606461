package io.github.singleinstance.internal.os;

import io.github.singleinstance.Backend;
import io.github.singleinstance.SingleInstance;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.linux.LinuxBackend;
import io.github.singleinstance.internal.os.linux.LinuxSender;
import io.github.singleinstance.internal.os.macos.MacBackend;
import io.github.singleinstance.internal.os.portable.PortableBackend;
import io.github.singleinstance.internal.os.windows.WindowsBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Resolves a {@link Backend} choice to the OS layer, once per choice.
 *
 * <pre>
 *            Linux                               macOS                    Windows                  others
 * auto       posix; portable if JNA cannot load  portable                 portable                 portable
 *            or /dev/shm is not a directory
 * posix      LinuxBackend (JNA), and LinuxSender  MacBackend (JNA)         error 69                 error 69
 *            (pure JDK) to forward (see forwarding)
 * portable   PortableBackend (pure JDK)          PortableBackend          PortableBackend          PortableBackend
 * windows    error 69                            error 69                 WindowsBackend (JNA)     error 69
 * </pre>
 * On macOS and Windows auto chooses the portable backend: the native backends there have never run in this
 * project's CI (Linux only), while the portable one rests on the JDK's own file locks and sockets. Choose them
 * explicitly to try them.
 */
public final class OsBackends {

    private static final Path SHM = Path.of("/dev/shm");
    private static final Map<Backend, OsBackend> RESOLVED = new EnumMap<>(Backend.class);
    private static LinuxSender sender; // guarded by RESOLVED

    private OsBackends() {
    }

    /** The backend the system property or environment chooses, else auto. */
    public static OsBackend current() {
        return of(override(Backend.AUTO));
    }

    /**
     * The OS layer for {@code effective} (overrides already applied).
     *
     * @throws SingleInstanceException (exit 69) if the chosen backend does not exist for this OS in this version
     */
    public static OsBackend of(Backend effective) {
        synchronized (RESOLVED) {
            OsBackend backend = RESOLVED.get(effective);
            if (backend == null) {
                backend = create(effective);
                RESOLVED.put(effective, backend);
            }
            return backend;
        }
    }

    /**
     * The OS layer a launch starts with, the one it forwards through. For posix on Linux (and auto there) a pure-JDK
     * view of the posix backend's objects ({@link LinuxSender}), so that a second launch never loads JNA; a launch
     * that wins the claim turns to {@link #of}. Elsewhere the same as {@link #of}.
     */
    public static OsBackend forwarding(Backend effective) {
        if ((effective == Backend.POSIX || effective == Backend.AUTO && Files.isDirectory(SHM))
                && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            synchronized (RESOLVED) {
                if (sender == null) {
                    Integer uid = Processes.currentUid();
                    if (uid == null) { // no /proc: let the full backend decide
                        return of(effective);
                    }
                    sender = new LinuxSender(uid);
                }
                return sender;
            }
        }
        return of(effective);
    }

    /** {@code configured}, unless the system property or environment variable names another. */
    public static Backend override(Backend configured) {
        String value = System.getProperty(SingleInstance.BACKEND_PROPERTY);
        if (value == null || value.isBlank()) {
            value = System.getenv(SingleInstance.BACKEND_ENVIRONMENT);
        }
        return value == null || value.isBlank() ? configured : Backend.parse(value);
    }

    private static OsBackend create(Backend choice) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean linux = os.startsWith("linux");
        boolean mac = os.startsWith("mac") || os.startsWith("darwin");
        boolean windows = os.startsWith("windows");
        return switch (choice) {
            case AUTO -> linux ? posixOrPortable() : new PortableBackend();
            case POSIX -> {
                if (linux) {
                    yield loadLinux();
                }
                if (mac) {
                    yield loadNative("posix", MacBackend::new);
                }
                throw new SingleInstanceException("the posix backend exists for Linux and macOS (os.name="
                        + System.getProperty("os.name") + "); use auto or portable.", 69);
            }
            case PORTABLE -> new PortableBackend();
            case WINDOWS -> {
                if (!windows) {
                    throw new SingleInstanceException("the windows backend runs on Windows only (os.name="
                            + System.getProperty("os.name") + "); use auto or portable.", 69);
                }
                yield loadNative("windows", WindowsBackend::new);
            }
        };
    }

    private static OsBackend loadNative(String name, java.util.function.Supplier<OsBackend> factory) {
        try {
            return factory.get();
        } catch (LinkageError e) {
            throw new SingleInstanceException("cannot load JNA's native library for the " + name + " backend: " + e
                    + "; use the pure-JDK backend with -Dsingle-instance.backend=portable.", 71, e);
        }
    }

    private static OsBackend posixOrPortable() {
        if (!Files.isDirectory(SHM)) {
            LoggerFactory.getLogger(OsBackends.class).debug("no /dev/shm here (a sandbox?): using the portable "
                    + "backend");
            return new PortableBackend();
        }
        try {
            return loadLinux();
        } catch (SingleInstanceException e) {
            LoggerFactory.getLogger(OsBackends.class).debug("JNA cannot load ({}): using the portable backend",
                    e.getMessage());
            return new PortableBackend();
        }
    }

    private static OsBackend loadLinux() {
        try {
            return new LinuxBackend();
        } catch (LinkageError e) {
            throw new SingleInstanceException("cannot load JNA's native library to reach shared memory: " + e
                    + ". If the temp directory is mounted noexec, set -Djna.tmpdir to a directory that allows "
                    + "executables, or choose the pure-JDK backend with -Dsingle-instance.backend=portable.", 71, e);
        }
    }
}
