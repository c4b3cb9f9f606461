package io.github.singleinstance.internal.os.linux;

import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.FileOwner;
import io.github.singleinstance.internal.os.Interrupts;
import io.github.singleinstance.internal.os.SharedSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A primary's segment as {@link LinuxForwardingBackend} maps it (with {@link FileChannel#map}), and the primary's bell FIFO,
 * opened on the first ring. Java 17 cannot unmap on demand: {@link #close()} closes the FIFO and drops the mapping,
 * which the JDK releases once the buffer is garbage, so touching the buffer after close is harmless. Any thread.
 */
final class ForwardingSegment implements SharedSegment {

    private static final int FILE_TYPE_MASK = 0170000;
    private static final int FIFO_TYPE = 0010000;

    private final String name;
    private final ByteBuffer buffer;
    private final FileOwner owner;
    private final Path bellPath;
    private FileChannel bell;
    private boolean closed;

    ForwardingSegment(String name, ByteBuffer mapping, FileOwner owner, Path bellPath) {
        this.name = name;
        this.buffer = mapping.order(ByteOrder.nativeOrder());
        this.owner = owner;
        this.bellPath = bellPath;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    /**
     * Writes one byte to the bell FIFO. A missing FIFO is no error: its primary is closing and removed it, and the
     * sender sees that in the channel's state. A FIFO of another user, or a name that is no FIFO, is refused.
     */
    synchronized void ringBell() {
        boolean interrupted = Interrupts.clear();
        try {
            if (closed) {
                return;
            }
            if (bell == null) {
                if (!owner.check(bellPath)) {
                    return; // the primary removed it while closing; the channel's state tells the sender
                }
                int mode = (Integer) Files.getAttribute(bellPath, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & FILE_TYPE_MASK) != FIFO_TYPE) {
                    throw new ForeignOwnerException("the doorbell " + bellPath + " is not a FIFO (mode "
                            + Integer.toOctalString(mode) + "); it is never used. Remove it.");
                }
                // read-write: opening a FIFO so never blocks, and a write never fails for want of a reader
                bell = FileChannel.open(
                        bellPath, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            }
            bell.write(ByteBuffer.wrap(new byte[] {1}));
        } catch (NoSuchFileException e) {
            // the primary removed it while closing; the channel's state tells the sender
        } catch (IOException e) {
            throw new SingleInstanceException("cannot ring the doorbell FIFO: path=" + bellPath + ": " + e, 71, e);
        } finally {
            Interrupts.restore(interrupted);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (bell != null) {
            try {
                bell.close();
            } catch (IOException e) {
                // nothing was pending on our side of the pipe; the descriptor is gone either way
            }
        }
    }
}
