package io.github.singleinstance.internal.claim;

import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.ClaimFiles;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.ChannelLayout;
import io.github.singleinstance.internal.wire.ClaimHeader;
import io.github.singleinstance.internal.wire.InstanceKey;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Whether a primary holds the claim of an application, and who it is, without sending a launch and without ever
 * becoming the primary.
 *
 * <pre>
 * claim file absent? --yes--> none (nothing created)
 * a launcher in this JVM holds a claim to hand over? --yes--> this process, STARTING (the file is not opened)
 * its lock free (taken and released at once)? --yes--> none; held in this JVM (the primary asks itself) counts as held
 * header written? --no--> read it again every 10 ms, up to the forward timeout (a holder that just took the lock)
 * READY? --yes--> the channel's CREATED_MILLIS, if its segment opens
 * </pre>
 * The lock alone says whether a primary runs: a header stays behind when its primary dies (the file is never removed),
 * so a header that says READY proves nothing by itself. The lock test is the one a launch does: {@code tryLock}, and
 * on success release at once. A launch racing the query in that instant finds the lock held, reads the header, and
 * finds the lock free again on its next look (within 10 ms): it claims then, as it does after any primary that just
 * went away. A frozen primary (SIGSTOP) still holds its lock and its header is readable: the query answers at once.
 * In a process whose launcher holds a claim for the application's copy of this library to adopt (the Spring Boot fast
 * launcher, before the application claims), it answers this process, STARTING, for whichever application asks: the
 * claim cannot be looked at without taking it.
 */
public final class InstanceQuery {

    private static final long HEADER_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** A primary found: its header's fields, and its channel's creation time (0 if unknown). */
    public record Found(long pid, int protocol, int state, long createdMillis) {}

    private InstanceQuery() {}

    /**
     * The primary of {@code config}'s application, or null if none runs.
     *
     * @throws SingleInstanceException as a launch would for a setting that cannot work here (exit 69), or where the
     *     claim file cannot be read (71)
     */
    public static Found query(LaunchConfig config) {
        OsBackend os = OsBackends.forwarding(config.backend(), config.scope());
        Claimer.refuseMachineWideScopeWithout(os, config);
        String session = InstanceKey.namesSession(config.scope()) ? os.sessionTag() : null;
        InstanceKey key = InstanceKey.of(config.id(), config.scope(), os.userTag(), session);
        if (ClaimFiles.handoverPending()) {
            // a launcher in this process (the Spring Boot fast launcher) holds a claim for the application to adopt:
            // this process is a starting primary; opening the file here would release the launcher's lock on close
            return new Found(os.pid(), ClaimHeader.PROTOCOL_VERSION, ClaimHeader.STATE_STARTING, 0);
        }
        ClaimHandle claim;
        try {
            claim = os.openExistingClaim(key.claimName());
        } catch (UnsupportedOperationException e) {
            throw new SingleInstanceException(
                    "the running instance cannot be asked for on this backend (" + config.backend() + "): "
                            + e.getMessage(),
                    69);
        }
        if (claim == null) {
            return null;
        }
        try {
            long deadline = System.nanoTime() + config.forwardTimeout().toNanos();
            ClaimHeader.Snapshot header;
            while (true) {
                if (claim.lockFree()) {
                    return null; // no one holds it: let go of at once
                }
                header = ClaimHeader.read(claim);
                if (header.valid()) {
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    return new Found(0, 0, ClaimHeader.STATE_STARTING, 0);
                }
                LockSupport.parkNanos(HEADER_POLL_NANOS);
            }
            long created = header.state() == ClaimHeader.STATE_READY ? channelCreated(os, key, header, config) : 0;
            return new Found(header.pid(), header.protocol(), header.state(), created);
        } finally {
            claim.close();
        }
    }

    /** When the primary of {@code header} created its channel; 0 if its segment cannot be opened from here. */
    private static long channelCreated(
            OsBackend os, InstanceKey key, ClaimHeader.Snapshot header, LaunchConfig config) {
        if (header.protocol() != ClaimHeader.PROTOCOL_VERSION) {
            return 0; // another version's channel: its layout is not this build's to read
        }
        OsBackend through = os;
        if (header.doorbellKind() != 0 && header.doorbellKind() != os.doorbellKind()) {
            through = OsBackends.forwardingTo(header.doorbellKind(), config.scope());
        }
        if (through == null) {
            return 0;
        }
        try (Channel channel = Channel.open(through, key.channelName(header.channel()))) {
            return channel != null && channel.state() == ChannelLayout.STATE_READY ? channel.createdMillis() : 0;
        } catch (Channel.NotUsableException | RuntimeException e) {
            return 0;
        }
    }
}
