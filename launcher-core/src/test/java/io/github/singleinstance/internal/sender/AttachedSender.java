package io.github.singleinstance.internal.sender;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Launch;
import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.settings.TestLaunchConfigs;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.InstanceKey;
import io.github.singleinstance.testing.Backends;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * For the round-trip benchmarks only (the benchmarks module gets it from this module's test-jar): a second
 * launch that attaches to a running primary's channel once and then forwards the same launch again and again, so
 * that a round trip measures the protocol in steady state (slot, record, doorbell, listener, handler, reply) without
 * opening and mapping the channel each time. One thread.
 */
public final class AttachedSender implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofMinutes(10);

    private final ClaimHandle claim;
    private final Forwarder forwarder;
    private final Channel channel;
    private final OutgoingLaunch launch;

    private AttachedSender(ClaimHandle claim, Forwarder forwarder, Channel channel, OutgoingLaunch launch) {
        this.claim = claim;
        this.forwarder = forwarder;
        this.channel = channel;
        this.launch = launch;
    }

    /** Attaches to the primary of {@code id} (USER scope), which must be running. */
    public static AttachedSender attach(String id, List<String> args) {
        OsBackend os = OsBackends.forwarding(Backends.configured(), Scope.USER); // what second launches use
        Path workingDirectory = Path.of("").toAbsolutePath();
        LaunchConfig config = TestLaunchConfigs.of(id, Backend.AUTO, PATIENCE, PATIENCE);
        InstanceKey key = InstanceKey.of(id, Scope.USER, os.userTag(), os.sessionTag());
        ClaimHandle claim = os.openClaim(key.claimName());
        Forwarder forwarder = new Forwarder(
                os,
                claim,
                key,
                config,
                new Liveness(claim, PATIENCE.toNanos(), System.nanoTime() + PATIENCE.toNanos()));
        Channel channel = forwarder.attach();
        if (channel == null) {
            claim.close();
            throw new IllegalStateException("no running primary of id=" + id);
        }
        OutgoingLaunch launch =
                OutgoingLaunch.of(new Launch(args, workingDirectory, os.pid(), Instant.now(), new byte[0]), config);
        return new AttachedSender(claim, forwarder, channel, launch);
    }

    /** Forwards the launch once and returns the reply's message. */
    public String send() {
        Forwarder.Outcome outcome = forwarder.forwardOver(channel, launch);
        if (outcome instanceof Forwarder.Replied replied) {
            return replied.reply().message();
        }
        throw new IllegalStateException("the primary sent the launch back (it is stopping or gone)");
    }

    @Override
    public void close() {
        channel.close();
        claim.close();
    }
}
