package io.github.singleinstance.internal.os.linux;

import io.github.singleinstance.internal.os.OsBackend;
import java.nio.file.Path;

/**
 * What both sides of a {@link FifoDoorbell} agree on, free of JNA so that a second launch can load it: where a segment's
 * bell FIFO is, and where its ARMED word is.
 */
public final class FifoDoorbellFiles {

    /** Where ARMED is, from the doorbell word: 1 while the waiter is about to sleep and wants a byte. */
    static final int ARMED_DELTA = OsBackend.BELL_ARMED_DELTA;

    private FifoDoorbellFiles() {}

    /** The FIFO of the segment at {@code segmentPath}: beside it, its name with {@code .bell} appended. */
    static Path of(Path segmentPath) {
        return segmentPath.resolveSibling(segmentPath.getFileName() + ".bell");
    }
}
