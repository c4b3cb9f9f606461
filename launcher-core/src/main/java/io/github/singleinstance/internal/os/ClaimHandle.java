package io.github.singleinstance.internal.os;

/**
 * An open claim object: the 1-byte segment whose kernel lock marks the live primary.
 *
 * <p>Owned by one thread at a time. {@link #close()} releases the lock (the kernel does the same when the process
 * dies, {@code kill -9} included).
 */
public interface ClaimHandle extends AutoCloseable {

    /** Whether this call created the object (true) or found it present. */
    boolean created();

    /** Tries to take the exclusive lock without blocking; true if this handle now holds it. */
    boolean tryLock();

    /**
     * Whether the name still denotes the object this handle has open. False after the primary that owned it
     * unlinked it on shutdown: a lock on an unlinked object claims nothing.
     */
    boolean stillNamed();

    /** Sets the object's size to its one byte; the holder of the lock calls this. */
    void markClaimed();

    /** Removes the name (the holder of the lock calls this on shutdown, before {@link #close()}). */
    void unlink();

    /** Releases the lock, if held, and closes the object. Safe to call twice. */
    @Override
    void close();
}
