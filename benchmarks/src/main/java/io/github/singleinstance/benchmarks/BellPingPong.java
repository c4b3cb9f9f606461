package io.github.singleinstance.benchmarks;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.os.SharedSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The floor of the wake-up a second launch uses on Linux, with no payload: the benchmark, as a pure-JDK sender, bumps
 * the PING word and rings the peer's bell (a byte to its FIFO, if the peer sleeps); the peer, asleep on its bell,
 * copies PING to PONG; the benchmark polls PONG the way a second launch polls its reply slot. 1 ms apart, the peer is
 * asleep at every ping; back to back, it may still be awake. Words as in {@link FutexPingPong}.
 */
final class BellPingPong implements Exchange {

    private final OsBackend owner = OsBackends.of(Backend.POSIX, Scope.USER);
    private final OsBackend sender = OsBackends.forwarding(Backend.POSIX, Scope.USER);
    private final String name;
    private final SharedSegment created;
    private final SharedSegment segment;
    private final ByteBuffer words;
    private final Peer peer;
    private final long pauseNanos;
    private int sequence;

    BellPingPong(long pauseMillis) throws IOException {
        this.pauseNanos = TimeUnit.MILLISECONDS.toNanos(pauseMillis);
        name = "/si-bench-bell-" + pauseMillis + "-" + ProcessHandle.current().pid();
        owner.unlink(name);
        created = owner.createSegment(name, FutexPingPong.SIZE);
        peer = Peer.start("bell", name); // opens the bell of PING
        segment = sender.openSegment(name, FutexPingPong.SIZE, FutexPingPong.SIZE);
        words = segment.buffer();
    }

    @Override
    public String name() {
        return "bell ping-pong: FIFO byte to the sleeping peer, answer polled"
                + (pauseNanos == 0
                        ? " (the floor of the mechanism)"
                        : ", " + TimeUnit.NANOSECONDS.toMillis(pauseNanos) + " ms apart");
    }

    @Override
    public long pauseNanos() {
        return pauseNanos;
    }

    @Override
    public void roundTrip() {
        int ping = ++sequence;
        FutexPingPong.INT.setVolatile(words, FutexPingPong.PING, ping);
        sender.wakeAll(segment, FutexPingPong.PING);
        int pong;
        while ((pong = (int) FutexPingPong.INT.getVolatile(words, FutexPingPong.PONG)) != ping) {
            sender.await(segment, FutexPingPong.PONG, pong, 1_000_000_000L);
        }
    }

    @Override
    public void close() throws Exception {
        peer.close();
        segment.close();
        created.close();
        owner.unlink(name);
    }
}
