package io.github.singleinstance;

/**
 * The second launch behind a {@link Launch} is gone: interrupted (Ctrl-C, SIGTERM), killed, or it stopped waiting.
 * Thrown by writes to {@link Launch#out()} and {@link Launch#err()} and reads of {@link Launch#in()} from then on. A
 * handler may let it propagate: the primary then logs the cancellation at debug level, not as a failure, and serves
 * the next launch.
 */
public class LaunchCancelledException extends RuntimeException {

    public LaunchCancelledException(String message) {
        super(message);
    }
}
