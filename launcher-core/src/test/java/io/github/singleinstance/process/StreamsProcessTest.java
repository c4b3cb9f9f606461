package io.github.singleinstance.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testing.RandomBytes;
import io.github.singleinstance.testing.TestApp;
import io.github.singleinstance.testsupport.TestJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The remote command line with real processes at default settings: the primary's handler writes to the second
 * launch's standard output and error, reads its standard input, sees its environment and its cancellation; launches
 * too large for the ring arrive whole. Random data comes from fixed seeds (printed), checked by SHA-256.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StreamsProcessTest extends ProcessTestSupport {

    private static final long SEED = 20261130L;

    /** Starts a second launch with its standard streams redirected as {@code redirect} sets them; returns it. */
    private Process send(List<String> jvmArgs, java.util.function.Consumer<ProcessBuilder> redirect, String... args)
            throws IOException {
        ProcessBuilder builder = Jvm.processBuilder(dir, id, jvmArgs, TestApp.class, args);
        redirect.accept(builder);
        return builder.start();
    }

    private static int exit(Process process) throws InterruptedException {
        if (!process.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the second launch did not exit within " + EXIT);
        }
        return process.exitValue();
    }

    @Test
    void outputAndErrorArriveByteExactFromNothingTo100MiB() throws Exception {
        System.out.println("seed " + SEED);
        startPrimary();
        for (long length : new long[] {0, 1, 100_000, 100L << 20}) {
            for (String stream : new String[] {"--out", "--err"}) {
                if (length == 100L << 20 && stream.equals("--err")) {
                    continue; // one 100 MiB run is enough
                }
                Path out = dir.resolve("out-" + length + stream);
                Path err = dir.resolve("err-" + length + stream);
                Process second = send(
                        List.of(),
                        b -> b.redirectOutput(out.toFile()).redirectError(err.toFile()),
                        stream + "=" + length + "," + SEED);
                assertThat(exit(second))
                        .as(Files.readString(err, StandardCharsets.ISO_8859_1))
                        .isZero();
                String expected = RandomBytes.sha256(SEED, length) + "/" + length;
                if (stream.equals("--out")) { // the reply's message ("sent", code 0) follows the data on stdout
                    assertThat(Files.size(out)).isEqualTo(length + "sent\n".length());
                    try (InputStream in = Files.newInputStream(out)) {
                        assertThat(RandomBytes.sha256(new BoundedInput(in, length)))
                                .as(stream + " " + length)
                                .isEqualTo(expected);
                        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                                .isEqualTo("sent\n");
                    }
                    assertThat(Files.size(err)).isZero();
                } else {
                    try (InputStream in = Files.newInputStream(err)) {
                        assertThat(RandomBytes.sha256(in))
                                .as(stream + " " + length)
                                .isEqualTo(expected);
                    }
                    assertThat(Files.readString(out)).isEqualTo("sent\n");
                }
            }
        }
    }

    @Test
    void standardInputArrivesByteExactAndItsEndIsSeen() throws Exception {
        System.out.println("seed " + SEED);
        startPrimary();
        List<String> stdin = List.of("-Dsingle-instance.forward-stdin=true");
        for (long length : new long[] {0, 5, 20L << 20}) {
            Path input = dir.resolve("in-" + length);
            try (var file = Files.newOutputStream(input)) {
                RandomBytes.write(SEED + length, length, file);
            }
            Path out = dir.resolve("cat-" + length);
            Process second = send(
                    stdin,
                    b -> b.redirectInput(input.toFile())
                            .redirectOutput(out.toFile())
                            .redirectError(ProcessBuilder.Redirect.DISCARD),
                    "--cat");
            assertThat(exit(second)).isZero();
            try (InputStream in = Files.newInputStream(out)) {
                assertThat(RandomBytes.sha256(in)).isEqualTo(RandomBytes.sha256(SEED + length, length) + "/" + length);
            }
        }
    }

    @Test
    void aLaunchThatDoesNotForwardStandardInputGetsAClearFailure() throws Exception {
        startPrimary();
        Path err = dir.resolve("err");
        Process second = send(
                List.of(), b -> b.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD), "--cat");
        assertThat(exit(second)).isEqualTo(70);
        assertThat(Files.readString(err)).contains("does not forward standard input");
    }

    @Test
    void aSlowReaderSlowsTheWriterAndLosesNothing() throws Exception {
        TestJvm primary = startPrimary();
        long total = 32L << 20;
        Process second = send(List.of(), b -> b.redirectError(ProcessBuilder.Redirect.DISCARD), "--metered=" + total);
        InputStream pipe = second.getInputStream();
        byte[] buffer = new byte[1024];
        long read = 0;
        for (int i = 0; i < 30; i++) { // 3 s at about 10 KiB/s; never blocking, so a failure cannot hang the test
            if (pipe.available() > 0) {
                read += Math.max(0, pipe.read(buffer));
            }
            Thread.sleep(100);
        }
        int wroteWhileSlow = countLines(primary.stdout(), "WROTE ");
        assertThat(wroteWhileSlow)
                .as("MiB the handler got to write while the reader took " + read + " bytes: the pipe, the socket's "
                        + "buffers and one frame, not the whole 32 MiB")
                .isLessThanOrEqualTo(4);
        long rest = 0;
        for (int n; (n = pipe.read(buffer)) >= 0; ) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] != 0 && rest + read + i < total) {
                    throw new AssertionError("byte " + (read + rest + i) + " is not the zero written");
                }
            }
            rest += n;
        }
        assertThat(exit(second)).isZero();
        assertThat(read + rest).isEqualTo(total);
        assertThat(countLines(primary.stdout(), "WROTE ")).isEqualTo(32);
    }

    @Test
    void outputAndErrorInterleavedStayInOrderEach() throws Exception {
        startPrimary();
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process second =
                send(List.of(), b -> b.redirectOutput(out.toFile()).redirectError(err.toFile()), "--mixed=2000");
        assertThat(exit(second)).isZero();
        List<String> odd = new ArrayList<>();
        List<String> even = new ArrayList<>();
        for (int i = 1; i <= 2000; i++) {
            (i % 2 == 0 ? even : odd).add("line " + i);
        }
        assertThat(Files.readAllLines(out)).isEqualTo(odd);
        assertThat(Files.readAllLines(err)).isEqualTo(even);
    }

    @Test
    void theAllowedEnvironmentArrivesAndNothingElse() throws Exception {
        startPrimary();
        String unicode = "Grüße ☃ 𝄞 \"quoted\" =x";
        Map<String, String> environment = Map.of("SI_ALLOWED", unicode, "SI_SECRET", "hunter2");
        List<String> allow = List.of("-Dsingle-instance.forward-environment=SI_ALLOWED,SI_ABSENT");
        Path out = dir.resolve("env");
        Process allowed = send(
                allow,
                b -> {
                    b.environment().putAll(environment);
                    b.redirectOutput(out.toFile());
                },
                "--env=SI_ALLOWED");
        assertThat(exit(allowed)).isZero();
        assertThat(Files.readString(out, StandardCharsets.UTF_8)).isEqualTo(unicode);

        Path err = dir.resolve("secret");
        Process secret = send(
                allow,
                b -> {
                    b.environment().putAll(environment);
                    b.redirectError(err.toFile());
                },
                "--env=SI_SECRET");
        assertThat(exit(secret)).isEqualTo(1);
        assertThat(Files.readString(err)).contains("SI_SECRET not forwarded");

        Process none = send(
                List.of(),
                b -> {
                    b.environment().putAll(environment);
                    b.redirectError(ProcessBuilder.Redirect.DISCARD);
                },
                "--env=SI_ALLOWED");
        assertThat(exit(none)).as("no environment is forwarded by default").isEqualTo(1);
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGINT, which Windows does not have")
    void sigintMidStreamCancelsTheLaunchExits130AndThePrimaryServesOn() throws Exception {
        TestJvm primary = startPrimary();
        Process second = streamingUntilCancelled(ProcessBuilder.Redirect.DISCARD);
        Jvm.signal(second.pid(), "INT");
        assertThat(exit(second)).isEqualTo(130);
        assertCancelledAndServesOn(primary, second);
    }

    @Test
    @DisabledOnOs(value = OS.WINDOWS, disabledReason = "sends SIGINT, which Windows does not have")
    void sigintWhileTheHandlerHasNotWrittenYetIsSeenAsCancellation() throws Exception {
        TestJvm primary = startPrimary();
        TestJvm second = launch("--sleep=2000");
        primary.awaitLine("LAUNCH", EXIT);
        Jvm.signal(second.pid(), "INT");
        assertThat(second.awaitExit(EXIT)).isEqualTo(130);
        primary.awaitLine("CANCELLED " + second.pid() + " while sleeping", EXIT);
    }

    @Test
    void aSecondLaunchKilledMidStreamIsNoticedAndThePrimaryServesOn() throws Exception {
        TestJvm primary = startPrimary();
        Process second = streamingUntilCancelled(ProcessBuilder.Redirect.DISCARD);
        second.destroyForcibly();
        exit(second);
        assertCancelledAndServesOn(primary, second);
    }

    /** A second launch whose handler writes a line every 50 ms until cancelled, once it has printed three. */
    private Process streamingUntilCancelled(ProcessBuilder.Redirect stderr) throws IOException {
        Process second = send(List.of(), b -> b.redirectError(stderr), "--until-cancelled");
        awaitOutput(second.getInputStream(), "line 3");
        return second;
    }

    private void assertCancelledAndServesOn(TestJvm primary, Process cancelled) {
        primary.awaitLine("CANCELLED " + cancelled.pid(), EXIT);
        TestJvm next = launch("after");
        assertThat(next.awaitExit(EXIT)).as(next.describe()).isZero();
    }

    @Test
    void aPrimaryKilledMidStreamFailsTheSecondLaunchNonZeroAtOnce() throws Exception {
        TestJvm primary = startPrimary();
        Path err = dir.resolve("err");
        Process second = streamingUntilCancelled(ProcessBuilder.Redirect.to(err.toFile()));
        long killed = System.nanoTime();
        primary.kill();
        int code = exit(second);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertThat(code).isEqualTo(75);
        assertThat(Files.readString(err)).contains("closed this launch's streams before answering");
        assertThat(millis)
                .as("exit within the forward timeout (5 s) of the kill")
                .isLessThan(5000);
    }

    @Test
    void outputWrittenBeforeTheHandlerThrowsIsDeliveredThenExit70() throws Exception {
        startPrimary();
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process second =
                send(List.of(), b -> b.redirectOutput(out.toFile()).redirectError(err.toFile()), "--out-then-throw");
        assertThat(exit(second)).isEqualTo(70);
        assertThat(Files.readString(out)).isEqualTo("written before the failure\n");
        assertThat(Files.readString(err)).contains("handler failed after writing");
    }

    @Test
    void sixteenConcurrentStreamingLaunchesAreEachByteExact() throws Exception {
        System.out.println("seed " + SEED);
        startPrimary(List.of("-Dtest.async=true"));
        List<Process> launches = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Path out = dir.resolve("concurrent-" + i);
            outputs.add(out);
            launches.add(send(
                    List.of(),
                    b -> b.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD),
                    "--out=" + (2 << 20) + "," + (SEED + i)));
        }
        for (int i = 0; i < 16; i++) {
            assertThat(exit(launches.get(i))).as("launch " + i).isZero();
            try (InputStream in = Files.newInputStream(outputs.get(i))) {
                assertThat(RandomBytes.sha256(new BoundedInput(in, 2 << 20)))
                        .as("launch " + i)
                        .isEqualTo(RandomBytes.sha256(SEED + i, 2 << 20) + "/" + (2 << 20));
            }
        }
    }

    @Test
    void argumentListsLargerThanTheRingArriveExactly() throws Exception {
        startPrimary();
        List<String> paths = new ArrayList<>(List.of("--digest"));
        for (int i = 0; i < 2000; i++) {
            paths.add("/home/user/Pictures/" + String.format("%05d-", i) + "é".repeat(87)); // 200 bytes in UTF-8
        }
        assertThat(paths.get(1).getBytes(StandardCharsets.UTF_8)).hasSize(200);
        List<String> huge = List.of("--digest", "x".repeat(120 * 1024));
        for (List<String> args : List.of(paths, huge)) {
            Path out = dir.resolve("digest");
            Process second = send(
                    List.of(),
                    b -> b.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT),
                    args.toArray(String[]::new));
            assertThat(exit(second)).isZero();
            assertThat(Files.readString(out)).isEqualTo(args.size() + " " + digest(args) + "\n");
        }
    }

    private static String digest(List<String> args) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (String arg : args) {
            digest.update(arg.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static int countLines(String text, String prefix) {
        return (int) text.lines().filter(line -> line.startsWith(prefix)).count();
    }

    /** Reads {@code in} until {@code text} has appeared (the stream is left open). */
    private static void awaitOutput(InputStream in, String text) throws IOException {
        StringBuilder seen = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            seen.append((char) c);
            if (seen.indexOf(text) >= 0) {
                return;
            }
        }
        throw new AssertionError("output ended before \"" + text + "\": " + seen);
    }

    /** The first {@code limit} bytes of a stream. */
    private static final class BoundedInput extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInput(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            return left-- > 0 ? in.read() : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
