import it.sauronsoftware.junique.AlreadyLockedException;
import it.sauronsoftware.junique.JUnique;

/**
 * The peer measured by hand: JUnique (a lock file and a port file under {@code ~/.junique}, one loopback TCP exchange
 * of a string) with an app of the same shape as the others: the launch that gets the lock prints {@code READY} and
 * answers launches; a later launch sends its working directory and arguments, prints the reply and exits 0 (75 when no
 * primary answered). JUnique is not on Maven Central, so this file is not part of the build: {@code
 * scripts/measure-launch-speed.sh} compiles it with a JUnique checkout named by {@code JUNIQUE_SRC}, and copies none of
 * JUnique's source into this project.
 *
 * <p>System property: {@code peer.id} (default {@code junique-peer}), JUnique's lock id.
 */
public final class JUniquePeerApp {

    private JUniquePeerApp() {}

    public static void main(String[] args) throws InterruptedException {
        String id = System.getProperty("peer.id", "junique-peer");
        try {
            JUnique.acquireLock(id, launch -> "handled " + launch);
        } catch (AlreadyLockedException e) {
            String reply = JUnique.sendMessage(id, System.getProperty("user.dir") + "\0" + String.join("\0", args));
            System.out.println(reply);
            System.exit(reply == null ? 75 : 0);
        }
        System.out.println("READY " + id + " pid " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
