package io.github.singleinstance;

/**
 * A launch could neither become the primary nor be delivered to it. The message says what happened and what to do;
 * {@link #exitCode()} is what {@link SingleInstance#claimOrExit} exits with.
 */
public class SingleInstanceException extends RuntimeException {

    private final int exitCode;

    public SingleInstanceException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public SingleInstanceException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The exit code for a launcher that ends on this failure (sysexits.h values). */
    public int exitCode() {
        return exitCode;
    }
}
