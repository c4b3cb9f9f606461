package io.github.singleinstance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Launch;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.testing.Backends;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestJvm;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A real primary (the test app, in its own JVM) meets a hostile "second launch", played by this test with the
 * protocol's own classes: it connects to the offered stream socket with a wrong token, then with the right one sends
 * random bytes instead of frames. The primary must refuse, count the launch cancelled, and serve the next launch.
 */
class HostileStreamProcessTest extends ProcessTestSupport {

    @Test
    void wrongTokensAndRandomFramesNeverCrashThePrimary() throws Exception {
        long seed = System.nanoTime();
        System.out.println("seed " + seed);
        Random random = new Random(seed);
        TestJvm primary = startPrimary();
        OsBackend os = io.github.singleinstance.internal.os.OsBackends.forwarding(Backends.configured()); // as a sender
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
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (ReplySlots.state(channel.slots().control(ticket.slot())) != ReplySlots.STREAM) {
                    assertThat(System.nanoTime())
                            .as("the handler offers its stream: slot state "
                                    + ReplySlots.state(channel.slots().control(ticket.slot())) + "\n"
                                    + primary.describe())
                            .isLessThan(deadline);
                    Thread.sleep(5);
                }
                byte[] offer = channel.slots().readOffer(ticket.slot());
                int pathLength =
                        ByteBuffer.wrap(offer).order(ByteOrder.nativeOrder()).getInt(0);
                Path socket =
                        Path.of(new String(offer, StreamFrames.OFFER_PATH_OFFSET, pathLength, StandardCharsets.UTF_8));
                byte[] token = java.util.Arrays.copyOfRange(
                        offer, StreamFrames.OFFER_TOKEN_OFFSET, StreamFrames.OFFER_TOKEN_OFFSET + 16);
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

    /** The primary's channel, once it opened it (it does so in the background after printing PRIMARY). */
    private Channel openWhenReady(OsBackend os) throws Exception {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            Channel channel;
            try {
                channel = Channel.open(os, key().channelName());
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
