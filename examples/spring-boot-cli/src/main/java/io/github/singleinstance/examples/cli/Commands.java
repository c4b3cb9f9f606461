package io.github.singleinstance.examples.cli;

import io.github.singleinstance.Reply;
import io.github.singleinstance.spring.LaunchEvent;
import java.util.List;
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

    static final String USAGE = "usage: java -jar spring-boot-cli.jar [start|status|sync|stop]";
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
            case "start", "status" -> launch.reply(Reply.ok(job.status()));
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

    /** This process is the first launch: it runs the job, unless its own command needs a running instance. */
    @Override
    public void run(ApplicationArguments args) {
        List<String> commands = args.getNonOptionArgs();
        String command = commands.isEmpty() ? "start" : commands.get(0);
        int exitCode = switch (command) {
            case "start", "sync" -> -1;
            case "status", "stop" -> {
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
