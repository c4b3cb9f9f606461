package io.github.singleinstance.internal.primary;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Launch;
import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.os.BufferAtomics;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.portable.PortableBackend;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.ChannelLayout;
import io.github.singleinstance.internal.wire.FrameReader;
import io.github.singleinstance.internal.wire.FrameWriter;
import io.github.singleinstance.internal.wire.LaunchCodec;
import io.github.singleinstance.internal.wire.ReplySlots;
import io.github.singleinstance.internal.wire.StreamFrames;
import io.github.singleinstance.testing.Backends;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestEnvironment;
import io.github.singleinstance.testsupport.TestJvm;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real primary (the test app, in its own JVM) meets a hostile "second launch", played by this test with the
 * protocol's own classes: it connects to the offered stream socket with a wrong token, then with the right one sends
 * random bytes instead of frames; or it freezes halfway through a launch too large for the ring; or it dies in the
 * middle of ringing the doorbell. The primary must refuse, count the launch cancelled or refuse it in time, take what
 * was put in its ring, and serve the next launch.
 */
class HostileStreamProcessTest extends ProcessTestSupport {

    /** The posix backend's ARMED word beside the doorbell (os.linux.FifoDoorbellFiles.ARMED_DELTA). */
    private static final int BELL_ARMED_OFFSET = ChannelLayout.DOORBELL_OFFSET + 4;

    @Test
    void wrongTokensAndRandomFramesNeverCrashThePrimary() throws Exception {
        long seed = System.nanoTime();
        System.out.println("seed " + seed);
        Random random = new Random(seed);
        TestJvm primary = startPrimary();
        OsBackend os = io.github.singleinstance.internal.os.OsBackends.forwarding(
                Backends.configured(), Scope.USER); // as a sender
        for (int round = 0; round < 5; round++) {
            try (Channel channel = openWhenReady(os)) {
                assertThat(channel.streams())
                        .as("a current primary offers streams")
                        .isTrue();
                ReplySlots.Ticket ticket = channel.slots().claim(os.pid(), pid -> true);
                Launch launch =
                        new Launch(List.of("--until-cancelled"), Path.of("/"), os.pid(), Instant.now(), new byte[0]);
                byte[] payload = LaunchCodec.encodeExtended(launch, LaunchCodec.FLAG_STDIN, Map.of());
                LaunchCodec.stamp(payload, ticket.slot(), ticket.control());
                assertThat(channel.ring().offer(payload)).isTrue();
                channel.ringDoorbell(os);
                byte[] offer = awaitStreamOffer(channel, ticket, primary);
                Path socket = socketOf(offer);
                byte[] token = tokenOf(offer);
                try (SocketChannel wrong = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    wrong.connect(UnixDomainSocketAddress.of(socket));
                    byte[] badToken = token.clone();
                    badToken[random.nextInt(16)] ^= (byte) (1 + random.nextInt(255));
                    wrong.write(ByteBuffer.wrap(badToken));
                    ByteBuffer nothing = ByteBuffer.allocate(1);
                    assertThat(wrong.read(nothing))
                            .as("a wrong token is hung up on")
                            .isEqualTo(-1);
                }
                try (SocketChannel hostile = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    hostile.connect(UnixDomainSocketAddress.of(socket));
                    channel.slots().release(ticket, ReplySlots.STREAM);
                    hostile.write(ByteBuffer.wrap(token));
                    byte[] garbage = new byte[1 + random.nextInt(70_000)];
                    random.nextBytes(garbage);
                    if (round == 0) { // one frame that claims more input than the credit given
                        ByteBuffer.wrap(garbage).put(0, StreamFrames.IN).putInt(1, 60_000);
                    }
                    ByteBuffer out = ByteBuffer.wrap(garbage);
                    try {
                        while (out.hasRemaining()) {
                            hostile.write(out);
                        }
                    } catch (java.io.IOException closedByThePrimary) {
                        // the primary may hang up before all of it is written
                    }
                }
                int cancelled = round + 1;
                primary.awaitStdout(
                        out -> out.split("CANCELLED " + os.pid(), -1).length > cancelled,
                        "the handler saw launch " + cancelled + " cancelled",
                        EXIT);
            }
            TestJvm next = launch("after-" + round);
            assertThat(next.awaitExit(EXIT)).as(next.describe()).isZero();
            assertThat(next.stdout()).isEqualTo("handled [\"after-" + round + "\"]\n");
        }
        assertThat(primary.isAlive()).isTrue();
    }

