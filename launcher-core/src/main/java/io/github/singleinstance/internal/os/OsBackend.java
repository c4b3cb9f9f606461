package io.github.singleinstance.internal.os;

import java.nio.file.Path;

/**
 * What the protocol needs from the operating system: named segments, a liveness lock the kernel releases when its
 * holder dies, and a doorbell (wait until a 32-bit word in a segment changes; wake its waiters).
 *
 * <p>Names are short ({@code <= 30} characters), start with '/', and are produced by the instance key. Every method
 * may be called from any thread. Failures of the OS are {@link NativeCallException}s; a named object that belongs to
 * another user is {@link io.github.singleinstance.ForeignOwnerException}.
 */
public interface OsBackend {

    /** {@link #doorbellKind()}: the bell FIFO of the posix backend on Linux. Frozen (the claim header carries it). */
    int DOORBELL_BELL_FIFO = 1;
    /** {@link #doorbellKind()}: a Unix-domain socket per waiter (portable backend). Frozen. */
    int DOORBELL_SOCKETS = 2;
    /** {@link #doorbellKind()}: the posix backend on macOS (shm channel, sockets). Frozen. */
    int DOORBELL_MACOS = 3;
    /** {@link #doorbellKind()}: named events (windows backend). Frozen. */
    int DOORBELL_WINDOWS = 4;
    /** {@link #doorbellKind()}: a watched directory, rung by creating a file (portable backend on Linux, Windows). Frozen. */
    int DOORBELL_WATCHED_DIRECTORY = 5;

    /**
     * Where the OS layer's ARMED word is, from a word with a bell ({@link #openBell}): 1 while the bell's one waiter is
     * about to sleep and wants a ring, so that ringers skip the ring while it is awake.
     */
    int BELL_ARMED_DELTA = 4;

    /**
     * How a launch wakes this backend's primary: one of the {@code DOORBELL_} constants. A primary writes it into its
     * claim's header, so that a launch that started on another backend forwards through the matching one.
     */
    int doorbellKind();

    /** Opens the claim object {@code name}, creating it (owner-only) if absent. Does not lock it. */
    ClaimHandle openClaim(String name);

    /**
     * Opens the claim object {@code name} if it exists; null if it does not, which this never changes. Does not lock
     * it. Backends whose claim is no file (windows) cannot tell without creating it: they throw
     * {@link UnsupportedOperationException}.
     */
    default ClaimHandle openExistingClaim(String name) {
        throw new UnsupportedOperationException("this backend cannot open a claim without creating it: "
                + getClass().getSimpleName());
    }

    /**
     * Creates segment {@code name} exclusively, owner-only, zero-filled, {@code size} bytes, and maps it.
     *
     * @return the mapped segment, or {@code null} if a segment of that name exists already
     */
    SharedSegment createSegment(String name, int size);

    /**
     * Opens and maps an existing segment after checking it belongs to this user, is owner-only, and has a size in
     * {@code [minSize, maxSize]}: nothing of it is touched before those checks pass.
     *
     * @return the mapped segment, or {@code null} if there is no segment of that name
     * @throws io.github.singleinstance.ForeignOwnerException if it belongs to another user or is open to others
     * @throws SegmentSizeException if its size is out of bounds (not yet sized, or not ours)
     */
    SharedSegment openSegment(String name, int minSize, int maxSize);

    /** Removes the name; mappings stay valid until unmapped. Returns false if there was no such name. */
    boolean unlink(String name);

    /**
     * Blocks while the 32-bit word at {@code offset} of {@code segment} still holds {@code expected}, for at most
     * {@code timeoutNanos} (negative: no limit). Returns early on a wake-up, a change of the word, or spuriously:
     * callers re-check their condition.
     *
     * @return false only if the wait slept and ran into its timeout with no wake-up pending when it ended, whatever
     *     the word holds by then (a sender whose wake-up was lost has changed it too); true otherwise (the word had
     *     changed before the wait slept, a wake-up, or spuriously). Where a word is polled, not slept on, only its
     *     change ends the wait early. The primary's intake tells a lost wake-up by it: a thread resuming late after a
     *     wake-up has still been woken, however long it slept.
     */
    boolean await(SharedSegment segment, int offset, int expected, long timeoutNanos);

    /**
     * {@link #await} for a wait expected to be long (a reply from a busy handler): a backend that polls may skip its
     * spinning and poll at a lower rate, so that many such waiters cost the machine little.
     */
    default void awaitPatiently(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        await(segment, offset, expected, timeoutNanos);
    }

    /** Wakes every process blocked in {@link #await} on the word at {@code offset} of {@code segment}. */
    void wakeAll(SharedSegment segment, int offset);

    /**
     * For the segment's creator: gives the word at {@code offset} a wake-up that a lighter backend over the same
     * objects (see {@link #sharesObjectsWith}) can ring too, for as long as the segment is mapped here. The word must
     * have one waiter at a time; the word after it ({@code offset + 4}) belongs to the OS layer. Nothing to do for
     * backends whose senders use {@link #wakeAll} as it is.
     */
    default void openBell(SharedSegment segment, int offset) {}

    /**
     * For a sender, before it puts its record into a ring: loads and initialises what {@link #wakeAll} needs, so that
     * the wake-up follows the record at once. A record committed and rung seconds later (a first ring that loads the
     * JDK's socket classes, on a loaded machine) waits for the primary's recheck as if its wake-up had been lost.
     * Nothing to do for backends whose wake-up needs nothing loaded.
     */
    default void prepareToWake() {}

    /**
     * Whether this backend's second launches poll their reply slots rather than sleep on them (PolledWait: the posix
     * backend's pure-JDK sender, and the socket backends' senders, which would otherwise bind a socket each): then a
     * reply wakes no one, which saves the primary a system call per launch.
     */
    default boolean repliesArePolled() {
        return false;
    }

    /**
     * Whether {@code other} sees the same claims and segments as this backend, so a claim opened here serves a primary
     * running on {@code other}: a pure-JDK sender and the native backend it stands in for, or a backend and itself.
     */
    default boolean sharesObjectsWith(OsBackend other) {
        return other == this;
    }

    /**
     * Where a primary binds the Unix-domain sockets of its launches' stream connections: the user's private directory
     * (no other user can connect there). Null where stream connections are not offered: {@code Scope.SYSTEM} (its
     * objects live in the machine-wide {@code /dev/shm}), and the Windows backend, never run.
     */
    default Path streamDirectory() {
        return null;
    }

    /** This process's id. */
    long pid();

    /** Whether process {@code pid} exists (it may belong to another user). */
    default boolean isAlive(long pid) {
        return Processes.isAlive(pid);
    }

    /** The effective user, as used in names: a decimal uid on POSIX. */
    String userTag();

    /** The login session, or {@code null} if it cannot be known. */
    default String sessionTag() {
        return SessionTag.current();
    }

    /** Whether every user of this machine sees the same named objects, as {@code Scope.SYSTEM} needs. */
    default boolean machineWide() {
        return true;
    }
}
