package io.github.singleinstance;

/** The launch does not fit one record of the primary's channel; nothing was sent. Exit code 64 (EX_USAGE). */
public final class LaunchTooLargeException extends SingleInstanceException {

    public LaunchTooLargeException(String message) {
        super(message, 64);
    }
}
