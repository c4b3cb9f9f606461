package io.github.singleinstance;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A primary found running by {@link SingleInstance#runningInstance()}, without sending it a launch: for
 * {@code status} commands and scripts. A snapshot of the moment it was asked: the primary may stop right after.
 * Immutable.
 */
public final class RunningInstance {

    /** Where the primary is in its life, as its claim says. */
    public enum State {
        /** It holds the claim and is setting up: launches sent now wait until it is ready. */
        STARTING,
        /** It takes launches. */
        READY,
        /** It is stopping, or handing over to a replacing launch: launches sent now go to the next primary. */
        CLOSING
    }

    private final long pid;
    private final int protocolVersion;
    private final Instant since;
    private final State state;

    RunningInstance(long pid, int protocolVersion, Instant since, State state) {
        this.pid = pid;
        this.protocolVersion = protocolVersion;
        this.since = since;
        this.state = Objects.requireNonNull(state, "state");
    }

    /**
     * The primary's process id, as it sees it (in another pid namespace, a container, it names another process or
     * none here); 0 in the rare case that the primary had taken the claim but not yet written who it is, and did not
     * within the forward timeout (stopped in that instant).
     */
    public long pid() {
        return pid;
    }

    /**
     * The launch protocol version the primary speaks; a launch of another version cannot forward to it (exit 69). 0
     * where {@link #pid()} is 0.
     */
    public int protocolVersion() {
        return protocolVersion;
    }

    /**
     * Since when the primary takes launches: when it opened its channel (by its clock; after the rare rebuild of a
     * damaged channel, when it rebuilt it). Empty while it is {@link State#STARTING}, and where the channel could not
     * be read (a primary of another protocol version, another backend this process cannot reach).
     */
    public Optional<Instant> since() {
        return Optional.ofNullable(since);
    }

    /** Whether the primary is starting, ready or closing. */
    public State state() {
        return state;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RunningInstance that
                && pid == that.pid
                && protocolVersion == that.protocolVersion
                && Objects.equals(since, that.since)
                && state == that.state;
    }

    @Override
    public int hashCode() {
        return Objects.hash(pid, protocolVersion, since, state);
    }

    @Override
    public String toString() {
        return "RunningInstance[pid=" + pid + ", protocolVersion=" + protocolVersion + ", since="
                + (since == null ? "unknown" : since) + ", state=" + state + "]";
    }
}
