package io.github.singleinstance.benchmarks.launch;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whole-process launch times of one JDK, every variant in the same interleaved loop so that they share the machine's
 * noise: a bare {@link Hello} (the floor), {@link MappingFloor} (the floor of a second launch that maps its channel),
 * the second launch (forward, reply, exit) of the lock file + loopback TCP peer, of the plain example on both backends
 * and of the library alone, and the first launch until its ready line of the peer, the library alone on both backends
 * and the plain example. Times are taken here with
 * {@link System#nanoTime()} around {@link ProcessBuilder#start()} and the process's exit (or its ready line); this JVM
 * runs under a fixed JDK while the measured ones run under the JDK given. Appends a Markdown section to {@code out}
 * and prints it.
 *
 * <p>Arguments, {@code key=value}: {@code java} (the JDK under test's java), {@code rounds}, {@code cds} (true: also
 * every variant with its own dynamic AppCDS archive), {@code classLoads} (true: one extra launch of some variants with
 * {@code -Xlog:class+load} and {@code -Xlog:startuptime}, summarised, and a timeline of each launch's steps),
 * {@code helloClasspath} (a directory), {@code helloJar}, {@code peerJar}, {@code unique4jJar} (the published peer,
 * unique4j with its app), {@code aloneJar}, {@code plainJar},
 * {@code floorJar} and {@code coreJar} ({@link MappingFloor} and the core it maps with), {@code work} (a scratch
 * directory), {@code out}; optional: {@code juniqueJar} (JUnique with its app, built by the script from a checkout:
 * its launches join the loop, with ours / JUnique per round), {@code beforePlainJar} and {@code beforeAloneJar} (an
 * earlier build's, with ours / before per round).
 */
public final class LaunchSpeed {

    private static final long TIMEOUT_SECONDS = 60;
    /** A default channel's size: a 4 KiB header, the 1 MiB ring, 256 reply slots of 4 KiB (see docs/protocol.md). */
    private static final long DEFAULT_CHANNEL_SIZE = 4096 + (1 << 20) + 256 * 4096;

    private static final String HELLO = "hello";
    private static final String PEER_SECOND = "peer-second";
    private static final String UNIQUE4J_SECOND = "unique4j-second";
    private static final String POSIX_SECOND = "ours-posix-second";
    private static final String PORTABLE_SECOND = "ours-portable-second";
    private static final String ALONE_POSIX_SECOND = "alone-posix-second";
    private static final String FLOOR_READ = "floor-read";
    private static final String FLOOR_MAP = "floor-map";
    private static final String PEER_FIRST = "peer-first";
    private static final String UNIQUE4J_FIRST = "unique4j-first";
    private static final String ALONE_POSIX_FIRST = "alone-posix-first";
    private static final String ALONE_PORTABLE_FIRST = "alone-portable-first";
    private static final String PLAIN_FIRST = "plain-first";
    private static final String JUNIQUE_SECOND = "junique-second";
    private static final String JUNIQUE_FIRST = "junique-first";

    private final Map<String, String> options;
    private final String java;
    private final Path work;
    private final String runId = "lsp-" + ProcessHandle.current().pid();
    private final List<Process> started = Collections.synchronizedList(new ArrayList<>());

    private LaunchSpeed(Map<String, String> options) {
        this.options = options;
        this.java = option("java");
        this.work = Path.of(option("work"));
    }

    /** What is launched: a command, and for a first launch the start of the line that says it is ready. */
    private record Variant(String key, String label, List<String> command, String readyPrefix) {

        boolean untilReady() {
            return readyPrefix != null;
        }

        Variant withOptions(String suffix, List<String> jvmOptions) {
            List<String> withOptions = new ArrayList<>();
            withOptions.add(command.get(0));
            withOptions.addAll(jvmOptions);
            withOptions.addAll(command.subList(1, command.size()));
            return new Variant(key + suffix, label, withOptions, readyPrefix);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("expected key=value: " + arg);
            }
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        LaunchSpeed speed = new LaunchSpeed(options);
        Runtime.getRuntime().addShutdownHook(new Thread(speed::stopAll));
        try {
            speed.run();
        } finally {
            speed.stopAll();
        }
    }

    private String option(String key) {
        String value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return value;
    }

    private boolean flag(String key) {
        String value = options.getOrDefault(key, "false");
        return value.equals("1") || value.equalsIgnoreCase("true");
    }

    private List<String> java(String... rest) {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(Arrays.asList(rest));
        return command;
    }

    private void run() throws Exception {
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "15"));
        boolean cds = flag("cds");
        Files.createDirectories(work);
        String peerJar = option("peerJar");
        String unique4jJar = option("unique4jJar");
        String unique4jId = "-Dpeer.id=" + runId + "-unique4j";
        String unique4jVersion = mavenVersion(unique4jJar, "io.github.furrrlo", "unique4j");
        String aloneJar = option("aloneJar");
        String plainJar = option("plainJar");
        String peerDir = "-Dpeer.dir=" + work;
        String peerId = "-Dpeer.id=" + runId + "-peer";
        String posixId = "-Dsingle-instance.id=" + runId + "-plain-posix";
        String portableId = "-Dsingle-instance.id=" + runId + "-plain-portable";
        String aloneId = "-Dsingle-instance.id=" + runId + "-alone-primary";
        String portable = "-Dsingle-instance.backend=portable";
        String floorClasspath = option("floorJar") + File.pathSeparator + option("coreJar");
        Path floorFile = floorFile();

        List<Variant> variants = new ArrayList<>(List.of(
                new Variant(
                        HELLO,
                        "bare JVM: `Hello` (the floor)",
                        java("-cp", option("helloClasspath"), Hello.class.getName()),
                        null),
                new Variant(
                        PEER_SECOND,
                        "peer (lock file + loopback TCP)",
                        java(peerDir, peerId, "-jar", peerJar, "file.txt"),
                        null),
                new Variant(
                        UNIQUE4J_SECOND,
                        "published peer: unique4j " + unique4jVersion + " (lock file + loopback TCP)",
                        java(peerDir, unique4jId, "-jar", unique4jJar, "file.txt"),
                        null),
                new Variant(
                        FLOOR_READ,
                        "floor, no protocol: a JVM opens a channel-sized file, reads a byte, exits"
                                + " (`MappingFloor read`)",
                        java("-cp", floorClasspath, MappingFloor.class.getName(), "read", floorFile.toString()),
                        null),
                new Variant(
                        FLOOR_MAP,
                        "floor of any mapping sender: the same, reading through the library's mapping"
                                + " (`MappingFloor map`)",
                        java("-cp", floorClasspath, MappingFloor.class.getName(), "map", floorFile.toString()),
                        null),
                new Variant(
                        POSIX_SECOND,
                        "ours: plain example, default (auto: posix)",
                        java(posixId, "-jar", plainJar, "file.txt"),
                        null),
                new Variant(
                        ALONE_POSIX_SECOND,
                        "ours: library alone (no Logback in its jar), default (auto: posix)",
                        java(aloneId, "-jar", aloneJar, "file.txt"),
                        null),
                new Variant(
                        PORTABLE_SECOND,
                        "ours: plain example, portable",
                        java(portableId, portable, "-jar", plainJar, "file.txt"),
                        null),
                new Variant(
                        PEER_FIRST,
                        "peer (lock file + loopback TCP)",
                        java(peerDir, "-Dpeer.id=" + runId + "-peer-first", "-jar", peerJar),
                        "READY"),
                new Variant(
                        UNIQUE4J_FIRST,
                        "published peer: unique4j " + unique4jVersion,
                        java(peerDir, "-Dpeer.id=" + runId + "-unique4j-first", "-jar", unique4jJar),
                        "READY"),
                new Variant(
                        ALONE_POSIX_FIRST,
                        "ours: library alone, default (auto: posix)",
                        java("-Dsingle-instance.id=" + runId + "-alone-posix", "-jar", aloneJar),
                        "READY"),
                new Variant(
                        ALONE_PORTABLE_FIRST,
                        "ours: library alone, portable",
                        java("-Dsingle-instance.id=" + runId + "-alone-portable", portable, "-jar", aloneJar),
                        "READY"),
                new Variant(
                        PLAIN_FIRST,
                        "ours: plain example, default (with Logback)",
                        java("-Dsingle-instance.id=" + runId + "-plain-first", "-jar", plainJar),
                        "primary ")));
        // optional: JUnique, the peer that is not on Maven Central (ours / JUnique, per round)
        Map<String, String> againstJunique = new LinkedHashMap<>();
        String juniqueJar = options.get("juniqueJar");
        String juniqueId = "-Dpeer.id=" + runId + "-junique";
        if (juniqueJar != null) {
            variants.add(
                    indexOf(variants, UNIQUE4J_SECOND) + 1,
                    new Variant(
                            JUNIQUE_SECOND,
                            "JUnique, built from its source (lock file, port file, loopback TCP)",
                            java(juniqueId, "-jar", juniqueJar, "file.txt"),
                            null));
            variants.add(
                    indexOf(variants, UNIQUE4J_FIRST) + 1,
                    new Variant(
                            JUNIQUE_FIRST,
                            "JUnique, built from its source",
                            java("-Dpeer.id=" + runId + "-junique-first", "-jar", juniqueJar),
                            "READY"));
            for (String key : List.of(POSIX_SECOND, PORTABLE_SECOND, ALONE_POSIX_SECOND)) {
                againstJunique.put(key, JUNIQUE_SECOND);
            }
            for (String key : List.of(ALONE_POSIX_FIRST, ALONE_PORTABLE_FIRST, PLAIN_FIRST)) {
                againstJunique.put(key, JUNIQUE_FIRST);
            }
            startPrimary(java(juniqueId, "-jar", juniqueJar), "READY");
        }
        // optional: the same launches of an earlier build's jars, in the same loop (ours / before, per round)
        Map<String, String> before = new LinkedHashMap<>();
        String beforePlain = options.get("beforePlainJar");
        String beforeAlone = options.get("beforeAloneJar");
        if (beforePlain != null && beforeAlone != null) {
            String bPosix = "-Dsingle-instance.id=" + runId + "-before-posix";
            String bPortable = "-Dsingle-instance.id=" + runId + "-before-portable";
            String bAlone = "-Dsingle-instance.id=" + runId + "-before-alone";
            variants.add(new Variant(
                    "before-" + POSIX_SECOND,
                    "before: plain example, default",
                    java(bPosix, "-jar", beforePlain, "file.txt"),
                    null));
            variants.add(new Variant(
                    "before-" + ALONE_POSIX_SECOND,
                    "before: library alone, default",
                    java(bAlone, "-jar", beforeAlone, "file.txt"),
                    null));
            variants.add(new Variant(
                    "before-" + PORTABLE_SECOND,
                    "before: plain example, portable",
                    java(bPortable, portable, "-jar", beforePlain, "file.txt"),
                    null));
            variants.add(new Variant(
                    "before-" + ALONE_POSIX_FIRST,
                    "before: library alone, default",
                    java("-Dsingle-instance.id=" + runId + "-before-alone-first", "-jar", beforeAlone),
                    "READY"));
            variants.add(new Variant(
                    "before-" + PLAIN_FIRST,
                    "before: plain example, default (with Logback)",
                    java("-Dsingle-instance.id=" + runId + "-before-plain-first", "-jar", beforePlain),
                    "primary "));
            for (String key :
                    List.of(POSIX_SECOND, ALONE_POSIX_SECOND, PORTABLE_SECOND, ALONE_POSIX_FIRST, PLAIN_FIRST)) {
                before.put(key, "before-" + key);
            }
            startPrimary(java(bPosix, "-jar", beforePlain), "primary ");
            startPrimary(java(bAlone, "-jar", beforeAlone), "READY");
            startPrimary(java(bPortable, portable, "-jar", beforePlain), "primary ");
        }

        // the primaries the second launches talk to, running for the whole loop
        startPrimary(java(peerDir, peerId, "-jar", peerJar), "READY");
        startPrimary(java(peerDir, unique4jId, "-jar", unique4jJar), "READY");
        startPrimary(java(posixId, "-jar", plainJar), "primary ");
        startPrimary(java(aloneId, "-jar", aloneJar), "READY");
        startPrimary(java(portableId, portable, "-jar", plainJar), "primary ");

        List<Variant> measured = new ArrayList<>(variants);
        Map<String, Variant> archived = new LinkedHashMap<>();
        if (cds) {
            for (Variant variant : variants) {
                Path archive = work.resolve(variant.key() + ".jsa");
                Files.deleteIfExists(archive);
                if (variant.key().equals(HELLO)) { // an archive takes no directories on the class path: Hello's jar
                    variant = new Variant(
                            HELLO, variant.label(), java("-cp", option("helloJar"), Hello.class.getName()), null);
                }
                launch(variant.withOptions("", List.of("-XX:ArchiveClassesAtExit=" + archive)));
                if (Files.isRegularFile(archive)) {
                    Variant withArchive = variant.withOptions("+cds", List.of("-XX:SharedArchiveFile=" + archive));
                    archived.put(variant.key(), withArchive);
                    measured.add(withArchive);
                } else {
                    System.err.println("no archive written by " + variant.command());
                }
            }
        }

        Map<String, List<Double>> times = new LinkedHashMap<>();
        measured.forEach(variant -> times.put(variant.key(), new ArrayList<>()));
        // round 0 warms the file cache and is not counted; in it a launch with an archive must map it (-Xshare:on)
        for (int round = 0; round <= rounds; round++) {
            for (int i = 0; i < measured.size(); i++) {
                Variant variant = measured.get((i + round) % measured.size()); // rotated: no variant always first
                if (round == 0) {
                    launch(variant.key().endsWith("+cds") ? variant.withOptions("", List.of("-Xshare:on")) : variant);
                } else {
                    times.get(variant.key()).add(launch(variant));
                }
            }
        }
        stopAll();

        StringBuilder md = new StringBuilder();
        String version = javaVersion();
        md.append(String.format(
                Locale.ROOT,
                "### Java %s%n%n`%s`; %d rounds (+1 warm-up), %d cores, load average before %s; whole process, wall"
                        + " clock, ms%n%n",
                version,
                java,
                rounds,
                Runtime.getRuntime().availableProcessors(),
                options.getOrDefault("load", "?")));
        table(md, variants, times, "");
        if (!againstJunique.isEmpty()) {
            md.append("\nAgainst JUnique (`juniqueJar`; median of per-round ratios ours / JUnique): ");
            md.append(ratios(times, againstJunique));
            md.append(".\n");
        }
        if (!before.isEmpty()) {
            md.append("\nAgainst the build before (`beforePlainJar`, `beforeAloneJar`; median of per-round ratios"
                    + " ours / before): ");
            md.append(ratios(times, before));
            md.append(".\n");
        }
        if (cds) {
            md.append("\n#### With a dynamic AppCDS archive per app (`-XX:ArchiveClassesAtExit` once, then"
                    + " `-XX:SharedArchiveFile`)\n\n");
            table(md, variants, times, "+cds");
            md.append("\nSpeed-up by the archive (median without / with): ");
            md.append(variants.stream()
                    .filter(v -> archived.containsKey(v.key()))
                    .map(v -> String.format(
                            Locale.ROOT,
                            "%s %.2fx",
                            v.key(),
                            median(times.get(v.key())) / median(times.get(v.key() + "+cds"))))
                    .collect(Collectors.joining(", ")));
            md.append(" (Hello with an archive runs from its jar: an archive takes no directories).\n");
        }
        if (flag("classLoads")) {
            classLoads(md, variants);
        }
        md.append('\n');
        System.out.print(md);
        Files.writeString(
                Path.of(option("out")),
                md,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Where the variant with this key is in the list (the table lists the variants in the loop's order). */
    private static int indexOf(List<Variant> variants, String key) {
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i).key().equals(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no variant " + key);
    }

    /** "key **1.23x**, ..." for each pair ours → theirs: the median of the per-round ratios. */
    private static String ratios(Map<String, List<Double>> times, Map<String, String> pairs) {
        return pairs.entrySet().stream()
                .map(e -> String.format(
                        Locale.ROOT,
                        "%s **%.2fx**",
                        e.getKey(),
                        medianRatio(times.get(e.getKey()), times.get(e.getValue()))))
                .collect(Collectors.joining(", "));
    }

    /** The version in a jar's {@code META-INF/maven/<group>/<artifact>/pom.properties}, or "?". */
    private static String mavenVersion(String jar, String group, String artifact) throws IOException {
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar)) {
            java.util.zip.ZipEntry entry =
                    file.getEntry("META-INF/maven/" + group + "/" + artifact + "/pom.properties");
            if (entry == null) {
                return "?";
            }
            java.util.Properties properties = new java.util.Properties();
            try (java.io.InputStream in = file.getInputStream(entry)) {
                properties.load(in);
            }
            return properties.getProperty("version", "?");
        }
    }

    /**
     * The median of the per-round ratios ours / theirs: each round's two launches ran back to back in the same
     * rotation, so a ratio of one round shares that round's load; NaN where either is missing.
     */
    static double medianRatio(List<Double> ours, List<Double> theirs) {
        if (ours == null || theirs == null || ours.size() != theirs.size() || ours.isEmpty()) {
            return Double.NaN;
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            ratios.add(ours.get(i) / theirs.get(i));
        }
        return median(ratios);
    }

    private void table(StringBuilder md, List<Variant> variants, Map<String, List<Double>> times, String suffix) {
        double hello = median(times.get(HELLO + suffix));
        md.append("| launch | median | p90 | min | × Hello | × peer | × unique4j (median of per-round ratios) |"
                + " minus Hello | ÷ peer's (minus Hello) |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        String section = "";
        for (Variant variant : variants) {
            String key = variant.key();
            List<Double> values = times.get(key + suffix);
            if (values == null) {
                continue;
            }
            String newSection =
                    key.equals(HELLO) ? "" : variant.untilReady() ? "first launch, until ready" : "second launch";
            if (!newSection.equals(section)) {
                md.append("| *").append(newSection).append("* | | | | | | | | |\n");
                section = newSection;
            }

            double median = median(values);
            String peerKey = variant.untilReady() ? PEER_FIRST : PEER_SECOND;
            List<Double> peerTimes = times.get(peerKey + suffix);
            boolean comparable = !key.equals(HELLO) && !key.equals(peerKey) && peerTimes != null;
            double peer = peerTimes == null ? Double.NaN : median(peerTimes);
            String unique4jKey = variant.untilReady() ? UNIQUE4J_FIRST : UNIQUE4J_SECOND;
            boolean againstUnique4j = !key.equals(HELLO) && !key.equals(unique4jKey);
            double unique4jRatio = medianRatio(values, times.get(unique4jKey + suffix));
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %.1f | %.1f | %.1f | %s | %s | %s | %s | %s |%n",
                    variant.label(),
                    median,
                    percentile(values, 0.9),
                    Collections.min(values),
                    key.equals(HELLO) ? "" : String.format(Locale.ROOT, "%.2f", median / hello),
                    comparable ? String.format(Locale.ROOT, "**%.2f**", median / peer) : "",
                    againstUnique4j && !Double.isNaN(unique4jRatio)
                            ? String.format(Locale.ROOT, "**%.2f**", unique4jRatio)
                            : "",
                    key.equals(HELLO) ? "" : String.format(Locale.ROOT, "%.1f", median - hello),
                    comparable ? String.format(Locale.ROOT, "%.2f", (median - hello) / (peer - hello)) : ""));
        }
    }

    /**
     * The file {@link MappingFloor} opens: the size of a default channel, in /dev/shm where the library's channels are
     * (the scratch directory where there is none), deleted when the run ends.
     */
    private Path floorFile() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path file = (Files.isDirectory(shm) && Files.isWritable(shm) ? shm : work).resolve(runId + "-floor");
        try (RandomAccessFile created = new RandomAccessFile(file.toFile(), "rw")) {
            created.setLength(DEFAULT_CHANNEL_SIZE);
        }
        file.toFile().deleteOnExit();
        return file;
    }

    /** Launches once and returns the milliseconds until the process exited (or printed its ready line). */
    private double launch(Variant variant) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(variant.command()).redirectErrorStream(true);
        if (!variant.untilReady()) {
            Path output = work.resolve(variant.key() + ".out");
            builder.redirectOutput(output.toFile());
            long start = System.nanoTime();
            Process process = builder.start();
            boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long end = System.nanoTime();
            if (!exited || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(variant.command() + " failed (exit "
                        + (exited ? process.exitValue() : "none, killed") + "): " + Files.readString(output));
            }
            return (end - start) / 1e6;
        }
        long start = System.nanoTime();
        Process process = builder.start();
        started.add(process);
        StringBuilder seen = new StringBuilder();
        long end = awaitReady(process, variant.readyPrefix(), seen);
        process.destroy(); // SIGTERM: the shutdown hooks clean up; the claim is free once it has exited
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(variant.command() + " did not exit after SIGTERM");
        }
        started.remove(process);
        if (end < 0) {
            throw new IllegalStateException(
                    variant.command() + " exited " + process.exitValue() + " without a ready line: " + seen);
        }
        return (end - start) / 1e6;
    }

    /**
     * Reads the process's output until a line starts with {@code prefix} and returns the time then, or -1 if it ended
     * first; afterwards a thread drains the rest so that the process never blocks on a full pipe.
     */
    private static long awaitReady(Process process, String prefix, StringBuilder seen) {
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread watchdog = new Thread(() -> {
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly(); // never ready: no line to wait for forever
                }
            } catch (InterruptedException e) {
                // ready in time: the process runs on
            }
        });
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    long ready = System.nanoTime();
                    watchdog.interrupt(); // a primary must outlive the timeout
                    Thread drain = new Thread(() -> drain(reader));
                    drain.setDaemon(true);
                    drain.start();
                    return ready;
                }
                seen.append(line).append('\n');
            }
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drain(BufferedReader reader) {
        try {
            while (reader.readLine() != null) {
                // discard
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    private void startPrimary(List<String> command, String readyPrefix) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(process);
        StringBuilder seen = new StringBuilder();
        if (awaitReady(process, readyPrefix, seen) < 0) {
            throw new IllegalStateException(command + " did not become the primary: " + seen);
        }
    }

    /** Ends the processes this harness started and still runs (the primaries), each by its own handle. */
    private void stopAll() {
        List<Process> processes;
        synchronized (started) {
            processes = new ArrayList<>(started);
            started.clear();
        }
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private String javaVersion() throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(java, "-version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher matcher = Pattern.compile("version \"([^\"]+)\"").matcher(output);
        String vendor = output.lines().skip(1).findFirst().orElse("").trim();
        return (matcher.find() ? matcher.group(1) : "?") + " (" + vendor + ")";
    }

    static double median(List<Double> values) {
        return percentile(values, 0.5);
    }

    static double percentile(List<Double> values, double fraction) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double position = fraction * (sorted.size() - 1);
        int low = (int) Math.floor(position);
        int high = (int) Math.ceil(position);
        return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (position - low);
    }

    // ---- which classes a launch loads -------------------------------------------------------------------------

    private static final Pattern CLASS_LOAD = Pattern.compile("\\[class,load\\s*\\] (\\S+) source: (.*)$");
    private static final Pattern CREATE_VM = Pattern.compile("Create VM, ([0-9.]+) secs");

    /** One launch's loaded classes as logged (name, source) and their names with hidden-class suffixes removed. */
    private record Loads(List<String[]> loaded, Set<String> names, double createVmMillis) {

        long count(String sourcePrefix) {
            return loaded.stream().filter(l -> l[1].startsWith(sourcePrefix)).count();
        }
    }

    private void classLoads(StringBuilder md, List<Variant> variants) throws Exception {
        Map<String, Variant> byKey = variants.stream().collect(Collectors.toMap(Variant::key, v -> v));
        // the primaries again, for the second launches
        startPrimary(java("-Dpeer.dir=" + work, "-Dpeer.id=" + runId + "-peer", "-jar", option("peerJar")), "READY");
        startPrimary(
                java("-Dpeer.dir=" + work, "-Dpeer.id=" + runId + "-unique4j", "-jar", option("unique4jJar")), "READY");
        startPrimary(java("-Dsingle-instance.id=" + runId + "-plain-posix", "-jar", option("plainJar")), "primary ");
        startPrimary(
                java(
                        "-Dsingle-instance.id=" + runId + "-plain-portable",
                        "-Dsingle-instance.backend=portable",
                        "-jar",
                        option("plainJar")),
                "primary ");
        Map<String, Loads> loads = new LinkedHashMap<>();
        for (String key : List.of(
                HELLO,
                PEER_SECOND,
                UNIQUE4J_SECOND,
                POSIX_SECOND,
                PORTABLE_SECOND,
                PEER_FIRST,
                ALONE_POSIX_FIRST,
                PLAIN_FIRST)) {
            Path classes = work.resolve(key + ".classes.log");
            Path startup = work.resolve(key + ".startup.log");
            Files.deleteIfExists(classes);
            Files.deleteIfExists(startup);
            launch(byKey.get(key)
                    .withOptions(
                            "", List.of("-Xlog:class+load=info:file=" + classes, "-Xlog:startuptime:file=" + startup)));
            loads.put(key, parse(classes, startup));
        }
        timelines(md, byKey);
        stopAll();

        md.append("\n#### Classes loaded (one launch each with `-Xlog:class+load` and `-Xlog:startuptime`)\n\n");
        md.append("| launch | classes | from the CDS archive | from the JDK image (jrt) | from jars/dirs | other"
                + " (generated, hidden) | JVM create (startuptime; one launch, noisy) ms |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|\n");
        for (Map.Entry<String, Loads> entry : loads.entrySet()) {
            Loads l = entry.getValue();
            long cds = l.count("shared objects file");
            long jrt = l.count("jrt:/");
            long files = l.count("file:") + l.count("jar:");
            md.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d | %d | %d | %.1f |%n",
                    describe(byKey.get(entry.getKey())),
                    l.loaded().size(),
                    cds,
                    jrt,
                    files,
                    l.loaded().size() - cds - jrt - files,
                    l.createVmMillis()));
        }
        for (String ours : List.of(POSIX_SECOND, PORTABLE_SECOND)) {
            Set<String> extra = new LinkedHashSet<>(loads.get(ours).names());
            extra.removeAll(loads.get(PEER_SECOND).names());
            Map<String, Long> byPackage = extra.stream()
                    .collect(Collectors.groupingBy(LaunchSpeed::packageOf, TreeMap::new, Collectors.counting()));
            md.append(String.format(
                    Locale.ROOT,
                    "%nClasses the %s loads that the peer's second launch does not: %d; top packages: ",
                    describe(byKey.get(ours)),
                    extra.size()));
            md.append(byPackage.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(15)
                    .map(e -> "`" + e.getKey() + "` " + e.getValue())
                    .collect(Collectors.joining(", ")));
            md.append(".\n");
            long slf4j = loads.get(ours).names().stream()
                    .filter(n -> n.startsWith("org.slf4j."))
                    .count();
            long logback = loads.get(ours).names().stream()
                    .filter(n -> n.startsWith("ch.qos.logback."))
                    .count();
            long jna = loads.get(ours).names().stream()
                    .filter(n -> n.startsWith("com.sun.jna."))
                    .count();
            md.append(String.format(
                    Locale.ROOT,
                    "In it: %d JNA classes, %d SLF4J classes, %d Logback classes%s.%n",
                    jna,
                    slf4j,
                    logback,
                    logback > 0
                            ? " ("
                                    + loads.get(ours).names().stream()
                                            .filter(n -> n.startsWith("ch.qos.logback.classic.")
                                                    && (n.endsWith("LoggerContext")
                                                            || n.contains("ContextInitializer")))
                                            .collect(Collectors.joining(", "))
                                    + ")"
                            : ""));
        }
    }

    // ---- when a second launch reaches each step ----------------------------------------------------------------

    private static final int TIMELINE_LAUNCHES = 5;
    private static final String FIRST_APP_CLASS = "(first class from the application's jar)";
    private static final String LAST_CLASS = "(last class loaded: exiting)";
    private static final Pattern UPTIME_CLASS_LOAD =
            Pattern.compile("^\\[(\\d+)ns\\]\\[class,load\\s*\\] (\\S+) source: (.*)$");

    /** A step of a launch, seen as the first load of the class that begins it; label and class. */
    private record Step(String label, String className) {}

    private static final List<Step> OUR_STEPS = List.of(
            new Step("main class loaded (the JVM is up)", FIRST_APP_CLASS),
            new Step("library entered: builder", "io.github.singleinstance.SingleInstance"),
            new Step(
                    "configuration read, backend chosen: the claim file opens",
                    "io.github.singleinstance.internal.os.ClaimFiles"),
            new Step(
                    "the claim is held: the primary's header is read",
                    "io.github.singleinstance.internal.sender.Liveness"),
            new Step("attaching to the primary's channel", "io.github.singleinstance.internal.wire.Channel"),
            new Step(
                    "channel file mapped (FileChannel.map / FFM)",
                    "io.github.singleinstance.internal.os.linux.ForwardingSegment"),
            new Step("encoding the launch", "io.github.singleinstance.internal.wire.LaunchCodec"),
            new Step(
                    "launch in the ring, doorbell rung: awaiting the reply",
                    "io.github.singleinstance.internal.sender.Forwarder$Withdrawal"),
            new Step("reply read", "io.github.singleinstance.Reply"),
            new Step("exit", LAST_CLASS));

    private static final List<Step> PEER_STEPS = List.of(
            new Step("main class loaded (the JVM is up)", FIRST_APP_CLASS),
            new Step("lock file opened, lock tried", "java.nio.channels.FileLock"),
            new Step("connecting to the primary's port", "java.net.Socket"),
            new Step("launch sent: reading the reply", "java.io.DataInputStream"),
            new Step("exit", LAST_CLASS));

    private static final List<Step> OUR_FIRST_STEPS = List.of(
            new Step("main class loaded (the JVM is up)", FIRST_APP_CLASS),
            new Step("library entered: builder", "io.github.singleinstance.SingleInstance"),
            new Step(
                    "configuration read, backend chosen: the claim file opens",
                    "io.github.singleinstance.internal.os.ClaimFiles"),
            new Step(
                    "claim won: header written, heartbeat started",
                    "io.github.singleinstance.internal.claim.Heartbeat"),
            new Step(
                    "primary set-up handed to a background thread",
                    "io.github.singleinstance.internal.primary.PrimaryRole"),
            new Step(
                    "claimOrExit returned: the app registers its handler, prints READY",
                    "io.github.singleinstance.benchmarks.launch.LibraryAloneApp$$Lambda"),
            new Step("(background) JNA loads", "com.sun.jna.Native"),
            new Step("(background) channel created", "io.github.singleinstance.internal.wire.Channel"));

    private static final List<Step> PEER_FIRST_STEPS = List.of(
            new Step("main class loaded (the JVM is up)", FIRST_APP_CLASS),
            new Step("lock file opened, lock tried", "java.nio.channels.FileLock"),
            new Step("lock won: listening on a loopback port", "java.net.ServerSocket"),
            new Step(
                    "port file written, shutdown hook added, then READY",
                    "io.github.singleinstance.benchmarks.peer.TcpPeerApp$$Lambda"));

    /**
     * When the default second and first launches of ours and of the peer reach each step, in ms since the JVM
     * started: the uptime at which the class that begins the step is first loaded ({@code -Xlog:class+load} with the
     * uptime in ns), median of a few launches each, interleaved. Logging slows a launch a little; read the gaps, not
     * the sums.
     */
    private void timelines(StringBuilder md, Map<String, Variant> byKey) throws Exception {
        Map<String, List<Step>> stepsOf = new LinkedHashMap<>();
        stepsOf.put(POSIX_SECOND, OUR_STEPS);
        stepsOf.put(PEER_SECOND, PEER_STEPS);
        stepsOf.put(UNIQUE4J_SECOND, PEER_STEPS);
        stepsOf.put(ALONE_POSIX_FIRST, OUR_FIRST_STEPS);
        stepsOf.put(PEER_FIRST, PEER_FIRST_STEPS);
        Map<String, Map<String, List<Double>>> at = new LinkedHashMap<>();
        stepsOf.keySet().forEach(key -> at.put(key, new LinkedHashMap<>()));
        for (int i = 0; i < TIMELINE_LAUNCHES; i++) {
            for (Map.Entry<String, List<Step>> entry : stepsOf.entrySet()) {
                Path log = work.resolve(entry.getKey() + ".timeline.log");
                Files.deleteIfExists(log);
                launch(byKey.get(entry.getKey())
                        .withOptions("", List.of("-Xlog:class+load=info:file=" + log + ":uptimenanos,tags")));
                Map<String, Double> reached = reached(log, entry.getValue());
                reached.forEach((label, millis) -> at.get(entry.getKey())
                        .computeIfAbsent(label, k -> new ArrayList<>())
                        .add(millis));
            }
        }
        md.append(String.format(
                Locale.ROOT,
                "%n#### When a launch reaches each step (ms since the JVM started; median of %d launches each"
                        + " with `-Xlog:class+load` and uptime in ns: a step begins when its first class loads; a first"
                        + " launch is logged until it is stopped)%n",
                TIMELINE_LAUNCHES));
        for (Map.Entry<String, List<Step>> entry : stepsOf.entrySet()) {
            md.append(String.format(Locale.ROOT, "%n%s:%n%n", describe(byKey.get(entry.getKey()))));
            md.append("| step | its first class | at ms | since the step before, ms |\n|---|---|--:|--:|\n");
            double previous = 0;
            for (Step step : entry.getValue()) {
                List<Double> values = at.get(entry.getKey()).get(step.label());
                if (values == null || values.size() < TIMELINE_LAUNCHES) {
                    md.append(String.format(
                            Locale.ROOT, "| %s | `%s` | (not in every launch) | |%n", step.label(), step.className()));
                    continue;
                }
                double median = median(values);
                md.append(String.format(
                        Locale.ROOT,
                        "| %s | `%s` | %.1f | %.1f |%n",
                        step.label(),
                        step.className(),
                        median,
                        median - previous));
                previous = median;
            }
        }
    }

    /** The ms since JVM start at which each step's class first loaded, by step label; absent steps are left out. */
    private static Map<String, Double> reached(Path log, List<Step> steps) throws IOException {
        Map<String, Double> firstLoad = new HashMap<>();
        double first = Double.NaN;
        double last = Double.NaN;
        for (String line : Files.readAllLines(log)) {
            Matcher matcher = UPTIME_CLASS_LOAD.matcher(line);
            if (!matcher.find()) {
                continue;
            }
            double millis = Long.parseLong(matcher.group(1)) / 1e6;
            String source = matcher.group(3);
            if (Double.isNaN(first) && (source.startsWith("file:") || source.startsWith("jar:"))) {
                first = millis;
            }
            firstLoad.putIfAbsent(normalise(matcher.group(2)), millis);
            last = millis;
        }
        Map<String, Double> reached = new LinkedHashMap<>();
        for (Step step : steps) {
            Double millis = step.className().equals(FIRST_APP_CLASS)
                    ? (Double.isNaN(first) ? null : first)
                    : step.className().equals(LAST_CLASS)
                            ? (Double.isNaN(last) ? null : last)
                            : firstLoad.get(step.className());
            if (millis != null) {
                reached.put(step.label(), millis);
            }
        }
        return reached;
    }

    private static String describe(Variant variant) {
        String kind = variant.key().equals(HELLO)
                ? ""
                : variant.untilReady() ? ", first launch (logged until its exit on SIGTERM)" : ", second launch";
        return variant.label().replace(" (the floor)", "") + kind;
    }

    private static Loads parse(Path classes, Path startup) throws IOException {
        List<String[]> loaded = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (String line : Files.readAllLines(classes)) {
            Matcher matcher = CLASS_LOAD.matcher(line);
            if (matcher.find()) {
                loaded.add(new String[] {matcher.group(1), matcher.group(2)});
                names.add(normalise(matcher.group(1)));
            }
        }
        double createVm = Double.NaN;
        for (String line : Files.readAllLines(startup)) {
            Matcher matcher = CREATE_VM.matcher(line);
            if (matcher.find()) {
                createVm = Double.parseDouble(matcher.group(1)) * 1000;
            }
        }
        return new Loads(loaded, names, createVm);
    }

    /** {@code a.B$$Lambda/0x1234} and {@code a.B$$Lambda$17/0x1234} to {@code a.B$$Lambda}: comparable across runs. */
    static String normalise(String className) {
        return className.replaceAll("/0x[0-9a-f]+$", "").replaceAll("\\$\\$Lambda\\$\\d+$", "\\$\\$Lambda");
    }

    static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "(default)" : className.substring(0, dot);
    }
}
