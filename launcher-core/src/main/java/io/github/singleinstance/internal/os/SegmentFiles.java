package io.github.singleinstance.internal.os;

import io.github.singleinstance.SingleInstanceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opening another process's segment file with the JDK alone, as the pure-JDK backends and senders do. Stateless. */
public final class SegmentFiles {

    private SegmentFiles() {}

    /**
     * Maps the existing segment file {@code path} (segment {@code name}) read-write, after checking it is this user's
     * alone and between {@code minSize} and {@code maxSize} bytes: nothing of it is touched before.
     *
     * @return the mapping, or null if there is no such file (or it was removed while being opened)
     * @throws io.github.singleinstance.ForeignOwnerException if it is another user's or open to others
     * @throws SegmentSizeException if its size is out of bounds
     */
    public static ByteBuffer mapExisting(Path path, String name, int minSize, int maxSize, FileOwner owner) {
        boolean interrupted = Interrupts.clear();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (!owner.check(path)) {
                return null; // removed since we opened it: its primary is shutting down
            }
            long size = channel.size();
            if (size < minSize || size > maxSize) { // never map past the end: that would grow the file
                throw new SegmentSizeException(name, size, minSize, maxSize);
            }
            return FileMapping.mapReadWrite(channel, size);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new SingleInstanceException("cannot open segment file: path=" + path + ": " + e, 71, e);
        } finally {
            Interrupts.restore(interrupted);
        }
    }
}
