package io.github.singleinstance.examples.desktop;

import io.github.singleinstance.Launch;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstance;
import java.awt.GraphicsEnvironment;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.swing.SwingUtilities;

/**
 * A desktop application made single-instance: a window that lists the files it was asked to open. Start it with files;
 * start it again with more files and they open in the running window, which comes to the front.
 *
 * <pre>
 * java -jar desktop-swing.jar notes.txt      # opens the window: "Single-instance notes - notes.txt"
 * java -jar desktop-swing.jar todo.txt       # prints "opened 1 file(s) in the running window", exits 0
 * java -jar desktop-swing.jar                # only brings the running window to the front
 * </pre>
 *
 * <p>The id defaults to {@value #ID}; {@code -Dsingle-instance.id=...} overrides it.
 */
public final class DesktopExample {

    /** The application id unless {@code single-instance.id} says otherwise. */
    static final String ID = "io.github.singleinstance.examples.desktop-swing";

    /** How long a launch waits for the event-dispatch thread, well inside the sender's 5 s forward timeout. */
    private static final long EDT_WAIT_SECONDS = 3;

    private DesktopExample() {}

    public static void main(String[] args) throws InterruptedException, InvocationTargetException {
        // Claim first: a later launch forwards even from a terminal without a display (ssh into the desktop's user).
        PrimaryInstance primary = SingleInstance.builder().id(ID).build().claimOrExit(args);

        if (GraphicsEnvironment.isHeadless()) {
            System.err.println("desktop-swing: no display: this example opens a window and needs a graphical desktop"
                    + " (DISPLAY is not set, or java.awt.headless=true). Start it from a desktop session.");
            primary.close();
            System.exit(1);
        }

        List<Path> files = resolve(Path.of("").toAbsolutePath(), List.of(args));
        NotesWindow[] created = new NotesWindow[1];
        SwingUtilities.invokeAndWait(() -> {
            NotesWindow window = new NotesWindow(primary);
            window.open(files);
            window.setVisible(true);
            created[0] = window;
        });
        NotesWindow window = created[0];
        System.out.println("primary " + ProcessHandle.current().pid() + " running as " + primary.id()
                + "; start me again with files");

        // The handler runs on the library's handler thread: Swing is touched only on the event-dispatch thread.
        primary.onLaunch(launch -> onEventDispatchThread(() -> window.accept(resolve(launch))));
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

    /** Runs {@code task} on the event-dispatch thread and answers with its reply, or says the window is busy. */
    private static Reply onEventDispatchThread(java.util.function.Supplier<Reply> task) throws Exception {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        SwingUtilities.invokeLater(() -> {
            try {
                reply.complete(task.get());
            } catch (RuntimeException | Error e) {
                reply.completeExceptionally(e);
            }
        });
        try {
            return reply.get(EDT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return Reply.failure(
                    75,
                    "the running window did not answer within " + EDT_WAIT_SECONDS
                            + " s (its event thread is busy); it will still handle this launch when it can");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
