package io.github.singleinstance.internal.primary;

import io.github.singleinstance.LaunchCancelledException;
import io.github.singleinstance.Reply;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.LaunchCodec;
import io.github.singleinstance.internal.wire.LaunchRing;
import io.github.singleinstance.internal.wire.MalformedLaunchException;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The primary's intake: reads the channel's ring, takes each launch (its sender then knows it was delivered) and
 * queues it for the handler; never waits for a handler. Rebuilds the channel (through {@link PrimaryRole}) when a
 * record stays half-written or the ring is damaged. Sleeps on the doorbell while the ring is empty.
 *
 * <p>Runs on one thread, {@code single-instance-intake}, until the primary closes; a large launch is read on a thread
 * of its own ({@code single-instance-large-launch}).
 */
final class Intake {

    /** How long a record may stay "being written" before its producer is taken for dead or frozen. */
    static final long STALL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private static final long STALL_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long the intake (and the handler thread) looks for another launch before it sleeps (see rungWithin). */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    /**
     * The largest launch record taken over a stream connection: far above what an operating system passes a process
     * (Linux: ARG_MAX, 2 MiB for arguments and environment), far below what would strain the primary's memory.
     */
    static final int MAX_LARGE_LAUNCH_BYTES = 64 << 20;

    private final PrimaryRole role;
    private final OsBackend os;
    private final LaunchConfig config;
    /** Launches found by looking again after a sleep that their ring should have ended: each one a lost wake-up. */
    private long foundByRecheck;

    Intake(PrimaryRole role, OsBackend os, LaunchConfig config) {
        this.role = role;
        this.os = os;
        this.config = config;
    }

    /**
     * The longest the intake sleeps on its doorbell with the ring empty before it looks again: half the forward
     * timeout (2.5 s by default; at least 10 ms). A ring can be lost: a sender killed between disarming the bell and
     * writing its byte (the posix backend's FifoDoorbell) leaves the intake asleep, and every later sender finds the bell
     * disarmed and writes nothing. Looking again within half the forward timeout serves the launches behind it before
     * they give up on this primary's silence; an idle primary pays one wake-up per look.
     */
    private long emptyRecheckNanos() {
        return Math.max(
                TimeUnit.MILLISECONDS.toNanos(10), config.forwardTimeout().toNanos() / 2);
    }

    void run() {
        long emptyRecheckNanos = emptyRecheckNanos();
        long stalledSince = 0;
        boolean lookingAgain = false; // the last sleep on the doorbell ran into its timeout: no ring ended it
        long sleepDeadline = 0; // when that sleep's timeout fell due
        while (!role.closing()) {
            try {
                Channel current = role.channel();
                int seen = current.doorbell();
                LaunchRing.Poll poll;
                while ((poll = current.ring().poll()).kind() == LaunchRing.Poll.Kind.RECORD
                        || poll.kind() == LaunchRing.Poll.Kind.PADDING) {
                    stalledSince = 0;
                    if (poll.kind() == LaunchRing.Poll.Kind.RECORD) {
                        LaunchCodec.Decoded taken = take(current, poll.payload());
                        if (lookingAgain && taken != null) {
                            foundOnRecheck(current, taken, sleepDeadline);
                        }
                    }
                    if (role.closing()) {
                        return;
                    }
                }
                switch (poll.kind()) {
                    case EMPTY -> {
                        stalledSince = 0;
                        lookingAgain = false;
                        if (!rungWithin(current, seen, SPIN_NANOS)) {
                            long asleep = System.nanoTime();
                            // asked, not measured: a thread woken by a ring may resume long after, on a loaded machine
                            lookingAgain = !current.awaitDoorbell(os, seen, emptyRecheckNanos);
                            sleepDeadline = asleep + emptyRecheckNanos;
                        }
                    }
                    case IN_PROGRESS -> {
                        lookingAgain = false;
                        long now = System.nanoTime();
                        if (stalledSince == 0) {
                            stalledSince = now;
                        }
                        if (now - stalledSince > STALL_LIMIT_NANOS) {
                            role.rebuildChannel("has had a record half-written for over "
                                    + TimeUnit.NANOSECONDS.toMillis(STALL_LIMIT_NANOS) + " ms (its sender died or "
                                    + "froze mid-write)");
                            stalledSince = 0;
                        } else {
                            current.awaitDoorbell(os, seen, STALL_RECHECK_NANOS);
                        }
                    }
                    default -> role.rebuildChannel("is damaged (its counters or a record header are out of bounds)");
                }
            } catch (RuntimeException | Error e) {
                if (role.closing()) {
                    return;
                }
                PrimaryRole.log()
                        .error(
                                "the intake thread of id={} failed; rebuilding the channel and serving on",
                                config.id(),
                                e);
                role.rebuildChannel("failed the intake thread: " + e);
            }
        }
    }

