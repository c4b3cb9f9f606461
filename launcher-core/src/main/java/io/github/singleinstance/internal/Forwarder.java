package io.github.singleinstance.internal;

import io.github.singleinstance.ForwardTimeoutException;
import io.github.singleinstance.LaunchTooLargeException;
import io.github.singleinstance.Reply;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A second launch's side of the protocol: attach to the primary's channel, take a reply slot, put the launch in the
 * ring, ring the doorbell, wait for the answer. Runs on the launching thread.
 *
 * <p>While it waits it watches the primary: if the claim's lock comes free (the primary died) or the channel closes
 * with the launch not taken, it returns {@link Outcome#RETRY} and the claim starts over (this launch may become the
 * primary). Past the deadline it withdraws what it can and throws {@link ForwardTimeoutException}, saying whether
 * the launch reached the handler.
 */
final class Forwarder {

    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long ATTACH_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** How a forward ended, when it did not throw. */
    sealed interface Outcome permits Replied, Retry {
        Outcome RETRY = new Retry();
    }

    record Replied(Reply reply, long primaryPid) implements Outcome {
    }

    record Retry() implements Outcome {
    }

    private final OsBackend os;
    private final ClaimHandle claim;
    private final InstanceKey key;
    private final LaunchConfig config;
    private final long deadline;

    Forwarder(OsBackend os, ClaimHandle claim, InstanceKey key, LaunchConfig config, long deadlineNanos) {
        this.os = os;
        this.claim = claim;
        this.key = key;
        this.config = config;
        this.deadline = deadlineNanos;
    }

    Outcome forward(byte[] payload) {
        Channel channel = attach();
        if (channel == null) {
            return Outcome.RETRY;
        }
        try (channel) {
            return forwardOver(channel, payload);
        }
    }

    /**
     * Sends {@code payload} over {@code channel}, attached already (the caller closes it), and waits for the reply.
     * What {@link #forward} does after attaching; the round-trip benchmark calls it on one channel many times.
     */
    Outcome forwardOver(Channel channel, byte[] payload) {
        int limit = channel.ring().maxPayloadLength();
        if (payload.length > limit) {
            throw new LaunchTooLargeException("this launch is " + payload.length + " bytes encoded; the running "
                    + "instance (pid " + channel.primaryPid() + ") takes at most " + limit + " bytes per launch "
                    + "(a quarter of its ring capacity, less 8). Nothing was sent. Pass fewer or shorter arguments "
                    + "(a file listing them, say), or give the application a larger ring capacity.");
        }
        ReplySlots.Ticket ticket = takeSlot(channel);
        if (ticket == null) {
            return Outcome.RETRY;
        }
        LaunchCodec.stamp(payload, ticket.slot(), ticket.control());
        while (!channel.ring().offer(payload)) {
            channel.ringDoorbell(os); // full: the listener is behind or asleep
            if (channel.state() != ChannelLayout.STATE_READY || primaryGone()) {
                channel.slots().withdraw(ticket);
                return Outcome.RETRY;
            }
            if (System.nanoTime() - deadline > 0) {
                channel.slots().withdraw(ticket);
                throw new ForwardTimeoutException("the running instance (pid " + channel.primaryPid() + ") did "
                        + "not make room for this launch within " + describeTimeout() + ": its channel is full. "
                        + "Nothing was delivered.", false);
            }
            LockSupport.parkNanos(ATTACH_RETRY_NANOS);
        }
        channel.ringDoorbell(os);
        return awaitReply(channel, ticket);
    }

    /** The primary's channel once READY; null if the primary went away meanwhile. The caller closes it. */
    Channel attach() {
        String problem = "the running instance has not opened its channel yet";
        while (true) {
            if (primaryGone()) {
                return null;
            }
            try {
                Channel channel = Channel.open(os, key.channelName());
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
                    problem = "the running instance (pid " + channel.primaryPid() + ") is shutting down";
                    channel.close();
                }
            } catch (Channel.NotUsableException e) {
                problem = e.getMessage();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ForwardTimeoutException("no running instance of " + config.id() + " took this launch within "
                        + describeTimeout() + ": " + problem + ". Nothing was delivered.", false);
            }
            LockSupport.parkNanos(ATTACH_RETRY_NANOS);
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
            if (System.nanoTime() - deadline > 0) {
                throw new ForwardTimeoutException("the running instance (pid " + channel.primaryPid() + ") has all "
                        + channel.slots().count() + " reply slots busy with other launches for over "
                        + describeTimeout() + ". Nothing was delivered.", false);
            }
            LockSupport.parkNanos(ATTACH_RETRY_NANOS);
        }
    }

    private Outcome awaitReply(Channel channel, ReplySlots.Ticket ticket) {
        ReplySlots slots = channel.slots();
        long nextLivenessCheck = System.nanoTime() + LIVENESS_CHECK_NANOS;
        while (true) {
            long control = slots.control(ticket.slot());
            if ((control & ~0xFFL) != (ticket.control() & ~0xFFL)) {
                throw new ForwardTimeoutException("this launch's reply slot was reused by another process: the "
                        + "launch may or may not have been handled", false);
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
                        if (state != ReplySlots.CLAIMED) {
                            log().warn("the primary (pid {}) died while handling this launch; retrying it, so it may "
                                    + "be handled twice", channel.primaryPid());
                        }
                        return Outcome.RETRY;
                    }
                    continue;
                }
            }
            if (now - deadline > 0) {
                throw timedOut(channel, ticket, state);
            }
            long wait = Math.min(deadline - now, LIVENESS_CHECK_NANOS);
            channel.awaitSlot(os, ticket.slot(), control, Math.max(wait, 0));
        }
    }

    private ForwardTimeoutException timedOut(Channel channel, ReplySlots.Ticket ticket, int state) {
        long pid = channel.primaryPid();
        if (state == ReplySlots.CLAIMED && channel.slots().withdraw(ticket)) {
            return new ForwardTimeoutException("the running instance (pid " + pid + ") did not take this launch "
                    + "within " + describeTimeout() + ": it is frozen (stopped? try kill -CONT " + pid + "), busy "
                    + "with earlier launches, hung, or has not set a launch handler. The launch was withdrawn: nothing "
                    + "was delivered.", false);
        }
        if (state != ReplySlots.CLAIMED && channel.slots().abandon(ticket)) {
            return new ForwardTimeoutException("the running instance (pid " + pid + ") took this launch but did not "
                    + "answer within " + describeTimeout() + " (its handler is busy or hung): the launch was "
                    + "delivered and may still be handled.", true);
        }
        // the state moved on while we decided: one more look settles it
        long control = channel.slots().control(ticket.slot());
        if (ReplySlots.state(control) == ReplySlots.REPLIED || ReplySlots.state(control) == ReplySlots.WRITING) {
            return new ForwardTimeoutException("the running instance (pid " + pid + ") answered this launch just "
                    + "after the " + describeTimeout() + " timeout: the launch was delivered.", true);
        }
        return new ForwardTimeoutException("no answer from the running instance (pid " + pid + ") within "
                + describeTimeout() + "; the launch may or may not have been delivered.", true);
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
        return primaryGone()
                || channel.state() != ChannelLayout.STATE_READY && !os.isAlive(channel.primaryPid());
    }

    private String describeTimeout() {
        long millis = config.forwardTimeout().toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    /**
     * The logger, created on first use: a second launch that logs nothing never initialises the logging backend
     * (Logback alone loads some 400 classes), which keeps the hot path of a second launch short.
     */
    private static Logger log() {
        return LoggerFactory.getLogger(Forwarder.class);
    }
}
