package io.github.singleinstance.internal.os.linux;

import com.sun.jna.Native;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.BufferAtomics;
import io.github.singleinstance.internal.os.NativeCallException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a second launch without futexes ({@link LinuxSender}, pure JDK) ring the primary's doorbell word: the primary
 * keeps a FIFO next to the segment and a daemon thread that turns each byte written to it into a futex wake of the
 * word. The word after the doorbell ({@code offset + 4}, ARMED) says whether a byte is wanted.
 *
 * <pre>
 * sender (pure JDK)                                  relay thread (primary)
 *                                                    loop: ARMED = 1; futex-wake DOORBELL; read(fifo) (blocks)
 * put the launch in the ring; DOORBELL += 1
 * CAS ARMED 1 -> 0; if it won: write 1 byte  ----->  read returns; loop: ARMED = 1; futex-wake DOORBELL
 *                                                                                        `-> the listener wakes
 * </pre>
 * At most one byte is ever pending, so a frozen primary's pipe cannot fill (a full pipe would block the writer). No
 * ring is lost: a sender whose CAS fails saw ARMED = 0, so the relay has yet to re-arm, and the wake it does after
 * re-arming comes after that sender's increment of DOORBELL.
 *
 * <p>The FIFO is opened read-write on both sides, so opening never blocks and reads never see end-of-file. Started
 * and stopped by {@link LinuxSegment}; {@link #stop()} returns once the thread no longer touches the mapping.
 */
final class BellRelay implements Runnable {

    /** Where ARMED is, from the doorbell word. */
    static final int ARMED_DELTA = 4;
    private static final int OWNER_READ_WRITE = 0600;
    private static final long STOP_WAIT_MILLIS = 2000;

    private final LinuxBackend os;
    private final LinuxSegment segment;
    private final int offset;
    private final Path fifoPath;
    private final FileChannel fifo;
    private final Thread thread;
    private volatile boolean stopping;

    private BellRelay(LinuxBackend os, LinuxSegment segment, int offset, Path fifoPath, FileChannel fifo) {
        this.os = os;
        this.segment = segment;
        this.offset = offset;
        this.fifoPath = fifoPath;
        this.fifo = fifo;
        this.thread = new Thread(this, "single-instance-bell");
        this.thread.setDaemon(true);
    }

    /** The FIFO of segment {@code segmentName}: {@code /dev/shm/<name>.bell}. */
    static Path fifoOf(String segmentName) {
        return Path.of("/dev/shm", segmentName.substring(1) + ".bell");
    }

    /** Creates the FIFO (replacing a dead primary's), arms the word and starts the thread. */
    static BellRelay start(LinuxBackend os, LibC libc, LinuxSegment segment, int offset) {
        Path path = fifoOf(segment.name());
        try {
            Files.deleteIfExists(path); // only the claim's holder creates segments, so a leftover is a dead primary's
            if (libc.mkfifo(path.toString(), OWNER_READ_WRITE) != 0) {
                throw new NativeCallException("mkfifo", path.toString(), Native.getLastError());
            }
            FileChannel fifo = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            BellRelay relay = new BellRelay(os, segment, offset, path, fifo);
            BufferAtomics.putIntVolatile(segment.buffer(), offset + ARMED_DELTA, 1);
            relay.thread.start();
            return relay;
        } catch (IOException e) {
            throw new SingleInstanceException("cannot create the doorbell FIFO: path=" + path + ": " + e, 71, e);
        }
    }

    @Override
    public void run() {
        ByteBuffer sink = ByteBuffer.allocate(64);
        try {
            while (!stopping) {
                BufferAtomics.putIntVolatile(segment.buffer(), offset + ARMED_DELTA, 1);
                os.wakeAll(segment, offset);
                sink.clear();
                fifo.read(sink);
            }
        } catch (ClosedChannelException e) {
            // stop() closed the FIFO: done
        } catch (IOException | RuntimeException e) {
            log().warn("the doorbell relay of {} stopped: second launches that do not load JNA cannot wake the "
                    + "listener any more and will time out", segment.name(), e);
        }
    }

    /**
     * Stops the thread and closes the FIFO (its name goes with the segment's, {@link LinuxBackend#unlink}). Returns
     * false if the thread did not end within 2 s: the caller must then not unmap the segment.
     */
    boolean stop() {
        stopping = true;
        try {
            fifo.close(); // a thread blocked in read() gets AsynchronousCloseException
        } catch (IOException e) {
            log().debug("closing the doorbell FIFO {}: {}", fifoPath, e.toString());
        }
        if (Thread.currentThread() == thread) {
            return true;
        }
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Created on first use: second launches load this class for {@link #fifoOf} and must not start logging. */
    private static Logger log() {
        return LoggerFactory.getLogger(BellRelay.class);
    }
}
