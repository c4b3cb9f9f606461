package io.github.singleinstance.internal.os;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.linux.LinuxBackend;
import io.github.singleinstance.internal.os.linux.LinuxForwardingBackend;
import io.github.singleinstance.internal.os.macos.MacBackend;
import io.github.singleinstance.internal.os.portable.PortableBackend;
import io.github.singleinstance.internal.os.windows.WindowsBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Resolves a {@link Backend} choice and a scope to the OS layer, once per pair.
 *
 * <pre>
 *            Linux                               macOS                    Windows                  others
 * auto       posix; portable if JNA cannot load  portable                 portable                 portable
 * posix      LinuxBackend (JNA), and LinuxForwardingBackend  MacBackend (JNA)         error 69                 error 69
 *            (pure JDK) to forward (see forwarding)
 * portable   PortableBackend (pure JDK)          PortableBackend          PortableBackend          PortableBackend
 * windows    error 69                            error 69                 WindowsBackend (JNA)     error 69
 * </pre>
 * Where the objects live: the user's {@link PrivateDirectory} for {@code Scope.USER} and {@code SESSION}, whichever
 * backend (so a posix and a portable launch of one application meet at the same claim); {@code /dev/shm} for
 * {@code Scope.SYSTEM} (posix on Linux only). On macOS and Windows auto chooses the portable backend: the native
 * backends there have never run in this project's CI (Linux only), while the portable one rests on the JDK's own
 * file locks and sockets. Choose them explicitly to try them.
 */
public final class OsBackends {

    private static final Path SHM = Path.of("/dev/shm");
    /** Guarded by itself; keyed by choice and whether machine-wide. */
    private static final Map<String, OsBackend> RESOLVED = new HashMap<>();

    private OsBackends() {}

    /**
     * The OS layer for {@code effective} (overrides already applied) and {@code scope}.
     *
     * @throws SingleInstanceException (exit 69) if the chosen backend does not exist for this OS in this version
     */
    public static OsBackend of(Backend effective, Scope scope) {
        boolean machineWide = scope == Scope.SYSTEM;
        String key = effective + (machineWide ? "/system" : "/user");
        synchronized (RESOLVED) {
            OsBackend backend = RESOLVED.get(key);
            if (backend == null) {
                backend = create(effective, machineWide);
                RESOLVED.put(key, backend);
            }
            return backend;
        }
    }

    /**
     * The OS layer a launch starts with, the one it forwards through. For posix on Linux (and auto there) a pure-JDK
     * view of the posix backend's objects ({@link LinuxForwardingBackend}), so that a second launch never loads JNA; a launch
     * that wins the claim turns to {@link #of}. Elsewhere the same as {@link #of}.
     */
    public static OsBackend forwarding(Backend effective, Scope scope) {
        if ((effective == Backend.POSIX || effective == Backend.AUTO) && linux()) {
            return linuxSender(scope, effective);
        }
        return of(effective, scope);
    }

    /**
     * The pure-JDK OS layer that forwards to a primary whose claim header names doorbell kind {@code kind}, for a
     * launch that started on another kind: the posix backend's bell FIFO on Linux, or the portable backend's doorbell
     * of this OS. Null if this OS has none (posix primaries on macOS are reached through their own backend only).
     */
    public static OsBackend forwardingTo(int kind, Scope scope) {
        if (kind == OsBackend.DOORBELL_BELL_FIFO) {
            return linux() ? linuxSender(scope, Backend.POSIX) : null;
        }
        if (scope == Scope.SYSTEM
                || kind != OsBackend.DOORBELL_SOCKETS && kind != OsBackend.DOORBELL_WATCHED_DIRECTORY) {
            return null;
        }
        OsBackend portable = of(Backend.PORTABLE, scope);
        return portable.doorbellKind() == kind ? portable : null;
    }

    private static OsBackend linuxSender(Scope scope, Backend effective) {
        boolean machineWide = scope == Scope.SYSTEM;
        String key = "sender" + (machineWide ? "/system" : "/user");
        synchronized (RESOLVED) {
            OsBackend sender = RESOLVED.get(key);
            if (sender == null) {
                Integer uid = Processes.currentUid();
                if (uid == null) { // no /proc: let the full backend decide
                    return of(effective, scope);
                }
                sender = new LinuxForwardingBackend(uid, machineWide ? SHM : PrivateDirectory.ofThisUser());
                RESOLVED.put(key, sender);
            }
            return sender;
        }
    }

