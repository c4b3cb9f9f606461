package io.github.singleinstance;

/** The running primary speaks another channel format version than this launch. Exit code 69 (EX_UNAVAILABLE). */
public final class IncompatiblePrimaryException extends SingleInstanceException {

    public IncompatiblePrimaryException(String message) {
        super(message, 69);
    }
}
