package io.github.singleinstance.benchmarks;

import io.github.singleinstance.internal.sender.AttachedSender;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A launch forwarded over a channel attached once: the protocol's steady-state round trip (take a reply slot, write
 * the record, ring the doorbell; the primary's thread takes it and its handler answers; the sender sees the reply).
 * The peer is a primary that answers "ok". Back to back, the primary's thread is still looking for the next launch
 * when it comes; 1 ms apart, it is asleep and the launch pays its wake-up through the bell.
 */
final class AttachedLaunch implements Exchange {

    private final Peer peer;
    private final AttachedSender sender;
    private final long pauseNanos;

    AttachedLaunch(long pauseMillis) throws IOException {
        this.pauseNanos = TimeUnit.MILLISECONDS.toNanos(pauseMillis);
        String id =
                "bench-attached-" + pauseMillis + "-" + ProcessHandle.current().pid();
        peer = Peer.start("primary", id);
        sender = AttachedSender.attach(id, List.of(ForwardedLaunch.ARGS));
    }

    @Override
    public String name() {
        return pauseNanos == 0
                ? "single-instance forward over an attached channel (steady state, back to back)"
                : "the same, " + TimeUnit.NANOSECONDS.toMillis(pauseNanos) + " ms apart (the primary asleep)";
    }

    @Override
    public long pauseNanos() {
        return pauseNanos;
    }

    @Override
    public void roundTrip() {
        String reply = sender.send();
        if (!reply.equals("ok")) {
            throw new IllegalStateException("expected the peer's reply, got " + reply);
        }
    }

    @Override
    public void close() throws Exception {
        sender.close();
        peer.close();
    }
}
