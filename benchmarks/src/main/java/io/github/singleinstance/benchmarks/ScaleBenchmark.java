package io.github.singleinstance.benchmarks;

import io.github.singleinstance.internal.sender.AttachedSender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Throughput and scale of one primary (a peer process answering "ok"), with senders attached once:
 * <ol>
 *   <li>launches per second and round-trip latency with 1, 8 and 64 concurrent senders (threads of this process,
 *       each with its own mapping and reply slot);</li>
 *   <li>round-trip latency against the size of the launch, from one 1-byte argument to near the default limit.</li>
 * </ol>
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar io.github.singleinstance.benchmarks.ScaleBenchmark
 * [secondsPerPoint]} (default 3). Prints Markdown tables.
 */
public final class ScaleBenchmark {

    private static final int[] SENDERS = {1, 8, 64};
    private static final int[] ARGUMENT_SIZES = {1, 1024, 16 * 1024, 128 * 1024, 260_000};
    private static final int SIZE_ROUND_TRIPS = 1000;

    private ScaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        String id = "bench-scale-" + ProcessHandle.current().pid();
        try (Peer peer = Peer.start("primary", id)) {
            System.out.printf(
                    "Java %s, %d cores; one primary answering \"ok\"; %.0f s per point%n%n",
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds);
            System.out.println("| concurrent senders | launches per second | median round trip us | p99 us |");
            System.out.println("|---:|---:|---:|---:|");
            for (int senders : SENDERS) {
                throughput(id, senders, seconds);
            }
            System.out.println();
            System.out.println("| argument size, bytes | median round trip us | p99 us |");
            System.out.println("|---:|---:|---:|");
            for (int size : ARGUMENT_SIZES) {
                bySize(id, size);
            }
        }
    }

    private static void throughput(String id, int senders, double seconds) throws Exception {
        List<AttachedSender> attached = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            attached.add(AttachedSender.attach(id, List.of("--open", "report-" + i + ".txt")));
        }
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<long[]> latencies = new ArrayList<>();
        int[] counts = new int[senders];
        CountDownLatch done = new CountDownLatch(senders);
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < senders; i++) {
            int index = i;
            long[] mine = new long[1 << 17];
            latencies.add(mine);
            Thread thread = new Thread(
                    () -> {
                        try {
                            while (!stop.get()) {
                                long start = System.nanoTime();
                                attached.get(index).send();
                                long took = System.nanoTime() - start;
                                if (measuring.get() && counts[index] < mine.length) {
                                    mine[counts[index]++] = took;
                                }
                            }
                        } catch (Throwable t) {
                            failure[0] = t;
                        } finally {
                            done.countDown();
                        }
                    },
                    "sender-" + i);
            thread.start();
        }
        Thread.sleep(500); // warm-up
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        measuring.set(false);
        long elapsed = System.nanoTime() - start;
        stop.set(true);
        done.await();
        for (AttachedSender sender : attached) {
            sender.close();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("a sender failed", failure[0]);
        }
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int i = 0; i < senders; i++) {
            System.arraycopy(latencies.get(i), 0, all, at, counts[i]);
            at += counts[i];
        }
        System.out.printf(
                Locale.ROOT,
                "| %d | %.0f | %.1f | %.1f |%n",
                senders,
                all.length / (elapsed / 1e9),
                Percentile.of(all, 50) / 1000,
                Percentile.of(all, 99) / 1000);
    }

    private static void bySize(String id, int size) {
        try (AttachedSender sender = AttachedSender.attach(id, List.of("x".repeat(size)))) {
            long[] samples = new long[SIZE_ROUND_TRIPS];
            for (int i = -500; i < SIZE_ROUND_TRIPS; i++) { // the first 500 warm up
                long start = System.nanoTime();
                sender.send();
                if (i >= 0) {
                    samples[i] = System.nanoTime() - start;
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "| %,d | %.1f | %.1f |%n",
                    size,
                    Percentile.of(samples, 50) / 1000,
                    Percentile.of(samples, 99) / 1000);
        }
    }
}
