package io.github.singleinstance.examples.cli;

import io.github.singleinstance.spring.SingleInstance;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A background sync job that runs once per user: {@code java -jar spring-boot-cli.jar} starts it; later launches
 * talk to it: {@code status}, {@code sync} (run now), {@code stop}. See {@link Commands}.
 */
@SingleInstance(id = SyncApplication.ID, forwardStandardInput = true)
@SpringBootApplication
public class SyncApplication {

    static final String ID = "io.github.singleinstance.examples.sync";

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("status") && !runningElsewhere()) {
            // nothing to ask: say so without starting the application (a running instance gets the launch instead)
            System.err.println("no running instance");
            System.exit(Commands.NOT_RUNNING);
        }
        SpringApplication.run(SyncApplication.class, args);
    }

    /**
     * Whether another process runs as this application's primary, asked without sending a launch. Started through the
     * jar's fast launcher, this process holds the claim itself by now if none ran (the answer is then this process).
     */
    private static boolean runningElsewhere() {
        return io.github.singleinstance.SingleInstance.builder()
                .id(ID)
                .build()
                .runningInstance()
                .filter(running -> running.pid() != ProcessHandle.current().pid())
                .isPresent();
    }
}
