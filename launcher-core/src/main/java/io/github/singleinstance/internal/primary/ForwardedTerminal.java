package io.github.singleinstance.internal.primary;

import io.github.singleinstance.LaunchCancelledException;
import io.github.singleinstance.Reply;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.LaunchCodec;
import io.github.singleinstance.internal.wire.LaunchTerminal;
import io.github.singleinstance.internal.wire.StreamFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's side of a forwarded launch's terminal: its output, input and cancellation. The stream connection
 * ({@link PrimaryStreamEnd}) opens on the first write, read or cancellation callback, and only if the sender said it
 * can stream; a sender that cannot (an older version, or a primary that offers no streams) gets the primary's own
 * output, no input, and its cancellation is seen only by {@link #isCancelled()} (its reply slot abandoned).
 */
final class ForwardedTerminal implements LaunchTerminal {

    private static final Logger log = LoggerFactory.getLogger(ForwardedTerminal.class);

    private final OsBackend os;
    private final Channel channel;
    private final LaunchCodec.Decoded decoded;
    /** How long the sender may stay silent (the forward timeout): before it connects, between parts of its launch. */
    private final long silenceNanos;

    private final List<Runnable> cancelActions = new ArrayList<>();

    private PrintStream out;
    private PrintStream err;

    private PrimaryStreamEnd connection;
    private InputStream input;
    private boolean cancelled;
    private boolean answered;

    ForwardedTerminal(OsBackend os, Channel channel, LaunchCodec.Decoded decoded, long silenceNanos) {
        this.os = os;
        this.channel = channel;
        this.decoded = decoded;
        this.silenceNanos = silenceNanos;
    }

    private boolean canStream() {
        return decoded.has(LaunchCodec.FLAG_CAN_STREAM) && PrimaryStreamEnd.possibleIn(os.streamDirectory());
    }

    private PrintStream stream(byte type) {
        OutputStream frames = new OutputStream() {
            private final byte[] one = new byte[1]; // PrintStream serialises its writes

            @Override
            public void write(int b) {
                one[0] = (byte) b;
                write(one, 0, 1);
            }

            @Override
            public void write(byte[] data, int offset, int length) {
                java.util.Objects.checkFromIndexSize(offset, length, data.length);
                if (length > 0) {
                    connection().write(type, data, offset, length);
                }
            }
        };
        return new PrintStream(frames, true, StandardCharsets.UTF_8);
    }

    /** The open connection, opened now if need be (on the handler's thread: it waits for the sender to connect). */
    synchronized PrimaryStreamEnd connection() {
        if (connection == null) {
            if (cancelled || answered) {
                throw new LaunchCancelledException("this launch is " + (answered ? "answered" : "cancelled")
                        + ": its second launch's streams are closed");
            }
            try {
                connection = PrimaryStreamEnd.open(
                        os.streamDirectory(), channel.name(), new SlotOffer(), silenceNanos, this::cancel);
            } catch (IOException e) { // not the second launch's doing: a failure of this primary (exit 70 there)
                throw new UncheckedIOException(
                        "cannot open a stream connection to the second launch in " + os.streamDirectory(), e);
            } catch (LaunchCancelledException e) {
                cancel();
                throw e;
            }
            connection.startReading("single-instance-stream-" + decoded.launch().senderPid());
        }
        return connection;
    }

    /**
     * Opens the connection of a launch too large for the ring and reads its record; a sender silent for the forward
     * timeout, before it connects or between parts of its record, fails it.
     */
    byte[] fetchLargeRecord(int length) throws IOException {
        synchronized (this) {
            connection = PrimaryStreamEnd.open(
                    os.streamDirectory(), channel.name(), new SlotOffer(), silenceNanos, this::cancel);
        }
        byte[] record = connection.readLaunch(length, silenceNanos);
        connection.startReading("single-instance-stream-" + decoded.launch().senderPid());
        return record;
    }

    /** The reply slot the offer goes through. */
    private final class SlotOffer implements PrimaryStreamEnd.Offer {
        @Override
        public boolean offer(byte[] offer) {
            if (!channel.slots().offerStream(decoded.slot(), decoded.ticket(), offer)) {
                return false;
            }
            channel.wakeSlot(os, decoded.slot());
            return true;
        }

        @Override
        public boolean withdraw() {
            return channel.slots().freeStream(decoded.slot(), decoded.ticket());
        }
    }

    @Override
    public synchronized PrintStream out() {
        if (out == null) { // made on first use: most launches never write
            out = canStream() ? stream(StreamFrames.OUT) : System.out;
        }
        return out;
    }

    @Override
    public synchronized PrintStream err() {
        if (err == null) {
            err = canStream() ? stream(StreamFrames.ERR) : System.err;
        }
        return err;
    }

    @Override
    public synchronized InputStream in() {
        if (!canStream()) {
            return InputStream.nullInputStream();
        }
        if (!decoded.has(LaunchCodec.FLAG_STDIN)) {
            throw new IllegalStateException("this application does not forward standard input: enable it with "
                    + "SingleInstance.builder().forwardStandardInput(true) (or -Dsingle-instance.forward-stdin=true)");
        }
        if (input == null) {
            input = connection().input();
        }
        return input;
    }

    @Override
    public synchronized boolean isCancelled() {
        if (cancelled || answered) {
            return cancelled;
        }
        if (connection != null) {
            return connection.broken();
        }
        // not its process's liveness: across sandboxes (Flatpak) the sender's pid may name no process here, or another
        return channel.slots().abandoned(decoded.slot(), decoded.ticket());
    }

    @Override
    public void onCancel(Runnable action) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                cancelActions.add(action);
            }
        }
        if (now) {
            action.run();
        } else if (canStream()) {
            try {
                connection(); // the connection's end is how a cancellation is noticed at once
            } catch (LaunchCancelledException e) {
                // cancel() ran the action
            }
        }
    }

    /** The second launch went away before the reply: runs the cancellation actions once. */
    private void cancel() {
        List<Runnable> actions;
        synchronized (this) {
            if (cancelled || answered) {
                return;
            }
            cancelled = true;
            actions = List.copyOf(cancelActions);
            cancelActions.clear();
        }
        log.debug("launch from pid {} was cancelled", decoded.launch().senderPid());
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("a cancellation action failed", e);
            }
        }
    }

    /**
     * Sends the reply over the stream connection, if one is open; false if none is (the caller answers through the
     * reply slot).
     */
    boolean answerOverStream(Reply reply) {
        PrimaryStreamEnd open;
        synchronized (this) {
            answered = true;
            open = connection;
        }
        if (open == null) {
            return false;
        }
        if (!open.end(reply)) {
            log.debug(
                    "the second launch (pid {}) left before its reply",
                    decoded.launch().senderPid());
        }
        return true;
    }
}
