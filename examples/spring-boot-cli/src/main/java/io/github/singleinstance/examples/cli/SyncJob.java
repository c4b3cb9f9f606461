package io.github.singleinstance.examples.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The job: "syncs" every {@code sync.interval} on its own non-daemon thread, which also keeps this non-web
 * application running until it is stopped.
 */
@Component
class SyncJob implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SyncJob.class);

    private final Duration interval;
    private final Instant started = Instant.now();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicReference<Instant> lastRun = new AtomicReference<>();
    private ScheduledExecutorService executor;

    SyncJob(@Value("${sync.interval:10s}") Duration interval) {
        this.interval = interval;
    }

    /** Runs a sync now, on the job's thread. */
    void syncNow() {
        executor.execute(this::sync);
    }

    String status() {
        Instant last = lastRun.get();
        return "running since " + started + ", pid " + ProcessHandle.current().pid() + ", " + runs.get()
                + " sync(s) done" + (last == null ? "" : ", last at " + last) + ", every " + interval.toSeconds() + "s";
    }

    private void sync() {
        runs.incrementAndGet();
        lastRun.set(Instant.now());
        log.info("sync #{} done", runs.get());
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "sync"));
        executor.scheduleWithFixedDelay(this::sync, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        executor.shutdownNow();
    }

    @Override
    public boolean isRunning() {
        return executor != null && !executor.isShutdown();
    }
}
