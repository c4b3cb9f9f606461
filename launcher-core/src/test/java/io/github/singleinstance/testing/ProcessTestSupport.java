package io.github.singleinstance.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.os.linux.LinuxBackend;
import io.github.singleinstance.internal.os.portable.PortableBackend;
import io.github.singleinstance.internal.wire.InstanceKey;
import io.github.singleinstance.testsupport.TestJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per test: a fresh application id, a folder for the children's output, and no child left running afterwards. When
 * the children are stopped, none may have logged {@value #FOUND_BY_RECHECK}: a launch its primary found only on the
 * intake's periodic recheck lost its wake-up, which costs it half the forward timeout and would pass every other
 * assertion.
 */
public abstract class ProcessTestSupport {

    /**
     * What a primary logs (WARN) when its intake finds a launch on its periodic recheck rather than by its doorbell: a
     * lost wake-up. Exact: the primary's log line contains it.
     */
    public static final String FOUND_BY_RECHECK = "found by the intake's recheck";

    protected static final Duration STARTUP = Duration.ofSeconds(120);
    protected static final Duration EXIT = Duration.ofSeconds(60);

    @TempDir
    protected Path dir;

    protected String id;
    protected final List<TestJvm> children = new ArrayList<>();

    private boolean recheckExpected;

    @BeforeEach
    void freshId(TestInfo test) {
        id = Jvm.freshId(test.getTestMethod().map(m -> m.getName()).orElse("test"));
    }

    @AfterEach
    void stopChildren() {
        try {
            stopAllChildren();
            for (String settings : EffectiveSettings.of(dir)) {
                System.out.println("EFFECTIVE-SETTINGS " + settings); // for the reliability report
            }
        } finally {
            InstanceKey key = key();
            // the claim file stays by design, and a test that killed its primary leaves its channel: remove them
            for (Path object : channelObjects()) {
                Backends.current().unlink("/" + object.getFileName());
            }
            Backends.current().unlink(key.claimName());
        }
    }

    /** The distinct settings this test's children ran with, as they resolved them ({@link EffectiveSettings}). */
    protected List<String> effectiveSettings() {
        return EffectiveSettings.of(dir);
    }

    /**
     * Ends every child ({@link Jvm#destroyAll}) and fails if any logged {@value #FOUND_BY_RECHECK}, unless this test
     * {@link #expectLaunchesFoundByRecheck() expects it}. A test that ends its children before it ends calls this,
     * not {@link Jvm#destroyAll}, so that their output is checked too.
     */
    protected void stopAllChildren() {
        List<TestJvm> stopped = new ArrayList<>(children);
        Jvm.destroyAll(children);
        if (!recheckExpected) {
            assertNoLaunchFoundByRecheck(stopped);
        }
    }

    /**
     * For a test that loses a wake-up on purpose (a sender killed between disarming the primary's bell and ringing
     * it): its primary finds that launch on the intake's recheck, and logs so. No other test may call this.
     */
    protected void expectLaunchesFoundByRecheck() {
        recheckExpected = true;
    }

    /** Fails naming the child and its output if any of {@code stopped} (ended) logged {@value #FOUND_BY_RECHECK}. */
    public static void assertNoLaunchFoundByRecheck(List<TestJvm> stopped) {
        for (TestJvm child : stopped) {
            if (!child.isAlive()) {
                child.awaitExit(Duration.ofSeconds(10)); // ended: this waits only for its output to be read
            }
            if (child.stdout().contains(FOUND_BY_RECHECK) || child.stderr().contains(FOUND_BY_RECHECK)) {
                throw new AssertionError(child.name() + " found a launch only on its intake's recheck ('"
                        + FOUND_BY_RECHECK + "'): a lost wake-up, which costs that launch half the forward timeout"
                        + child.describe());
            }
        }
    }

    protected TestJvm launch(String... args) {
        return launch(List.of(), args);
    }

    protected TestJvm launch(List<String> jvmArgs, String... args) {
        List<String> all = new ArrayList<>(childJit());
        all.addAll(jvmArgs);
        TestJvm child = Jvm.start(dir, id, all, TestApp.class, args);
        children.add(child);
        return child;
    }

    /**
     * JVM arguments for the JIT of the children {@link #launch} starts: none (C1 alone, {@link Jvm}'s cheap flags);
     * the storm and crash tests return {@link Jvm#C2_ON}.
     */
    protected List<String> childJit() {
        return List.of();
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

    /**
     * The channel of the primary that holds (or last held) the claim: its generation is the claim header's CHANNEL
     * word (little-endian, at byte 44; ClaimHeader), read from the file as any other process would.
     */
    protected String channelName() {
        try (FileChannel claim = FileChannel.open(objectPath(key().claimName()), StandardOpenOption.READ)) {
            ByteBuffer word = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            claim.read(word, 44);
            return key().channelName(word.getInt(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every channel file of this test's id, of any generation, with what hangs off it (the posix backend's doorbell
     * FIFO, the portable backend's bell directory); the claim file is not among them: it is never removed.
     */
    protected List<Path> channelObjects() {
        String prefix = key().channelPrefix().substring(1);
        Path claim = objectPath(key().claimName());
        try (Stream<Path> files = Files.list(claim.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && !f.equals(claim))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The channels of this test's id that {@link #channelObjects} finds, each once whatever hangs off it. */
    protected List<String> channelsLeft() {
        return channelObjects().stream()
                .map(object -> object.getFileName().toString())
                .map(name -> name.substring(0, name.indexOf(".r") + 2))
                .distinct()
                .toList();
    }

    protected boolean channelObjectsExist() {
        return !channelObjects().isEmpty();
    }

    /**
     * How a launch describes a primary that SIGSTOP stopped: "is stopped" where {@code /proc} tells (Linux), else
     * "is not responding" (macOS, and the children under its rules here: {@link PlatformRules}).
     */
    protected static String stoppedPrimaryWording() {
        return PlatformRules.childrenHaveProc() ? "is stopped" : "is not responding";
    }

    /**
     * Asserts that no channel of a stopped primary is left, as far as the OS lets the library remove them: under
     * Windows' delete rule ({@link PlatformRules}) a primary cannot remove the channel it maps itself (nor, on Java 17,
     * unmap it before it exits), so the last two generations may stay until a later primary removes them.
     */
    protected void assertChannelsRemovedAsTheOsAllows() {
        if (PlatformRules.deletesMayBeRefused()) {
            assertThat(channelsLeft())
                    .as("at most the last two generations' channels stay")
                    .hasSizeLessThanOrEqualTo(2);
        } else {
            assertThat(channelObjects()).as("the claim file alone stays").isEmpty();
        }
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
