package io.github.singleinstance.examples.web;

import io.github.singleinstance.Reply;
import io.github.singleinstance.spring.LaunchEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Every launch of the tool, this process's own first: later launches arrive as {@link LaunchEvent}s and are answered
 * with where to look. {@code GET /launches} lists them as JSON; the page at {@code /} polls it.
 */
@RestController
class Launches implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Launches.class);

    /** One launch as {@code GET /launches} shows it. */
    record LaunchRecord(List<String> args, String workingDirectory, long pid, Instant time) {}

    private final List<LaunchRecord> launches = new CopyOnWriteArrayList<>();
    private final Environment environment;

    Launches(Environment environment) {
        this.environment = environment;
    }

    /** The first launch: this process. */
    @Override
    public void run(ApplicationArguments args) {
        launches.add(new LaunchRecord(
                List.of(args.getSourceArgs()),
                Path.of("").toAbsolutePath().toString(),
                ProcessHandle.current().pid(),
                ProcessHandle.current().info().startInstant().orElseGet(Instant::now)));
        log.info("Launches are listed at {}", url());
    }

    @EventListener
    void opened(LaunchEvent launch) {
        launches.add(new LaunchRecord(
                launch.getArgs(),
                launch.getWorkingDirectory().toString(),
                launch.getSenderPid(),
                launch.getLaunchTime()));
        log.info("Launch from pid {}: {}", launch.getSenderPid(), launch.getArgs());
        List<String> files = launch.getApplicationArguments().getNonOptionArgs();
        String where = "in the running instance, pid " + ProcessHandle.current().pid() + ", " + url();
        launch.reply(Reply.ok(
                files.isEmpty()
                        ? "nothing to open; the running instance is pid "
                                + ProcessHandle.current().pid() + ", " + url()
                        : "opened " + String.join(" ", files) + " " + where));
    }

    @GetMapping("/launches")
    List<LaunchRecord> launches() {
        return List.copyOf(launches);
    }

    private String url() {
        // Set once the web server listens; read here rather than from WebServerInitializedEvent, whose package
        // differs between Spring Boot 3.5 and 4 (this example is built and tested with both).
        return "http://localhost:" + environment.getProperty("local.server.port", "0") + "/";
    }
}
