package io.github.singleinstance.internal.primary;

import io.github.singleinstance.LaunchCancelledException;
import io.github.singleinstance.Reply;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.LaunchCodec;
import io.github.singleinstance.internal.wire.LaunchTerminal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * A launch taken from the ring: queued, in the handler, or awaiting its asynchronous answer; answered exactly once
 * (a reply, a failure turned into one, or sent back to its sender to retry with the next primary). {@link #run} runs
 * on the handler thread; {@link #accept}, {@link #answer} and {@link #sendBack} on any thread.
 */
final class PendingLaunch implements BiConsumer<Reply, Throwable> {
    static final int EX_DATAERR = 65;
    private static final int EX_SOFTWARE = 70;
    static final int EX_TEMPFAIL = 75;
    /** The answer to a launch whose handler stopped on its cancellation (no one reads it): 128 + SIGINT. */
    private static final int EX_CANCELLED = 130;

    private final PrimaryRole role;
    final Channel channel;
    final LaunchCodec.Decoded decoded;
    final ForwardedTerminal remote;
    final AtomicBoolean answered = new AtomicBoolean();

    PendingLaunch(PrimaryRole role, Channel channel, LaunchCodec.Decoded decoded, ForwardedTerminal remote) {
        this.role = role;
        this.channel = channel;
        this.decoded = decoded;
        this.remote = remote;
    }

    void run() {
        CompletionStage<Reply> stage;
        try {
            stage = role.handler().handle(LaunchTerminal.Access.get().withRemote(decoded.launch(), remote));
        } catch (Exception | Error e) {
            accept(null, e);
            return;
        }
        if (stage == null) {
            accept(Reply.ok(), null);
        } else {
            stage.whenComplete(this);
        }
    }

    /** The handler's answer: a reply, or what it threw. Any thread. */
    @Override
    public void accept(Reply reply, Throwable failure) {
        role.countReceived();
        if (cancellation(failure)) {
            PrimaryRole.log()
                    .debug("the handler of id={} stopped on a cancelled launch: {}", role.id(), failure.toString());
            answer(new Reply(EX_CANCELLED, "cancelled"));
        } else if (failure != null) {
            PrimaryRole.log()
                    .warn("launch handler of id={} failed; answering exit code {}", role.id(), EX_SOFTWARE, failure);
            answer(new Reply(EX_SOFTWARE, clip("the running instance failed to handle this launch: " + failure)));
        } else {
            answer(reply == null ? Reply.ok() : reply);
        }
    }

    /** Writes the answer, once; false if answered already or the channel is gone. */
    boolean answer(Reply reply) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        role.settled(this);
        if (remote != null && remote.answerOverStream(reply)) {
            return true;
        }
        return role.answerInSlot(channel, decoded, reply);
    }

    /** Sends the launch back to its sender to retry (the handler never saw it); false if the sender gave up. */
    void sendBack() {
        if (answered.compareAndSet(false, true)) {
            role.settled(this);
            if (remote != null
                    && remote.answerOverStream(new Reply(
                            EX_TEMPFAIL, "the running instance shut down before handling this launch; launch again"))) {
                return; // a large launch, whose slot is long given back: it cannot be sent back to retry
            }
            if (channel.slots().sendBackTaken(decoded.slot(), decoded.ticket())) {
                channel.wakeSlot(role.os(), decoded.slot());
            }
        }
    }

    /** Whether a handler's failure is a cancelled launch's stream refusing a write (or wraps one). */
    private static boolean cancellation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LaunchCancelledException) {
                return true;
            }
        }
        return false;
    }

    static String clip(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= Reply.MAX_MESSAGE_BYTES) {
            return message;
        }
        String clipped = new String(bytes, 0, Reply.MAX_MESSAGE_BYTES - 4, StandardCharsets.UTF_8);
        if (clipped.endsWith("\uFFFD")) {
            clipped = clipped.substring(0, clipped.length() - 1);
        }
        return clipped + " ...";
    }
}
