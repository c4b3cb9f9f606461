package io.github.singleinstance.internal.os;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.os.portable.PortableBackend;

/**
 * The other process of the backend contract tests. Commands:
 * <pre>
 * lock BACKEND NAME          open the claim, try its lock, print WON or LOST; then hold it until killed
 * lock-and-spawn BACKEND NAME   like lock, and start a child process (sleep 120) that inherits what it can
 * pong BACKEND NAME ROUNDS   open segment NAME; ROUNDS times: wait until word 0 equals i, set word 64 to i, wake it
 * </pre>
 * BACKEND is a backend's name, or {@value #PORTABLE_SOCKETS}: the portable backend with sockets for its doorbell, as
 * on macOS.
 */
public final class BackendPeer {

    /** The portable backend with the doorbell of macOS, whatever the OS. */
    public static final String PORTABLE_SOCKETS = "portable-sockets";

    private BackendPeer() {}

    public static void main(String[] args) throws Exception {
        OsBackend os = args[1].equals(PORTABLE_SOCKETS)
                ? new PortableBackend(PrivateDirectory.ofThisUser(), false)
                : OsBackends.of(Backend.parse(args[1]), Scope.USER);
        String name = args[2];
        switch (args[0]) {
            case "lock", "lock-and-spawn" -> {
                ClaimHandle claim = os.openClaim(name);
                boolean won = claim.tryLock();
                if (won && args[0].equals("lock-and-spawn")) {
                    Process child = new ProcessBuilder("sleep", "120").start();
                    System.out.println("CHILD " + child.pid());
                }
                System.out.println(won ? "WON" : "LOST");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            case "pong" -> {
                int rounds = Integer.parseInt(args[3]);
                try (SharedSegment segment = os.openSegment(name, 4096, 4096)) {
                    System.out.println("READY");
                    System.out.flush();
                    for (int i = 1; i <= rounds; i++) {
                        int seen;
                        while ((seen = segment.buffer().getInt(0)) != i) {
                            os.await(segment, 0, seen, 10_000_000_000L);
                        }
                        segment.buffer().putInt(64, i);
                        os.wakeAll(segment, 64);
                    }
                    System.out.println("DONE");
                }
            }
            default -> throw new IllegalArgumentException("unknown command: " + args[0]);
        }
    }
}
