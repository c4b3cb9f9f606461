package io.github.singleinstance.benchmarks;

import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.testing.Backends;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A futex wake-up ping-pong, with no payload: both sides sleep in the kernel between messages (the wake-up
 * single-instance used before second launches went pure JDK; see {@link BellPingPong} for today's floor). The benchmark bumps the PING word of a shared
 * segment and futex-wakes it; the peer, futex-waiting on PING, copies it to PONG and wakes that; the benchmark
 * futex-waits until PONG matches.
 *
 * <pre>
 * segment (4096 bytes):  0: PING (int)   64: PONG (int, own cache line)
 * </pre>
 */
final class FutexPingPong implements Exchange {

    static final int SIZE = 4096;
    static final int PING = 0;
    static final int PONG = 64;
    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final OsBackend os = Backends.current();
    private final SharedSegment segment;
    private final ByteBuffer words;
    private final Peer peer;
    private int sequence;

    FutexPingPong() throws IOException {
        String name = "/si-bench-" + ProcessHandle.current().pid();
        os.unlink(name);
        segment = os.createSegment(name, SIZE);
        words = segment.buffer();
        peer = Peer.start("futex", name);
        os.unlink(name); // both processes have it mapped: the name is no longer needed
    }

    @Override
    public String name() {
        return "futex wake-up ping-pong (both sides sleep)";
    }

    @Override
    public void roundTrip() {
        int ping = ++sequence;
        INT.setRelease(words, PING, ping);
        os.wakeAll(segment, PING);
        int pong;
        while ((pong = (int) INT.getVolatile(words, PONG)) != ping) {
            os.await(segment, PONG, pong, 1_000_000_000L);
        }
    }

    @Override
    public void close() throws Exception {
        peer.close();
        segment.close();
    }
}
