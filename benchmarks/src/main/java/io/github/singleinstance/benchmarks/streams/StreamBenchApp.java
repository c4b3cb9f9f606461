package io.github.singleinstance.benchmarks.streams;

import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstance;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * The library's side of scripts/measure-streams.sh: the first launch is the primary; a later launch's first argument
 * is a command its handler runs on the launch's streams.
 *
 * <pre>
 * --send N     writes N zero bytes to the launch's standard output, in 64 KiB writes (primary to second launch)
 * --count      reads the launch's standard input to its end and answers the byte count (second launch to primary)
 * --first-line writes one line, then answers (the latency of the first output chunk)
 * --exit       answers exit code 0 with nothing written (the plain round trip)
 * --stop       ends the primary
 * </pre>
 */
public final class StreamBenchApp {

    private StreamBenchApp() {}

    public static void main(String[] args) throws Exception {
        PrimaryInstance primary = SingleInstance.builder()
                .id("io.github.singleinstance.benchmarks.streams")
                .forwardStandardInput(true)
                .build()
                .claimOrExit(args);
        System.out.println("primary " + ProcessHandle.current().pid());
        CountDownLatch stop = new CountDownLatch(1);
        primary.onLaunch(launch -> {
            String command = launch.args().isEmpty() ? "" : launch.args().get(0);
            switch (command) {
                case "--send" -> {
                    long left = Long.parseLong(launch.args().get(1));
                    byte[] chunk = new byte[64 * 1024];
                    while (left > 0) {
                        int n = (int) Math.min(left, chunk.length);
                        launch.out().write(chunk, 0, n);
                        left -= n;
                    }
                    return Reply.ok();
                }
                case "--count" -> {
                    InputStream in = launch.in();
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        total += n;
                    }
                    return Reply.ok(Long.toString(total));
                }
                case "--first-line" -> {
                    launch.out().println("first");
                    return Reply.ok();
                }
                case "--stop" -> {
                    stop.countDown();
                    return Reply.ok();
                }
                default -> {
                    return Reply.ok();
                }
            }
        });
        stop.await();
        primary.close();
    }
}
