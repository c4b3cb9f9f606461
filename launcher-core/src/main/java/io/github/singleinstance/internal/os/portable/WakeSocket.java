package io.github.singleinstance.internal.os.portable;

import io.github.singleinstance.internal.os.Processes;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One waiter's end of the portable doorbell: a listening Unix-domain socket (JDK 16+, on Linux, macOS and Windows 10)
 * named after the 32-bit word it waits on. A waker connects to every socket named for that word and closes at once:
 * the pending connection is the wake-up, no byte is sent. The waiter blocks in {@link Selector#select} (in the
 * kernel: no polling) until a connection is pending or its timeout passes.
 *
 * <pre>
 * file name in the private directory:   w 1a2b3c4d - 100 . 4242 . 7
 *                                       ^ ^segment ^ ^word ^ pid ^ this process's socket number
 *                                                    offset (hex)
 * </pre>
 * Names stay short (Unix socket paths are limited to about 100 bytes). A waker that cannot connect to the socket of
 * a process that no longer exists removes the file; {@link PortableBackend#unlink} sweeps a segment's leftovers.
 *
 * <p>No wake-up is lost: the socket exists before its waiter re-reads the word, and a waker changes the word before it
 * looks for sockets. Used by one thread at a time.
 */
final class WakeSocket implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Path path;
    private final ServerSocketChannel server;
    private final Selector selector;

    private WakeSocket(Path path, ServerSocketChannel server, Selector selector) {
        this.path = path;
        this.server = server;
        this.selector = selector;
    }

    /** The file-name prefix of every socket of the segment {@code segmentName}. */
    static String segmentPrefix(String segmentName) {
        String hash = Integer.toHexString(segmentName.hashCode());
        return "w" + "00000000".substring(hash.length()) + hash + "-";
    }

    /** The file-name prefix of every socket waiting on the word at {@code offset} of {@code segmentName}. */
    static String wordPrefix(String segmentName, int offset) {
        return segmentPrefix(segmentName) + Integer.toHexString(offset) + ".";
    }

    /** Binds a new socket for this process in {@code dir}, listening and non-blocking. */
    static WakeSocket bind(Path dir, String wordPrefix, long pid) throws IOException {
        Path path = dir.resolve(wordPrefix + pid + "." + SEQUENCE.incrementAndGet());
        Files.deleteIfExists(path); // a leftover of a dead process that had our pid
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            return new WakeSocket(path, server, selector);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** Drops the wake-ups already pending. */
    void drain() throws IOException {
        SocketChannel pending;
        while ((pending = server.accept()) != null) {
            pending.close();
        }
    }

    /** Blocks until a wake-up is pending, the timeout passes (negative: no limit) or the thread is interrupted. */
    void await(long timeoutNanos) throws IOException {
        if (timeoutNanos < 0) {
            selector.select();
        } else if (timeoutNanos == 0) {
            selector.selectNow();
        } else {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
        }
        selector.selectedKeys().clear();
    }

    /**
     * Wakes the waiter listening at {@code socket}. A socket nobody listens on any more is removed if its process is
     * gone; a full backlog means wake-ups are pending already, so a failed connection is never an error.
     */
    static void ring(Path socket) {
        try (SocketChannel connection = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            connection.configureBlocking(false);
            connection.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            long pid = pidOf(socket.getFileName().toString());
            if (pid > 0 && !Processes.isAlive(pid)) {
                deleteQuietly(socket);
            }
        }
    }

    /** The pid in a socket's file name, or -1 if the name is not one of ours. */
    static long pidOf(String fileName) {
        int first = fileName.indexOf('.');
        int second = fileName.indexOf('.', first + 1);
        if (first < 0 || second < 0) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(first + 1, second));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // another waker removed it, or it cannot be removed: it costs a failed connection per wake-up, no more
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            selector.close();
            server.close();
        } catch (IOException e) {
            // closing a socket of our own: nothing to do about a failure
        }
        deleteQuietly(path);
    }
}
