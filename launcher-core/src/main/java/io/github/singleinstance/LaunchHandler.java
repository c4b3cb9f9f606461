package io.github.singleinstance;

/**
 * Receives forwarded launches in the primary and answers each before returning.
 *
 * <p>Called on one dedicated thread ({@code single-instance-handler}), one launch at a time, in the order launches
 * arrived. Intake does not wait for it: launches that arrive meanwhile are taken (their senders know they were
 * delivered) and queue for the handler, their senders kept waiting by the primary's progress signal up to their
 * total timeout. To answer later or from another thread, use {@link AsyncLaunchHandler}.
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
