package io.github.singleinstance;

/**
 * Receives forwarded launches in the primary.
 *
 * <p>Called on one dedicated thread ({@code single-instance-handler}), one launch at a time, in the order launches
 * arrived. While it runs, later launches wait in the primary's ring, each sender up to its forward timeout; a sender
 * that gives up on a launch not yet taken withdraws it, so it is reported as not delivered and never handled later.
 * Answer quickly (hand long work to an executor of your own) to keep later launches fast.
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
