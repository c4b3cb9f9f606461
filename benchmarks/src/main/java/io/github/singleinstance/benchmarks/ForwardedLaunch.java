package io.github.singleinstance.benchmarks;

import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.SingleInstance;
import java.io.IOException;

/**
 * A launch forwarded through single-instance's public API, as a second launch does it after its JVM started:
 * derive the key, open the claim and find it locked, open and check the channel, map it, take a reply slot, write
 * the record, ring the doorbell, wait for the reply, unmap. The peer is a primary that answers "ok".
 */
final class ForwardedLaunch implements Exchange {

    static final String[] ARGS = {"--open", "/home/user/documents/report-2026.txt"};

    private final Peer peer;
    private final SingleInstance instance;

    ForwardedLaunch() throws IOException {
        String id = "bench-" + ProcessHandle.current().pid();
        peer = Peer.start("primary", id);
        instance = SingleInstance.builder().id(id).build();
    }

    @Override
    public String name() {
        return "single-instance forward (public API, whole exchange)";
    }

    @Override
    public void roundTrip() {
        ClaimResult result = instance.claim(ARGS);
        if (!(result instanceof ClaimResult.Forwarded forwarded)
                || !forwarded.reply().message().equals("ok")) {
            throw new IllegalStateException("expected the peer's reply, got " + result);
        }
    }

    @Override
    public void close() throws Exception {
        peer.close();
    }
}
