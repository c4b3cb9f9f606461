package io.github.singleinstance.benchmarks;

import io.github.singleinstance.internal.AttachedSender;
import java.io.IOException;
import java.util.List;

/**
 * A launch forwarded over a channel attached once: the protocol's steady-state round trip (take a reply slot, write
 * the record, ring the doorbell; the primary's listener takes it, its handler thread answers; the reply wakes the
 * sender). The peer is a primary that answers "ok".
 */
final class AttachedLaunch implements Exchange {

    private final Peer peer;
    private final AttachedSender sender;

    AttachedLaunch() throws IOException {
        String id = "bench-attached-" + ProcessHandle.current().pid();
        peer = Peer.start("primary", id);
        sender = AttachedSender.attach(id, List.of(ForwardedLaunch.ARGS));
    }

    @Override
    public String name() {
        return "single-instance forward over an attached channel (steady state)";
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
