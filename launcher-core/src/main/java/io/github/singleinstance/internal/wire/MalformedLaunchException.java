package io.github.singleinstance.internal.wire;

/** A record read from shared memory is not a valid launch; the listener logs it, drops it and goes on. */
public final class MalformedLaunchException extends RuntimeException {

    MalformedLaunchException(String message) {
        super(message);
    }
}
