package io.github.singleinstance.internal.os;

/** A segment's size is outside the bounds its opener expects: not yet sized by its creator, or not one of ours. */
public final class SegmentSizeException extends RuntimeException {

    private final long size;

    public SegmentSizeException(String name, long size, long minSize, long maxSize) {
        super("segment size out of bounds: name=" + name + ", size=" + size + ", expected=[" + minSize + ", " + maxSize
                + "]");
        this.size = size;
    }

    public long size() {
        return size;
    }
}
