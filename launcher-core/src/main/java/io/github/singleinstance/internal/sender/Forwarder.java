package io.github.singleinstance.internal.sender;

import io.github.singleinstance.ForwardTimeoutException;
import io.github.singleinstance.IncompatiblePrimaryException;
import io.github.singleinstance.LaunchTooLargeException;
import io.github.singleinstance.Reply;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.os.windows.ForegroundHandOff;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.ChannelLayout;
import io.github.singleinstance.internal.wire.ClaimHeader;
import io.github.singleinstance.internal.wire.InstanceKey;
import io.github.singleinstance.internal.wire.LaunchCodec;
import io.github.singleinstance.internal.wire.ReplySlots;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;

/**
 * A second launch's side of the protocol: attach to the primary's channel, take a reply slot, put the launch in the
 * ring, ring the doorbell, wait for the answer. Runs on the launching thread.
 *
 * <p>It waits on liveness, not on deadlines ({@link Liveness}): as long as the primary shows progress it waits, up to
 * the total timeout; silence for the forward timeout fails the launch. If the claim's lock comes free (the primary
 * died) or the channel closes with the launch not yet taken, it returns {@link Outcome#RETRY} and the claim starts
 * over (this launch may become the primary). A failure says which stage the launch reached: not yet taken (withdrawn:
 * never handled), taken and being handled (may still be handled), or answered too late.
 */
public final class Forwarder {

    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How often a launch looks at the claim's header while the primary starts: from every 10 ms, growing by half each
     * time to every 100 ms, so that a burst of hundreds of waiting launches costs the starting primary little CPU.
     */
    private static final long FIRST_ATTACH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final long MAX_ATTACH_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** How often a launch retries a full channel or a reply slot. */
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** How a forward ended, when it did not throw. */
    public sealed interface Outcome permits Replied, Retry {
        Outcome RETRY = new Retry();
    }

    public record Replied(Reply reply, long primaryPid) implements Outcome {}

    record Retry() implements Outcome {}

    /** The backend to forward through: switched to the one matching the primary's doorbell kind when READY. */
    private OsBackend os;

    private final ClaimHandle claim;
    private final InstanceKey key;
    private final LaunchConfig config;
    private final Liveness liveness;
    private boolean retriedAfterTaken;

    public Forwarder(OsBackend os, ClaimHandle claim, InstanceKey key, LaunchConfig config, Liveness liveness) {
        this.os = os;
        this.claim = claim;
        this.key = key;
        this.config = config;
        this.liveness = liveness;
    }

    public Outcome forward(OutgoingLaunch launch) {
        Channel channel = attach();
        if (channel == null) {
            return Outcome.RETRY;
        }
        ForegroundHandOff.allow(channel.primaryPid()); // Windows: the primary may bring its window to the front
        try (channel) {
            return forwardOver(channel, launch);
        }
    }

