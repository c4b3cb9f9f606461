package io.github.singleinstance.examples.desktopfx;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.examples.desktop.DesktopSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged JavaFX jar on a real X server (Xvfb with openbox: the Swing example's {@link DesktopSession}), each
 * launch a JVM of its own with a clean environment: a later launch opens its file in the running window and brings it to the
 * front, also out of the minimised state. Skipped where the X tools are not installed, a failure in strict mode
 * ({@code SINGLE_INSTANCE_TEST_STRICT=true}). Keeps a picture of the window with both files in
 * {@code target/desktop-javafx.png}.
 */
class DesktopFxExampleIT {

    static final String JAR = System.getProperty("example.jar");

    @RegisterExtension
    static final DesktopSession session = DesktopSession.onXServer(DesktopFxExampleIT::missingGtk3);

    private final String id = "test-" + UUID.randomUUID();

    private static List<String> missingGtk3() throws Exception {
        Process ldconfig = new ProcessBuilder("/sbin/ldconfig", "-p")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String libraries = new String(ldconfig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return ldconfig.waitFor(30, TimeUnit.SECONDS) && libraries.contains("libgtk-3.so.0")
                ? List.of()
                : List.of("GTK 3 (libgtk-3-0), which JavaFX opens its windows with");
    }

    private Process startExample(String name, Path workingDirectory, String... args) throws IOException {
        return session.start(name, workingDirectory, DesktopSession.javaJar(id, JAR, args));
    }

    /** Starts a later launch, waits for its exit, asserts exit 0 and returns its standard output. */
    private String launch(String name, Path workingDirectory, String... args) throws Exception {
        return session.awaitSuccess(name, startExample(name, workingDirectory, args), Duration.ofSeconds(60));
    }

    /** The JVMs running the example with this test's id. */
    private List<ProcessHandle> examples() {
        return DesktopSession.processes(info -> info.arguments()
                .map(args -> List.of(args).contains("-Dsingle-instance.id=" + id))
                .orElse(false));
    }

    @Test
    @Timeout(180)
    void aLaterLaunchOpensItsFileInTheRunningWindowAndBringsItToTheFront() throws Exception {
        Path first = session.dir().resolve("first");
        Path second = session.dir().resolve("second");
        Process primary = startExample("primary", first, "notes.txt");
        String window = session.awaitWindow(NotesWindow.TITLE, "primary", primary);
        assertThat(session.server().windowName(window)).isEqualTo(NotesWindow.TITLE + "notes.txt");
        session.activateAnotherWindow();

        // a file relative to the later launch's working directory, not the primary's
        assertThat(launch("second", second, "drafts/todo.txt")).isEqualTo("opened 1 file(s) in the running window\n");
        assertThat(examples()).as("the JVMs with this test's id").containsExactly(primary.toHandle());
        session.awaitActive(window, NotesWindow.TITLE + "todo.txt");
        assertThat(session.output("primary.out"))
                .contains(
                        "opened " + first.resolve("notes.txt") + "\n",
                        "opened " + second.resolve("drafts/todo.txt") + "\n");
        session.screenshot(window, "target/desktop-javafx.png");

        session.minimise(window);

        assertThat(launch("third", second)).isEqualTo("brought the running window to the front\n");
        session.awaitRestored(window, NotesWindow.TITLE + "todo.txt");
    }
}
