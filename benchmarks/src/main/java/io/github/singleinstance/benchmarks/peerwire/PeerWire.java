package io.github.singleinstance.benchmarks.peerwire;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the two peers of {@code scripts/measure-launch-speed.sh} ({@code peer.TcpPeerApp} and {@code
 * unique4j.Unique4jPeerApp}) share, each over a connection of its own: the folder they keep their files in, a later
 * launch's message (its working directory and arguments, {@link DataOutputStream} UTF strings) and the primary's reply
 * (an exit code and a line to print). Both peers' jars include this class and nothing else of the module beside their
 * own (benchmarks/pom.xml).
 *
 * <p>A later launch first loads {@link DataInputStream} after it has sent its launch, as before this class was split
 * off: LaunchSpeed's timeline takes that load for the step "launch sent: reading the reply".
 */
public final class PeerWire {

    private PeerWire() {}

    /** {@code peer.dir}, else {@code $XDG_RUNTIME_DIR}, else {@code java.io.tmpdir}. */
    public static Path dir() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return Path.of(System.getProperty(
                "peer.dir", runtime != null && !runtime.isEmpty() ? runtime : System.getProperty("java.io.tmpdir")));
    }

    /**
     * Later launch: sends its working directory and {@code args}, reads the reply, prints its line (to standard output
     * for exit code 0, else to standard error) and returns its exit code.
     */
    public static int forward(OutputStream output, InputStream input, String[] args) throws IOException {
        DataOutputStream out = new DataOutputStream(output);
        out.writeUTF(System.getProperty("user.dir"));
        out.writeInt(args.length);
        for (String arg : args) {
            out.writeUTF(arg);
        }
        out.flush();
        DataInputStream in = new DataInputStream(input);
        int exitCode = in.readInt();
        String message = in.readUTF();
        PrintStream target = exitCode == 0 ? System.out : System.err;
        target.println(message);
        target.flush();
        return exitCode;
    }

    /**
     * Primary (process {@code pid}): reads one launch and answers it with exit code 0 and what it received; returns
     * whether the launch asked the primary to stop (an argument {@code --stop}).
     */
    public static boolean answer(InputStream input, OutputStream output, long pid) throws IOException {
        DataInputStream in = new DataInputStream(input);
        String workingDirectory = in.readUTF();
        int count = in.readInt();
        List<String> received = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            received.add(in.readUTF());
        }
        boolean stop = received.contains("--stop");
        String message = stop
                ? "primary " + pid + " is stopping"
                : "primary " + pid + " received " + received + " from " + workingDirectory;
        DataOutputStream out = new DataOutputStream(output);
        out.writeInt(0);
        out.writeUTF(message);
        out.flush();
        return stop;
    }
}