    /**
     * Looks at the doorbell for up to {@code nanos}, yielding the processor between looks, before the thread sleeps:
     * a launch that follows the last one closely (a script starting the app in a loop, a burst of files opened at
     * once) is taken without a wake-up, and its sender need not ring the bell. An idle primary pays this once per
     * launch, then sleeps in the kernel.
     */
    private static boolean rungWithin(Channel channel, int seen, long nanos) {
        long start = System.nanoTime();
        do {
            if (channel.doorbell() != seen) {
                return true;
            }
            Thread.yield();
        } while (System.nanoTime() - start < nanos);
        return channel.doorbell() != seen;
    }

    /** Takes the launch a record announces and queues it; returns it, or null if it was dropped. */
    private LaunchCodec.Decoded take(Channel from, byte[] payload) {
        LaunchCodec.Decoded decoded;
        try {
            decoded = LaunchCodec.decode(payload);
        } catch (MalformedLaunchException e) {
            PrimaryRole.log().warn("dropped a damaged launch record from channel {}: {}", from.name(), e.getMessage());
            return null;
        }
        if (!from.slots().take(decoded.slot(), decoded.ticket())) {
            PrimaryRole.log()
                    .debug(
                            "dropped a launch its sender withdrew: senderPid={}",
                            decoded.launch().senderPid());
            return null;
        }
        from.countTaken();
        if (decoded.has(LaunchCodec.FLAG_LARGE)) {
            PrimaryTasks.startThread("single-instance-large-launch", () -> takeLarge(from, decoded));
            return decoded;
        }
        PendingLaunch pending = new PendingLaunch(role, from, decoded, remote(from, decoded));
        role.enqueue(pending);
        return decoded;
    }

    private ForwardedTerminal remote(Channel from, LaunchCodec.Decoded decoded) {
        return new ForwardedTerminal(os, from, decoded, config.forwardTimeout().toNanos());
    }

    /**
     * A launch too large for the ring came as a stub: reads its record over a stream connection, off the intake (a
     * slow sender must not hold up other launches), then queues it like any other.
     */
    private void takeLarge(Channel from, LaunchCodec.Decoded stub) {
        ForwardedTerminal remote = remote(from, stub);
        LaunchCodec.Decoded whole;
        try {
            if (stub.fullLength() > MAX_LARGE_LAUNCH_BYTES) {
                throw new IOException(
                        "announced " + stub.fullLength() + " bytes, over the limit of " + MAX_LARGE_LAUNCH_BYTES);
            }
            whole = LaunchCodec.decode(remote.fetchLargeRecord(stub.fullLength()));
        } catch (IOException | MalformedLaunchException | LaunchCancelledException e) {
            PrimaryRole.log()
                    .warn(
                            "dropped a large launch from pid {}: {}",
                            stub.launch().senderPid(),
                            e.getMessage());
            Reply refusal = new Reply(
                    PendingLaunch.EX_DATAERR,
                    PendingLaunch.clip("the running instance could not read this launch: " + e));
            if (!remote.answerOverStream(refusal) && from.slots().answer(stub.slot(), stub.ticket(), refusal)) {
                from.wakeSlot(
                        os, stub.slot()); // no connection: the answer (or the abandoned slot's release) goes there
            }
            return;
        }
        LaunchCodec.Decoded decoded =
                new LaunchCodec.Decoded(stub.slot(), stub.ticket(), whole.launch(), stub.flags(), whole.fullLength());
        PendingLaunch pending = new PendingLaunch(role, from, decoded, remote);
        role.enqueue(pending);
    }

    /**
     * A launch was in the ring when the intake looked again after a sleep that no ring ended. Its sender marks when its
     * ring ended (Channel#markRung):
     * <ul>
     *   <li>before the sleep's timeout: the ring came while the intake slept and did not wake it, a lost wake-up,
     *       which cost that launch up to half the forward timeout. The posix backend loses one only when a sender dies
     *       between disarming the bell and ringing it; anything else is a bug. Logged (WARN) so that tests, which
     *       fail on this line, and users see it.
     *   <li>not yet, or after the timeout: the sender was held up between writing its record and ringing (a loaded
     *       machine deschedules it), or died there. No ring was lost: the recheck took the launch no later than its
     *       ring would have. Logged at DEBUG.
     * </ul>
     */
    private void foundOnRecheck(Channel from, LaunchCodec.Decoded taken, long sleepDeadline) {
        if (!from.rungBefore(taken.slot(), sleepDeadline)) {
            PrimaryRole.log()
                    .debug(
                            "a launch to id={} from pid {} was taken on the intake's periodic look before its sender's"
                                    + " ring ended (the sender was held up between writing its record and ringing)",
                            config.id(),
                            taken.launch().senderPid());
            return;
        }
        foundByRecheck++;
        PrimaryRole.log()
                .warn(
                        "a launch to id={} was found by the intake's recheck, not by its doorbell ({} so far): a lost "
                                + "wake-up delayed it by up to {} ms",
                        config.id(),
                        foundByRecheck,
                        TimeUnit.NANOSECONDS.toMillis(emptyRecheckNanos()));
    }
}
