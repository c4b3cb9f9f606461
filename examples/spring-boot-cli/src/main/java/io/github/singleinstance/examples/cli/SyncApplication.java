package io.github.singleinstance.examples.cli;

import io.github.singleinstance.spring.SingleInstance;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A background sync job that runs once per user: {@code java -jar spring-boot-cli.jar} starts it; later launches
 * talk to it: {@code status}, {@code sync} (run now), {@code stop}. See {@link Commands}.
 */
@SingleInstance(id = "io.github.singleinstance.examples.sync", forwardStandardInput = true)
@SpringBootApplication
public class SyncApplication {

    public static void main(String[] args) {
        SpringApplication.run(SyncApplication.class, args);
    }
}
