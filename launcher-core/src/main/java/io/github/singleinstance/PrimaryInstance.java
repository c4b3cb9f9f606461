package io.github.singleinstance;

/**
 * This process won the claim: it is the application's one running instance until {@link #close()} or exit.
 *
 * <p>Thread-safe. Launches that arrive before {@link #onLaunch} wait in the channel and are delivered once a handler
 * is set. A JVM shutdown hook closes the instance if the application does not.
 */
public interface PrimaryInstance extends AutoCloseable {

    /** The application id the claim was made for (after any {@code single-instance.id} override). */
    String id();

    /** Sets the handler and starts delivering launches, those already waiting first. Can be called once. */
    void onLaunch(LaunchHandler handler);

    /** Launches handled so far. */
    long launchesReceived();

    /**
     * Stops taking launches and removes every named object of this instance. Launches not yet taken are sent back
     * to their senders to retry (one of them becomes the next primary); a launch in the handler gets up to
     * two seconds to be answered. Safe to call twice and from the handler.
     */
    @Override
    void close();
}
