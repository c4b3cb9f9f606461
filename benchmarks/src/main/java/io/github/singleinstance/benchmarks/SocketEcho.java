package io.github.singleinstance.benchmarks;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What JUnique-style libraries do, over loopback TCP or a Unix-domain socket: the launch's bytes go to the peer on
 * an open connection and a short reply comes back. The request is the size of an encoded launch of two short
 * arguments; connection set-up is not timed (a fair advantage to the sockets: a real second launch connects first).
 */
final class SocketEcho implements Exchange {

    static final int REQUEST_SIZE = 192;
    static final byte[] REPLY = "exit=0 ok".getBytes(StandardCharsets.UTF_8);
    static final int REPLY_SIZE = REPLY.length;

    private final String name;
    private final Peer peer;
    private final SocketChannel channel;
    private final ByteBuffer request = ByteBuffer.allocateDirect(REQUEST_SIZE);
    private final ByteBuffer reply = ByteBuffer.allocateDirect(REPLY_SIZE);
    private final byte[] received = new byte[REPLY_SIZE];

    private SocketEcho(String name, Peer peer, SocketAddress address) throws IOException {
        this.name = name;
        this.peer = peer;
        this.channel = SocketChannel.open(address);
        configure(channel);
    }

    static SocketEcho tcp() throws IOException {
        Peer peer = Peer.start("tcp");
        return new SocketEcho(
                "loopback TCP",
                peer,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(peer.detail())));
    }

    static SocketEcho unix() throws IOException {
        Peer peer = Peer.start("unix");
        return new SocketEcho("Unix-domain socket", peer, UnixDomainSocketAddress.of(Path.of(peer.detail())));
    }

    static void configure(SocketChannel channel) throws IOException {
        if (channel.getRemoteAddress() instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    /** Reads until {@code buffer} is full; false on a clean end of stream before anything was read. */
    static boolean readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("connection closed mid-message");
            }
        }
        return true;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void roundTrip() throws IOException {
        request.clear();
        while (request.hasRemaining()) {
            channel.write(request);
        }
        reply.clear();
        if (!readFully(channel, reply)) {
            throw new EOFException("peer closed the connection");
        }
        reply.flip().get(received);
        if (!Arrays.equals(received, REPLY)) {
            throw new IOException("wrong reply");
        }
    }

    @Override
    public void close() throws Exception {
        channel.close();
        peer.close();
    }
}
