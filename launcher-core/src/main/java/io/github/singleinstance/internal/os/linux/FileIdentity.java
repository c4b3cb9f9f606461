package io.github.singleinstance.internal.os.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Owner, mode, size and inode of a file, read with the JDK's "unix" attribute view. For an open descriptor it reads
 * {@code /proc/self/fd/N}, which the kernel resolves to the open object even after its name was removed: the same as
 * fstat, without binding the architecture-specific {@code struct stat}.
 */
record FileIdentity(long device, long inode, int uid, int mode, long size) {

    static FileIdentity ofDescriptor(int fd) {
        FileIdentity identity = ofPath(Path.of("/proc/self/fd/" + fd));
        if (identity == null) {
            throw new IllegalStateException("descriptor not open: fd=" + fd);
        }
        return identity;
    }

    /** The identity of the file at {@code path}, or null if there is none. */
    static FileIdentity ofPath(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,uid,mode,size");
            return new FileIdentity(
                    (Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("uid"), (Integer) a.get("mode"), (Long)
                            a.get("size"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attributes: path=" + path, e);
        }
    }

    boolean sameFileAs(FileIdentity other) {
        return device == other.device && inode == other.inode;
    }
}
