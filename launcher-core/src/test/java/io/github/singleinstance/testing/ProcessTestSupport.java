package io.github.singleinstance.testing;

import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.InstanceKey;
import io.github.singleinstance.internal.os.linux.LinuxBackend;
import io.github.singleinstance.internal.os.portable.PortableBackend;
import io.github.singleinstance.testsupport.TestJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Per test: a fresh application id, a folder for the children's output, and no child left running afterwards. */
public abstract class ProcessTestSupport {

    protected static final Duration STARTUP = Duration.ofSeconds(120);
    protected static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    protected Path dir;

    protected String id;
    protected final List<TestJvm> children = new ArrayList<>();

    @BeforeEach
    void freshId(TestInfo test) {
        id = Jvm.freshId(test.getTestMethod().map(m -> m.getName()).orElse("test"));
    }

    @AfterEach
    void stopChildren() {
        Jvm.destroyAll(children);
        InstanceKey key = key();
        // a test that killed its primary leaves its objects; remove them so nothing stays behind
        Backends.current().unlink(key.channelName());
        Backends.current().unlink(key.claimName());
    }

    protected TestJvm launch(String... args) {
        return launch(List.of(), args);
    }

    protected TestJvm launch(List<String> jvmArgs, String... args) {
        TestJvm child = Jvm.start(dir, id, jvmArgs, TestApp.class, args);
        children.add(child);
        return child;
    }

    protected TestJvm startPrimary(String... args) {
        return startPrimary(List.of(), args);
    }

    /** Starts the primary with extra JVM arguments ({@code -Dtest.async=true}, ...) and waits for its PRIMARY line. */
    protected TestJvm startPrimary(List<String> jvmArgs, String... args) {
        TestJvm primary = launch(jvmArgs, args);
        primary.awaitLine("PRIMARY", STARTUP);
        if (!Files.exists(objectPath(key().claimName()))) { // the children must use the backend the tests check
            throw new AssertionError("no claim at " + objectPath(key().claimName()) + "\n" + primary.describe());
        }
        return primary;
    }

    protected InstanceKey key() {
        return InstanceKey.of(
                id, Scope.USER, Backends.current().userTag(), Backends.current().sessionTag());
    }

    /** The file behind a named object, in the backend the tests run with ({@code single-instance.backend}). */
    protected static Path objectPath(String name) {
        // on macOS and Windows the auto backend is the portable one; a test that chooses another gates itself by OS
        if (Backends.current() instanceof PortableBackend portable) {
            return portable.pathOf(name);
        }
        if (Backends.current() instanceof LinuxBackend linux) {
            return linux.pathOf(name);
        }
        throw new AssertionError("no file path for the objects of " + Backends.current());
    }

    protected boolean namedObjectsExist() {
        return Files.exists(objectPath(key().claimName()))
                || Files.exists(objectPath(key().channelName()))
                || Files.exists(objectPath(key().channelName() + ".bell")); // the posix backend's doorbell FIFO
    }

    /** True once the child exited; false if it is (still running as) the primary. */
    protected static boolean exitedOrPrimary(TestJvm child) {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.process().isAlive()) {
                return true;
            }
            if (child.stdout().startsWith("PRIMARY")) {
                return false;
            }
            Jvm.sleep(20);
        }
        throw new AssertionError("neither exited nor became primary\n" + child.describe());
    }
}
