package io.github.singleinstance;

/**
 * This process won the claim: it is the application's one running instance until {@link #close()} or exit.
 *
 * <p>Thread-safe. Launches are taken from the channel as they arrive, whatever the handler is doing; those that
 * arrive before {@link #onLaunch} wait, taken, and are delivered once a handler is set. While it owes a launch an
 * answer (or is starting or closing), the instance advances a progress counter that waiting launches watch: they
 * fail only on silence (their forward timeout) or at their total timeout. A JVM shutdown hook closes the instance
 * if the application does not.
 */
public interface PrimaryInstance extends AutoCloseable {

    /** The application id the claim was made for (after any {@code single-instance.id} override). */
    String id();

    /**
     * Sets the handler and starts delivering launches, those already waiting first. Can be called once (this or
     * {@link #onLaunchAsync}).
     */
    void onLaunch(LaunchHandler handler);

    /**
     * Sets a handler that answers later, from any thread: launches are handed to it one at a time in arrival order,
     * and answered when their stages complete. Can be called once (this or {@link #onLaunch}).
     */
    void onLaunchAsync(AsyncLaunchHandler handler);

    /**
     * What this instance does when a later launch asks to replace it ({@code single-instance.replace=true}, like
     * GApplication's {@code --gapplication-replace}): {@code action} runs on its own thread, and should close the
     * application (this instance included, with {@link #close()}) so that the replacing launch becomes the primary.
     * Without an action set, the instance closes itself and exits the JVM with status 0 ({@link System#exit}, which
     * runs the application's shutdown hooks). A launch that waits to replace fails (exit 75) if this instance shows
     * no progress for its forward timeout, and leaves it running.
     */
    void onReplace(Runnable action);

    /** Launches handled so far. */
    long launchesReceived();

    /**
     * Stops taking launches and removes every named object of this instance. Launches not yet handed to the handler
     * are sent back to their senders to retry (one of them becomes the next primary); launches in the handler (or
     * whose asynchronous answer is pending) get up to two seconds to be answered, then are answered exit 75 ("may
     * have been handled"). Safe to call twice and from the handler.
     */
    @Override
    void close();
}
