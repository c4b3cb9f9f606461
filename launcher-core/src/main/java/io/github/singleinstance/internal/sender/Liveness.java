package io.github.singleinstance.internal.sender;

import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.Processes;
import io.github.singleinstance.internal.wire.ClaimHeader;

/**
 * What a waiting launch knows of the primary: whether it shows progress, and for how long it has not. A launch waits
 * for a primary that is alive and making progress however slow the machine is, and fails only on silence (no sign of
 * progress for the forward timeout: the primary is stopped or hung) or at the total timeout.
 *
 * <p>Signs of progress, any of: the claim header's PROGRESS counter moved (the primary advances it every 100 ms while
 * it starts, works on launches it took, or closes), the header's STATE changed, the channel's TAKEN counter moved
 * (its intake took launches ahead of this one), or this launch's reply slot changed state. Owned by the launching
 * thread.
 */
public final class Liveness {

    private final ClaimHandle claim;
    private final long silenceNanos;
    private final long totalDeadline;
    private ClaimHeader.Snapshot header = ClaimHeader.Snapshot.NONE;
    private long lastSignal = Long.MIN_VALUE;
    private long quietSince;

    /**
     * @param silenceNanos the forward timeout: the longest silence waited through
     * @param totalDeadline the {@link System#nanoTime()} at which the launch gives up whatever it sees
     */
    public Liveness(ClaimHandle claim, long silenceNanos, long totalDeadline) {
        this.claim = claim;
        this.silenceNanos = silenceNanos;
        this.totalDeadline = totalDeadline;
        this.quietSince = System.nanoTime();
    }

    /** Reads the claim's header again, notes whether it shows progress, and returns it. */
    public ClaimHeader.Snapshot readHeader() {
        ClaimHeader.Snapshot now = ClaimHeader.read(claim);
        if (now.valid() != header.valid()
                || now.progress() != header.progress()
                || now.state() != header.state()
                || now.pid() != header.pid()) {
            quietSince = System.nanoTime();
        }
        header = now;
        return now;
    }

    /** The header as last read. */
    public ClaimHeader.Snapshot header() {
        return header;
    }

    /** Notes a value whose change is a sign of progress (a slot's state with the channel's TAKEN count). */
    void observe(long signal) {
        if (signal != lastSignal) {
            lastSignal = signal;
            quietSince = System.nanoTime();
        }
    }

    /** Whether the primary has shown no sign of progress for the forward timeout. */
    public boolean silent(long now) {
        return now - quietSince > silenceNanos;
    }

    public boolean pastTotal(long now) {
        return now - totalDeadline > 0;
    }

    /** The nanoTime until which waiting is allowed now: the sooner of the end of silence and the total deadline. */
    long waitUntil() {
        long silenceEnd = quietSince + silenceNanos;
        return silenceEnd - totalDeadline < 0 ? silenceEnd : totalDeadline;
    }

    /** A few words on why the primary may be silent, for messages: stopped, or what else its pid tells. */
    public String describeSilentPrimary(long pid) {
        if (pid > 0 && Processes.isStopped(pid)) {
            return "is stopped (kill -CONT " + pid + " resumes it)";
        }
        return "is not responding (hung, or stopped where this launch cannot see it)";
    }
}
