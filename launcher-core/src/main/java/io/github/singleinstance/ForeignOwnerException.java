package io.github.singleinstance;

/**
 * A named object of this instance belongs to another user, or is open to other users: it is never trusted nor
 * written to. Exit code 77 (EX_NOPERM).
 */
public final class ForeignOwnerException extends SingleInstanceException {

    public ForeignOwnerException(String message) {
        super(message, 77);
    }
}
