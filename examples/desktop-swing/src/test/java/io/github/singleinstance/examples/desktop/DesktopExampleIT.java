package io.github.singleinstance.examples.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged jar on a real X server (Xvfb with openbox), driven as a person would with xdotool: a later launch
 * opens its file in the running window and brings it to the front, also out of the minimised state. Skipped where the
 * X tools are not installed, a failure in strict mode ({@code SINGLE_INSTANCE_TEST_STRICT=true}). A failing test
 * leaves a screenshot of the screen in {@code target/failsafe-reports/<test>.png}.
 */
class DesktopExampleIT {

    static final String JAR = System.getProperty("example.jar");

    @RegisterExtension
    static final DesktopSession session = DesktopSession.onXServer();

    private final String id = "test-" + UUID.randomUUID();

    /** Starts a launch, waits for its exit, asserts exit 0 and returns its standard output. */
    private String launch(String name, Path workingDirectory, String... args) throws Exception {
        Process process = session.start(name, workingDirectory, DesktopSession.javaJar(id, JAR, args));
        return session.awaitSuccess(name, process, Duration.ofSeconds(60));
    }

    /** Starts the primary and returns its window's id once the window is on the screen. */
    private String startPrimary(Path workingDirectory, String... files) throws Exception {
        Process primary = session.start("primary", workingDirectory, DesktopSession.javaJar(id, JAR, files));
        return session.awaitWindow(NotesWindow.TITLE, "primary", primary);
    }

    @Test
    @Timeout(180)
    void laterLaunchesOpenTheirFilesInTheRunningWindowAndBringItToTheFront() throws Exception {
        Path first = session.dir().resolve("first");
        Path second = session.dir().resolve("second");
        String window = startPrimary(first, "notes.txt");
        assertThat(session.server().windowName(window)).isEqualTo(NotesWindow.TITLE + "notes.txt");

        session.activateAnotherWindow();
        assertThat(session.server().activeWindow()).isNotEqualTo(window);

        // a file relative to the later launch's working directory, not the primary's
        assertThat(launch("second", second, "drafts/todo.txt")).isEqualTo("opened 1 file(s) in the running window\n");
        session.awaitActive(window, NotesWindow.TITLE + "todo.txt");
        assertThat(session.output("primary.out"))
                .contains(
                        "opened " + first.resolve("notes.txt") + "\n",
                        "opened " + second.resolve("drafts/todo.txt") + "\n");
        session.screenshot(window, "target/desktop.png");

        session.minimise(window);
        assertThat(session.server().activeWindow()).isNotEqualTo(window);

        assertThat(launch("third", second)).isEqualTo("brought the running window to the front\n");
        session.awaitRestored(window, NotesWindow.TITLE + "todo.txt");
    }

    @Test
    @Timeout(120)
    void aLaterLaunchWithoutADisplayStillReachesTheRunningWindow() throws Exception {
        String window = startPrimary(session.dir(), "notes.txt");
        session.activateAnotherWindow();

        Map<String, String> withoutDisplay = session.environment();
        withoutDisplay.remove("DISPLAY");
        Process process =
                session.start("headless", session.dir(), DesktopSession.javaJar(id, JAR, "more.txt"), withoutDisplay);
        assertThat(session.awaitSuccess("headless", process, Duration.ofSeconds(60)))
                .isEqualTo("opened 1 file(s) in the running window\n");
        session.awaitActive(window, NotesWindow.TITLE + "more.txt");
    }
}
