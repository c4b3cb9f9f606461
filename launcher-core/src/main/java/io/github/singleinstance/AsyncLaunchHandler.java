package io.github.singleinstance;

import java.util.concurrent.CompletionStage;

/**
 * Receives forwarded launches in the primary and answers them later, from any thread: like GLib's
 * {@code GApplicationCommandLine} held until done. Set it with {@link PrimaryInstance#onLaunchAsync}.
 *
 * <p>Called on the thread that runs synchronous handlers ({@code single-instance-handler}), one launch at a time in
 * arrival order, but the next launch is handed over as soon as this method returns: the launches are answered in
 * the order their stages complete. While a stage is pending, the second launch waits, kept alive by the primary's
 * progress signal, up to its total timeout ({@link SingleInstance.Builder#totalTimeout}).
 */
@FunctionalInterface
public interface AsyncLaunchHandler {

    /**
     * Takes one launch; completes the returned stage with the reply when done.
     *
     * @return a stage completed with the reply ({@code null} answers {@link Reply#ok()}), or exceptionally
     *     (answered as exit code 70 with the exception's message); a {@code null} stage answers {@link Reply#ok()}
     * @throws Exception answered as exit code 70; the primary keeps serving
     */
    CompletionStage<Reply> handle(Launch launch) throws Exception;
}