    private static boolean linux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    private static OsBackend create(Backend choice, boolean machineWide) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean linux = os.startsWith("linux");
        boolean mac = os.startsWith("mac") || os.startsWith("darwin");
        boolean windows = os.startsWith("windows");
        return switch (choice) {
            case AUTO -> linux ? posixOrPortable(machineWide) : new PortableBackend();
            case POSIX -> {
                if (linux) {
                    yield loadLinux(machineWide);
                }
                if (mac) {
                    yield loadNative("posix", MacBackend::new);
                }
                throw new SingleInstanceException(
                        "the posix backend exists for Linux and macOS (os.name=" + System.getProperty("os.name")
                                + "); use auto or portable.",
                        69);
            }
            case PORTABLE -> new PortableBackend();
            case WINDOWS -> {
                if (!windows) {
                    throw new SingleInstanceException(
                            "the windows backend runs on Windows only (os.name=" + System.getProperty("os.name")
                                    + "); use auto or portable.",
                            69);
                }
                yield loadNative("windows", () -> new WindowsBackend(machineWide));
            }
        };
    }

    private static OsBackend loadNative(String name, java.util.function.Supplier<OsBackend> factory) {
        keepJnaOutOfTheWorkingDirectory();
        try {
            return factory.get();
        } catch (LinkageError e) {
            throw new SingleInstanceException(
                    "cannot load JNA's native library for the " + name + " backend: " + e
                            + "; use the pure-JDK backend with -Dsingle-instance.backend=portable.",
                    71,
                    e);
        }
    }

    private static OsBackend posixOrPortable(boolean machineWide) {
        if (machineWide && !Files.isDirectory(SHM)) {
            LoggerFactory.getLogger(OsBackends.class)
                    .debug("no /dev/shm here (a sandbox?): using the portable backend");
            return new PortableBackend();
        }
        try {
            return loadLinux(machineWide);
        } catch (SingleInstanceException e) {
            LoggerFactory.getLogger(OsBackends.class)
                    .debug("JNA cannot load ({}): using the portable backend", e.getMessage());
            return new PortableBackend();
        }
    }

    private static OsBackend loadLinux(boolean machineWide) {
        Path directory = machineWide ? SHM : PrivateDirectory.ofThisUser();
        keepJnaOutOfTheWorkingDirectory();
        try {
            return new LinuxBackend(directory);
        } catch (LinkageError e) {
            throw new SingleInstanceException(
                    "cannot load JNA's native library to reach shared memory: " + e
                            + ". If the temp directory is mounted noexec, set -Djna.tmpdir to a directory that allows "
                            + "executables, or choose the pure-JDK backend with -Dsingle-instance.backend=portable.",
                    71,
                    e);
        }
    }

    /**
     * JNA unpacks its native library under {@code user.home} ({@code ~/.cache/JNA/temp}, macOS
     * {@code ~/Library/Caches/JNA/temp}) unless {@code jna.tmpdir} is set. Where the home is no absolute path to a
     * directory (Java's "?" for a uid without a passwd entry), that is a directory made relative to the working
     * directory, wherever the application is started: send JNA where it goes itself when its choice fails, the
     * temporary directory. A {@code jna.tmpdir} or {@code XDG_CACHE_HOME} already set is left alone.
     */
    private static void keepJnaOutOfTheWorkingDirectory() {
        String xdgCacheHome = System.getenv("XDG_CACHE_HOME");
        boolean cacheSet = xdgCacheHome != null && !xdgCacheHome.isBlank() && !mac();
        if (System.getProperty("jna.tmpdir") == null
                && !cacheSet
                && !PrivateDirectory.isUsableHome(System.getProperty("user.home"))) {
            String tmp = System.getProperty("java.io.tmpdir");
            LoggerFactory.getLogger(OsBackends.class)
                    .debug("user.home={} is no usable home: jna.tmpdir={}", System.getProperty("user.home"), tmp);
            System.setProperty("jna.tmpdir", tmp);
        }
    }

    private static boolean mac() {
        return System.getProperty("os.name", "").startsWith("Mac");
    }
}
