package io.github.singleinstance.benchmarks;

import io.github.singleinstance.Backend;
import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstance;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.testing.Backends;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The peer process of the round-trip benchmark. Modes:
 * <ul>
 *   <li>{@code futex NAME}: waits on the ping word of segment NAME, copies it to the pong word, wakes;</li>
 *   <li>{@code bell NAME}: the same, asleep on a bell of the ping word (as a primary's listener), without waking;</li>
 *   <li>{@code tcp} / {@code unix}: accepts one connection and answers each length-prefixed request with the reply
 *       bytes of {@link SocketEcho};</li>
 *   <li>{@code primary ID}: the primary of application ID, answering every launch {@code Reply.ok("ok")}.</li>
 * </ul>
 * Prints {@code ready ...} when serving; exits when standard input closes.
 */
public final class EchoPeer {

    private EchoPeer() {}

    public static void main(String[] args) throws Exception {
        Thread server = new Thread(
                () -> {
                    try {
                        serve(args);
                    } catch (Exception e) {
                        e.printStackTrace();
                        System.exit(1);
                    }
                },
                "peer");
        server.setDaemon(true);
        server.start();
        while (System.in.read() >= 0) {
            // until the benchmark closes our standard input
        }
        System.exit(0);
    }

    private static void serve(String[] args) throws Exception {
        switch (args[0]) {
            case "futex" -> futex(args[1], false);
            case "bell" -> futex(args[1], true);
            case "tcp" ->
                sockets(
                        ServerSocketChannel.open(StandardProtocolFamily.INET)
                                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                        null);
            case "unix" -> {
                Path path = Files.createTempDirectory("si-bench").resolve("peer.sock");
                sockets(
                        ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path)),
                        path);
            }
            case "primary" -> primary(args[1]);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void futex(String name, boolean bell) {
        OsBackend os = bell ? OsBackends.of(Backend.POSIX, Scope.USER) : Backends.current();
        SharedSegment segment = os.openSegment(name, FutexPingPong.SIZE, FutexPingPong.SIZE);
        if (bell) {
            os.openBell(segment, FutexPingPong.PING);
        }
        ByteBuffer words = segment.buffer();
        System.out.println("ready");
        System.out.flush();
        int last = 0;
        while (true) {
            int ping = (int) FutexPingPong.INT.getVolatile(words, FutexPingPong.PING);
            if (ping == last) {
                os.await(segment, FutexPingPong.PING, last, -1);
                continue;
            }
            last = ping;
            FutexPingPong.INT.setRelease(words, FutexPingPong.PONG, ping);
            if (!bell) {
                os.wakeAll(segment, FutexPingPong.PONG);
            }
        }
    }

    private static void sockets(ServerSocketChannel listener, Path path) throws IOException {
        System.out.println(
                "ready " + (path != null ? path : ((InetSocketAddress) listener.getLocalAddress()).getPort()));
        System.out.flush();
        try (SocketChannel connection = listener.accept()) {
            SocketEcho.configure(connection);
            ByteBuffer request = ByteBuffer.allocateDirect(SocketEcho.REQUEST_SIZE);
            ByteBuffer reply = ByteBuffer.allocateDirect(SocketEcho.REPLY_SIZE);
            while (true) {
                request.clear();
                if (!SocketEcho.readFully(connection, request)) {
                    return;
                }
                reply.clear();
                reply.put(SocketEcho.REPLY).flip();
                while (reply.hasRemaining()) {
                    connection.write(reply);
                }
            }
        } finally {
            if (path != null) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void primary(String id) {
        ClaimResult claim = SingleInstance.builder().id(id).build().claim(new String[0]);
        if (!(claim instanceof ClaimResult.Primary primary)) {
            throw new IllegalStateException("id " + id + " has a running primary already");
        }
        PrimaryInstance instance = primary.instance();
        instance.onLaunch(launch -> Reply.ok("ok"));
        System.out.println("ready");
        System.out.flush();
    }
}
