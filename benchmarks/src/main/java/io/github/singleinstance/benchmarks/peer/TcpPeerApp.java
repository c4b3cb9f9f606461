package io.github.singleinstance.benchmarks.peer;

import io.github.singleinstance.benchmarks.peerwire.PeerWire;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The baseline a Java user would otherwise pick (the lock file + loopback TCP scheme of JUnique and unique4j, written
 * here from scratch, no dependencies): the launch that gets {@link FileChannel#tryLock} on {@code <dir>/<id>.lock}
 * becomes the primary, listens on a loopback port, writes the port to {@code <dir>/<id>.port}, prints {@code READY}
 * and serves; a later launch reads the port, sends its arguments and working directory, prints the reply and exits
 * with its code (the launch and the reply: {@link PeerWire}, shared with the unique4j peer). An argument {@code
 * --stop} ends the primary.
 *
 * <p>System properties: {@code peer.id} (default {@code tcp-peer}), {@code peer.dir} (default {@code
 * $XDG_RUNTIME_DIR}, else {@code java.io.tmpdir}).
 */
public final class TcpPeerApp {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private TcpPeerApp() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        String id = System.getProperty("peer.id", "tcp-peer");
        Path dir = PeerWire.dir();
        Path lockFile = dir.resolve(id + ".lock");
        Path portFile = dir.resolve(id + ".port");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            System.exit(forward(portFile, args));
        }
        serve(id, portFile, lock);
    }

    /** Second launch: connects to the port the primary wrote, sends the launch and returns the reply's exit code. */
    private static int forward(Path portFile, String[] args) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + CONNECT_TIMEOUT_MILLIS * 1_000_000L;
        while (true) {
            try (Socket socket = connect(portFile)) {
                return PeerWire.forward(socket.getOutputStream(), socket.getInputStream(), args);
            } catch (NoSuchFileException | NumberFormatException | java.net.ConnectException e) {
                // the primary has the lock but has not written its port yet, or an old port file is left
                if (System.nanoTime() > deadline) {
                    System.err.println("no primary answers: " + e);
                    return 75;
                }
                Thread.sleep(5);
            }
        }
    }

    private static Socket connect(Path portFile) throws IOException {
        int port = Integer.parseInt(
                Files.readString(portFile, StandardCharsets.US_ASCII).trim());
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MILLIS);
        return socket;
    }

    /** Primary: listens on a loopback port, publishes it and answers launches one at a time until {@code --stop}. */
    private static void serve(String id, Path portFile, FileLock lock) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Path temporary = portFile.resolveSibling(
                portFile.getFileName() + "." + ProcessHandle.current().pid());
        Files.writeString(temporary, Integer.toString(server.getLocalPort()), StandardCharsets.US_ASCII);
        Files.move(temporary, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> cleanUp(portFile, lock, server)));
        long pid = ProcessHandle.current().pid();
        System.out.println("READY " + id + " pid " + pid + " port " + server.getLocalPort());
        System.out.flush();
        boolean stop = false;
        while (!stop) {
            try (Socket socket = server.accept()) {
                socket.setTcpNoDelay(true);
                stop = PeerWire.answer(socket.getInputStream(), socket.getOutputStream(), pid);
            } catch (IOException e) {
                System.err.println("launch failed: " + e);
            }
        }
        System.exit(0);
    }

    private static void cleanUp(Path portFile, FileLock lock, ServerSocket server) {
        try {
            server.close();
            Files.deleteIfExists(portFile);
            lock.release();
            lock.channel().close();
        } catch (IOException e) {
            System.err.println("clean-up failed: " + e);
        }
    }
}
