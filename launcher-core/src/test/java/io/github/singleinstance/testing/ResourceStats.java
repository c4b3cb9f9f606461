package io.github.singleinstance.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a process holds, read from /proc and the JVM: open descriptors, threads, shared-memory mappings of this
 * library, heap used after a full GC, CPU time. As one line {@code fds=12 threads=9 shmMaps=1 heapAfterGc=1234
 * cpuMillis=560}, so a test can ask a primary for it through the launch channel itself. Linux only: a test that uses
 * it first calls {@link ProcFs#require(String)}.
 */
public final class ResourceStats {

    private ResourceStats() {}

    public static String ofThisProcess() {
        System.gc();
        Map<String, Long> stats = new TreeMap<>();
        stats.put("fds", count(Path.of("/proc/self/fd")));
        stats.put("threads", (long) Thread.activeCount());
        stats.put("shmMaps", shmMappings(Path.of("/proc/self/maps")));
        stats.put(
                "heapAfterGc",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        StringBuilder line = new StringBuilder();
        stats.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
        return line.toString().strip();
    }

    public static long value(String line, String key) {
        for (String pair : line.strip().split(" ")) {
            if (pair.startsWith(key + "=")) {
                return Long.parseLong(pair.substring(key.length() + 1));
            }
        }
        throw new IllegalArgumentException("no " + key + " in: " + line);
    }

    /** User plus system CPU time of process {@code pid} in clock ticks (1/100 s on Linux), from /proc/PID/stat. */
    public static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long shmMappings(Path maps) {
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.filter(line -> line.contains("/si-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
