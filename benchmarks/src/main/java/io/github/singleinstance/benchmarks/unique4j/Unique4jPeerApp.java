package io.github.singleinstance.benchmarks.unique4j;

import in.pratanumandal.unique4j.IpcClient;
import in.pratanumandal.unique4j.Unique4j;
import in.pratanumandal.unique4j.Unique4jConfig;
import in.pratanumandal.unique4j.Unique4jLock;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The published peer a Java user would pick: unique4j (io.github.furrrlo:unique4j, its lock file in a folder and a
 * loopback TCP port from 3000 up, its defaults) with an app like the {@code peer} module's and ours: the launch that
 * gets the lock prints {@code READY} and answers launches; a later launch sends its arguments and working directory,
 * prints the reply and exits with its code. An argument {@code --stop} ends the primary. Uses unique4j's lower-level
 * API ({@link Unique4j#newLock}): the one that lets the second launch read a reply.
 *
 * <p>System properties: {@code peer.id} (default {@code unique4j-peer}; also the lock folder's name), {@code peer.dir}
 * (the lock folder's parent; default {@code $XDG_RUNTIME_DIR}, else {@code java.io.tmpdir}).
 */
public final class Unique4jPeerApp {

    private Unique4jPeerApp() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        String id = System.getProperty("peer.id", "unique4j-peer");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path dir = Path.of(System.getProperty(
                "peer.dir", runtime != null && !runtime.isEmpty() ? runtime : System.getProperty("java.io.tmpdir")));
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
        DataOutputStream out = new DataOutputStream(client.getOutputStream());
        out.writeUTF(System.getProperty("user.dir"));
        out.writeInt(args.length);
        for (String arg : args) {
            out.writeUTF(arg);
        }
        out.flush();
        DataInputStream in = new DataInputStream(client.getInputStream());
        int exitCode = in.readInt();
        String message = in.readUTF();
        PrintStream target = exitCode == 0 ? System.out : System.err;
        target.println(message);
        target.flush();
        return exitCode;
    }

    /** Primary: reads one launch and answers it. */
    private static void answer(IpcClient client, long pid, CountDownLatch stop) throws IOException {
        DataInputStream in = new DataInputStream(client.getInputStream());
        String workingDirectory = in.readUTF();
        int count = in.readInt();
        List<String> received = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            received.add(in.readUTF());
        }
        boolean stopping = received.contains("--stop");
        String message = stopping
                ? "primary " + pid + " is stopping"
                : "primary " + pid + " received " + received + " from " + workingDirectory;
        DataOutputStream out = new DataOutputStream(client.getOutputStream());
        out.writeInt(0);
        out.writeUTF(message);
        out.flush();
        if (stopping) {
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