    /**
     * Sends {@code launch} over {@code channel}, attached already (the caller closes it), and waits for the reply.
     * What {@link #forward} does after attaching; the round-trip benchmark's sender calls it on one channel many times.
     */
    Outcome forwardOver(Channel channel, OutgoingLaunch launch) {
        byte[] payload = launch.payloadFor(channel);
        byte[] largeRecord = null;
        int limit = channel.ring().maxPayloadLength();
        if (payload.length > limit && channel.streams()) {
            largeRecord = payload; // too large for the ring: a stub goes there, the record over the stream connection
            payload = launch.stubFor(largeRecord);
        }
        if (payload.length > limit) {
            throw new LaunchTooLargeException("this launch is " + payload.length + " bytes encoded; the running "
                    + "instance (pid " + channel.primaryPid() + ", an older version) takes at most " + limit
                    + " bytes per launch (a quarter of its ring capacity, less 8). Nothing was sent. Pass fewer or "
                    + "shorter arguments (a file listing them, say), or upgrade the running instance.");
        }
        ReplySlots.Ticket ticket = takeSlot(channel);
        if (ticket == null) {
            return Outcome.RETRY;
        }
        channel.clearRung(ticket.slot());
        LaunchCodec.stamp(payload, ticket.slot(), ticket.control());
        if (largeRecord != null) {
            LaunchCodec.stamp(largeRecord, ticket.slot(), ticket.control());
        }
        os.prepareToWake(); // the wake-up then follows the record at once
        while (!channel.ring().offer(payload)) {
            channel.ringDoorbell(os); // full: the listener is behind or asleep
            if (channel.state() != ChannelLayout.STATE_READY || primaryGone()) {
                channel.slots().withdraw(ticket);
                return Outcome.RETRY;
            }
            if (failing(channel.taken())) {
                channel.slots().withdraw(ticket);
                throw notTaken(channel.primaryPid(), "did not make room in its channel (it is full)");
            }
            LockSupport.parkNanos(RETRY_NANOS);
        }
        channel.ringDoorbell(os);
        channel.markRung(ticket.slot()); // the intake tells a lost wake-up from a late ring by it
        Thread interrupted = new Thread(new Withdrawal(channel.slots(), ticket), "single-instance-cancel");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            return awaitReply(channel, ticket, largeRecord, launch.forwardsStandardInput());
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran
            }
        }
    }

    /**
     * Run when the JVM shuts down (SIGINT, SIGTERM) while this launch waits in its reply slot: withdraws the launch
     * if the primary has not taken it (it is never handled), or abandons it if it has (its handler sees it as
     * cancelled). A class, not a lambda: no bootstrap on the second launch.
     */
    private static final class Withdrawal implements Runnable {
        private final ReplySlots slots;
        private final ReplySlots.Ticket ticket;

        Withdrawal(ReplySlots slots, ReplySlots.Ticket ticket) {
            this.slots = slots;
            this.ticket = ticket;
        }

        @Override
        public void run() {
            if (!slots.withdraw(ticket)) {
                slots.abandon(ticket);
            }
        }
    }

    /** The primary's channel once READY; null if the primary went away meanwhile. The caller closes it. */
    public Channel attach() {
        long poll = FIRST_ATTACH_POLL_NANOS;
        while (true) {
            if (primaryGone() || !claim.stillNamed()) {
                // no lock held, or the claim's name now denotes another file (removed by hand): start over on the name
                return null;
            }
            ClaimHeader.Snapshot header = liveness.readHeader();
            String problem;
            if (!header.valid() || header.state() == ClaimHeader.STATE_READY) {
                problem = "it has not opened its channel yet";
                if (header.valid() && header.doorbellKind() != 0 && header.doorbellKind() != os.doorbellKind()) {
                    os = senderFor(header.doorbellKind(), os, config);
                }
                try {
                    // no header (a windows claim holds no bytes): the first generation, as such a primary uses
                    Channel channel = Channel.open(os, key.channelName(header.valid() ? header.channel() : 1));
                    if (channel != null) {
                        if (!claim.stillNamed()) {
                            // The claim object this launch watches was replaced (its primary stopped, another took
                            // over): this channel may be the new primary's, whose liveness our handle cannot see.
                            // Start over on the current claim, before anything is sent.
                            channel.close();
                            return null;
                        }
                        if (channel.state() == ChannelLayout.STATE_READY) {
                            return channel;
                        }
                        problem = "it is shutting down";
                        channel.close();
                    }
                } catch (Channel.NotUsableException e) {
                    problem = e.getMessage();
                }
            } else {
                problem = header.state() == ClaimHeader.STATE_CLOSING ? "it is shutting down" : "it is starting";
            }
            if (failing(0)) {
                throw notTaken(header.pid(), "had not opened its channel to launches (" + problem + ")");
            }
            LockSupport.parkNanos(poll);
            poll = Math.min(MAX_ATTACH_POLL_NANOS, poll + poll / 2);
        }
    }

    private ReplySlots.Ticket takeSlot(Channel channel) {
        while (true) {
            ReplySlots.Ticket ticket = channel.slots().claim(os.pid(), new LongPredicate() {
                @Override
                public boolean test(long pid) { // a class, not a lambda: no bootstrap on the second launch
                    return os.isAlive(pid);
                }
            });
            if (ticket != null) {
                return ticket;
            }
            if (channel.state() != ChannelLayout.STATE_READY || primaryGone()) {
                return null;
            }
            if (failing(channel.taken())) {
                throw notTaken(
                        channel.primaryPid(),
                        "kept all " + channel.slots().count() + " reply slots busy with other launches");
            }
            LockSupport.parkNanos(RETRY_NANOS);
        }
    }

    /** Whether to give up now: reads the header, notes {@code signal}, and checks silence and the total timeout. */
    private boolean failing(long signal) {
        liveness.readHeader();
        liveness.observe(signal);
        long now = System.nanoTime();
        return liveness.silent(now) || liveness.pastTotal(now);
    }

    private Outcome awaitReply(Channel channel, ReplySlots.Ticket ticket, byte[] largeRecord, boolean forwardStdin) {
        ReplySlots slots = channel.slots();
        long nextLivenessCheck = System.nanoTime() + LIVENESS_CHECK_NANOS;
        boolean spunWhileClaimed = false;
        boolean spunWhileTaken = false;
        while (true) {
            long control = slots.control(ticket.slot());
            if ((control & ~0xFFL) != (ticket.control() & ~0xFFL)) {
                throw new ForwardTimeoutException(
                        "this launch's reply slot was reused by another process: the "
                                + "launch may or may not have been handled",
                        false);
            }
            int state = ReplySlots.state(control);
            if (state == ReplySlots.REPLIED) {
                Reply reply = slots.readReply(ticket.slot());
                slots.release(ticket, ReplySlots.REPLIED);
                return new Replied(reply, channel.primaryPid());
            }
            if (state == ReplySlots.RETRY) {
                slots.release(ticket, ReplySlots.RETRY);
                return Outcome.RETRY;
            }
            if (state == ReplySlots.STREAM) {
                Reply reply = SenderStreamEnd.run(
                        slots.readOffer(ticket.slot()),
                        new Release(slots, ticket),
                        largeRecord,
                        forwardStdin,
                        liveness,
                        channel.primaryPid(),
                        config);
                return new Replied(reply, channel.primaryPid());
            }
            long now = System.nanoTime();
            if (state == ReplySlots.CLAIMED && channel.state() != ChannelLayout.STATE_READY) {
                if (slots.withdraw(ticket)) {
                    return Outcome.RETRY; // closed after we looked: the closing primary did not see our record
                }
                continue;
            }
            if (now - nextLivenessCheck > 0) {
                nextLivenessCheck = now + LIVENESS_CHECK_NANOS;
                if (primaryGone(channel)) {
                    if (state == ReplySlots.CLAIMED ? slots.withdraw(ticket) : slots.abandon(ticket)) {
                        retriedAfterTaken = state != ReplySlots.CLAIMED;
                        return Outcome.RETRY;
                    }
                    continue;
                }
                liveness.readHeader();
                liveness.observe(channel.taken() * 16 + state);
                if (liveness.silent(now) || liveness.pastTotal(now)) {
                    throw timedOut(channel, ticket, state, liveness.silent(now));
                }
            }
            long wait = Math.max(0, Math.min(nextLivenessCheck - now, liveness.waitUntil() - now));
            if (state == ReplySlots.CLAIMED && !spunWhileClaimed) {
                channel.awaitSlot(os, ticket.slot(), control, wait);
                spunWhileClaimed = true; // the spin is for the usual quick take; past it, poll gently
            } else if (state == ReplySlots.TAKEN && !spunWhileTaken) {
                channel.awaitSlot(os, ticket.slot(), control, wait);
                spunWhileTaken = true; // and for the usual quick answer once taken
            } else {
                channel.awaitSlotPatiently(os, ticket.slot(), control, wait);
            }
        }
    }

    /** Frees the reply slot once the stream connection carries the launch. */
    private static final class Release implements Runnable {
        private final ReplySlots slots;
        private final ReplySlots.Ticket ticket;

        Release(ReplySlots slots, ReplySlots.Ticket ticket) {
            this.slots = slots;
            this.ticket = ticket;
        }

        @Override
        public void run() {
            slots.release(ticket, ReplySlots.STREAM);
        }
    }

    private ForwardTimeoutException timedOut(Channel channel, ReplySlots.Ticket ticket, int state, boolean silent) {
        long pid = channel.primaryPid();
        String silence = "showed no progress for "
                + describe(config.forwardTimeout().toMillis()) + ": it " + liveness.describeSilentPrimary(pid);
        String total = describe(config.totalTimeout().toMillis()) + " after this launch began (the total timeout)";
        String why = silent ? silence : "was still working " + total;
        if (state == ReplySlots.CLAIMED && channel.slots().withdraw(ticket)) {
            return new ForwardTimeoutException(
                    "the running instance (pid " + pid + ") " + why + ". It had not "
                            + "taken this launch yet: the launch was withdrawn, nothing was delivered.",
                    false);
        }
        if (state != ReplySlots.CLAIMED && channel.slots().abandon(ticket)) {
            return new ForwardTimeoutException(
                    "the running instance (pid " + pid + ") took this launch but "
                            + (silent ? silence : "was still handling it " + total)
                            + ". The launch was delivered and may "
                            + "still be handled.",
                    true);
        }
        // the state moved on while we decided: one more look settles it
        long control = channel.slots().control(ticket.slot());
        if (ReplySlots.state(control) == ReplySlots.REPLIED || ReplySlots.state(control) == ReplySlots.WRITING) {
            return new ForwardTimeoutException(
                    "the running instance (pid " + pid + ") answered this launch just as "
                            + "this launch gave up: the launch was delivered and answered.",
                    true);
        }
        return new ForwardTimeoutException(
                "the running instance (pid " + pid + ") " + why + "; the launch may or "
                        + "may not have been delivered.",
                true);
    }

    private ForwardTimeoutException notTaken(long pid, String what) {
        long now = System.nanoTime();
        String why = liveness.silent(now)
                ? "and showed no progress for "
                        + describe(config.forwardTimeout().toMillis()) + ": it " + liveness.describeSilentPrimary(pid)
                : "within the total timeout of "
                        + describe(config.totalTimeout().toMillis());
        return new ForwardTimeoutException(
                "the running instance of " + config.id() + " (pid " + pid + ") " + what + " " + why
                        + ". Nothing was delivered.",
                false);
    }

    /**
     * Whether the last {@link Outcome#RETRY} gave up on a launch the primary had taken (it died while handling it):
     * the launch is sent again, so it may be handled twice. The caller logs it, after letting go of the claim.
     */
    public boolean retriedAfterTaken() {
        return retriedAfterTaken;
    }

    /** True if no process holds the claim's lock: this handle now holds it, and the caller starts over. */
    private boolean primaryGone() {
        return claim.tryLock();
    }

    /**
     * True if the primary that owns {@code channel} is gone: the lock is free, or the channel is closed and its
     * primary's process no longer exists (then a new primary holds the lock and will not answer for the old one).
     */
    private boolean primaryGone(Channel channel) {
        return primaryGone() || channel.state() != ChannelLayout.STATE_READY && !os.isAlive(channel.primaryPid());
    }

    private static String describe(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /** The backend to forward through to a primary whose doorbell is of {@code kind} (not 0). */
    private static OsBackend senderFor(int kind, OsBackend os, LaunchConfig config) {
        if (kind == os.doorbellKind()) {
            return os;
        }
        OsBackend matching = OsBackends.forwardingTo(kind, config.scope());
        if (matching == null) {
            throw new IncompatiblePrimaryException("the running instance of " + config.id() + " uses doorbell kind "
                    + kind + " (another backend) that this launch cannot ring from here. Nothing was sent. Launch it "
                    + "with the same single-instance.backend as the running instance.");
        }
        return matching;
    }
}