    /**
     * A second launch that freezes while it sends a launch too large for the ring (its stub taken, the connection made,
     * one frame of its record sent): the primary waits for the rest no longer than the forward timeout (5 s, the
     * default), refuses the launch over the connection (65, saying why), never hands it to the handler, and serves the
     * next launch. Without the bound the primary's reading thread waited for good and this test times out.
     */
    @Test
    void aSenderFrozenInsideALargeLaunchIsRefusedAfterTheForwardTimeout() throws Exception {
        TestJvm primary = startPrimary();
        OsBackend os = io.github.singleinstance.internal.os.OsBackends.forwarding(
                Backends.configured(), Scope.USER); // as a sender
        try (Channel channel = openWhenReady(os)) {
            ReplySlots.Ticket ticket = channel.slots().claim(os.pid(), pid -> true);
            String tooLargeForTheRing = "x".repeat(channel.ring().maxPayloadLength() + 1);
            Launch launch = new Launch(List.of(tooLargeForTheRing), Path.of("/"), os.pid(), Instant.now(), new byte[0]);
            byte[] whole = LaunchCodec.encodeExtended(launch, 0, Map.of());
            byte[] stub = LaunchCodec.encodeStub(launch, 0, whole.length);
            LaunchCodec.stamp(whole, ticket.slot(), ticket.control());
            LaunchCodec.stamp(stub, ticket.slot(), ticket.control());
            assertThat(channel.ring().offer(stub)).isTrue();
            channel.ringDoorbell(os);
            byte[] offer = awaitStreamOffer(channel, ticket, primary);
            ExecutorService reading = Executors.newSingleThreadExecutor();
            try (SocketChannel frozen = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                frozen.connect(UnixDomainSocketAddress.of(socketOf(offer)));
                channel.slots().release(ticket, ReplySlots.STREAM);
                frozen.write(ByteBuffer.wrap(tokenOf(offer)));
                new FrameWriter(frozen).write(StreamFrames.LAUNCH, whole, 0, StreamFrames.MAX_DATA);
                long frozeAt = System.nanoTime();
                Future<ByteBuffer> answer = reading.submit(() -> readEnd(frozen));
                ByteBuffer end = answer.get(30, TimeUnit.SECONDS);
                long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozeAt);
                assertThat(waitedMillis)
                        .as("the primary waited for the forward timeout before it gave up")
                        .isGreaterThanOrEqualTo(4_000);
                assertThat(end.getInt()).as("the refusal's exit code").isEqualTo(65);
                assertThat(StandardCharsets.UTF_8.decode(end).toString())
                        .contains("sent nothing more of its launch for 5000 ms");
            } finally {
                reading.shutdownNow();
            }
        }
        TestJvm next = launch("after-the-frozen-one");
        assertThat(next.awaitExit(EXIT)).as(next.describe()).isZero();
        assertThat(next.stdout()).isEqualTo("handled [\"after-the-frozen-one\"]\n");
        assertThat(primary.stdout())
                .as("the refused launch never reached the handler")
                .doesNotContain("xxxx");
        assertThat(primary.isAlive()).isTrue();
    }

    /**
     * A second launch killed between disarming the primary's bell (the compare-and-set that makes it the one to write
     * the bell FIFO's byte) and writing that byte, played here on the posix backend: its launch is in the ring, the
     * DOORBELL moved, ARMED is 0, no byte came. The primary's intake, asleep on the bell, must still take the launch
     * and answer it. Before, it slept until the next byte, which never came: every later sender found ARMED = 0 too.
     */
    @Test
    void aSenderKilledBetweenDisarmingTheBellAndRingingItDoesNotWedgeThePrimary() throws Exception {
        TestEnvironment.applicableOnlyIf(
                !(Backends.current() instanceof PortableBackend),
                "the portable backend's doorbell has no shared ARMED word");
        expectLaunchesFoundByRecheck(); // the wake-up this test loses on purpose
        TestJvm primary = startPrimary();
        OsBackend os = io.github.singleinstance.internal.os.OsBackends.forwarding(
                Backends.configured(), Scope.USER); // as a sender
        try (Channel channel = openWhenReady(os);
                FileChannel file = FileChannel.open(
                        objectPath(channelName()), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer header = file.map(FileChannel.MapMode.READ_WRITE, 0, ChannelLayout.HEADER_SIZE)
                    .order(ByteOrder.nativeOrder());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (BufferAtomics.getIntVolatile(header, BELL_ARMED_OFFSET) != 1) {
                assertThat(System.nanoTime())
                        .as("the intake sleeps on its bell")
                        .isLessThan(deadline);
                Thread.sleep(5);
            }
            ReplySlots.Ticket ticket = channel.slots().claim(os.pid(), pid -> true);
            Launch launch =
                    new Launch(List.of("after-a-dead-ringer"), Path.of("/"), os.pid(), Instant.now(), new byte[0]);
            byte[] payload = LaunchCodec.encode(launch);
            LaunchCodec.stamp(payload, ticket.slot(), ticket.control());
            assertThat(channel.ring().offer(payload)).isTrue();
            BufferAtomics.getAndAddInt(header, ChannelLayout.DOORBELL_OFFSET, 1); // what ringing does first
            assertThat(BufferAtomics.compareAndSetInt(header, BELL_ARMED_OFFSET, 1, 0))
                    .as("this sender won the bell, and dies before it writes the byte")
                    .isTrue();

            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ReplySlots.state(channel.slots().control(ticket.slot())) != ReplySlots.REPLIED) {
                assertThat(System.nanoTime())
                        .as("the primary takes and answers the launch: slot state "
                                + ReplySlots.state(channel.slots().control(ticket.slot())) + "\n"
                                + primary.describe())
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(channel.slots().readReply(ticket.slot()).message())
                    .isEqualTo("handled [\"after-a-dead-ringer\"]");
            channel.slots().release(ticket, ReplySlots.REPLIED);
        }
        TestJvm next = launch("after-it");
        assertThat(next.awaitExit(EXIT)).as(next.describe()).isZero();
    }

    /** The END frame's data (exit code, then the reply's message) the primary sends on {@code socket}. */
    private static ByteBuffer readEnd(SocketChannel socket) throws Exception {
        FrameReader frames = new FrameReader(socket);
        while (frames.next()) {
            ByteBuffer data = ByteBuffer.allocate(frames.length());
            frames.readData(data, 0, frames.length());
            if (frames.type() == StreamFrames.END) {
                return data.flip().order(ByteOrder.BIG_ENDIAN);
            }
        }
        throw new AssertionError("the primary hung up without an END frame");
    }

    /** What the primary offers in the launch's reply slot once it opens its stream connection. */
    private static byte[] awaitStreamOffer(Channel channel, ReplySlots.Ticket ticket, TestJvm primary)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ReplySlots.state(channel.slots().control(ticket.slot())) != ReplySlots.STREAM) {
            assertThat(System.nanoTime())
                    .as("the primary offers a stream: slot state "
                            + ReplySlots.state(channel.slots().control(ticket.slot())) + "\n" + primary.describe())
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
        return channel.slots().readOffer(ticket.slot());
    }

    private static Path socketOf(byte[] offer) {
        int pathLength = ByteBuffer.wrap(offer).order(ByteOrder.nativeOrder()).getInt(0);
        return Path.of(new String(offer, StreamFrames.OFFER_PATH_OFFSET, pathLength, StandardCharsets.UTF_8));
    }

    private static byte[] tokenOf(byte[] offer) {
        return Arrays.copyOfRange(
                offer, StreamFrames.OFFER_TOKEN_OFFSET, StreamFrames.OFFER_TOKEN_OFFSET + StreamFrames.TOKEN_SIZE);
    }

    /** The primary's channel, once it opened it (it does so in the background after printing PRIMARY). */
    private Channel openWhenReady(OsBackend os) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            Channel channel;
            try {
                channel = Channel.open(os, channelName());
            } catch (Channel.NotUsableException beingCreated) {
                channel = null;
            }
            if (channel != null && channel.state() == ChannelLayout.STATE_READY) {
                return channel;
            }
            if (channel != null) {
                channel.close();
            }
            assertThat(System.nanoTime()).as("the primary opens its channel").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
