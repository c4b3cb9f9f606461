package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstance;
import io.github.singleinstance.TerminalInfo;
import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.PlatformRules;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestEnvironment;
import io.github.singleinstance.testsupport.TestJvm;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Launch.terminal()} with real processes: the primary's handler answers what it was told of the second
 * launch's terminal; the second launch runs in a pseudo-terminal ({@code script -qfc}) and with its standard output
 * piped. Each stream is told apart through {@code /proc/self/fd}; where the children cannot see {@code /proc} (macOS'
 * rule, played on Linux for the portable backend's run) only the JDK's console answers: stdin and stdout together.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TerminalProcessTest extends ProcessTestSupport {

    /** A primary that answers each launch with {@code TERMINAL <in> <out> <err> <columns> <rows>}. */
    public static final class TerminalApp {
        private TerminalApp() {}

        public static void main(String[] args) throws Exception {
            PrimaryInstance primary = SingleInstance.builder().build().claimOrExit(args);
            primary.onLaunch(launch -> {
                TerminalInfo t = launch.terminal();
                return Reply.ok("TERMINAL " + t.stdin() + " " + t.stdout() + " " + t.stderr() + " "
                        + t.columns().orElse(-1) + " " + t.rows().orElse(-1));
            });
            System.out.println("PRIMARY " + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @BeforeEach
    void linux() {
        TestEnvironment.applicableOnlyIf(
                System.getProperty("os.name", "").startsWith("Linux"),
                "runs the second launch under script(1) and reads Linux's answers; where /proc is hidden (macOS' rule "
                        + "played here), the JDK's console's");
    }

    private TestJvm startTerminalPrimary() {
        TestJvm primary = Jvm.start(dir, id, List.of(), TerminalApp.class);
        children.add(primary);
        primary.awaitLine("PRIMARY", STARTUP);
        return primary;
    }

    private ProcessBuilder second(String... env) {
        ProcessBuilder builder = Jvm.processBuilder(dir, id, List.of(), TerminalApp.class, "x");
        builder.environment().remove("COLUMNS"); // unless the test sets them: the test's own may be exported
        builder.environment().remove("LINES");
        for (int i = 0; i < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        return builder;
    }

    private static String run(ProcessBuilder builder, Path out) throws IOException, InterruptedException {
        Process process = builder.redirectInput(new File("/dev/null"))
                .redirectOutput(out.toFile())
                .redirectErrorStream(true)
                .start();
        if (!process.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the second launch did not exit within " + EXIT);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text.lines()
                .filter(l -> l.startsWith("TERMINAL"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no TERMINAL line: " + text));
    }

    private static String quoted(List<String> command) {
        return command.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }

    @Test
    void aSecondLaunchInAPseudoTerminalIsSeenAsOneAndItsSizeWhereExported() throws Exception {
        TestEnvironment.requireOrSkip(
                Files.isExecutable(Path.of("/usr/bin/script")), "script is not installed (apt-get install bsdutils)");
        startTerminalPrimary();
        ProcessBuilder inner = second("COLUMNS", "97", "LINES", "31");
        // script gives the command a pseudo-terminal for stdin, stdout and stderr; its own output goes to the file
        ProcessBuilder viaScript = new ProcessBuilder("script", "-qfec", quoted(inner.command()), "/dev/null")
                .directory(inner.directory());
        viaScript.environment().clear();
        viaScript.environment().putAll(inner.environment());
        assertThat(run(viaScript, dir.resolve("pty.out")))
                .isEqualTo(
                        PlatformRules.childrenHaveProc()
                                ? "TERMINAL TERMINAL TERMINAL TERMINAL 97 31"
                                : "TERMINAL TERMINAL TERMINAL UNKNOWN 97 31"); // the console: stdin and stdout only

        ProcessBuilder piped = new ProcessBuilder("script", "-qfec", quoted(second().command()) + " | cat", "/dev/null")
                .directory(inner.directory());
        piped.environment().clear();
        piped.environment().putAll(second().environment());
        assertThat(run(piped, dir.resolve("pty-piped.out")))
                .as("stdout into a pipe inside the terminal: only stdout is no terminal")
                .isEqualTo(
                        PlatformRules.childrenHaveProc()
                                ? "TERMINAL TERMINAL NOT_A_TERMINAL TERMINAL -1 -1"
                                : "TERMINAL UNKNOWN UNKNOWN UNKNOWN -1 -1"); // the console cannot say which is not
    }

    @Test
    void aSecondLaunchWithPipesIsSeenAsNoTerminal() throws Exception {
        startTerminalPrimary();
        assertThat(run(second(), dir.resolve("pipe.out")))
                .isEqualTo(
                        PlatformRules.childrenHaveProc()
                                ? "TERMINAL NOT_A_TERMINAL NOT_A_TERMINAL NOT_A_TERMINAL -1 -1"
                                : "TERMINAL UNKNOWN UNKNOWN UNKNOWN -1 -1");
    }
}
