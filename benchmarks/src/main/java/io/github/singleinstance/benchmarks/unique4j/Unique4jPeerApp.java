package io.github.singleinstance.benchmarks.unique4j;

import in.pratanumandal.unique4j.IpcClient;
import in.pratanumandal.unique4j.Unique4j;
import in.pratanumandal.unique4j.Unique4jConfig;
import in.pratanumandal.unique4j.Unique4jLock;
import io.github.singleinstance.benchmarks.peerwire.PeerWire;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The published peer a Java user would pick: unique4j (io.github.furrrlo:unique4j, its lock file in a folder and a
 * loopback TCP port from 3000 up, its defaults) with an app like the {@code peer} module's and ours: the launch that
 * gets the lock prints {@code READY} and answers launches; a later launch sends its arguments and working directory,
 * prints the reply and exits with its code. An argument {@code --stop} ends the primary. Uses unique4j's lower-level
 * API ({@link Unique4j#newLock}): the one that lets the second launch read a reply. The launch and the reply are the
 * TCP peer's ({@link PeerWire}).
 *
 * <p>System properties: {@code peer.id} (default {@code unique4j-peer}; also the lock folder's name), {@code peer.dir}
 * (the lock folder's parent; default {@code $XDG_RUNTIME_DIR}, else {@code java.io.tmpdir}).
 */
public final class Unique4jPeerApp {

    private Unique4jPeerApp() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        String id = System.getProperty("peer.id", "unique4j-peer");
        Path dir = PeerWire.dir();
        long pid = ProcessHandle.current().pid();
        CountDownLatch stop = new CountDownLatch(1);
        int[] exitCode = {75}; // no primary answered
        Unique4jLock lock = Unique4j.withConfig(Unique4jConfig.createDefault(id)
                        .lockFolder(dir.resolve(id).toFile()))
                .newLock(
                        client -> answer(client, pid, stop), // in the primary, for each later launch
                        client -> exitCode[0] = forward(client, args)); // in a later launch
        if (!lock.tryLock()) {
            System.exit(exitCode[0]);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> unlock(lock)));
        System.out.println("READY " + id + " pid " + pid);
        System.out.flush();
        stop.await();
        System.exit(0);
    }

    /** Second launch: sends the launch and returns the reply's exit code. */
    private static int forward(IpcClient client, String[] args) throws IOException {
        return PeerWire.forward(client.getOutputStream(), client.getInputStream(), args);
    }

    /** Primary: reads one launch and answers it. */
    private static void answer(IpcClient client, long pid, CountDownLatch stop) throws IOException {
        if (PeerWire.answer(client.getInputStream(), client.getOutputStream(), pid)) {
            stop.countDown();
        }
    }

    private static void unlock(Unique4jLock lock) {
        try {
            lock.unlock();
        } catch (IOException | RuntimeException e) {
            System.err.println("unlock failed: " + e);
        }
    }
}
