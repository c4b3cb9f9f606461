package io.github.singleinstance.internal.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This process's id and whether another exists, cheaply: through {@code /proc} where there is one (Linux), else
 * through {@link ProcessHandle}, whose first use starts the JDK's process-reaper machinery (a thread pool and some
 * 60 classes: several milliseconds of a second launch). Stateless; any thread.
 */
public final class Processes {

    private static final Path PROC = Path.of("/proc");

    private Processes() {}

    public static long currentPid() {
        try {
            return Long.parseLong(
                    Files.readSymbolicLink(PROC.resolve("self")).getFileName().toString());
        } catch (IOException | UnsupportedOperationException | NumberFormatException e) {
            return ProcessHandle.current().pid();
        }
    }

    /** Whether process {@code pid} exists (a zombie counts; it may belong to another user). */
    public static boolean isAlive(long pid) {
        if (pid <= 0) {
            return false;
        }
        if (Files.isDirectory(PROC.resolve("self"))) {
            return Files.isDirectory(PROC.resolve(Long.toString(pid)));
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && process.get().isAlive();
    }

    /**
     * Whether process {@code pid} is stopped (SIGSTOP, a debugger), where {@code /proc} tells: the state letter of
     * {@code /proc/<pid>/stat} is T or t. False where it cannot be known.
     */
    public static boolean isStopped(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            int end = stat.lastIndexOf(')'); // the command name may contain spaces and parentheses
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'T' || state == 't';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * This process's uid: from {@code /proc} (Linux), else from the JDK's {@code UnixSystem} (macOS and other POSIX
     * systems without {@code /proc}: a native {@code getuid}, in the module {@code jdk.security.auth}, which a JDK
     * resolves for class-path applications), else {@code null} (Windows, or a runtime image without that module).
     * Without it, a private directory's owner could not be checked where there is no {@code /proc}.
     */
    public static Integer currentUid() {
        try {
            return (Integer) Files.getAttribute(PROC.resolve("self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return uidFromTheJdk();
        }
    }

    private static Integer uidFromTheJdk() {
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            return null;
        }
        try {
            return (int) new com.sun.security.auth.module.UnixSystem().getUid(); // unsigned, as the kernel's
        } catch (LinkageError | RuntimeException e) {
            return null; // jdk.security.auth not in this runtime, or its native library missing
        }
    }
}
