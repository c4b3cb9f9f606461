package io.github.singleinstance.internal;

/** A record read from shared memory is not a valid launch; the listener logs it, drops it and goes on. */
final class MalformedLaunchException extends RuntimeException {

    MalformedLaunchException(String message) {
        super(message);
    }
}
