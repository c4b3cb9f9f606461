package io.github.singleinstance.internal.os;

import java.nio.ByteBuffer;

/**
 * An open claim object: the small file whose kernel lock marks the live primary, and whose first bytes (written by
 * the lock's holder) say who it is and which protocol it speaks. Never removed by this library: a new holder
 * overwrites its header (so no name is ever deleted while another process may have it open, which Windows refuses
 * or leaves "delete pending").
 *
 * <p>Owned by one thread at a time. {@link #close()} releases the lock (the kernel does the same when the process
 * dies, {@code kill -9} included).
 */
public interface ClaimHandle extends AutoCloseable {

    /**
     * Whether this handle's object was handed over by another copy of this library in this process, which held its
     * lock already (a launcher that claimed before the application loaded: {@code ClaimFiles}); its header is that
     * holder's, to be carried on rather than written afresh. False for every other handle.
     */
    default boolean adopted() {
        return false;
    }

    /** Tries to take the exclusive lock without blocking; true if this handle now holds it. */
    boolean tryLock();

    /**
     * Whether no one holds the lock, this process included, for a query that must never become the holder: takes the
     * lock and lets go of it at once if it was free. By default {@link #tryLock()}, the caller closing the handle at
     * once.
     */
    default boolean lockFree() {
        return tryLock();
    }

    /**
     * Whether the name still denotes the object this handle has open. False after someone removed or replaced the
     * file by hand: a lock on an unlinked object claims nothing.
     */
    boolean stillNamed();

    /**
     * Reads the claim object's bytes from {@code position} into {@code dst} (its fixed header, see the protocol's
     * {@code ClaimHeader}); any process may read. Returns the number of bytes read, -1 at its end; a backend whose
     * claim holds no bytes (windows) returns -1.
     */
    int read(ByteBuffer dst, long position);

    /**
     * Writes {@code src} at {@code position} of the claim object: the holder of the lock writes its header, a
     * launch that asks for replacement writes one word of it. A backend whose claim holds no bytes ignores it.
     */
    void write(ByteBuffer src, long position);

    /** Releases the lock, if held, and closes the object. Safe to call twice. */
    @Override
    void close();
}
