package io.github.singleinstance;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The primary's answer to one launch: the exit code the second launch ends with and a message it prints
 * (to standard output for code 0, to standard error otherwise).
 *
 * @param exitCode the code the second launch exits with, 0 to 255
 * @param message printed by the second launch; empty prints nothing; at most {@link #MAX_MESSAGE_BYTES} in UTF-8
 */
public record Reply(int exitCode, String message) {

    /** The longest message, in UTF-8 bytes, that fits a reply slot. */
    public static final int MAX_MESSAGE_BYTES = 4080;

    public Reply {
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("exit code must be 0..255: exitCode=" + exitCode);
        }
        Objects.requireNonNull(message, "message");
        int bytes = message.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("reply message too long: bytes=" + bytes + ", limit=" + MAX_MESSAGE_BYTES
                    + "; send a short message and keep details elsewhere");
        }
    }

    /** Exit code 0 with a message. */
    public static Reply ok(String message) {
        return new Reply(0, message);
    }

    /** Exit code 0, nothing printed. */
    public static Reply ok() {
        return new Reply(0, "");
    }

    /** A non-zero exit code with a message for standard error. */
    public static Reply failure(int exitCode, String message) {
        if (exitCode == 0) {
            throw new IllegalArgumentException("a failure needs a non-zero exit code: exitCode=0");
        }
        return new Reply(exitCode, message);
    }
}
