package io.github.singleinstance;

/**
 * Receives forwarded launches in the primary.
 *
 * <p>Called on one dedicated thread, one launch at a time, in the order launches arrived. A slow handler never stops
 * intake: later launches queue meanwhile, and each sender waits for its own reply up to its forward timeout.
 */
@FunctionalInterface
public interface LaunchHandler {

    /**
     * Handles one launch and answers it.
     *
     * @return the reply the second launch prints and exits with; {@code null} answers {@link Reply#ok()}
     * @throws Exception answered as exit code 70 with the exception's message; the primary keeps serving
     */
    Reply handle(Launch launch) throws Exception;
}
