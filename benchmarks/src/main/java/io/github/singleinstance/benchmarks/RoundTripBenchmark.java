package io.github.singleinstance.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Round trips between two processes, side by side in one run: the bell ping-pong (the floor: the raw wake-up a
 * second launch uses on Linux), a futex wake-up ping-pong (both sides sleep), loopback TCP and a Unix-domain socket (what lock-file-and-socket libraries
 * do), a launch forwarded over a channel attached once (steady state: back to back, and 1 ms apart so that the primary
 * sleeps between launches), and a whole forwarded launch (attach, send, reply, detach).
 * The mechanisms take turns in blocks, so that the noise of a shared machine falls on all of them alike; the first
 * blocks are warm-up. Prints a Markdown table: median and p99 in microseconds, and each median over the floor's.
 *
 * <p>Usage: {@code java -jar benchmarks/target/benchmarks.jar [blocks] [roundTripsPerBlock] [warmupBlocks]}
 * (defaults 12, 500, 2).
 */
public final class RoundTripBenchmark {

    private RoundTripBenchmark() {}

    public static void main(String[] args) throws Exception {
        int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        List<Exchange> exchanges = new ArrayList<>();
        try {
            exchanges.add(new BellPingPong(0));
            exchanges.add(new FutexPingPong());
            exchanges.add(SocketEcho.unix());
            exchanges.add(SocketEcho.tcp());
            exchanges.add(new AttachedLaunch(0));
            exchanges.add(new BellPingPong(1));
            exchanges.add(new AttachedLaunch(1));
            exchanges.add(new ForwardedLaunch());
            long[][] samples = new long[exchanges.size()][(blocks - warmup) * perBlock];
            for (int block = 0; block < blocks; block++) {
                for (int e = 0; e < exchanges.size(); e++) {
                    Exchange exchange = exchanges.get(e);
                    for (int i = 0; i < perBlock; i++) {
                        if (exchange.pauseNanos() > 0) {
                            LockSupport.parkNanos(exchange.pauseNanos());
                        }
                        long start = System.nanoTime();
                        exchange.roundTrip();
                        long took = System.nanoTime() - start;
                        if (block >= warmup) {
                            samples[e][(block - warmup) * perBlock + i] = took;
                        }
                    }
                }
            }
            report(exchanges, samples, blocks, perBlock, warmup);
        } finally {
            for (Exchange exchange : exchanges) {
                exchange.close();
            }
        }
    }

    private static void report(List<Exchange> exchanges, long[][] samples, int blocks, int perBlock, int warmup) {
        System.out.printf(
                "Java %s, %d cores; %d round trips each (%d blocks of %d, taking turns; %d warm-up blocks "
                        + "dropped)%n%n",
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                samples[0].length,
                blocks - warmup,
                perBlock,
                warmup);
        System.out.println("| mechanism | median us | p99 us | median / floor |");
        System.out.println("|---|---:|---:|---:|");
        double floor = Percentile.of(samples[0], 50);
        for (int e = 0; e < exchanges.size(); e++) {
            double median = Percentile.of(samples[e], 50);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f | %.2fx |%n",
                    exchanges.get(e).name(),
                    median / 1000,
                    Percentile.of(samples[e], 99) / 1000,
                    median / floor);
        }
    }
}
