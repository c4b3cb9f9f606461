package io.github.singleinstance.internal.sender;

/**
 * For a second launch that exits the JVM once its reply comes ({@code claimOrExit}, the Spring fast launcher): on
 * Java 21+, {@code Runtime.exit} first asks {@code System.getLogger("java.lang.Runtime")} whether to log the exit,
 * and the first such call looks for a {@code System.LoggerFinder} with a {@code ServiceLoader} over the class path and
 * the JDK's modules (about a hundred classes: 10-20 ms of a second launch). This asks the same question on a thread
 * of its own while the launch waits for its reply, so that the exit finds it answered. It logs nothing, and changes no
 * logging configuration the exit would not have made a moment later. Not run on Java 17-20, whose exit asks nothing.
 */
final class ExitPreparation implements Runnable {

    private static final int FIRST_JAVA_THAT_LOGS_EXITS = 21;

    private ExitPreparation() {}

    /** Starts asking on a daemon thread, where the JVM's exit would ask. */
    static void start() {
        if (Runtime.version().feature() < FIRST_JAVA_THAT_LOGS_EXITS) {
            return;
        }
        Thread thread = new Thread(new ExitPreparation(), "single-instance-exit-preparation");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void run() {
        System.getLogger("java.lang.Runtime").isLoggable(System.Logger.Level.DEBUG);
    }
}
