package io.github.singleinstance.examples.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The first launch without a display: it cannot open its window, says so and exits 1 (needs no X server). */
class HeadlessLaunchIT {

    @TempDir
    Path dir;

    private final String id = "test-" + UUID.randomUUID();

    private Process launch(String name) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(DesktopSession.javaJar(id, DesktopExampleIT.JAR, "notes.txt"))
                .directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile());
        io.github.singleinstance.testsupport.TestJvm.withCleanEnvironment(builder); // no SINGLE_INSTANCE_* leaks in
        builder.environment().remove("DISPLAY");
        builder.environment().remove("WAYLAND_DISPLAY");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " still running after 60 s");
        }
        return process;
    }

    @Test
    @Timeout(150)
    void firstLaunchWithoutADisplayExits1WithAClearMessage() throws Exception {
        Process first = launch("first");
        assertThat(first.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("first.err")))
                .startsWith("desktop-swing: no display: ")
                .contains("needs a graphical desktop");
        assertThat(Files.readString(dir.resolve("first.out"))).isEmpty();

        // it gave its claim back: the next launch is a first launch again, not a launch forwarded to a dead window
        Process next = launch("next");
        assertThat(next.exitValue()).isEqualTo(1);
        assertThat(Files.readString(dir.resolve("next.err"))).startsWith("desktop-swing: no display: ");
    }
}
