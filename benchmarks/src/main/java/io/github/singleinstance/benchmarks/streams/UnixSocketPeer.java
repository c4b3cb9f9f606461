package io.github.singleinstance.benchmarks.streams;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The peer of scripts/measure-streams.sh: the same bytes between two JVMs through one Unix-domain socket and nothing
 * else (no framing, no flow control of ours, no protocol), what the library's streams are measured against.
 *
 * <pre>
 * server PATH            accepts connections one after another; each sends one command line:
 *                          "send N": the server writes N zero bytes and closes
 *                          "count":  the server reads to the end and writes back the byte count
 * client PATH send N     copies what the server sends to standard output
 * client PATH count      copies standard input to the server, then prints the count it answers
 * </pre>
 */
public final class UnixSocketPeer {

    private UnixSocketPeer() {}

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[1]);
        if (args[0].equals("server")) {
            serve(path);
        } else {
            client(path, args[2], args.length > 3 ? Long.parseLong(args[3]) : 0);
        }
    }

    private static void serve(Path path) throws Exception {
        Files.deleteIfExists(path);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            System.out.println("listening");
            while (true) {
                try (SocketChannel client = server.accept()) {
                    InputStream in = Channels.newInputStream(client);
                    String command = readLine(in);
                    if (command.startsWith("send ")) {
                        long left = Long.parseLong(command.substring(5));
                        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                        while (left > 0) {
                            chunk.clear().limit((int) Math.min(left, chunk.capacity()));
                            left -= chunk.remaining();
                            while (chunk.hasRemaining()) {
                                client.write(chunk);
                            }
                        }
                    } else {
                        byte[] buffer = new byte[64 * 1024];
                        long total = 0;
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            total += n;
                        }
                        client.write(ByteBuffer.wrap((total + "\n").getBytes(StandardCharsets.US_ASCII)));
                    }
                }
            }
        }
    }

    private static void client(Path path, String command, long bytes) throws Exception {
        try (SocketChannel socket = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            String line = (command.equals("send") ? "send " + bytes : "count") + "\n";
            socket.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
            byte[] buffer = new byte[64 * 1024];
            if (command.equals("send")) {
                OutputStream stdout = new FileOutputStream(FileDescriptor.out);
                InputStream in = Channels.newInputStream(socket);
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    stdout.write(buffer, 0, n);
                }
            } else {
                InputStream stdin = new FileInputStream(FileDescriptor.in);
                for (int n; (n = stdin.read(buffer)) >= 0; ) {
                    ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                    while (chunk.hasRemaining()) {
                        socket.write(chunk);
                    }
                }
                socket.shutdownOutput();
                System.out.print(readLine(Channels.newInputStream(socket)) + "\n");
            }
        }
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
            line.append((char) c);
        }
        return line.toString();
    }
}
