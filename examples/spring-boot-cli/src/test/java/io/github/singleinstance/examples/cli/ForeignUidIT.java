package io.github.singleinstance.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.spring.testing.LaunchedJvm;
import io.github.singleinstance.testsupport.TestEnvironment;
import io.github.singleinstance.testsupport.TestJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The packaged job runner as a container or a service manager runs it: a uid with no passwd entry ({@code user.home}
 * is then {@code ?}), {@code HOME=/}, an empty environment, started in one working directory and asked for its status
 * from another and from {@code /}. One application runs, the other launches get its status, and nothing is made in a
 * working directory (the build before made {@code ?/.cache/...} there and started a second application). Needs root
 * (to switch uids with util-linux's {@code setpriv}); the launches read a world-readable copy of the jar.
 */
@EnabledOnOs(value = OS.LINUX, disabledReason = "switches uids with setpriv")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ForeignUidIT {

    private static final Duration STARTUP = Duration.ofSeconds(120);
    private static final Duration EXIT = Duration.ofSeconds(60);
    private static final int NO_PASSWD_UID = 54321;

    private final String id = LaunchedJvm.freshId();
    private final List<TestJvm> launched = new ArrayList<>();
    private Path base;
    private Path jar;

    @BeforeEach
    void layout() throws IOException {
        TestEnvironment.requireOrSkip(
                "root".equals(System.getProperty("user.name")), "switches to another uid, which needs root");
        base = Files.createTempDirectory("cli-foreign-uid");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        jar = Files.copy(LaunchedJvm.exampleJar(), base.resolve("app.jar"));
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        Path tmp = Files.createDirectory(base.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        TestJvm.closeAll(launched);
        if (base != null) {
            try (Stream<Path> all = Files.walk(base)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    @Test
    void aUidWithoutPasswdEntryRunsOneApplicationThatServesEveryWorkingDirectory() throws IOException {
        Path one = workingDirectory("one");
        Path two = workingDirectory("two");
        TestJvm primary = launch(one, "primary");
        primary.awaitStdout("Started SyncApplication", STARTUP);

        for (Path from : List.of(two, Path.of("/"))) {
            TestJvm status = launch(from, "status", "status");
            assertThat(status.awaitExit(EXIT)).as(status.describe()).isZero();
            assertThat(status.stdout()).contains("running since", "pid " + primary.pid());
            assertThat(status.stdout()).doesNotContain("Started SyncApplication");
        }
        assertThat(tree(one)).as("made in the primary's working directory").isEmpty();
        assertThat(tree(two)).as("made in a launch's working directory").isEmpty();
        assertThat(Path.of("/?")).doesNotExist();
        assertThat(base.resolve("tmp").resolve("single-instance-" + NO_PASSWD_UID))
                .isDirectory();
    }

    /** The jar as the uid, in {@code workingDirectory}, with {@code args}; {@code name} names it in messages. */
    private TestJvm launch(Path workingDirectory, String name, String... args) {
        List<String> wrapper = List.of(
                "/usr/bin/env",
                "-i",
                "PATH=/usr/bin:/bin",
                "HOME=/",
                "/usr/bin/setpriv",
                "--reuid=" + NO_PASSWD_UID,
                "--regid=" + NO_PASSWD_UID,
                "--clear-groups");
        TestJvm jvm = TestJvm.builder("cli-" + NO_PASSWD_UID + "-" + name)
                .wrapper(wrapper)
                .systemProperty("single-instance.id", id)
                .systemProperty("java.io.tmpdir", base.resolve("tmp").toString())
                .launch(List.of("-jar", jar.toString()))
                .args(args)
                .directory(workingDirectory)
                .start();
        launched.add(jvm);
        return jvm;
    }

    private Path workingDirectory(String name) throws IOException {
        Path work = Files.createDirectory(base.resolve(name));
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
        Files.setAttribute(work, "unix:uid", NO_PASSWD_UID);
        Files.setAttribute(work, "unix:gid", NO_PASSWD_UID);
        return work;
    }

    private static List<Path> tree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(path -> !path.equals(dir)).toList();
        }
    }
}
