package io.github.singleinstance.spring;

import io.github.singleinstance.Launch;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.context.ApplicationEvent;

/**
 * A later launch of this application forwarded its arguments to this, the running instance.
 *
 * <p>Published once the application is ready (launches that arrive while it starts are held, then published in
 * order: none is lost), one at a time in arrival order, on the {@code single-instance-handler} thread, or for held
 * launches on the thread that makes the application ready. A listener answers with {@link #reply(Reply)}; the
 * second launch prints the message (standard output for exit code 0, else standard error) and exits with the code.
 * The last reply set wins. With no listener or no reply, the second launch gets {@link #DEFAULT_REPLY}: exit code 0,
 * nothing printed. A listener that throws answers exit code 70 with the exception's message.
 *
 * <p>A launch that waited longer than the startup reply timeout for the application to become ready has already been
 * answered with exit code 0 and a "still starting" message; it is published once ready with
 * {@link #isReplyExpected()} false, and its reply goes nowhere. A listener that takes long delays only the launches
 * published after it (intake goes on: they are taken and wait, kept alive); to answer from another thread, use
 * {@link #replyLater()}. Do not call {@link System#exit} from a listener: hand it to another thread, so that the reply
 * is written first.
 */
public final class LaunchEvent extends ApplicationEvent {

    /** What a launch gets when no listener replies: exit code 0, nothing printed. */
    public static final Reply DEFAULT_REPLY = Reply.ok();

    /** The exit code of the reply to a launch held while the application was still starting: 0, it will be handled. */
    public static final int HELD_REPLY_CODE = 0;

    private final Launch launch;
    private final boolean replyExpected;
    private volatile @Nullable ApplicationArguments applicationArguments;
    private volatile @Nullable Reply reply;
    private volatile @Nullable CompletableFuture<Reply> later;

    LaunchEvent(PrimaryInstance source, Launch launch, boolean replyExpected) {
        super(source);
        this.launch = launch;
        this.replyExpected = replyExpected;
    }

    /** The running instance that received the launch. */
    public PrimaryInstance getPrimaryInstance() {
        return (PrimaryInstance) getSource();
    }

    /** The launch as the core delivered it. */
    public Launch getLaunch() {
        return launch;
    }

    /** The sender's arguments, exactly and in order. */
    public List<String> getArgs() {
        return launch.args();
    }

    /** The sender's arguments parsed the way Spring Boot parses {@code main}'s ({@code --name=value} options). */
    public ApplicationArguments getApplicationArguments() {
        ApplicationArguments parsed = applicationArguments;
        if (parsed == null) {
            parsed = new DefaultApplicationArguments(launch.args().toArray(String[]::new));
            applicationArguments = parsed;
        }
        return parsed;
    }

    /** The sender's working directory: resolve relative paths in the arguments against it. */
    public Path getWorkingDirectory() {
        return launch.workingDirectory();
    }

    /** {@code path} resolved against the sender's working directory. */
    public Path resolve(String path) {
        return launch.workingDirectory().resolve(path);
    }

    public long getSenderPid() {
        return launch.senderPid();
    }

    /** When the sender started forwarding. */
    public Instant getLaunchTime() {
        return launch.launchTime();
    }

    /** The bytes the sender attached, empty if none; a copy on each call. */
    public byte[] getAdditionalData() {
        return launch.additionalData();
    }

    /**
     * The second launch's standard output, written while the listener runs (see {@link Launch#out()}). A launch held
     * while the application started and answered already ({@link #isReplyExpected()} false) has no one reading it.
     */
    public PrintStream getOut() {
        return launch.out();
    }

    /** The second launch's standard error (see {@link Launch#err()}). */
    public PrintStream getErr() {
        return launch.err();
    }

    /**
     * The second launch's standard input (see {@link Launch#in()}), if the application forwards it
     * ({@code single-instance.forward-stdin}, {@link SingleInstance#forwardStandardInput()}).
     */
    public InputStream getIn() {
        return launch.in();
    }

    /**
     * The environment variables the second launch sent ({@code single-instance.forward-environment},
     * {@link SingleInstance#forwardEnvironment()}); empty by default. Not Spring's {@code Environment}.
     */
    public Map<String, String> getSenderEnvironment() {
        return launch.environment();
    }

    /** Whether the second launch stopped waiting: Ctrl-C, killed, timed out (see {@link Launch#isCancelled()}). */
    public boolean isCancelled() {
        return launch.isCancelled();
    }

    /** Runs {@code action} once if the second launch is cancelled before its reply (see {@link Launch#onCancel}). */
    public void onCancel(Runnable action) {
        launch.onCancel(action);
    }

    /** False for a launch that was answered while the application was starting: {@link #reply} then goes nowhere. */
    public boolean isReplyExpected() {
        return replyExpected;
    }

    /** Sets the reply the second launch prints and exits with. */
    public void reply(Reply reply) {
        this.reply = java.util.Objects.requireNonNull(reply, "reply");
    }

    /** Sets the reply: exit code 0 prints {@code message} to standard output, any other code to standard error. */
    public void reply(int exitCode, String message) {
        reply(new Reply(exitCode, message));
    }

    /** The reply a listener set, if any. */
    public Optional<Reply> getReply() {
        return Optional.ofNullable(reply);
    }

    /**
     * Answers later: the listener returns at once and completes the returned future from any thread when it is done
     * (exceptionally: exit code 70 with the exception's message). Meanwhile the second launch waits, kept alive by the
     * running instance's progress signal, up to its total timeout ({@code single-instance.total-timeout}, 60 s unless
     * set), and later launches are taken and published as usual. Calling it again returns the same future; a reply
     * set with {@link #reply} is then ignored.
     */
    public synchronized CompletableFuture<Reply> replyLater() {
        CompletableFuture<Reply> future = later;
        if (future == null) {
            future = new CompletableFuture<>();
            later = future;
        }
        return future;
    }

    /** The answer to send: the deferred one if a listener asked for it, else the reply set (or the default). */
    CompletableFuture<Reply> answer() {
        CompletableFuture<Reply> future = later;
        return future != null
                ? future
                : CompletableFuture.completedFuture(getReply().orElse(DEFAULT_REPLY));
    }

    @Override
    public String toString() {
        return "LaunchEvent[" + launch + ", replyExpected=" + replyExpected + "]";
    }
}
