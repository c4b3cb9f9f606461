package io.github.singleinstance.testing;

import io.github.singleinstance.Launch;
import io.github.singleinstance.LaunchCancelledException;
import io.github.singleinstance.Reply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/** The test app's stream commands (see {@link TestApp}). */
final class StreamCommands {

    private StreamCommands() {}

    /** The reply to a stream command, or null if the launch is none. */
    static Reply run(Launch launch) throws Exception {
        List<String> args = launch.args();
        String command = args.isEmpty() ? "" : args.get(0);
        String value = command.contains("=") ? command.substring(command.indexOf('=') + 1) : "";
        switch (command.contains("=") ? command.substring(0, command.indexOf('=')) : command) {
            case "--out", "--err" -> {
                String[] lengthAndSeed = value.split(",");
                RandomBytes.write(
                        Long.parseLong(lengthAndSeed[1]),
                        Long.parseLong(lengthAndSeed[0]),
                        command.startsWith("--out") ? launch.out() : launch.err());
                return new Reply(0, "sent");
            }
            case "--cat" -> {
                launch.in().transferTo(launch.out());
                return new Reply(0, "");
            }
            case "--mixed" -> {
                for (int i = 1; i <= Integer.parseInt(value); i++) {
                    (i % 2 == 0 ? launch.err() : launch.out()).println("line " + i);
                }
                return new Reply(0, "");
            }
            case "--env" -> {
                String variable = launch.environment().get(value);
                if (variable == null) {
                    return new Reply(1, value + " not forwarded");
                }
                launch.out().print(variable);
                return new Reply(0, "");
            }
            case "--until-cancelled" -> {
                int lines = 0;
                String noticedBy = "isCancelled()";
                try {
                    while (!launch.isCancelled()) {
                        launch.out().println("line " + ++lines);
                        Thread.sleep(50);
                    }
                } catch (LaunchCancelledException e) {
                    noticedBy = e.toString(); // the write noticed first: shown, so a test sees why it was cancelled
                }
                System.out.println("CANCELLED " + launch.senderPid() + " after " + lines + " noticed by " + noticedBy);
                System.out.flush();
                return new Reply(0, "");
            }
            case "--metered" -> {
                long total = Long.parseLong(value);
                byte[] chunk = new byte[65536];
                for (long written = 0; written < total; ) {
                    int n = (int) Math.min(chunk.length, total - written);
                    launch.out().write(chunk, 0, n);
                    written += n;
                    if (written % (1 << 20) == 0) {
                        System.out.println("WROTE " + written);
                        System.out.flush();
                    }
                }
                return new Reply(0, "");
            }
            case "--out-then-throw" -> {
                launch.out().println("written before the failure");
                throw new IllegalStateException("handler failed after writing");
            }
            case "--digest" -> {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (String arg : args) {
                    digest.update(arg.getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) 0);
                }
                return new Reply(0, args.size() + " " + HexFormat.of().formatHex(digest.digest()));
            }
            default -> {
                return null;
            }
        }
    }
}
