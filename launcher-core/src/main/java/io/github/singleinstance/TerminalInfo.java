package io.github.singleinstance;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the second launch knew of its terminal when it forwarded ({@link Launch#terminal()}): whether its standard
 * input, output and error are terminals, and the terminal's size where it could learn it, so that a handler can print
 * the way a local program would (colours and boxes to a terminal, plain lines into a pipe).
 *
 * <p>What a second launch can learn without native code:
 *
 * <ul>
 *   <li>Linux: each stream on its own, from what {@code /proc/self/fd/0}, {@code 1} and {@code 2} link to (a
 *       {@code /dev/pts/*}, {@code /dev/tty*} or {@code /dev/console} device is a terminal; a pipe, a socket, a file or
 *       {@code /dev/null} is not). Where {@code /proc} cannot be read, as elsewhere.
 *   <li>Elsewhere (macOS, Windows): only what {@link System#console()} tells (on Java 22 and later, with
 *       {@code Console.isTerminal()}): standard input and output together are terminals, or {@link Status#UNKNOWN}
 *       for both (one of them is not, the JDK does not say which); standard error is always {@link Status#UNKNOWN}.
 *   <li>Columns and rows: only from the environment variables {@code COLUMNS} and {@code LINES}, where the second
 *       launch's environment has them (shells set them but most do not export them: {@code export COLUMNS LINES}
 *       does); else empty. The JDK cannot ask the terminal itself, and running {@code stty size} would cost the
 *       second launch a process.
 * </ul>
 *
 * <p>{@link #UNKNOWN} (every stream {@link Status#UNKNOWN}, no size) for a launch from a sender of an older version,
 * one sent to a primary of an older version, and a launch without a second launch behind it (desktop events, launches
 * an application builds itself). Immutable.
 */
public final class TerminalInfo {

    /** Whether one stream of the second launch is a terminal. */
    public enum Status {
        /** The stream is a terminal (a console, a terminal emulator's pseudo-terminal). */
        TERMINAL,
        /** The stream is not a terminal: a pipe, a file, a socket, {@code /dev/null}. */
        NOT_A_TERMINAL,
        /** The second launch could not tell (see {@link TerminalInfo}), or it was not asked. */
        UNKNOWN;

        /** Whether this is {@link #TERMINAL}: false for {@link #UNKNOWN} too, so unknown prints plainly. */
        public boolean isTerminal() {
            return this == TERMINAL;
        }
    }

    /** Nothing known: no stream's status, no size. */
    public static final TerminalInfo UNKNOWN = new TerminalInfo(Status.UNKNOWN, Status.UNKNOWN, Status.UNKNOWN, 0, 0);

    private final Status stdin;
    private final Status stdout;
    private final Status stderr;
    private final int columns;
    private final int rows;

    private TerminalInfo(Status stdin, Status stdout, Status stderr, int columns, int rows) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * A terminal description, for tests of handlers that look at it.
     *
     * @param columns the terminal's width in characters, or 0 if unknown
     * @param rows the terminal's height in lines, or 0 if unknown
     */
    public static TerminalInfo of(Status stdin, Status stdout, Status stderr, int columns, int rows) {
        if (columns < 0 || rows < 0) {
            throw new IllegalArgumentException(
                    "columns and rows must not be negative: columns=" + columns + ", rows=" + rows);
        }
        return new TerminalInfo(
                Objects.requireNonNull(stdin, "stdin"),
                Objects.requireNonNull(stdout, "stdout"),
                Objects.requireNonNull(stderr, "stderr"),
                columns,
                rows);
    }

    /** Whether the second launch's standard input is a terminal. */
    public Status stdin() {
        return stdin;
    }

    /** Whether the second launch's standard output ({@link Launch#out()} goes there) is a terminal. */
    public Status stdout() {
        return stdout;
    }

    /** Whether the second launch's standard error ({@link Launch#err()} goes there) is a terminal. */
    public Status stderr() {
        return stderr;
    }

    /** The terminal's width in characters, if the second launch knew it (see {@link TerminalInfo}). */
    public OptionalInt columns() {
        return columns > 0 ? OptionalInt.of(columns) : OptionalInt.empty();
    }

    /** The terminal's height in lines, if the second launch knew it (see {@link TerminalInfo}). */
    public OptionalInt rows() {
        return rows > 0 ? OptionalInt.of(rows) : OptionalInt.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TerminalInfo that
                && stdin == that.stdin
                && stdout == that.stdout
                && stderr == that.stderr
                && columns == that.columns
                && rows == that.rows;
    }

    @Override
    public int hashCode() {
        return Objects.hash(stdin, stdout, stderr, columns, rows);
    }

    @Override
    public String toString() {
        return "TerminalInfo[stdin=" + stdin + ", stdout=" + stdout + ", stderr=" + stderr + ", columns="
                + (columns > 0 ? columns : "unknown") + ", rows=" + (rows > 0 ? rows : "unknown") + "]";
    }
}
