package io.github.singleinstance.internal.os.linux;

import io.github.singleinstance.internal.os.BufferAtomics;
import io.github.singleinstance.internal.os.ClaimFiles;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.FileOwner;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.Processes;
import io.github.singleinstance.internal.os.SegmentFiles;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.internal.os.portable.PortableBackend;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * The posix backend as a second launch uses it, in pure JDK: JNA is never loaded (its classes and native library
 * cost a second launch some 80 ms, docs/platform-facts.md). It does what forwarding needs, over the objects {@link LinuxBackend}
 * creates, and nothing else:
 *
 * <pre>
 * claim        the same claim file (private directory, or /dev/shm for Scope.SYSTEM), with the same FileChannel record lock (ClaimFiles)
 * channel      the primary's segment, mapped with FileChannel.map after the owner, mode and size checks
 * ring         the listener's doorbell word: a byte to the primary's bell FIFO, if the listener sleeps (FifoDoorbell)
 * await        polls the word: spins (yielding) for up to 200 us, then parks for 50 us, doubling up to 1 ms;
 *              awaitPatiently (a reply from a busy handler) parks from 50 us doubling up to 10 ms, no spinning
 * </pre>
 * The wait polls because a pure-JDK process has no futex; a second launch waits for one reply, which usually comes
 * within a few hundred microseconds, and wakes at most a hundred times a second while a slow handler runs. A launch
 * that finds no primary becomes one on {@link LinuxBackend}, over the same claim. Creating and removing segments is
 * the primary's business and is refused here. Thread-safe.
 */
public final class LinuxForwardingBackend implements OsBackend {

    private static final long SPIN_NANOS = 200_000;
    private static final long FIRST_PARK_NANOS = 50_000;
    private static final long MAX_PARK_NANOS = 1_000_000;
    private static final long MAX_PATIENT_PARK_NANOS = 10_000_000;

    private final int uid;
    private final Path directory;
    private final long pid = Processes.currentPid();
    private final FileOwner owner;

    /**
     * @param uid this process's effective uid
     * @param directory where {@link LinuxBackend} keeps the objects for the scope in use
     */
    public LinuxForwardingBackend(int uid, Path directory) {
        this.uid = uid;
        this.directory = directory;
        this.owner = new FileOwner(uid, System.getProperty("user.name"));
    }

    @Override
    public ClaimHandle openClaim(String name) {
        return ClaimFiles.open(pathOf(name), owner);
    }

    @Override
    public ClaimHandle openExistingClaim(String name) {
        return ClaimFiles.openExisting(pathOf(name), owner);
    }

    /** Refused: only a primary creates segments, and a primary runs on {@link LinuxBackend}. */
    @Override
    public SharedSegment createSegment(String name, int size) {
        throw new UnsupportedOperationException("a second launch creates no segments: name=" + name);
    }

    @Override
    public SharedSegment openSegment(String name, int minSize, int maxSize) {
        ByteBuffer mapping = SegmentFiles.mapExisting(pathOf(name), name, minSize, maxSize, owner);
        return mapping == null ? null : new ForwardingSegment(name, mapping, owner, FifoDoorbellFiles.of(pathOf(name)));
    }

    /** Refused: only a primary removes segments. */
    @Override
    public boolean unlink(String name) {
        throw new UnsupportedOperationException("a second launch removes no segments: name=" + name);
    }

    @Override
    public void await(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        ByteBuffer buffer = segment.buffer();
        long start = System.nanoTime();
        long spin = timeoutNanos < 0 ? SPIN_NANOS : Math.min(SPIN_NANOS, timeoutNanos);
        while (System.nanoTime() - start < spin) {
            if (BufferAtomics.getIntVolatile(buffer, offset) != expected) {
                return;
            }
            Thread.yield(); // not onSpinWait: the primary's threads may need this processor
        }
        park(buffer, offset, expected, timeoutNanos, start, MAX_PARK_NANOS);
    }

    /** No spinning, and parks growing to 10 ms: a launch waiting on a busy handler wakes at most 100 times a second. */
    @Override
    public void awaitPatiently(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        park(segment.buffer(), offset, expected, timeoutNanos, System.nanoTime(), MAX_PATIENT_PARK_NANOS);
    }

    private static void park(ByteBuffer buffer, int offset, int expected, long timeoutNanos, long start, long maxPark) {
        long park = FIRST_PARK_NANOS;
        while (BufferAtomics.getIntVolatile(buffer, offset) == expected) {
            long left = timeoutNanos < 0 ? park : timeoutNanos - (System.nanoTime() - start);
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(park, left));
            park = Math.min(park * 2, maxPark);
        }
    }

    /** Rings the primary's bell if its listener sleeps (see {@link FifoDoorbell}): the word must be one with a bell. */
    @Override
    public void wakeAll(SharedSegment segment, int offset) {
        if (BufferAtomics.compareAndSetInt(segment.buffer(), offset + FifoDoorbellFiles.ARMED_DELTA, 1, 0)) {
            ((ForwardingSegment) segment).ringBell();
        }
    }

    @Override
    public int doorbellKind() {
        return DOORBELL_BELL_FIFO;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public String userTag() {
        return Integer.toUnsignedString(uid);
    }

    /** True for {@link LinuxBackend}: same claim files and segments, which is why this class exists. */
    @Override
    public boolean sharesObjectsWith(OsBackend other) {
        return other == this
                || other instanceof LinuxBackend
                || (other instanceof PortableBackend portable
                        && portable.directory().equals(directory));
    }

    private Path pathOf(String name) {
        return directory.resolve(name.substring(1));
    }
}
