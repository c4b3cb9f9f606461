package io.github.singleinstance.internal.sender;

import io.github.singleinstance.Launch;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.LaunchCodec;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * This process's launch as it goes out, encoded for the primary it meets: a plain record for a primary that offers no
 * streams (an older build, {@code Scope.SYSTEM}); for one that does, a record with the EXTENSION (whether this
 * application forwards standard input, its forwarded environment; and, to a primary that reads it, the MORE section
 * with this process's terminal), or, if that is too large for the primary's ring, a
 * stub with the whole record to follow over the stream connection. Encodings are made once and kept for retries.
 */
public final class OutgoingLaunch {

    private final Launch launch;
    private final int flags;
    private final Map<String, String> environment;
    private byte[] plain;
    private byte[] extended;
    private byte[] extendedWithMore;

    private OutgoingLaunch(Launch launch, int flags, Map<String, String> environment) {
        this.launch = launch;
        this.flags = flags;
        this.environment = environment;
    }

    public static OutgoingLaunch of(Launch launch, LaunchConfig config) {
        Map<String, String> environment = new HashMap<>();
        if (config.forwardAllVariables()) {
            environment.putAll(System.getenv());
        } else {
            for (String name : config.forwardedVariables()) {
                String value = System.getenv(name);
                if (value != null) {
                    environment.put(name, value);
                }
            }
        }
        return new OutgoingLaunch(
                launch, config.forwardStandardInput() ? LaunchCodec.FLAG_STDIN : 0, Map.copyOf(environment));
    }

    /** The record for the primary of {@code channel}; check its size against the ring before sending. */
    byte[] payloadFor(Channel channel) {
        if (!channel.streams()) {
            if (plain == null) {
                plain = LaunchCodec.encode(launch);
            }
            return plain;
        }
        if (channel.more()) {
            if (extendedWithMore == null) { // the terminal asked only now: no cost against a primary without MORE
                extendedWithMore = LaunchCodec.encodeExtended(launch, flags, environment, probeTerminal());
            }
            return extendedWithMore;
        }
        if (extended == null) {
            extended = LaunchCodec.encodeExtended(launch, flags, environment);
        }
        return extended;
    }

    /** The stub that stands for {@code whole} in the ring (streams offered only). */
    byte[] stubFor(byte[] whole) {
        return LaunchCodec.encodeStub(launch, flags, whole.length);
    }

    boolean forwardsStandardInput() {
        return (flags & LaunchCodec.FLAG_STDIN) != 0;
    }

    /**
     * What this process can learn of its terminal cheaply and without native code, as the MORE section's words {TTY,
     * COLUMNS, ROWS} (LaunchCodec): asked once per second launch, and only by one that meets a primary reading MORE.
     * Here, not in a class of its own, so that a second launch loads no class for it (one costs about a millisecond).
     *
     * <p>Linux: each stream from what {@code /proc/self/fd/N} links to (three {@code readlink}s; a terminal device is
     * {@code /dev/pts/*}, {@code /dev/tty*} or {@code /dev/console}). Elsewhere, or where {@code /proc} cannot be
     * read: {@link System#console()}, which says only whether stdin and stdout both are terminals (on Java 22+ only
     * with {@code Console.isTerminal()}, called reflectively: this library compiles for Java 17); stderr unknown
     * there. COLUMNS and ROWS from the environment variables {@code COLUMNS} and {@code LINES}, if set. Nothing here
     * spawns a process or loads a native library.
     */
    static int[] probeTerminal() {
        int tty = linux() ? fromProc() : -1;
        if (tty < 0) {
            tty = fromConsole();
        }
        return new int[] {tty, positive(System.getenv("COLUMNS")), positive(System.getenv("LINES"))};
    }

    /** The TTY word from {@code /proc/self/fd}; -1 if {@code /proc} tells nothing (not mounted, hidden). */
    private static int fromProc() {
        int stdin = procStatus("/proc/self/fd/0");
        int stdout = procStatus("/proc/self/fd/1");
        int stderr = procStatus("/proc/self/fd/2");
        if (stdin == LaunchCodec.TTY_UNKNOWN
                && stdout == LaunchCodec.TTY_UNKNOWN
                && stderr == LaunchCodec.TTY_UNKNOWN) {
            return -1;
        }
        return stdin << LaunchCodec.TTY_STDIN_SHIFT
                | stdout << LaunchCodec.TTY_STDOUT_SHIFT
                | stderr << LaunchCodec.TTY_STDERR_SHIFT;
    }

    /** {@code link}: a literal, not built with {@code +}, which would bootstrap string concatenation here. */
    private static int procStatus(String link) {
        String target;
        try {
            target = Files.readSymbolicLink(Path.of(link)).toString();
        } catch (IOException | RuntimeException e) {
            return LaunchCodec.TTY_UNKNOWN; // no /proc, or the descriptor is closed
        }
        return isTerminalDevice(target) ? LaunchCodec.TTY_TERMINAL : LaunchCodec.TTY_NOT_A_TERMINAL;
    }

    /** Whether a descriptor linking to {@code target} is a terminal: judged by the device's name. */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    /** The TTY word from the JDK's console: stdin and stdout terminals together, or nothing known. */
    private static int fromConsole() {
        Console console = System.console();
        if (console == null || !isTerminal(console)) {
            return 0; // one of stdin and stdout is no terminal (or the JDK cannot tell): which, it does not say
        }
        return LaunchCodec.TTY_TERMINAL << LaunchCodec.TTY_STDIN_SHIFT
                | LaunchCodec.TTY_TERMINAL << LaunchCodec.TTY_STDOUT_SHIFT;
    }

    /**
     * Java 17-21: a console exists only if stdin and stdout are terminals. Java 22+ may return one either way and says
     * which with {@code isTerminal()}.
     */
    private static boolean isTerminal(Console console) {
        if (Runtime.version().feature() < 22) {
            return true;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static int positive(String value) {
        if (value == null || value.isEmpty() || value.length() > 6) {
            return 0;
        }
        int result = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    private static boolean linux() {
        return System.getProperty("os.name", "").startsWith("Linux");
    }
}
