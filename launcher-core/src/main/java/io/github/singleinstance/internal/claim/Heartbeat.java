package io.github.singleinstance.internal.claim;

import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.wire.ClaimHeader;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.slf4j.LoggerFactory;

/**
 * The primary's sign of life in the claim header: from the moment a launch wins the claim's lock (before it loads
 * anything slow, such as JNA), a thread advances PROGRESS every {@value #BUSY_MILLIS} ms while the primary owes anyone
 * something, so launches that wait for it know it is alive and working however loaded the machine is. While nothing
 * is owed it sleeps, waking once a second ({@value #IDLE_MILLIS} ms) only to look for a replace request: the one idle
 * wake-up of a primary (a read of 8 bytes).
 *
 * <p>Until {@link #attach} the primary counts as busy (it is starting). Thread-safe; one thread,
 * {@code single-instance-heartbeat}, does the work.
 */
public final class Heartbeat implements Runnable {

    static final long BUSY_MILLIS = 100;
    static final long IDLE_MILLIS = 1000;

    private final ClaimHandle claim;
    private final Object beat = new Object();
    private final Thread thread;
    private volatile BooleanSupplier busy;
    private volatile LongConsumer onReplaceRequest;
    private volatile boolean stopped;
    /** PROGRESS as this heartbeat found it: 0 for a claim it wrote, the last value for one it took over. */
    private final long firstProgress;

    private Heartbeat(ClaimHandle claim, long firstProgress) {
        this.claim = claim;
        this.firstProgress = firstProgress;
        this.thread =
                new Thread(this, "single-instance-heartbeat"); // not this::run: no lambda to spin on a first launch
        this.thread.setDaemon(true);
    }

    /**
     * For the lock's new holder: writes the header (STARTING) and starts beating. A claim handed over by another copy
     * of this library in this process ({@link ClaimHandle#adopted()}), whose header that copy wrote and beat until
     * now, keeps its header (a replace request written meanwhile stays) and its PROGRESS goes on from where it is.
     */
    public static Heartbeat start(ClaimHandle claim, long pid) {
        long progress = 0;
        ClaimHeader.Snapshot handed = claim.adopted() ? ClaimHeader.read(claim) : ClaimHeader.Snapshot.NONE;
        if (handed.valid() && handed.pid() == pid && handed.protocol() == ClaimHeader.PROTOCOL_VERSION) {
            progress = handed.progress();
        } else {
            ClaimHeader.claim(claim, pid, 0);
        }
        Heartbeat heartbeat = new Heartbeat(claim, progress);
        heartbeat.thread.start();
        return heartbeat;
    }

    /**
     * The primary takes over: {@code busyNow} says whether it owes anything (then it beats), and
     * {@code replaceRequested} is called with the pid of a launch that asks it to hand over (once per request, on
     * this heartbeat's thread; the callee must not block it).
     */
    public void attach(BooleanSupplier busyNow, LongConsumer replaceRequested) {
        this.busy = busyNow;
        this.onReplaceRequest = replaceRequested;
        nudge();
    }

    /** Beat now rather than at the next idle check: something became owed. */
    public void nudge() {
        synchronized (beat) {
            beat.notifyAll();
        }
    }

    /** Stops the thread and waits for it (briefly): after this no write to the claim comes from here. */
    public void stop() {
        stopped = true;
        nudge();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The heartbeat thread's loop; called by that thread only. */
    @Override
    public void run() {
        long progress = firstProgress;
        long handledReplace = 0;
        while (!stopped) {
            try {
                BooleanSupplier owes = busy;
                boolean beating = owes == null || owes.getAsBoolean();
                if (beating) {
                    ClaimHeader.setProgress(claim, ++progress);
                }
                synchronized (beat) {
                    if (!stopped) {
                        beat.wait(beating ? BUSY_MILLIS : IDLE_MILLIS);
                    }
                }
                LongConsumer replace = onReplaceRequest;
                if (!stopped && replace != null) {
                    long replacer = ClaimHeader.replacePid(claim);
                    if (replacer != 0 && replacer != handledReplace) {
                        handledReplace = replacer;
                        replace.accept(replacer);
                    } else if (replacer == 0) {
                        handledReplace = 0;
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (stopped) {
                    return;
                }
                LoggerFactory.getLogger(Heartbeat.class).debug("heartbeat failed: {}", e.toString());
            }
        }
    }
}
