package io.github.singleinstance.examples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar as a user would: {@code java -jar} twice, then {@code --stop}. */
class PlainExampleIT {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final String JAR = System.getProperty("example.jar");

    @TempDir
    Path dir;

    private final String id = "test-plain-example-" + UUID.randomUUID();
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(Process::destroy);
    }

    private Process start(String name, String... args) throws IOException {
        return start(name, List.of(), args);
    }

    private Process start(String name, List<String> options, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(JAVA.toString(), "-Dsingle-instance.id=" + id));
        command.addAll(options);
        command.addAll(List.of("-jar", JAR));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile())
                .start();
        started.add(process);
        return process;
    }

    private String out(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".out"));
    }

    private String awaitOutput(String name, String text) throws Exception {
        for (int i = 0; i < 600; i++) {
            String out = out(name);
            if (out.contains(text)) {
                return out;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(
                "no '" + text + "' in " + name + ": " + out(name) + Files.readString(dir.resolve(name + ".err")));
    }

    @Test
    void secondLaunchHandsItsArgumentsToThePrimaryAndStopEndsIt() throws Exception {
        Process primary = start("primary");
        awaitOutput("primary", "primary " + primary.pid());

        Process second = start("second", "report.txt", "two words", "");
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isZero();
        assertThat(out("second"))
                .isEqualTo("primary " + primary.pid() + " received [\"report.txt\",\"two words\",\"\"]" + " from " + dir
                        + "\n");
        assertThat(awaitOutput("primary", "launch from pid " + second.pid()))
                .contains("launch from pid " + second.pid() + " in " + dir + ": [\"report.txt\",\"two words\",\"\"]\n");

        Process stop = start("stop", "--stop");
        assertThat(stop.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stop.exitValue()).isZero();
        assertThat(out("stop")).contains("is stopping");
        assertThat(primary.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(primary.exitValue()).isZero();
        assertThat(out("primary")).contains("primary " + primary.pid() + " stopped");
    }

    @Test
    void theForcedPortableBackendForwardsWithoutLoadingNativeCode() throws Exception {
        List<String> portable = List.of("-Dsingle-instance.backend=portable");
        Path classes = dir.resolve("primary-classes.log");
        Process primary = start(
                "primary", List.of("-Dsingle-instance.backend=portable", "-Xlog:class+load=info:file=" + classes));
        awaitOutput("primary", "primary " + primary.pid());
        String loaded = Files.readString(classes);
        assertThat(loaded)
                .as("the primary runs on the portable backend")
                .contains("io.github.singleinstance.internal.os.portable.PortableBackend");
        assertThat(loaded).as("no native code loaded: no JNA").doesNotContain("com.sun.jna");

        Process second = start("second", portable, "a.txt");
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isZero();
        assertThat(out("second")).isEqualTo("primary " + primary.pid() + " received [\"a.txt\"] from " + dir + "\n");

        Process stop = start("stop", portable, "--stop");
        assertThat(stop.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(primary.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(primary.exitValue()).isZero();
    }
}
