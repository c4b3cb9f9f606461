package io.github.singleinstance.internal.wire;

import io.github.singleinstance.Launch;
import io.github.singleinstance.TerminalInfo;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A launch's terminal, as {@link Launch} exposes it: the second launch's streams and cancellation
 * (the primary's {@code ForwardedTerminal}), or the primary's own process for launches that have no second launch behind them
 * ({@link #LOCAL}: desktop events, launches an application builds itself).
 */
public interface LaunchTerminal {

    PrintStream out();

    PrintStream err();

    InputStream in();

    boolean isCancelled();

    void onCancel(Runnable action);

    /** No second launch: the primary's own standard output and error, no input, never cancelled. */
    LaunchTerminal LOCAL = new LaunchTerminal() {
        @Override
        public PrintStream out() {
            return System.out;
        }

        @Override
        public PrintStream err() {
            return System.err;
        }

        @Override
        public InputStream in() {
            return InputStream.nullInputStream();
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void onCancel(Runnable action) {}
    };

    /**
     * How this package builds {@link Launch}es with an environment and a terminal, which its public constructors do
     * not take: {@code Launch.Registration} registers the one instance when it is initialised (on first use here).
     */
    abstract class Access {
        private static volatile Access instance;

        public static void register(Access access) {
            instance = access;
        }

        public static Access get() {
            Access access = instance;
            if (access == null) {
                try { // initialises Launch.Registration, which registers the factory
                    Class.forName(Launch.class.getName() + "$Registration", true, Launch.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
                access = instance;
            }
            return access;
        }

        public abstract Launch create(
                List<String> args,
                Path workingDirectory,
                long senderPid,
                Instant launchTime,
                byte[] additionalData,
                Map<String, String> environment,
                LaunchTerminal remote,
                TerminalInfo terminalInfo);

        public abstract Launch withRemote(Launch launch, LaunchTerminal remote);
    }
}
