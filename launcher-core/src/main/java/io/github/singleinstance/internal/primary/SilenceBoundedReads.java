package io.github.singleinstance.internal.primary;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * A non-blocking socket read as if it blocked, but for at most {@code silenceNanos} without a byte: then an
 * IOException. Each read starts the bound anew.
 */
final class SilenceBoundedReads implements ReadableByteChannel {
    private final SocketChannel socket;
    private final Selector selector;
    private final long silenceNanos;

    SilenceBoundedReads(SocketChannel socket, Selector selector, long silenceNanos) {
        this.socket = socket;
        this.selector = selector;
        this.silenceNanos = silenceNanos;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        long deadline = System.nanoTime() + silenceNanos;
        while (true) {
            int read = socket.read(into);
            if (read != 0 || !into.hasRemaining()) {
                return read;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while reading a large launch");
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                throw new IOException("the second launch sent nothing more of its launch for "
                        + TimeUnit.NANOSECONDS.toMillis(silenceNanos) + " ms (it is stopped, or frozen)");
            }
            selector.select(left);
            selector.selectedKeys().clear();
        }
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
