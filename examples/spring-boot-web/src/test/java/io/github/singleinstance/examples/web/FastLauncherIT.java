package io.github.singleinstance.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.spring.testing.HeldStartup;
import io.github.singleinstance.spring.testing.LaunchedJvm;
import io.github.singleinstance.spring.testing.NeverAdopts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executable jar's fast path (single-instance-spring-boot-launcher's layout): a second launch forwards before any
 * Spring class loads; a first launch claims in the fast launcher, before Spring loads, and the application's run
 * listener adopts that claim (the claim file open once, its lock taken once, cleaned up once); launches that come
 * while it starts wait for it, through the fast path; a launch that bypasses the fast launcher (Spring Boot's
 * JarLauncher named on the command line) still forwards from the run listener; a claim the application never adopts
 * is let go of.
 */
class FastLauncherIT {

    private static final String FORWARD_ONLY = "io.github.singleinstance.internal.boot.ForwardOnly";
    private static final String HANDOVER = "io.github.singleinstance.internal.claim.ClaimHandover";
    /** The launch's forward timeout (the default): the longest a claim no application adopts is held. */
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);

    private final String id = LaunchedJvm.freshId();
    private final List<LaunchedJvm> launched = new ArrayList<>();

    @TempDir
    Path directory;

    @AfterEach
    void stopAll() {
        launched.forEach(LaunchedJvm::close);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void secondLaunchForwardsBeforeSpringLoadsAndTheRunListenerPathStillWorks() {
        LaunchedJvm primary = launch("primary", List.of("-jar", jar()), "--server.port=0");
        String url = WebToolApplicationIT.awaitUrl(primary);
        assertThat(primary.stdout()).as("the first launch started Spring Boot").contains(WebToolApplicationIT.READY);
        assertThat(count(primary.stdout(), "Primary instance of " + id + " "))
                .as(primary.stdout())
                .isEqualTo(1);
        assertThat(primary.classLoadingLog())
                .as("the fast launcher looked for a primary, found none and started Spring Boot")
                .contains(FORWARD_ONLY, "org.springframework.boot.loader.launch.JarLauncher");

        LaunchedJvm fast = launch("fast", List.of("-jar", jar()), "fast.txt");

        assertThat(fast.awaitExit(WebToolApplicationIT.EXIT))
                .as(fast.describe())
                .isZero();
        assertThat(fast.stdout())
                .isEqualTo("opened fast.txt in the running instance, pid " + primary.pid() + ", " + url + "\n");
        assertThat(fast.stderr()).isEmpty();
        String fastClasses = fast.classLoadingLog();
        assertThat(fastClasses).contains(FORWARD_ONLY);
        assertThat(fastClasses.lines().filter(line -> line.contains("org.springframework")))
                .as("classes of Spring loaded by the fast second launch")
                .isEmpty();
        assertThat(fastClasses).as("a second launch hands nothing over").doesNotContain(HANDOVER);

        LaunchedJvm viaRunListener = launch(
                "run-listener",
                List.of(
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        jar(),
                        "org.springframework.boot.loader.launch.JarLauncher"),
                "slow.txt");

        assertThat(viaRunListener.awaitExit(WebToolApplicationIT.EXIT))
                .as(viaRunListener.describe())
                .isZero();
        assertThat(viaRunListener.stdout())
                .isEqualTo("opened slow.txt in the running instance, pid " + primary.pid() + ", " + url + "\n");
        assertThat(viaRunListener.classLoadingLog())
                .as("forwarded from the run listener, without the fast launcher")
                .contains("io.github.singleinstance.spring.SingleInstanceStartupListener")
                .doesNotContain(FORWARD_ONLY);
        assertThat(count(primary.stdout(), "Primary instance of ")).isEqualTo(1);
        assertThat(primary.isAlive()).isTrue();
    }

    @Test
    @EnabledOnOs(OS.LINUX) // reads /proc/<pid>/fd
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void firstLaunchClaimsInTheLauncherAndTheApplicationOwnsTheClaimOnce() throws Exception {
        Path release = directory.resolve("release-startup");
        LaunchedJvm primary = LaunchedJvm.startHeldThroughTheFastLauncher(
                "primary", LaunchedJvm.exampleJar(), id, directory, release, "--server.port=0");
        launched.add(primary);
        primary.awaitStdout(HeldStartup.HELD, WebToolApplicationIT.STARTUP); // adopted, context not yet refreshed
        assertThat(primary.classLoadingLog())
                .as("the fast launcher claimed and handed the claim over")
                .contains(FORWARD_ONLY, HANDOVER, "org.springframework.boot.loader.launch.PropertiesLauncher");
        List<Path> claims = claimFilesOpenIn(primary.pid());
        assertThat(claims).as("claim files open in the primary").hasSize(1);
        Path claim = claims.get(0);
        assertThat(lockedElsewhere(claim)).as("the claim's lock is held").isTrue();

        LaunchedJvm second = launch("second", List.of("-jar", jar()), "early.txt");
        // held past its forward timeout, its launch kept: the primary shows progress while it starts
        assertThat(second.process().waitFor(FORWARD_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS))
                .as(second.describe())
                .isFalse();
        assertThat(primary.stdout()).doesNotContain(WebToolApplicationIT.READY);
        Files.createFile(release);

        assertThat(second.awaitExit(WebToolApplicationIT.EXIT))
                .as(second.describe())
                .isZero();
        String url = WebToolApplicationIT.awaitUrl(primary);
        assertThat(second.stdout())
                .isEqualTo("opened early.txt in the running instance, pid " + primary.pid() + ", " + url + "\n");
        assertThat(second.classLoadingLog().lines().filter(line -> line.contains("org.springframework")))
                .as("classes of Spring loaded by the launch that waited")
                .isEmpty();
        primary.awaitStdout("Launch from pid " + second.pid() + ": [early.txt]", WebToolApplicationIT.EXIT);
        assertThat(count(primary.stdout(), "Primary instance of " + id + " ")).isEqualTo(1);
        assertThat(claimFilesOpenIn(primary.pid())).as("after startup").containsExactly(claim);
        assertThat(lockedElsewhere(claim)).isTrue();
        List<Path> named = namedObjectsOf(claim);
        assertThat(named).as("the claim's named objects").contains(claim).hasSizeGreaterThan(1);

        primary.close(); // SIGTERM: Spring's and the core's shutdown hooks
        assertThat(primary.isAlive()).isFalse();
        assertThat(namedObjectsOf(claim))
                .as("named objects left after shutdown: the claim file alone, which is never removed")
                .containsExactly(claim);
        String output = primary.stdout() + primary.stderr();
        assertThat(output).as(output).doesNotContain(" ERROR ", "Exception", "cannot ");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void twoFirstLaunchesTogetherStartSpringOnceTheOtherForwardsThroughTheFastPath() {
        LaunchedJvm a = launch("first-a", List.of("-jar", jar()), "a.txt", "--server.port=0");
        LaunchedJvm b = launch("first-b", List.of("-jar", jar()), "b.txt", "--server.port=0");

        long deadline = System.nanoTime() + WebToolApplicationIT.STARTUP.toNanos();
        while (a.isAlive() && b.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(50); // polling two processes, bounded
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        LaunchedJvm forwarder = a.isAlive() ? b : a;
        LaunchedJvm primary = forwarder == a ? b : a;
        String file = forwarder == a ? "a.txt" : "b.txt";
        assertThat(forwarder.awaitExit(WebToolApplicationIT.EXIT))
                .as("one of them forwarded and exited: " + a.describe() + b.describe())
                .isZero();
        String url = WebToolApplicationIT.awaitUrl(primary);
        assertThat(forwarder.stdout())
                .isEqualTo("opened " + file + " in the running instance, pid " + primary.pid() + ", " + url + "\n");
        assertThat(forwarder.stderr()).isEmpty();
        assertThat(forwarder.classLoadingLog().lines().filter(line -> line.contains("org.springframework")))
                .as("classes of Spring loaded by the launch that did not start the application")
                .isEmpty();
        assertThat(primary.stdout()).contains(WebToolApplicationIT.READY);
        assertThat(count(primary.stdout(), "Primary instance of " + id + " ")).isEqualTo(1);
        assertThat(primary.classLoadingLog()).contains(HANDOVER);
        primary.awaitStdout("Launch from pid " + forwarder.pid() + ": [" + file, WebToolApplicationIT.EXIT);
        assertThat(primary.isAlive()).isTrue();
    }

    @Test
    @EnabledOnOs(OS.LINUX) // reads /proc/<pid>/fd
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aClaimTheApplicationNeverAdoptsIsLetGoOfAndTheNextLaunchStartsTheApplication() {
        Path neverAdopting = LaunchedJvm.withBootLauncher(
                LaunchedJvm.exampleJar(), directory, NeverAdopts.class.getName(), NeverAdopts.class);
        LaunchedJvm stuck = launch("never-adopts", List.of("-jar", neverAdopting.toString()), "stuck.txt");
        stuck.awaitStdout(NeverAdopts.RUNNING, WebToolApplicationIT.STARTUP);
        assertThat(stuck.classLoadingLog()).as("its launcher claimed").contains(HANDOVER);

        LaunchedJvm next = launch("next", List.of("-jar", jar()), "next.txt", "--server.port=0");

        String url = WebToolApplicationIT.awaitUrl(next);
        assertThat(count(next.stdout(), "Primary instance of " + id + " ")).isEqualTo(1);
        assertThat(stuck.isAlive())
                .as("the claim went while its launcher's JVM still ran")
                .isTrue();
        assertThat(claimFilesOpenIn(stuck.pid()))
                .as("claim files open in the JVM that never adopted")
                .isEmpty();
        LaunchedJvm third = launch("third", List.of("-jar", jar()), "third.txt");
        assertThat(third.awaitExit(WebToolApplicationIT.EXIT))
                .as(third.describe())
                .isZero();
        assertThat(third.stdout())
                .isEqualTo("opened third.txt in the running instance, pid " + next.pid() + ", " + url + "\n");
        assertThat(stuck.stderr()).isEmpty();
    }

    /** The claim files ({@code si-<hash>.c}) that process {@code pid} has open, one entry per descriptor. */
    private static List<Path> claimFilesOpenIn(long pid) {
        List<Path> claims = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path descriptor : descriptors.toList()) {
                Path target;
                try {
                    target = Files.readSymbolicLink(descriptor);
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.getFileName() != null
                        && target.getFileName().toString().matches("si-[0-9a-zA-Z_-]+\\.c")) {
                    claims.add(target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return claims;
    }

    /** Whether another process holds the lock of {@code claim} (tried from this JVM, which then lets go). */
    private static boolean lockedElsewhere(Path claim) throws IOException {
        try (FileChannel channel = FileChannel.open(claim, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock != null) {
                lock.release();
            }
            return lock == null;
        }
    }

    /** The files named after the same instance as {@code claim} ({@code si-<hash>.*}) in its directory. */
    private static List<Path> namedObjectsOf(Path claim) throws IOException {
        String name = claim.getFileName().toString();
        String prefix = name.substring(0, name.length() - 1); // "si-<hash>."
        try (Stream<Path> files = Files.list(claim.getParent())) {
            return files.filter(file -> file.getFileName().toString().startsWith(prefix))
                    .toList();
        }
    }

    private LaunchedJvm launch(String name, List<String> launch, String... args) {
        LaunchedJvm jvm = LaunchedJvm.startJava(name, id, directory, launch, args);
        launched.add(jvm);
        return jvm;
    }

    private static String jar() {
        return LaunchedJvm.exampleJar().toString();
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
