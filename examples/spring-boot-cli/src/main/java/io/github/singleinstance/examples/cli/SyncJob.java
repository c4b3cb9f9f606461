package io.github.singleinstance.examples.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
    /** Who follows the job's log lines (later launches running {@code logs --follow}). */
    private final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();

    SyncJob(@Value("${sync.interval:10s}") Duration interval) {
        this.interval = interval;
    }

    /** Runs a sync now, on the job's thread. */
    void syncNow() {
        executor.execute(this::sync);
    }

    /** The status, one fact per line. */
    List<String> status() {
        Instant last = lastRun.get();
        return List.of(
                "running since " + started,
                "pid " + ProcessHandle.current().pid(),
                runs.get() + " sync(s) done",
                "last at " + (last == null ? "-" : last),
                "every " + interval.toSeconds() + "s");
    }

    /** Calls {@code follower} with every log line of the job from now on, until {@link #unfollow}. */
    void follow(Consumer<String> follower) {
        followers.add(follower);
    }

    void unfollow(Consumer<String> follower) {
        followers.remove(follower);
    }

    private void sync() {
        runs.incrementAndGet();
        lastRun.set(Instant.now());
        log.info("sync #{} done", runs.get());
        String line = Instant.now() + " sync #" + runs.get() + " done";
        for (Consumer<String> follower : followers) {
            follower.accept(line);
        }
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
