package io.github.singleinstance.testing;

import io.github.singleinstance.LaunchHandler;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstance;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * The application the process tests launch. Primary: prints {@code PRIMARY <pid> <args as JSON>}, then one line
 * {@code LAUNCH <args as JSON> cwd=<dir> pid=<sender>} per launch, and answers {@code handled <args as JSON>} (or its length, if long)
 * with exit code 0. Arguments steer the handler: {@code --code=N} answers exit code N, {@code --sleep=MS} sleeps first,
 * {@code --stop} answers, closes and exits; {@code --throw} and {@code --throw-long=N} (a message of N
 * characters) throw from the handler; {@code --stats} answers this process's resource figures
 * ({@link ResourceStats}); {@code --spawn-child} as the
 * primary's own argument starts a {@code sleep 30} child that inherits the primary's open descriptors. System property {@code test.handler-delay-ms} delays
 * setting the handler; {@code test.quiet} makes it print no LAUNCH lines and answer {@code handled} (for soak runs);
 * {@code test.async} answers each launch from a thread of its own ({@code onLaunchAsync}); {@code test.refuse-replace}
 * sets a replace action that prints {@code REPLACE REFUSED} and keeps running; {@code test.scope} the scope (USER).
 * Before claiming, it records the settings it runs with ({@link EffectiveSettings}).
 *
 * <p>Stream commands ({@link StreamCommands}), each the launch's first argument: {@code --out=N,SEED} and
 * {@code --err=N,SEED} write N bytes of {@link RandomBytes} to the launch's output or error, {@code --cat} copies its
 * input to its output, {@code --mixed=N} writes N numbered lines alternately to both, {@code --env=NAME} writes a
 * forwarded variable, {@code --until-cancelled} writes a line every 50 ms until the launch is cancelled (printing
 * {@code CANCELLED <pid> after <k> noticed by <isCancelled() or the LaunchCancelledException>} here), {@code --metered=N} writes N bytes in 64 KiB writes printing
 * {@code WROTE <bytes>} here after each MiB, {@code --out-then-throw} writes a line then throws, {@code --digest}
 * answers the SHA-256 of its arguments.
 */
public final class TestApp {

    private TestApp() {}

    public static void main(String[] args) throws Exception {
        SingleInstance instance = SingleInstance.builder()
                .id("io.github.singleinstance.testapp")
                .scope(Scope.valueOf(System.getProperty("test.scope", "USER")))
                .build();
        EffectiveSettings.write(instance);
        PrimaryInstance primary = instance.claimOrExit(args);
        System.out.println("PRIMARY " + ProcessHandle.current().pid() + " " + Json.array(List.of(args)));
        System.out.flush();
        if (List.of(args).contains("--spawn-child")) {
            // inheriting every descriptor the JDK leaves open, the claim file's among them
            System.out.println("CHILD " + InheritingSpawn.spawn("sleep", "30"));
            System.out.flush();
        }
        if (Boolean.getBoolean("test.refuse-replace")) {
            primary.onReplace(() -> System.out.println("REPLACE REFUSED"));
        }
        Thread.sleep(Long.getLong("test.handler-delay-ms", 0));
        CountDownLatch stop = new CountDownLatch(1);
        boolean quiet = Boolean.getBoolean("test.quiet");
        LaunchHandler handler = launch -> {
            if (!quiet) {
                System.out.println("LAUNCH " + Json.array(launch.args()) + " cwd=" + launch.workingDirectory() + " pid="
                        + launch.senderPid());
                System.out.flush();
            }
            Reply streamed = StreamCommands.run(launch);
            if (streamed != null) {
                return streamed;
            }
            int code = 0;
            for (String arg : launch.args()) {
                if (arg.startsWith("--sleep=")) {
                    Thread.sleep(Long.parseLong(arg.substring("--sleep=".length())));
                    if (launch.isCancelled()) {
                        System.out.println("CANCELLED " + launch.senderPid() + " while sleeping");
                        System.out.flush();
                    }
                } else if (arg.startsWith("--code=")) {
                    code = Integer.parseInt(arg.substring("--code=".length()));
                } else if (arg.equals("--stop")) {
                    stop.countDown();
                } else if (arg.equals("--throw")) {
                    throw new IllegalStateException("handler failed on purpose");
                } else if (arg.startsWith("--throw-long=")) {
                    throw new IllegalStateException(
                            "x".repeat(Integer.parseInt(arg.substring("--throw-long=".length()))));
                } else if (arg.equals("--stats")) {
                    return Reply.ok(ResourceStats.ofThisProcess());
                }
            }
            if (quiet) {
                return new Reply(code, "handled");
            }
            String echo = Json.array(launch.args());
            return new Reply(code, echo.length() > 1000 ? "handled " + echo.length() + " chars" : "handled " + echo);
        };
        if (Boolean.getBoolean("test.async")) {
            // the same handler, run on a thread of its own per launch: answers come later, in any order
            java.util.concurrent.ExecutorService workers = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "test-app-worker");
                thread.setDaemon(true);
                return thread;
            });
            primary.onLaunchAsync(launch -> CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return handler.handle(launch);
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    },
                    workers));
        } else {
            primary.onLaunch(handler);
        }
        stop.await();
        primary.close();
        System.out.println("CLOSED");
    }
}
