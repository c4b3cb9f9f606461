package io.github.singleinstance.internal.os.macos;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import io.github.singleinstance.internal.os.NativeCallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The fields of macOS's {@code struct stat} (64-bit inodes, x86-64 and arm64 alike) that the backend checks:
 * <pre>
 * offset  0  dev_t   st_dev     (int32)
 *         4  mode_t  st_mode    (uint16)
 *         6  nlink_t st_nlink   (uint16)
 *         8  ino_t   st_ino     (uint64)
 *        16  uid_t   st_uid     (uint32)
 *        20  gid_t   st_gid     (uint32)
 *        24  dev_t   st_rdev, 4 bytes padding
 *        32  4 x struct timespec (atime, mtime, ctime, birthtime), 16 bytes each
 *        96  off_t   st_size    (int64)
 *       104  st_blocks, st_blksize, st_flags, st_gen, st_lspare, st_qspare[2]   ... 144 bytes in all
 * </pre>
 * Immutable; any thread.
 */
record MacStat(int uid, int mode, long size) {

    static final int SIZE = 144;
    static final int MODE_OFFSET = 4;
    static final int UID_OFFSET = 16;
    static final int SIZE_OFFSET = 96;

    static MacStat of(MacLibC libc, int fd, String name) {
        Memory stat = new Memory(SIZE);
        if (libc.fstat(fd, stat) != 0) {
            throw new NativeCallException("fstat", name, Native.getLastError());
        }
        return parse(stat.getByteBuffer(0, SIZE).order(ByteOrder.nativeOrder()));
    }

    static MacStat parse(ByteBuffer stat) {
        return new MacStat(
                stat.getInt(UID_OFFSET), Short.toUnsignedInt(stat.getShort(MODE_OFFSET)), stat.getLong(SIZE_OFFSET));
    }
}
