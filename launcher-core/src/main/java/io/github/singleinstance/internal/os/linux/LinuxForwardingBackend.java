package io.github.singleinstance.internal.os.linux;

import io.github.singleinstance.internal.os.BufferAtomics;
import io.github.singleinstance.internal.os.ClaimFiles;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.FileOwner;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.PolledWait;
import io.github.singleinstance.internal.os.Processes;
import io.github.singleinstance.internal.os.SegmentFiles;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.internal.os.portable.PortableBackend;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The posix backend as a second launch uses it, in pure JDK: JNA is never loaded (its classes and native library
 * cost a second launch some 80 ms, docs/platform-facts.md). It does what forwarding needs, over the objects {@link LinuxBackend}
 * creates, and nothing else:
 *
 * <pre>
 * claim        the same claim file (private directory, or /dev/shm for Scope.SYSTEM), with the same FileChannel record lock (ClaimFiles)
 * channel      the primary's segment, mapped with FileChannel.map after the owner, mode and size checks
 * ring         the listener's doorbell word: a byte to the primary's bell FIFO, if the listener sleeps (FifoDoorbell)
 * await        polls the word (PolledWait)
 * </pre>
 * The wait polls because a pure-JDK process has no futex; a second launch waits for one reply, which usually comes
 * within a few hundred microseconds, and wakes at most a hundred times a second while a slow handler runs. A launch
 * that finds no primary becomes one on {@link LinuxBackend}, over the same claim. Creating and removing segments is
 * the primary's business and is refused here. Thread-safe.
 */
public final class LinuxForwardingBackend implements OsBackend {

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
    public boolean await(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        return PolledWait.await(segment.buffer(), offset, expected, timeoutNanos);
    }

    @Override
    public void awaitPatiently(SharedSegment segment, int offset, int expected, long timeoutNanos) {
        PolledWait.awaitPatiently(segment.buffer(), offset, expected, timeoutNanos);
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
