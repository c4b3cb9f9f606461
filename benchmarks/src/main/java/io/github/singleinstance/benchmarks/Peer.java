package io.github.singleinstance.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The other process of an exchange: {@link EchoPeer} started on the same JVM and classpath. It prints one line,
 * {@code ready <detail>}, once it serves; it exits when its standard input closes.
 */
final class Peer implements AutoCloseable {

    private final Process process;
    private final String detail;

    private Peer(Process process, String detail) {
        this.process = process;
        this.detail = detail;
    }

    static Peer start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EchoPeer.class.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready")) {
            process.destroyForcibly();
            throw new IOException("peer " + String.join(" ", args) + " did not start: " + line);
        }
        return new Peer(process, line.substring("ready".length()).strip());
    }

    /** What the peer said when ready (a port, a path). */
    String detail() {
        return detail;
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
