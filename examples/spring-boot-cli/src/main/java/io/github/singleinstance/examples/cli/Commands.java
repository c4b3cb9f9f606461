package io.github.singleinstance.examples.cli;

import io.github.singleinstance.LaunchCancelledException;
import io.github.singleinstance.Reply;
import io.github.singleinstance.TerminalInfo;
import io.github.singleinstance.spring.LaunchEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The commands: a later launch's arguments arrive here as a {@link LaunchEvent}, and its reply is what that launch
 * prints and exits with. The first launch (this process) only accepts no command or {@code start}.
 */
@Component
class Commands implements ApplicationRunner {

    static final String USAGE =
            "usage: java -jar spring-boot-cli.jar [start|status|sync|logs [--follow]|import -|stop]";
    /** EX_USAGE-like: the command is unknown. */
    static final int UNKNOWN_COMMAND = 2;
    /** LSB: "program is not running", for status or stop without a running instance. */
    static final int NOT_RUNNING = 3;

    private final SyncJob job;
    private final ConfigurableApplicationContext context;

    Commands(SyncJob job, ConfigurableApplicationContext context) {
        this.job = job;
        this.context = context;
    }

    @EventListener
    void onLaunch(LaunchEvent launch) {
        List<String> commands = launch.getApplicationArguments().getNonOptionArgs();
        String command = commands.isEmpty() ? "status" : commands.get(0);
        switch (command) {
            case "start", "status" -> printStatus(launch);
            case "logs" -> logs(launch);
            case "import" -> importInput(launch, commands);
            case "sync" -> {
                job.syncNow();
                launch.reply(Reply.ok("sync started in the running instance, pid "
                        + ProcessHandle.current().pid()));
            }
            case "stop" -> {
                launch.reply(Reply.ok("stopping the running instance, pid "
                        + ProcessHandle.current().pid()));
                // Exit on another thread: the reply is written when this listener returns.
                Thread stopper = new Thread(() -> System.exit(SpringApplication.exit(context)), "stop");
                stopper.start();
            }
            default -> launch.reply(Reply.failure(UNKNOWN_COMMAND, "unknown command: " + command + "\n" + USAGE));
        }
    }

    /**
     * {@code status}: the job's facts, in a box with a bold title where the launch's standard output is a terminal
     * (and wide enough, where the launch knew its width), one plain line each into a pipe or a file (and where the
     * launch could not tell: {@code Launch.terminal()}).
     */
    private void printStatus(LaunchEvent launch) {
        List<String> lines = job.status();
        TerminalInfo terminal = launch.getLaunch().terminal();
        int width = lines.stream().mapToInt(String::length).max().orElse(0);
        boolean fits = terminal.columns().orElse(Integer.MAX_VALUE) >= width + 4;
        if (!terminal.stdout().isTerminal() || !fits) {
            lines.forEach(launch.getOut()::println);
            return;
        }
        String title = " sync job ";
        launch.getOut()
                .println("\u250c" + BOLD + title + PLAIN + "\u2500".repeat(width + 2 - title.length()) + "\u2510");
        for (String line : lines) {
            launch.getOut().println("\u2502 " + line + " ".repeat(width - line.length()) + " \u2502");
        }
        launch.getOut().println("\u2514" + "\u2500".repeat(width + 2) + "\u2518");
    }

    private static final String BOLD = "\u001b[1m";
    private static final String PLAIN = "\u001b[0m";

    /**
     * {@code logs}: says where the log goes; {@code logs --follow} then streams every log line of the job to the
     * launch until it is interrupted (Ctrl-C), answering later so that other launches are served meanwhile.
     */
    private void logs(LaunchEvent launch) {
        launch.getOut()
                .println("following the job's log of pid "
                        + ProcessHandle.current().pid());
        if (!launch.getApplicationArguments().containsOption("follow")) {
            return;
        }
        CompletableFuture<Reply> done = launch.replyLater();
        Consumer<String> follower = new Consumer<>() {
            @Override
            public void accept(String line) {
                try {
                    launch.getOut().println(line);
                } catch (LaunchCancelledException e) {
                    job.unfollow(this);
                    done.complete(Reply.ok());
                }
            }
        };
        job.follow(follower);
        launch.onCancel(() -> {
            job.unfollow(follower);
            done.complete(Reply.ok());
        });
    }

    /** {@code import -}: reads the launch's standard input to its end, on a thread of its own, and counts its lines. */
    private void importInput(LaunchEvent launch, List<String> commands) {
        if (commands.size() < 2 || !commands.get(1).equals("-")) {
            launch.reply(Reply.failure(UNKNOWN_COMMAND, "import reads standard input: import -\n" + USAGE));
            return;
        }
        CompletableFuture<Reply> done = launch.replyLater();
        Thread reader = new Thread(
                () -> {
                    long lines = 0;
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(launch.getIn(), StandardCharsets.UTF_8))) {
                        while (in.readLine() != null) {
                            lines++;
                        }
                        done.complete(Reply.ok("imported " + lines + " line(s)"));
                    } catch (IOException | RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                },
                "import");
        reader.start();
    }

    /** This process is the first launch: it runs the job, unless its own command needs a running instance. */
    @Override
    public void run(ApplicationArguments args) {
        List<String> commands = args.getNonOptionArgs();
        String command = commands.isEmpty() ? "start" : commands.get(0);
        int exitCode = switch (command) {
            case "start", "sync" -> -1;
            case "status", "stop", "logs", "import" -> {
                System.err.println("no running instance");
                yield NOT_RUNNING;
            }
            default -> {
                System.err.println("unknown command: " + command + "\n" + USAGE);
                yield UNKNOWN_COMMAND;
            }
        };
        if (exitCode >= 0) {
            System.exit(SpringApplication.exit(context, () -> exitCode));
        }
    }
}
