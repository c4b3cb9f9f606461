package io.github.singleinstance.internal.sender;

import io.github.singleinstance.ForwardTimeoutException;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.wire.FrameReader;
import io.github.singleinstance.internal.wire.FrameWriter;
import io.github.singleinstance.internal.wire.StreamFrames;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A second launch's end of its stream connection ({@link StreamFrames}): connects where the primary's offer says,
 * prints the primary's output as it comes (standard output and standard error, unbuffered, each in order), feeds
 * standard input as far as the primary gives credit, and returns the reply of the END frame.
 *
 * <p>Bounded waits: a watchdog closes the connection when the primary shows no progress (its claim header's
 * heartbeat) for the forward timeout, or lets go of its claim; a primary that dies closes the connection at once. The
 * total timeout does not apply once streaming (a {@code logs --follow} runs as long as the primary writes or beats).
 * Interrupted (SIGINT, SIGTERM: the JVM's shutdown), it closes its side, which the primary sees as the cancellation;
 * the JVM then exits 130 or 143 as a shell expects.
 */
final class SenderStreamEnd {

    private static final long WATCH_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long STOP_WAIT_MILLIS = 1000;
    private static final int EX_IOERR = 74;
    private static final int EX_TEMPFAIL = 75;

    private final SocketChannel socket;
    private final long primaryPid;
    private final Object writeLock = new Object();
    /** Guarded by writeLock. */
    private final FrameWriter writer;

    private final Object creditLock = new Object();
    /** What the watchdog waits on between its looks; {@code done} is set under it. */
    private final Object watchLock = new Object();

    private long credit;
    private boolean inputStarted;
    private volatile boolean done;
    private volatile boolean silent;
    private volatile long received;

    private SenderStreamEnd(SocketChannel socket, long primaryPid) {
        this.socket = socket;
        this.primaryPid = primaryPid;
        this.writer = new FrameWriter(socket);
    }

    /**
     * Connects as {@code offer} says and runs the launch's streams to its reply.
     *
     * @param offer the slot's offer (PATH_LEN, TOKEN, PATH)
     * @param connected called once connected: the reply slot is no longer needed
     * @param largeRecord the launch's whole record if the ring carried only its stub, else null
     * @param forwardStdin whether this application forwards standard input
     */
    static Reply run(
            byte[] offer,
            Runnable connected,
            byte[] largeRecord,
            boolean forwardStdin,
            Liveness liveness,
            long primaryPid,
            LaunchConfig config) {
        ByteBuffer parsed = ByteBuffer.wrap(offer).order(ByteOrder.nativeOrder());
        int pathLength = parsed.getInt(StreamFrames.OFFER_PATH_LENGTH_OFFSET);
        if (pathLength <= 0 || pathLength > offer.length - StreamFrames.OFFER_PATH_OFFSET) {
            throw new SingleInstanceException(
                    "the running instance (pid " + primaryPid + ") offered a damaged stream "
                            + "connection (pathLength=" + pathLength + "); the launch was delivered and may be handled",
                    EX_TEMPFAIL);
        }
        SocketChannel socket;
        try {
            Path path = Path.of(new String(offer, StreamFrames.OFFER_PATH_OFFSET, pathLength, StandardCharsets.UTF_8));
            socket = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                socket.connect(UnixDomainSocketAddress.of(path));
                StreamFrames.writeFully(
                        socket, ByteBuffer.wrap(offer, StreamFrames.OFFER_TOKEN_OFFSET, StreamFrames.TOKEN_SIZE));
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        } catch (IOException | InvalidPathException e) {
            throw new SingleInstanceException(
                    "cannot connect to the running instance's (pid " + primaryPid + ") stream connection: " + e
                            + ". The launch was delivered and may have been handled.",
                    EX_TEMPFAIL);
        }
        connected.run();
        SenderStreamEnd streams = new SenderStreamEnd(socket, primaryPid);
        Thread interrupted = new Thread(streams::cancel, "single-instance-cancel");
        Runtime.getRuntime().addShutdownHook(interrupted);
        Thread watchdog = new Thread(() -> streams.watch(liveness), "single-instance-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            if (largeRecord != null) {
                streams.sendLargeRecord(largeRecord);
            }
            return streams.receive(forwardStdin, config);
        } finally {
            streams.stopWatching(watchdog); // before the caller closes the claim handle the watchdog reads
            try {
                socket.close();
            } catch (IOException e) {
                // closing: nothing left to tell
            }
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran
            }
        }
    }

    private void sendLargeRecord(byte[] record) {
        try {
            synchronized (writeLock) {
                for (int offset = 0; offset < record.length; offset += StreamFrames.MAX_DATA) {
                    int length = Math.min(StreamFrames.MAX_DATA, record.length - offset);
                    writer.write(StreamFrames.LAUNCH, record, offset, length);
                }
            }
        } catch (IOException e) {
            throw broken(e);
        }
    }

    private Reply receive(boolean forwardStdin, LaunchConfig config) {
        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        System.out.flush();
        System.err.flush();
        FrameReader reader = new FrameReader(socket);
        byte[] data = new byte[StreamFrames.MAX_DATA];
        ByteBuffer view = ByteBuffer.wrap(data);
        while (true) {
            try {
                if (!reader.next()) {
                    throw new IOException("end of stream");
                }
                if (reader.type() != StreamFrames.CREDIT) {
                    reader.readData(view, 0, reader.length());
                }
            } catch (IOException e) {
                throw broken(e);
            }
            int length = reader.length();
            received += StreamFrames.HEADER_SIZE + length;
            switch (reader.type()) {
                case StreamFrames.OUT, StreamFrames.ERR -> {
                    try {
                        (reader.type() == StreamFrames.OUT ? stdout : stderr).write(data, 0, length);
                    } catch (IOException e) {
                        throw new SingleInstanceException(
                                "cannot write the running instance's output: " + e + " (a closed pipe?); the launch "
                                        + "was cancelled",
                                EX_IOERR);
                    }
                }
                case StreamFrames.CREDIT -> grant(length, forwardStdin);
                case StreamFrames.END -> {
                    return reply(data, length);
                }
                default -> throw broken(new IOException("unexpected frame from the primary: " + reader.describe()));
            }
        }
    }

    private Reply reply(byte[] data, int length) {
        ByteBuffer end = ByteBuffer.wrap(data, 0, length).order(ByteOrder.BIG_ENDIAN);
        int exitCode = length >= 4 ? end.getInt() : -1;
        int messageLength = length - 4;
        if (exitCode < 0 || exitCode > 255 || messageLength > Reply.MAX_MESSAGE_BYTES) {
            return new Reply(
                    70,
                    "the primary's reply was damaged (exitCode=" + exitCode + ", messageLength=" + messageLength
                            + "); the launch was delivered");
        }
        return new Reply(exitCode, new String(data, 4, messageLength, StandardCharsets.UTF_8));
    }

    private SingleInstanceException broken(IOException cause) {
        if (silent) {
            return new ForwardTimeoutException(
                    "the running instance (pid " + primaryPid + ") showed no progress for the forward timeout while "
                            + "handling this launch; output so far was printed. The launch was delivered and may still "
                            + "be handled.",
                    true);
        }
        return new SingleInstanceException(
                "the running instance (pid " + primaryPid + ") closed this launch's streams before answering (it died "
                        + "or stopped): " + cause.getMessage() + ". Output so far was printed; the launch was "
                        + "delivered and may have been partly handled.",
                EX_TEMPFAIL);
    }

    /** The primary gives credit for {@code bytes} more of standard input: the pump starts on the first. */
    private void grant(int bytes, boolean forwardStdin) {
        if (!forwardStdin) {
            return; // a primary never asks for input this launch did not offer; if it does, it gets none
        }
        synchronized (creditLock) {
            credit += bytes;
            creditLock.notifyAll();
            if (inputStarted) {
                return;
            }
            inputStarted = true;
        }
        Thread pump = new Thread(this::pumpInput, "single-instance-stdin");
        pump.setDaemon(true);
        pump.start();
    }

    /** Copies standard input to IN frames, never more than the credit, then IN_EOF at its end. */
    private void pumpInput() {
        InputStream stdin = new FileInputStream(FileDescriptor.in);
        byte[] chunk = new byte[StreamFrames.MAX_DATA];
        try {
            while (true) {
                int allowed;
                synchronized (creditLock) {
                    while (credit == 0) {
                        creditLock.wait();
                    }
                    allowed = (int) Math.min(credit, chunk.length);
                }
                int n = stdin.read(chunk, 0, allowed);
                synchronized (writeLock) {
                    if (n < 0) {
                        writer.writeEmpty(StreamFrames.IN_EOF, 0);
                        return;
                    }
                    writer.write(StreamFrames.IN, chunk, 0, n);
                }
                synchronized (creditLock) {
                    credit -= n;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the connection ended (the reply came, or it broke: the main loop reports that)
        }
    }

    /** Closes the connection when the primary shows no progress for the forward timeout, or lets go of its claim. */
    private void watch(Liveness liveness) {
        while (true) {
            synchronized (watchLock) {
                long until = System.nanoTime() + WATCH_NANOS;
                long left;
                while (!done && (left = until - System.nanoTime()) > 0) {
                    try {
                        watchLock.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (done) {
                    return;
                }
            }
            try {
                liveness.readHeader();
            } catch (RuntimeException e) {
                // unreadable now: no sign of progress this time, and the silence still bounds the wait
            }
            liveness.observe(received);
            if (liveness.silent(System.nanoTime())) {
                silent = true;
                try {
                    socket.close();
                } catch (IOException e) {
                    return;
                }
                return;
            }
        }
    }

    /**
     * Ends the watchdog and waits for it (at most {@code STOP_WAIT_MILLIS}: it is at most in one read of the claim
     * header), so that it never reads the claim handle after the launch, which closes it, has ended.
     */
    private void stopWatching(Thread watchdog) {
        synchronized (watchLock) {
            done = true;
            watchLock.notifyAll();
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        while (watchdog.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                watchdog.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                interrupted = true; // not the watchdog's to act on: kept for the caller
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The JVM shuts down (SIGINT, SIGTERM, System.exit): closes this side, so the primary sees the cancellation now,
     * not only when the process ends (the kernel closes the socket then), which an application's own shutdown hooks
     * (a Spring context closing) can delay by seconds.
     */
    private void cancel() {
        if (done) {
            return;
        }
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // closed already
        }
    }
}
