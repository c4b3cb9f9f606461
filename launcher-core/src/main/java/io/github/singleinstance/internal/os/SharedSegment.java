package io.github.singleinstance.internal.os;

import java.nio.ByteBuffer;

/**
 * A named segment mapped into this process. The buffer is valid until {@link #close()}, which unmaps it: no thread
 * may touch the buffer after that (the caller guarantees it; the JVM would crash).
 */
public interface SharedSegment extends AutoCloseable {

    /** The segment's name. */
    String name();

    /** The mapping: position 0 is the segment's first byte, native byte order, capacity = size. */
    ByteBuffer buffer();

    /** Unmaps the segment. Safe to call twice. Does not remove the name. */
    @Override
    void close();
}
