package io.github.singleinstance.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.testsupport.TestJvm;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary of one build and a launch of another build whose protocol version is one higher (this module compiles the
 * core's sources again with {@code PROTOCOL_VERSION} raised: "the next version"), both ways, at default settings:
 * exactly one primary, and the other launch either delivered (replace) or refused with a message naming both versions.
 * The rendezvous (the claim's name and header) is the same for both, which is what makes this work.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CrossVersionProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final String id = "test-cross-version-" + UUID.randomUUID();
    private final List<TestJvm> started = new ArrayList<>();

    enum Build {
        CURRENT,
        NEXT
    }

    @AfterEach
    void stopAll() {
        TestJvm.closeAll(started);
    }

    @Test
    void aNextVersionLaunchMeetingACurrentPrimaryIsRefusedAndNeverBecomesASecondPrimary() throws Exception {
        assertOnePrimaryAndARefusal(Build.CURRENT, Build.NEXT, 3, 4);
    }

    @Test
    void aCurrentLaunchMeetingANextVersionPrimaryIsRefusedAndNeverBecomesASecondPrimary() throws Exception {
        assertOnePrimaryAndARefusal(Build.NEXT, Build.CURRENT, 4, 3);
    }

    @Test
    void aNextVersionLaunchCanReplaceACurrentPrimary() throws Exception {
        Child old = start(Build.CURRENT, List.of(), "old");
        old.awaitLine("PRIMARY");
        Child replacing = start(Build.NEXT, List.of("-Dsingle-instance.replace=true"), "new");
        replacing.awaitLine("PRIMARY");
        assertThat(old.awaitExit()).as(old.describe()).isZero();
        Child later = start(Build.NEXT, List.of(), "later");
        assertThat(later.awaitExit()).as(later.describe()).isZero();
        assertThat(replacing.stdout()).contains("LAUNCH later");
        Child stop = start(Build.NEXT, List.of(), "stop");
        assertThat(stop.awaitExit()).as(stop.describe()).isZero();
    }

    @Test
    void aQueryOfEitherBuildNamesTheOthersPrimaryAndItsVersionWithoutReadingItsChannel() {
        for (Build primaryBuild : Build.values()) {
            Build queryBuild = primaryBuild == Build.CURRENT ? Build.NEXT : Build.CURRENT;
            Child primary = start(primaryBuild, List.of(), "first");
            primary.awaitLine("PRIMARY");
            Child same = start(primaryBuild, List.of(), "ready?"); // answered: the primary's channel is open
            assertThat(same.awaitExit()).as(same.describe()).isZero();
            Child query = start(queryBuild, List.of(), "status");
            assertThat(query.awaitExit()).as(query.describe()).isZero();
            int version = primaryBuild == Build.CURRENT ? 3 : 4;
            assertThat(query.stdout().strip())
                    .as("the other version's channel layout is not the query's to read: since unknown")
                    .isEqualTo("RUNNING " + primary.jvm.pid() + " " + version + " READY false");
            assertThat(primary.stdout()).doesNotContain("status");
            Child stop = start(primaryBuild, List.of(), "stop");
            assertThat(stop.awaitExit()).as(stop.describe()).isZero();
            assertThat(primary.awaitExit()).as(primary.describe()).isZero();
        }
    }

    private void assertOnePrimaryAndARefusal(
            Build primaryBuild, Build launchBuild, int primaryVersion, int launchVersion) throws Exception {
        Child primary = start(primaryBuild, List.of(), "first");
        primary.awaitLine("PRIMARY");
        Child other = start(launchBuild, List.of(), "second");
        assertThat(other.awaitExit()).as(other.describe()).isEqualTo(69);
        assertThat(other.stdout()).doesNotContain("PRIMARY");
        assertThat(other.stderr())
                .contains("(pid " + primary.jvm.pid() + ")")
                .contains("speaks protocol version " + primaryVersion)
                .contains("this launch speaks version " + launchVersion)
                .contains("Nothing was sent");
        assertThat(primary.stdout()).doesNotContain("second");
        Child same = start(primaryBuild, List.of(), "same-version");
        assertThat(same.awaitExit()).as(same.describe()).isZero();
        assertThat(primary.stdout()).contains("LAUNCH same-version");
        Child stop = start(primaryBuild, List.of(), "stop");
        assertThat(stop.awaitExit()).as(stop.describe()).isZero();
    }

    /** The child's classpath: one build of the core, the app, and the core's dependencies (JNA, SLF4J). */
    private static String classpath(Build build) {
        List<String> path = new ArrayList<>();
        String core = null;
        String next = null;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("single-instance-core") || entry.endsWith("launcher-core/target/classes")) {
                core = entry;
            } else if (entry.endsWith("protocol-compat-tests/target/classes")) {
                next = entry;
            } else if (entry.endsWith("test-classes") || entry.contains("jna") || entry.contains("slf4j")) {
                path.add(entry);
            }
        }
        if (core == null || next == null) {
            throw new IllegalStateException(
                    "cannot find both builds on the test classpath: " + System.getProperty("java.class.path"));
        }
        path.add(0, build == Build.CURRENT ? core : next);
        return String.join(File.pathSeparator, path);
    }

    private Child start(Build build, List<String> jvmArgs, String... args) {
        TestJvm jvm = TestJvm.builder(build + "-" + String.join("-", args))
                .jvmArgs(List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "--enable-native-access=ALL-UNNAMED"))
                .systemProperty("single-instance.id", id)
                .jvmArgs(jvmArgs)
                .mainClass(classpath(build), CompatApp.class.getName())
                .args(args)
                .directory(dir)
                .start();
        started.add(jvm);
        return new Child(build, jvm);
    }

    private record Child(Build build, TestJvm jvm) {

        String stdout() {
            return jvm.stdout();
        }

        String stderr() {
            return jvm.stderr();
        }

        int awaitExit() {
            return jvm.awaitExit(WAIT);
        }

        void awaitLine(String prefix) {
            jvm.awaitStdout(out -> out.startsWith(prefix), "output starting with " + prefix, WAIT);
        }

        String describe() {
            return "[" + build + jvm.describe() + "]";
        }
    }
}
