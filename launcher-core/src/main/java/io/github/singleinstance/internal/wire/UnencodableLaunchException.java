package io.github.singleinstance.internal.wire;

import io.github.singleinstance.SingleInstanceException;

/** This launch's arguments cannot be forwarded exactly; nothing was sent. Exit code 64 (EX_USAGE). */
final class UnencodableLaunchException extends SingleInstanceException {

    UnencodableLaunchException(String message) {
        super(message, 64);
    }
}
