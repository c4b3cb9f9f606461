package io.github.singleinstance.internal.os.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.BufferAtomics;
import io.github.singleinstance.internal.os.NativeCallException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The doorbell word of a segment with a FIFO as its wake-up instead of a futex, so that a second launch without
 * futexes ({@link LinuxForwardingBackend}, pure JDK: no JNA) can ring it. The word after the doorbell ({@code offset + 4}, ARMED)
 * says whether its one waiter (the primary's listener) is about to sleep and wants a byte.
 *
 * <pre>
 * waiter (LinuxBackend.await)                        ringer (LinuxForwardingBackend.wakeAll, or LinuxBackend.wakeAll)
 * ARMED = 1                                          DOORBELL += 1   (the caller, before ringing)
 * DOORBELL still the value seen? poll(fifo) (sleeps) CAS ARMED 1 -> 0; if it won: write 1 byte to the FIFO
 * read what came; ARMED = 0
 * </pre>
 * No ring is lost while ringers live: a ringer whose CAS fails saw ARMED = 0, so the waiter had not armed yet and will
 * see the new DOORBELL before sleeping (all four accesses are volatile). A ringer killed between its CAS and its write
 * loses its ring, and later ringers find ARMED = 0: the waiter sleeps until its timeout, so the primary's intake
 * never waits without one (primary.Intake.emptyRecheckNanos, which reports such a launch as a lost wake-up). At most one byte is pending per arming, so the pipe never
 * fills, even while the primary is frozen; a byte left over from a wait that ended otherwise only makes the next
 * wait return early, which callers allow. A waiter that is awake costs ringers nothing: ARMED is 0.
 *
 * <p>The FIFO is opened read-write (opening never blocks, reads never see end-of-file) and non-blocking here; senders
 * open it read-write too. One waiter at a time, which must have left {@link #await} before {@link #close()}; ringers
 * on any thread or process.
 */
public final class FifoDoorbell implements AutoCloseable {

    private static final int ARMED_DELTA = FifoDoorbellFiles.ARMED_DELTA;
    private static final int OWNER_READ_WRITE = 0600;
    private static final short POLLIN = 1;

    private final LibC libc;
    private final ByteBuffer buffer;
    private final int offset;
    private final Path path;
    private final Memory pollfd = new Memory(8); // struct pollfd { int fd; short events; short revents; }
    private final Memory sink = new Memory(64);
    private int fd;

    private FifoDoorbell(LibC libc, ByteBuffer buffer, int offset, Path path, int fd) {
        this.libc = libc;
        this.buffer = buffer;
        this.offset = offset;
        this.path = path;
        this.fd = fd;
    }

    /** Creates the FIFO of {@code segment}'s word at {@code offset}, replacing a dead primary's, and opens it. */
    static FifoDoorbell create(LibC libc, LinuxSegment segment, int offset, Path path) {
        try {
            Files.deleteIfExists(path); // only the claim's holder creates segments, so a leftover is a dead primary's
        } catch (IOException e) {
            throw new SingleInstanceException("cannot remove a leftover doorbell FIFO: path=" + path + ": " + e, 71, e);
        }
        if (libc.mkfifo(path.toString(), OWNER_READ_WRITE) != 0) {
            throw new NativeCallException("mkfifo", path.toString(), Native.getLastError());
        }
        int fd = libc.open(path.toString(), LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new NativeCallException("open(O_RDWR|O_NONBLOCK)", path.toString(), Native.getLastError());
        }
        return new FifoDoorbell(libc, segment.buffer(), offset, path, fd);
    }

    int offset() {
        return offset;
    }

    /**
     * Sleeps until a ring, a change of the word from {@code expected}, or the timeout (negative: none); false if it
     * timed out with no byte on the FIFO (OsBackend#await).
     */
    boolean await(int expected, long timeoutNanos) {
        BufferAtomics.putIntVolatile(buffer, offset + ARMED_DELTA, 1);
        try {
            if (BufferAtomics.getIntVolatile(buffer, offset) != expected) {
                return true;
            }
            pollfd.setInt(0, fd);
            pollfd.setShort(4, POLLIN);
            pollfd.setShort(6, (short) 0);
            int millis = timeoutNanos < 0
                    ? -1
                    : (int) Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000); // rounded up
            int ready = libc.poll(pollfd, 1, millis);
            if (ready < 0 && Native.getLastError() != LibC.EINTR) {
                throw new NativeCallException("poll", path.toString(), Native.getLastError());
            }
            // drain: at most a byte or two are pending, all saying "look again"
            long drained = libc.read(fd, sink, sink.size());
            return ready != 0 || drained > 0; // not the word: a sender whose byte was lost has moved it too
        } finally {
            BufferAtomics.putIntVolatile(buffer, offset + ARMED_DELTA, 0);
        }
    }

    /** Rings from the primary's own process (closing wakes its listener this way). */
    void ring() {
        if (BufferAtomics.compareAndSetInt(buffer, offset + ARMED_DELTA, 1, 0)) {
            Memory one = new Memory(1);
            one.setByte(0, (byte) 1);
            libc.write(fd, one, 1); // EAGAIN (pipe full) would mean a wake-up is pending already
        }
    }

    /** Closes the FIFO; its name goes with the segment's ({@link LinuxBackend#unlink}). */
    @Override
    public synchronized void close() {
        if (fd >= 0) {
            libc.close(fd);
            fd = -1;
        }
    }
}
