package io.github.singleinstance.testing;

import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstance;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The application the process tests launch. Primary: prints {@code PRIMARY <pid> <args as JSON>}, then one line
 * {@code LAUNCH <args as JSON> cwd=<dir> pid=<sender>} per launch, and answers {@code handled <args as JSON>} (or its length, if long)
 * with exit code 0. Arguments steer the handler: {@code --code=N} answers exit code N, {@code --sleep=MS} sleeps first,
 * {@code --stop} answers, closes and exits; {@code --stats} answers this process's resource figures
 * ({@link ResourceStats}); {@code --spawn-child} as the
 * primary's own argument starts a {@code sleep 30} child. System property {@code test.handler-delay-ms} delays
 * setting the handler; {@code test.quiet} makes it print no LAUNCH lines and answer {@code handled} (for soak runs).
 */
public final class TestApp {

    private TestApp() {
    }

    public static void main(String[] args) throws Exception {
        PrimaryInstance primary = SingleInstance.builder().id("io.github.singleinstance.testapp").build()
                .claimOrExit(args);
        System.out.println("PRIMARY " + ProcessHandle.current().pid() + " " + Json.array(List.of(args)));
        System.out.flush();
        if (List.of(args).contains("--spawn-child")) {
            Process child = new ProcessBuilder("sleep", "30").start();
            System.out.println("CHILD " + child.pid());
            System.out.flush();
        }
        Thread.sleep(Long.getLong("test.handler-delay-ms", 0));
        CountDownLatch stop = new CountDownLatch(1);
        boolean quiet = Boolean.getBoolean("test.quiet");
        primary.onLaunch(launch -> {
            if (!quiet) {
                System.out.println("LAUNCH " + Json.array(launch.args()) + " cwd=" + launch.workingDirectory()
                        + " pid=" + launch.senderPid());
                System.out.flush();
            }
            int code = 0;
            for (String arg : launch.args()) {
                if (arg.startsWith("--sleep=")) {
                    Thread.sleep(Long.parseLong(arg.substring("--sleep=".length())));
                } else if (arg.startsWith("--code=")) {
                    code = Integer.parseInt(arg.substring("--code=".length()));
                } else if (arg.equals("--stop")) {
                    stop.countDown();
                } else if (arg.equals("--stats")) {
                    return Reply.ok(ResourceStats.ofThisProcess());
                }
            }
            if (quiet) {
                return new Reply(code, "handled");
            }
            String echo = Json.array(launch.args());
            return new Reply(code, echo.length() > 1000 ? "handled " + echo.length() + " chars" : "handled " + echo);
        });
        stop.await();
        primary.close();
        System.out.println("CLOSED");
    }
}
