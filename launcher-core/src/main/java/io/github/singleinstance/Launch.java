package io.github.singleinstance;

import io.github.singleinstance.internal.wire.LaunchTerminal;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One forwarded launch, as the primary's {@link LaunchHandler} receives it: what the second launch sent (its
 * arguments, working directory, process, time, additional data and, if it forwards it, its environment), and its
 * terminal while the launch is handled: {@link #out()}, {@link #err()}, {@link #in()} and its cancellation.
 *
 * <p>Equality covers the data sent (what it said of its {@link #terminal()} included), not its streams.
 */
public final class Launch {

    /** How a launch reached the primary. */
    public enum Kind {
        /** A later start of the application: its command-line arguments, forwarded by its process. */
        COMMAND_LINE,
        /** The desktop asked the running application to open files (macOS Finder, {@code open}): {@code args} are
         * their absolute paths. */
        OPEN_FILES,
        /** The desktop asked the running application to open a URI (a registered URL scheme): {@code args} is that
         * one URI. */
        OPEN_URI,
        /** The desktop asked the running application to come to the front (its Dock icon clicked): no {@code args}. */
        ACTIVATE
    }

    private final List<String> args;
    private final Path workingDirectory;
    private final long senderPid;
    private final Instant launchTime;
    private final byte[] additionalData;
    private final Kind kind;
    private final Map<String, String> environment;
    /** Null for a launch without a second launch behind it ({@link LaunchTerminal#LOCAL}). */
    private final LaunchTerminal remote;

    /**
     * Null for {@link TerminalInfo#UNKNOWN}: the second launch builds its own launch with the public constructor and
     * must not load the class for it.
     */
    private final TerminalInfo terminalInfo;

    /**
     * @param args the sender's arguments, exactly and in order
     * @param workingDirectory the sender's working directory, to resolve relative paths in {@code args}
     * @param senderPid the process id of the launch that forwarded this
     * @param launchTime when the sender started forwarding
     * @param additionalData the bytes the sender attached with {@link SingleInstance.Builder#additionalData(byte[])}
     * @param kind how the launch came
     */
    public Launch(
            List<String> args,
            Path workingDirectory,
            long senderPid,
            Instant launchTime,
            byte[] additionalData,
            Kind kind) {
        this(args, workingDirectory, senderPid, launchTime, additionalData, kind, Map.of(), null, null);
    }

    /** A {@link Kind#COMMAND_LINE} launch. */
    public Launch(List<String> args, Path workingDirectory, long senderPid, Instant launchTime, byte[] additionalData) {
        this(args, workingDirectory, senderPid, launchTime, additionalData, Kind.COMMAND_LINE);
    }

    Launch(
            List<String> args,
            Path workingDirectory,
            long senderPid,
            Instant launchTime,
            byte[] additionalData,
            Kind kind,
            Map<String, String> environment,
            LaunchTerminal remote,
            TerminalInfo terminalInfo) {
        this.args = List.copyOf(args);
        this.workingDirectory = Objects.requireNonNull(workingDirectory, "workingDirectory");
        this.senderPid = senderPid;
        this.launchTime = Objects.requireNonNull(launchTime, "launchTime");
        this.additionalData = additionalData.clone();
        this.kind = Objects.requireNonNull(kind, "kind");
        this.environment = Map.copyOf(environment);
        this.remote = remote;
        this.terminalInfo = terminalInfo;
    }

    /**
     * Registers the factory the library's own package builds launches with, when it first needs one (the primary):
     * not in Launch's initialiser, so that a second launch, which only builds its own launch, loads none of it.
     */
    static final class Registration {
        private Registration() {}

        static { // here, not in a method of Launch: verifying Launch then loads none of these classes
            LaunchTerminal.Access.register(new LaunchTerminal.Access() {
                @Override
                public Launch create(
                        List<String> args,
                        Path workingDirectory,
                        long senderPid,
                        Instant launchTime,
                        byte[] additionalData,
                        Map<String, String> environment,
                        LaunchTerminal remote,
                        TerminalInfo terminalInfo) {
                    return new Launch(
                            args,
                            workingDirectory,
                            senderPid,
                            launchTime,
                            additionalData,
                            Kind.COMMAND_LINE,
                            environment,
                            remote,
                            terminalInfo);
                }

                @Override
                public Launch withRemote(Launch launch, LaunchTerminal remote) {
                    return new Launch(
                            launch.args,
                            launch.workingDirectory,
                            launch.senderPid,
                            launch.launchTime,
                            launch.additionalData,
                            launch.kind,
                            launch.environment,
                            remote,
                            launch.terminalInfo);
                }
            });
        }
    }

    /** The sender's arguments, exactly and in order. */
    public List<String> args() {
        return args;
    }

    /** The sender's working directory, to resolve relative paths in {@link #args()}. */
    public Path workingDirectory() {
        return workingDirectory;
    }

    /** The process id of the launch that forwarded this. */
    public long senderPid() {
        return senderPid;
    }

    /** When the sender started forwarding. */
    public Instant launchTime() {
        return launchTime;
    }

    /**
     * The bytes the sender attached with {@link SingleInstance.Builder#additionalData(byte[])}, empty if none; a copy
     * on each call.
     */
    public byte[] additionalData() {
        return additionalData.clone();
    }

    /**
     * How the launch came: {@link Kind#COMMAND_LINE} for every forwarded launch; the other kinds come from the desktop
     * ({@link DesktopEvents}), within the primary's own process.
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The sender's environment variables, if it forwards them ({@link SingleInstance.Builder#forwardEnvironment}: all,
     * or those named); empty otherwise, and for launches from the desktop or of an older version.
     */
    public Map<String, String> environment() {
        return environment;
    }

    /**
     * The second launch's standard output: what the handler writes here is printed by the second launch while the
     * handler runs, in order, without a size limit; a slow reader there slows the writer here. Writes after the
     * second launch was cancelled or died throw {@link LaunchCancelledException}. For a launch whose sender cannot
     * receive output (a desktop launch, a sender of an older version, a {@code Scope.SYSTEM} instance), the
     * primary's own standard output. Thread-safe; autoflush on {@code println} and on every {@code write}.
     */
    public PrintStream out() {
        return streams().out();
    }

    /** The second launch's standard error; as {@link #out()}. */
    public PrintStream err() {
        return streams().err();
    }

    /**
     * The second launch's standard input, read to its end, byte-exact and flow-controlled (the sender reads only as
     * fast as the handler does), if the application forwards standard input
     * ({@link SingleInstance.Builder#forwardStandardInput(boolean)}, off by default; else this throws
     * {@link IllegalStateException}). Empty for a launch from the desktop or from a sender that cannot stream (an
     * older version, a {@code Scope.SYSTEM} instance). Reading after the second launch was cancelled throws
     * {@link LaunchCancelledException}.
     */
    public InputStream in() {
        return streams().in();
    }

    /**
     * Whether the second launch stopped waiting for this launch: interrupted (Ctrl-C, SIGTERM) or timed out, or, once
     * its streams are open (the handler wrote, read, or asked {@link #onCancel}), killed. Its answer will not be read;
     * the handler may stop early. Always false for launches from the desktop.
     */
    public boolean isCancelled() {
        return streams().isCancelled();
    }

    /**
     * Runs {@code action} once when the second launch is cancelled (at once if it is already), on a thread of the
     * library's: keep it short (interrupt a worker, close a resource). Opens the launch's streams (so that the end of
     * the second launch is seen at once). Never called for a launch that was answered first, nor for one from a
     * sender that cannot stream (an older version: see {@link #out()}).
     */
    public void onCancel(Runnable action) {
        streams().onCancel(Objects.requireNonNull(action, "action"));
    }

    /**
     * Whether the second launch's standard input, output and error are terminals, and the terminal's size where it
     * knew it: print to {@link #out()} as a local program would (decorated to a terminal, plain into a pipe). What
     * each platform and JDK can tell is described in {@link TerminalInfo}; {@link TerminalInfo#UNKNOWN} for a launch
     * from the desktop, from a sender of an older version, or built by the application itself.
     */
    public TerminalInfo terminal() {
        return terminalInfo != null ? terminalInfo : TerminalInfo.UNKNOWN;
    }

    private LaunchTerminal streams() {
        return remote != null ? remote : LaunchTerminal.LOCAL;
    }

    @Override
    public String toString() {
        return "Launch[args=" + args + ", workingDirectory=" + workingDirectory + ", senderPid=" + senderPid
                + ", launchTime=" + launchTime + ", additionalData=" + additionalData.length + " bytes, kind=" + kind
                + ", environment=" + environment.size() + " variables, terminal=" + terminal() + "]";
    }

    /**
     * Equal if the data sent is: arguments, directory, sender, time, additional data, kind, environment and terminal.
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Launch that
                && args.equals(that.args)
                && workingDirectory.equals(that.workingDirectory)
                && senderPid == that.senderPid
                && launchTime.equals(that.launchTime)
                && Arrays.equals(additionalData, that.additionalData)
                && kind == that.kind
                && environment.equals(that.environment)
                && terminal().equals(that.terminal());
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                args,
                workingDirectory,
                senderPid,
                launchTime,
                Arrays.hashCode(additionalData),
                kind,
                environment,
                terminal());
    }
}
