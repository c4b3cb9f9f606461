package io.github.singleinstance.examples.plain;

import io.github.singleinstance.Launch;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstance;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Start it once: it becomes the primary and waits. Start it again with arguments: the second launch hands them to the
 * primary, prints the primary's reply and exits with its code. {@code --stop} ends the primary.
 *
 * <pre>
 * java -jar plain-java-example.jar            # primary, keeps running
 * java -jar plain-java-example.jar a.txt "b c" # prints: primary 1234 received ["a.txt","b c"] from /current/dir
 * java -jar plain-java-example.jar --stop      # primary replies, cleans up and exits 0
 * java -jar plain-java-example.jar --status    # "running: pid 1234, READY, since ..." (exit 0) or "not running"
 *                                              # (exit 3), without sending a launch or becoming the primary
 * </pre>
 * Commands that show the second launch's terminal in the primary's hands (each handled on a thread of its own, so a
 * long one does not hold up the others):
 * <pre>
 * --cat                    the primary copies this launch's standard input to its standard output, byte-exact
 * --lines N [--every MS]   the primary writes "line 1".."line N" to standard output, one every MS ms, then "done N"
 *                          to standard error; Ctrl-C stops it (the primary prints "cancelled at K" in its own output)
 * --env NAME               the primary writes this launch's environment variable NAME (exit 1 if it is not set)
 * --exit N                 the primary answers exit code N with the message "exit N"
 * </pre>
 * This example forwards standard input and the whole environment, to show them; an application should forward only
 * the variables it needs (SingleInstance.Builder.forwardEnvironment).
 */
public final class PlainExample {

    private PlainExample() {}

    public static void main(String[] args) throws InterruptedException {
        SingleInstance instance = SingleInstance.builder()
                .id("io.github.singleinstance.examples.plain")
                .forwardStandardInput(true)
                .forwardAllEnvironment()
                .build();
        if (args.length == 1 && args[0].equals("--status")) {
            System.exit(status(instance)); // asks without sending a launch, and never becomes the primary
        }
        PrimaryInstance primary = instance.claimOrExit(args); // returns only in the primary; a second launch exits
        // inside with the reply's code

        long pid = ProcessHandle.current().pid();
        System.out.println("primary " + pid + " running as " + primary.id() + " with " + json(List.of(args))
                + "; start me again with arguments, or with --stop");
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService workers = Executors.newCachedThreadPool(task -> {
            Thread worker = new Thread(task, "launch-worker");
            worker.setDaemon(true); // a command still streaming does not keep a stopped primary alive
            return worker;
        });
        primary.onLaunchAsync(launch -> CompletableFuture.supplyAsync(
                () -> {
                    System.out.println("launch from pid " + launch.senderPid() + " in " + launch.workingDirectory()
                            + ": " + json(launch.args()));
                    if (launch.args().contains("--stop")) {
                        stop.countDown();
                        return Reply.ok("primary " + pid + " is stopping");
                    }
                    return Commands.run(launch).orElseGet(() -> answer(pid, launch));
                },
                workers));
        stop.await();
        primary.close();
        System.out.println("primary " + pid + " stopped");
    }

    /** Prints whether a primary runs; 0 if one does, 3 if none (as an init script's {@code status}). */
    private static int status(SingleInstance instance) {
        return instance.runningInstance()
                .map(running -> {
                    System.out.println("running: pid " + running.pid() + ", " + running.state()
                            + running.since().map(since -> ", since " + since).orElse("") + ", protocol "
                            + running.protocolVersion());
                    return 0;
                })
                .orElseGet(() -> {
                    System.out.println("not running");
                    return 3;
                });
    }

    private static Reply answer(long pid, Launch launch) {
        String received = json(launch.args());
        if (received.length() > 2000) {
            received = launch.args().size() + " arguments, " + received.length() + " characters";
        }
        return Reply.ok("primary " + pid + " received " + received + " from " + launch.workingDirectory());
    }

    /** The arguments as a JSON array of strings, so that spaces, quotes and empty strings stay visible. */
    static String json(List<String> values) {
        StringBuilder out = new StringBuilder("[");
        for (String value : values) {
            out.append(out.length() > 1 ? ",\"" : "\"");
            value.chars()
                    .forEach(c -> out.append(
                            switch (c) {
                                case '"' -> "\\\"";
                                case '\\' -> "\\\\";
                                case '\n' -> "\\n";
                                case '\t' -> "\\t";
                                default -> c < 0x20 ? String.format("\\u%04x", c) : String.valueOf((char) c);
                            }));
            out.append('"');
        }
        return out.append(']').toString();
    }
}
