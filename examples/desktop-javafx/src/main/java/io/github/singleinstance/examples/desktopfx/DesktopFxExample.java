package io.github.singleinstance.examples.desktopfx;

import io.github.singleinstance.Launch;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javafx.application.Platform;

/**
 * The Swing example's window in JavaFX: a window that lists the files it was asked to open. Start it with files; start
 * it again with more files and they open in the running window, which comes to the front.
 *
 * <pre>
 * java -jar desktop-javafx.jar notes.txt   # opens the window: "Single-instance JavaFX notes - notes.txt"
 * java -jar desktop-javafx.jar todo.txt    # prints "opened 1 file(s) in the running window", exits 0
 * java -jar desktop-javafx.jar             # only brings the running window to the front
 * </pre>
 *
 * <p>The JavaFX platform is started with {@link Platform#startup(Runnable)}: this class is no {@code Application}, so
 * that {@code java -jar} starts it from the class path. The id defaults to {@value #ID};
 * {@code -Dsingle-instance.id=...} overrides it.
 */
public final class DesktopFxExample {

    /** The application id unless {@code single-instance.id} says otherwise. */
    static final String ID = "io.github.singleinstance.examples.desktop-javafx";

    /** How long a launch waits for the JavaFX application thread, well inside the sender's 5 s forward timeout. */
    private static final long FX_WAIT_SECONDS = 3;

    private DesktopFxExample() {}

    public static void main(String[] args) throws Exception {
        // Claim first: a later launch forwards even from a terminal without a display (ssh into the desktop's user).
        PrimaryInstance primary = SingleInstance.builder().id(ID).build().claimOrExit(args);

        if (System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            System.err.println("desktop-javafx: no display: this example opens a window and needs a graphical desktop"
                    + " (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from a desktop session.");
            primary.close();
            System.exit(1);
        }

        List<Path> files = resolve(Path.of("").toAbsolutePath(), List.of(args));
        CompletableFuture<NotesWindow> created = new CompletableFuture<>();
        Platform.setImplicitExit(false); // the window's close handler ends the application, after giving up the claim
        Platform.startup(() -> complete(created, () -> {
            NotesWindow window = new NotesWindow(primary);
            window.open(files);
            window.show();
            return window;
        }));
        NotesWindow window = get(created);
        System.out.println("primary " + ProcessHandle.current().pid() + " running as " + primary.id()
                + "; start me again with files");

        // The handler runs on the library's handler thread: JavaFX is touched only on the JavaFX application thread.
        primary.onLaunch(launch -> onFxThread(() -> window.accept(resolve(launch))));
    }

    /** The launch's arguments as files, each resolved against the launch's own working directory. */
    static List<Path> resolve(Launch launch) {
        return resolve(launch.workingDirectory(), launch.args());
    }

    static List<Path> resolve(Path workingDirectory, List<String> args) {
        List<Path> files = new ArrayList<>(args.size());
        for (String arg : args) {
            files.add(workingDirectory.resolve(arg).toAbsolutePath().normalize());
        }
        return files;
    }

    /** Runs {@code task} on the JavaFX application thread and answers with its reply, or says the window is busy. */
    private static Reply onFxThread(Supplier<Reply> task) throws Exception {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        Platform.runLater(() -> complete(reply, task));
        try {
            return reply.get(FX_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return Reply.failure(
                    75,
                    "the running window did not answer within " + FX_WAIT_SECONDS
                            + " s (its JavaFX thread is busy); it will still handle this launch when it can");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static <T> void complete(CompletableFuture<T> result, Supplier<T> task) {
        try {
            result.complete(task.get());
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }

    private static <T> T get(CompletableFuture<T> result) throws Exception {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
