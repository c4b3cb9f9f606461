package io.github.singleinstance.internal.claim;

import io.github.singleinstance.internal.os.ClaimFiles;
import io.github.singleinstance.internal.os.ClaimHandle;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.function.Function;

/**
 * A claim won by a launcher that runs before the application loads (the Spring Boot fast launcher, through
 * {@link ForwardOnly}), on its way to the application's own copy of this library, which runs in another class loader
 * of the same JVM: the two copies share no class, so what passes between them is JDK types only.
 *
 * <p>The launcher's copy publishes this object under the system property {@value ClaimFiles#HANDOVER_PROPERTY} (an
 * object value, present only until the claim is adopted or let go) and keeps the claim's heartbeat beating, so that
 * launches arriving meanwhile wait on a starting primary as they would on any other. Then exactly one of:
 *
 * <ul>
 *   <li>adopted: the application's copy opens the same claim file ({@code ClaimFiles.open}, when its run listener
 *       claims) and calls {@link #apply} with the file's key; this stops the heartbeat, removes the property and hands
 *       over {@code {FileChannel, FileLock}}. The application's copy owns the claim from then on (its heartbeat, its
 *       shutdown hook, its cleanup); this copy registered none and touches the file no more.
 *   <li>let go: {@link #run()} (the application's run listener decided not to claim, or claimed another file), or
 *       {@code boundNanos} (the launch's forward timeout) passed without adoption (an application that never claims,
 *       yet keeps running): the heartbeat stops and the channel closes, which releases the lock. Launches waiting on
 *       the claim find it free and claim as usual. An application that exits or crashes first takes the lock with it.
 * </ul>
 *
 * Thread-safe: every transition holds this object's monitor. Loads no class the launch has not loaded but this one
 * and its waiting thread's.
 */
public final class ClaimHandover implements Function<Object, Object[]>, Runnable {

    private static final int HELD = 0;
    private static final int ADOPTED = 1;
    private static final int LET_GO = 2;

    private final FileChannel channel;
    private final Object lock;
    private final Object fileKey;
    private final Heartbeat heartbeat;
    private final long deadline;
    /** Guarded by this. */
    private int state = HELD;

    private ClaimHandover(FileChannel channel, Object lock, Object fileKey, Heartbeat heartbeat, long deadline) {
        this.channel = channel;
        this.lock = lock;
        this.fileKey = fileKey;
        this.heartbeat = heartbeat;
        this.deadline = deadline;
    }

    /**
     * Publishes {@code claim} (a claim file of {@code ClaimFiles} whose lock this copy holds, {@code heartbeat} beating
     * on it) for the application's copy to adopt within {@code boundNanos}. Returns false, having changed nothing, if
     * {@code claim} cannot be handed over (another backend's claim) or another hand-over is published already: the
     * caller then lets go of it.
     */
    public static boolean publish(ClaimHandle claim, Heartbeat heartbeat, long boundNanos) {
        if (System.getProperties().get(ClaimFiles.HANDOVER_PROPERTY) != null) {
            return false;
        }
        Object[] detached = ClaimFiles.detachForHandover(claim);
        if (detached == null) {
            return false;
        }
        ClaimHandover handover = new ClaimHandover(
                (FileChannel) detached[0], detached[1], detached[2], heartbeat, System.nanoTime() + boundNanos);
        System.getProperties().put(ClaimFiles.HANDOVER_PROPERTY, handover);
        Thread waiter = new Thread(new Expiry(handover), "single-instance-handover");
        waiter.setDaemon(true);
        waiter.start();
        return true;
    }

    /**
     * The application's copy adopts: given the key of the claim file it opened, returns {@code {FileChannel,
     * FileLock}} if it is this claim and still held (once: later calls, and calls for another file, return null).
     */
    @Override
    public synchronized Object[] apply(Object key) {
        if (state != HELD || !fileKey.equals(key)) {
            return null;
        }
        state = ADOPTED;
        heartbeat.stop(); // joined: no write of this copy follows the adopter's
        System.getProperties().remove(ClaimFiles.HANDOVER_PROPERTY, this);
        notifyAll();
        return new Object[] {channel, lock};
    }

    /** Lets go of the claim unless it was adopted: stops the heartbeat, closes the file (the lock goes with it). */
    @Override
    public synchronized void run() {
        if (state != HELD) {
            return;
        }
        state = LET_GO;
        heartbeat.stop();
        try {
            channel.close(); // releases the lock: a waiting launch finds the claim free and claims it
        } catch (IOException e) {
            // closed as far as it can be; the lock goes with the process at the latest
        }
        // only now: a copy that finds no hand-over opens the claim itself, and must not meet this JVM's lock on it
        System.getProperties().remove(ClaimFiles.HANDOVER_PROPERTY, this);
        notifyAll();
    }

    /** Waits for the adoption until the deadline, and lets go of the claim if none came. */
    private synchronized void expire() throws InterruptedException {
        long left;
        while (state == HELD && (left = deadline - System.nanoTime()) > 0) {
            wait(left / 1_000_000 + 1);
        }
        run();
    }

    /** The waiting thread's body (a class, not a lambda: the launcher's class loader bootstraps none for it). */
    private static final class Expiry implements Runnable {
        private final ClaimHandover handover;

        Expiry(ClaimHandover handover) {
            this.handover = handover;
        }

        @Override
        public void run() {
            try {
                handover.expire();
            } catch (InterruptedException e) {
                handover.run();
            }
        }
    }
}
