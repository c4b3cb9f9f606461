package io.github.singleinstance.internal.os.portable;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
 * Names stay short (Unix socket paths are limited to about 100 bytes). A socket file is a leftover (its process died
 * or closed it without removing the name) when connecting to it is refused, which only a name that nobody listens on
 * gets, and it was bound over a second ago (a new socket is bound, then listens: a connection in between is refused
 * too). A waker removes such leftovers; {@link PortableBackend#unlink} sweeps a segment's. The pid in the name only
 * keeps names apart: in a sandbox (Flatpak) the directory is shared by processes of other pid namespaces, where the
 * same pid may be another, live process, and a live process's pid may not exist here; so no decision rests on it. A
 * full backlog (connection not refused) means wake-ups are pending: never a leftover.
 *
 * <p>No wake-up is lost: the socket exists before its waiter re-reads the word, and a waker changes the word before it
 * looks for sockets. Used by one thread at a time.
 */
final class DoorbellSocket implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** How long a refused socket must have been bound to count as a leftover (bind and listen are two calls). */
    private static final long LEFTOVER_AGE_MILLIS = 1000;

    private static final int MAX_BIND_ATTEMPTS = 100;

    private final Path path;
    private final ServerSocketChannel server;
    private final Selector selector;

    private DoorbellSocket(Path path, ServerSocketChannel server, Selector selector) {
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
    static DoorbellSocket bind(Path dir, String wordPrefix, long pid) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < MAX_BIND_ATTEMPTS; attempt++) {
            Path path = dir.resolve(wordPrefix + pid + "." + SEQUENCE.incrementAndGet());
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                if (!isLeftover(path)) {
                    continue; // a live socket of a process with our pid in another pid namespace: take another name
                }
                deleteQuietly(path);
            }
            try {
                return bind(path);
            } catch (BindException e) {
                last = e; // someone bound this name meanwhile: take another
            }
        }
        throw new IOException(
                "no free wake-socket name for pid " + pid + " in " + dir + " after " + MAX_BIND_ATTEMPTS + " attempts",
                last);
    }

    private static DoorbellSocket bind(Path path) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
        try {
            server.bind(UnixDomainSocketAddress.of(path));
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            return new DoorbellSocket(path, server, selector);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** Drops the wake-ups already pending; returns how many there were. */
    int drain() throws IOException {
        int drained = 0;
        SocketChannel pending;
        while ((pending = server.accept()) != null) {
            pending.close();
            drained++;
        }
        return drained;
    }

    /**
     * Blocks until a wake-up is pending, the timeout passes (negative: no limit) or the thread is interrupted; false if
     * the selector returned with no wake-up pending (its timeout, an interrupt or a spurious return).
     */
    boolean await(long timeoutNanos) throws IOException {
        int selected;
        if (timeoutNanos < 0) {
            selected = selector.select();
        } else if (timeoutNanos == 0) {
            selected = selector.selectNow();
        } else {
            selected = selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos + 999_999)));
        }
        selector.selectedKeys().clear();
        return selected > 0;
    }

    /**
     * Opens and closes a Unix-domain socket: the JDK initialises its socket classes on the first one (a
     * {@code SecureRandom} among them: tens of milliseconds, seconds on a loaded machine), which {@link #ring} then
     * finds done.
     */
    static void loadSocketClasses() {
        try {
            SocketChannel.open(StandardProtocolFamily.UNIX).close();
        } catch (IOException | UnsupportedOperationException e) {
            // ring() meets the same failure and says so; nothing is prepared
        }
    }

    /**
     * Wakes the waiter listening at {@code socket}. A socket nobody listens on any more is removed if its process is
     * gone; a full backlog means wake-ups are pending already, so a failed connection is never an error.
     */
    static void ring(Path socket) {
        try (SocketChannel connection = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            connection.configureBlocking(false);
            connection.connect(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException e) {
            if (boundLongAgo(socket)) {
                deleteQuietly(socket); // refused: nobody listens on it any more
            }
        } catch (IOException e) {
            // a full backlog (wake-ups pending) or a name removed meanwhile: nothing to clean up
        }
    }

    /**
     * Whether {@code socket} is a leftover: connecting is refused (no one listens) and it was bound over a second ago.
     * Connecting to a live socket wakes its waiter spuriously, which waiters tolerate (they re-check their word).
     */
    static boolean isLeftover(Path socket) {
        try (SocketChannel connection = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            connection.configureBlocking(false);
            connection.connect(UnixDomainSocketAddress.of(socket));
            return false;
        } catch (ConnectException e) {
            return boundLongAgo(socket);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean boundLongAgo(Path socket) {
        try {
            FileTime bound = Files.getLastModifiedTime(socket, LinkOption.NOFOLLOW_LINKS);
            return System.currentTimeMillis() - bound.toMillis() > LEFTOVER_AGE_MILLIS;
        } catch (IOException e) {
            return false;
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
