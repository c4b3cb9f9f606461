package io.github.singleinstance.internal.primary;

import io.github.singleinstance.LaunchCancelledException;
import io.github.singleinstance.Reply;
import io.github.singleinstance.internal.os.PrivateDirectory;
import io.github.singleinstance.internal.wire.FrameReader;
import io.github.singleinstance.internal.wire.FrameWriter;
import io.github.singleinstance.internal.wire.StreamFrames;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's end of one launch's stream connection ({@link StreamFrames}): offered through the launch's reply slot,
 * accepted on a socket of its own in the private directory (removed once connected), then written by the handler
 * (output, the reply) and read by a thread of its own (input, and the end of the connection, which is the second
 * launch's cancellation: it closes its side when interrupted, and the kernel closes it when it dies).
 */
public final class PrimaryStreamEnd {

    private static final Logger log = LoggerFactory.getLogger(PrimaryStreamEnd.class);
    private static final SecureRandom TOKENS = new SecureRandom();

    private final SocketChannel socket;
    private final Runnable onCancelled;
    private final Object writeLock = new Object();
    /** Guarded by writeLock. */
    private final FrameWriter writer;
    /** The reading thread's. */
    private final FrameReader reader;

    /** Guards the input's fields, and is what a handler waiting for input waits on. */
    private final Object inputLock = new Object();

    /**
     * The input the sender sent and the handler has not read yet, a ring of one credit window (INPUT_WINDOW): made when
     * the handler first reads, which is when the first credit goes out. The reader thread fills its free part (credit
     * guarantees the room) outside the lock and publishes under it; the handler takes from its filled part.
     */
    private byte[] input;
    /** A view of {@code input}, for the reading thread to read frames into. */
    private ByteBuffer inputView;

    private int inputStart;
    private int inputLength;
    private boolean inputEnded;
    private boolean inputRequested;
    private long credit;
    private long readSinceCredit;
    private volatile boolean broken;
    private volatile boolean ended;

    private PrimaryStreamEnd(SocketChannel socket, Runnable onCancelled) {
        this.socket = socket;
        this.onCancelled = onCancelled;
        this.writer = new FrameWriter(socket);
        this.reader = new FrameReader(socket);
    }

    private static final String SOCKET_SUFFIX = ".o";

    /**
     * Whether connections can be offered from {@code directory} (null: the backend offers none): whether its sockets'
     * paths fit every OS's limit. Their names are the instance's part of the channel's name (si- and 12 characters),
     * ".o" and 12 hexadecimal digits, so that a new primary can remove those a dead one left without touching other
     * applications'.
     */
    public static boolean possibleIn(Path directory) {
        return directory != null && PrivateDirectory.fitsSockets(directory);
    }

    /** What the connection is offered over: the launch's slot, and how to wake its sender. */
    interface Offer {
        /** Writes {@code offer} into the slot and moves it TAKEN to STREAM; false if the sender abandoned it. */
        boolean offer(byte[] offer);

        /** Frees the slot of a sender that never connected; false if the sender released it meanwhile. */
        boolean withdraw();
    }

    /**
     * Offers a connection and waits up to {@code timeoutNanos} for the sender to connect.
     *
     * @throws LaunchCancelledException if the sender abandoned the launch or never connected
     * @throws IOException if the socket cannot be made (a directory whose path is too long for a socket, say)
     */
    static PrimaryStreamEnd open(
            Path directory, String channelName, Offer slot, long timeoutNanos, Runnable onCancelled)
            throws IOException {
        byte[] token = new byte[StreamFrames.TOKEN_SIZE];
        TOKENS.nextBytes(token);
        Path path = directory.resolve(socketPrefix(channelName) + HexFormat.of().formatHex(token, 0, 6));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try (server;
                Selector selector = Selector.open()) {
            server.bind(UnixDomainSocketAddress.of(path), 1);
            try {
                byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
                ByteBuffer offer = ByteBuffer.allocate(StreamFrames.OFFER_PATH_OFFSET + name.length)
                        .order(ByteOrder.nativeOrder());
                offer.putInt(StreamFrames.OFFER_PATH_LENGTH_OFFSET, name.length);
                offer.put(StreamFrames.OFFER_TOKEN_OFFSET, token);
                offer.put(StreamFrames.OFFER_PATH_OFFSET, name);
                if (!slot.offer(offer.array())) {
                    throw new LaunchCancelledException("the second launch stopped waiting before its streams opened");
                }
                SocketChannel accepted = accept(server, selector, token, timeoutNanos);
                if (accepted == null && !slot.withdraw()) {
                    accepted = accept(server, selector, token, timeoutNanos); // it took the offer just now
                }
                if (accepted == null) {
                    throw new LaunchCancelledException("the second launch did not connect to its streams within "
                            + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (it died, or froze)");
                }
                return new PrimaryStreamEnd(accepted, onCancelled);
            } finally {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The instance's part of {@code channelName} ({@code si-<hash>}: every generation's) and ".o". */
    private static String socketPrefix(String channelName) {
        return channelName.substring(1, channelName.indexOf('.')) + SOCKET_SUFFIX;
    }

    /**
     * Removes the sockets earlier primaries of {@code channelName}'s instance left (killed between an offer and its
     * connection): for the new primary, which holds the claim, so none of them is live (a connection made stays up
     * without its name).
     */
    static void sweep(Path directory, String channelName) {
        if (directory == null) {
            return;
        }
        String prefix = socketPrefix(channelName);
        try (var leftovers = Files.newDirectoryStream(directory, prefix + "*")) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        } catch (IOException e) {
            log.debug("cannot sweep stream sockets of {}: {}", channelName, e.toString());
        }
    }

    /** The connection of the first client that shows {@code token}, or null after {@code timeoutNanos}. */
    private static SocketChannel accept(ServerSocketChannel server, Selector selector, byte[] token, long timeoutNanos)
            throws IOException {
        server.configureBlocking(false);
        SelectionKey key = server.register(selector, SelectionKey.OP_ACCEPT);
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                selector.select(left);
                SocketChannel client = server.accept();
                if (client == null) {
                    continue;
                }
                ByteBuffer shown = ByteBuffer.allocate(StreamFrames.TOKEN_SIZE);
                client.configureBlocking(false);
                SelectionKey readable = client.register(selector, SelectionKey.OP_READ);
                while (shown.hasRemaining() && client.read(shown) >= 0) {
                    long wait = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (wait <= 0) {
                        break;
                    }
                    if (shown.hasRemaining()) {
                        selector.select(wait);
                    }
                }
                readable.cancel();
                selector.selectNow();
                if (!shown.hasRemaining() && Arrays.equals(shown.array(), token)) {
                    client.configureBlocking(true);
                    return client;
                }
                log.warn("a connection to a launch's stream socket showed the wrong token; closed it");
                client.close();
            }
        } finally {
            key.cancel();
        }
    }

    /** Starts the thread that reads what the second launch sends: its input, and the connection's end. */
    void startReading(String name) {
        Thread reader = new Thread(this::readInput, name);
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Reads {@code length} bytes sent as LAUNCH frames: a launch record too large for the ring. A second launch that
     * sends nothing for {@code silenceNanos} meanwhile (stopped, frozen) fails it with an IOException, so that no
     * thread of the primary waits for it for good; the connection stays open for the refusal.
     */
    byte[] readLaunch(int length, long silenceNanos) throws IOException {
        byte[] record = new byte[length];
        ByteBuffer view = ByteBuffer.wrap(record);
        int filled = 0;
        try (Selector selector = Selector.open()) {
            socket.configureBlocking(false);
            socket.register(selector, SelectionKey.OP_READ);
            FrameReader bounded = new FrameReader(new SilenceBoundedReads(socket, selector, silenceNanos));
            while (filled < length) {
                if (!bounded.next()) {
                    throw new IOException("the large launch's record was cut short at " + filled + " of " + length);
                }
                if (bounded.type() != StreamFrames.LAUNCH || bounded.length() > length - filled) {
                    throw new IOException("the large launch's record is malformed: " + bounded.describe());
                }
                bounded.readData(view, filled, bounded.length());
                filled += bounded.length();
            }
        } finally {
            if (socket.isOpen()) {
                socket.configureBlocking(true); // the selector is closed by now, which deregistered the socket
            }
        }
        return record;
    }

    private void readInput() {
        try {
            while (reader.next()) {
                switch (reader.type()) {
                    case StreamFrames.IN -> receiveInput(reader.length());
                    case StreamFrames.IN_EOF -> endInput();
                    default -> throw new IOException("unexpected frame from the second launch: " + reader.describe());
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!ended) {
                log.debug("stream connection ended: {}", e.toString());
            }
        }
        breakOff();
    }

    private void receiveInput(int length) throws IOException {
        int end;
        ByteBuffer view;
        synchronized (inputLock) {
            if (input == null || length > credit) {
                throw new IOException("the second launch sent more input than it had credit for: " + length);
            }
            credit -= length;
            end = (inputStart + inputLength) % input.length;
            view = inputView;
        }
        int first = Math.min(length, input.length - end);
        reader.readData(view, end, first);
        reader.readData(view, 0, length - first);
        synchronized (inputLock) {
            inputLength += length;
            inputLock.notifyAll();
        }
    }

    private void endInput() {
        synchronized (inputLock) {
            inputEnded = true;
            inputLock.notifyAll();
        }
    }

    /** The connection ended before the reply: the second launch was interrupted or died. */
    private void breakOff() {
        boolean first;
        synchronized (inputLock) {
            first = !broken && !ended;
            broken = true;
            inputLock.notifyAll();
        }
        if (first) {
            close(); // frees the descriptor at once; a handler's next write fails
            onCancelled.run();
        }
    }

    boolean broken() {
        return broken;
    }

    /** Writes data of {@code type} (OUT or ERR), in frames of at most MAX_DATA. */
    void write(byte type, byte[] data, int offset, int length) {
        synchronized (writeLock) {
            try {
                do {
                    checkOpen();
                    int frame = Math.min(length, StreamFrames.MAX_DATA);
                    writer.write(type, data, offset, frame);
                    offset += frame;
                    length -= frame;
                } while (length > 0);
            } catch (IOException e) {
                breakOff();
                throw cancelled();
            }
        }
    }

    private void checkOpen() {
        if (broken) {
            throw cancelled();
        }
    }

    private static LaunchCancelledException cancelled() {
        return new LaunchCancelledException("the second launch was cancelled or died: its streams are closed");
    }

    /** Sends the reply as the last frame and closes; false if the second launch is gone. */
    boolean end(Reply reply) {
        byte[] message = reply.message().getBytes(StandardCharsets.UTF_8);
        ByteBuffer end = ByteBuffer.allocate(4 + message.length).order(ByteOrder.BIG_ENDIAN);
        end.putInt(reply.exitCode()).put(message);
        synchronized (writeLock) {
            try {
                if (broken) {
                    return false;
                }
                ended = true;
                writer.write(StreamFrames.END, end.array(), 0, end.capacity());
                return true;
            } catch (IOException e) {
                return false;
            } finally {
                ended = true;
                close();
            }
        }
    }

    void close() {
        try {
            socket.close();
        } catch (IOException e) {
            log.debug("closing a stream connection: {}", e.toString());
        }
    }

    /** The second launch's standard input, as the handler reads it: credit is granted as it is consumed. */
    InputStream input() {
        return new InputStream() {
            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                java.util.Objects.checkFromIndexSize(offset, length, into.length);
                if (length == 0) {
                    return 0;
                }
                int initial = 0;
                synchronized (inputLock) {
                    if (!inputRequested) {
                        inputRequested = true;
                        input = new byte[StreamFrames.INPUT_WINDOW];
                        inputView = ByteBuffer.wrap(input);
                        initial = input.length;
                        credit += initial;
                    }
                }
                if (initial > 0) {
                    sendCredit(initial); // never under the input lock: a failed write takes it (breakOff)
                }
                int n;
                int grant = 0;
                synchronized (inputLock) {
                    while (inputLength == 0 && !inputEnded) {
                        if (broken) {
                            throw cancelled();
                        }
                        try {
                            inputLock.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new LaunchCancelledException("interrupted while reading the second launch's input");
                        }
                    }
                    if (inputLength == 0) {
                        return -1;
                    }
                    n = Math.min(length, inputLength);
                    int first = Math.min(n, input.length - inputStart);
                    System.arraycopy(input, inputStart, into, offset, first);
                    System.arraycopy(input, 0, into, offset + first, n - first);
                    inputStart = (inputStart + n) % input.length;
                    inputLength -= n;
                    readSinceCredit += n;
                    if (readSinceCredit >= input.length / 4 && !inputEnded) { // credit back early: no stalls
                        grant = (int) readSinceCredit;
                        credit += grant;
                        readSinceCredit = 0;
                    }
                }
                if (grant > 0) {
                    sendCredit(grant);
                }
                return n;
            }
        };
    }

    private void sendCredit(int bytes) {
        synchronized (writeLock) {
            if (broken || ended) {
                return;
            }
            try {
                writer.writeEmpty(StreamFrames.CREDIT, bytes);
            } catch (IOException e) {
                breakOff();
            }
        }
    }
}
