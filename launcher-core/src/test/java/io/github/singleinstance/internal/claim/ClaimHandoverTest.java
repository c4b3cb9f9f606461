package io.github.singleinstance.internal.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Backend;
import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.boot.ForwardOnly;
import io.github.singleinstance.internal.os.ClaimFiles;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.os.PrivateDirectory;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.settings.TestLaunchConfigs;
import io.github.singleinstance.internal.wire.InstanceKey;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A claim won by a second copy of this library in the same JVM (as the Spring Boot fast launcher loads it: its own
 * class loader, the JDK and the core only) and handed to this copy through JDK types: adopted once, or let go of.
 */
@Timeout(60)
@EnabledOnOs(OS.LINUX) // reads /proc/self/fd; the posix backend is Linux's
class ClaimHandoverTest {

    private final String id = "test-handover-" + UUID.randomUUID();

    @AfterEach
    void letGoOfAnythingPublished() {
        if (System.getProperties().get(ClaimFiles.HANDOVER_PROPERTY) instanceof Runnable left) {
            left.run();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"POSIX", "PORTABLE"})
    void theClaimOfTheLauncherCopyIsAdoptedOnceAndCleanedUpHere(Backend backend) throws Exception {
        try (URLClassLoader launcher = launcherCopy()) {
            assertThat(forwardOrHandOver(launcher, backend, Duration.ofSeconds(5)))
                    .isEqualTo(ForwardOnly.NO_PRIMARY);
            Object published = System.getProperties().get(ClaimFiles.HANDOVER_PROPERTY);
            assertThat(published).isInstanceOf(Function.class).isInstanceOf(Runnable.class);
            assertThat(published.getClass().getClassLoader()).isSameAs(launcher);
            Path claimFile = claimFile(backend);
            assertThat(descriptorsOf(claimFile))
                    .as("open in the launcher's copy")
                    .isEqualTo(1);

            ClaimResult claimed = Claimer.claim(config(backend), List.of());

            assertThat(claimed).isInstanceOf(ClaimResult.Primary.class);
            assertThat(System.getProperties()).doesNotContainKey(ClaimFiles.HANDOVER_PROPERTY);
            assertThat(((Function<Object, Object>) cast(published)).apply(ClaimFilesKey.of(claimFile)))
                    .as("handed over once")
                    .isNull();
            try (PrimaryInstance primary = ((ClaimResult.Primary) claimed).instance()) {
                primary.onLaunch(launch -> Reply.failure(4, "got " + launch.args()));
                assertThat(descriptorsOf(claimFile)).as("open once in this JVM").isEqualTo(1);
                int exit = ForwardOnly.forward(
                        new String[] {"later"},
                        id,
                        Map.of("backend", backend.name(), "forwardTimeout", "5s", "totalTimeout", "10s"),
                        false);
                assertThat(exit)
                        .as("a launch reaches the primary that adopted the claim")
                        .isEqualTo(4);
            }
            assertThat(descriptorsOf(claimFile))
                    .as("closed by the adopting copy's close")
                    .isZero();
            ClaimResult again = Claimer.claim(config(backend), List.of());
            assertThat(again).isInstanceOf(ClaimResult.Primary.class);
            ((ClaimResult.Primary) again).instance().close();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"POSIX", "PORTABLE"})
    void aClaimNotAdoptedWithinTheForwardTimeoutIsLetGoOf(Backend backend) throws Exception {
        try (URLClassLoader launcher = launcherCopy()) {
            assertThat(forwardOrHandOver(launcher, backend, Duration.ofMillis(300)))
                    .isEqualTo(ForwardOnly.NO_PRIMARY);
            Path claimFile = claimFile(backend);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.getProperties().containsKey(ClaimFiles.HANDOVER_PROPERTY)
                    && System.nanoTime() - deadline < 0) {
                Thread.sleep(20); // polling for the bound to pass, bounded
            }
            assertThat(System.getProperties()).doesNotContainKey(ClaimFiles.HANDOVER_PROPERTY);
            assertThat(descriptorsOf(claimFile))
                    .as("closed by the launcher's copy")
                    .isZero();

            ClaimResult claimed = Claimer.claim(config(backend), List.of());

            assertThat(claimed).isInstanceOf(ClaimResult.Primary.class);
            ((ClaimResult.Primary) claimed).instance().close();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"POSIX", "PORTABLE"})
    void aClaimLetGoOfBeforeAdoptionIsFreeForAnyone(Backend backend) throws Exception {
        try (URLClassLoader launcher = launcherCopy()) {
            assertThat(forwardOrHandOver(launcher, backend, Duration.ofSeconds(5)))
                    .isEqualTo(ForwardOnly.NO_PRIMARY);
            Runnable letGo = (Runnable) System.getProperties().get(ClaimFiles.HANDOVER_PROPERTY);

            letGo.run();

            assertThat(System.getProperties()).doesNotContainKey(ClaimFiles.HANDOVER_PROPERTY);
            assertThat(descriptorsOf(claimFile(backend))).isZero();
            ClaimResult claimed = Claimer.claim(config(backend), List.of());
            assertThat(claimed).isInstanceOf(ClaimResult.Primary.class);
            ((ClaimResult.Primary) claimed).instance().close();
        }
    }

    /** A second copy of this library, as the fast launcher loads it: the core and SLF4J's API, over the platform's. */
    private static URLClassLoader launcherCopy() {
        URL core = ForwardOnly.class.getProtectionDomain().getCodeSource().getLocation();
        URL slf4j = org.slf4j.LoggerFactory.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation();
        return new URLClassLoader("launcher-copy", new URL[] {core, slf4j}, ClassLoader.getPlatformClassLoader());
    }

    /** The launcher's call: {@code ForwardOnly.forward(..., handOver = true)} in the other copy. */
    private int forwardOrHandOver(ClassLoader launcher, Backend backend, Duration forwardTimeout) throws Exception {
        Class<?> entry = Class.forName(ForwardOnly.class.getName(), true, launcher);
        assertThat(entry).isNotSameAs(ForwardOnly.class);
        Method forward = entry.getMethod("forward", String[].class, String.class, Map.class, boolean.class);
        return (int) forward.invoke(
                null,
                new String[] {"first"},
                id,
                Map.of("backend", backend.name(), "forwardTimeout", forwardTimeout.toString(), "totalTimeout", "10s"),
                true);
    }

    private Path claimFile(Backend backend) {
        OsBackend os = OsBackends.forwarding(backend, Scope.USER);
        InstanceKey key = InstanceKey.of(id, Scope.USER, os.userTag(), os.sessionTag());
        return PrivateDirectory.ofThisUser().resolve(key.claimName().substring(1)); // Scope.USER, whichever backend
    }

    /** How many descriptors of this process denote {@code file} (Linux: /proc/self/fd). */
    private static long descriptorsOf(Path file) throws IOException {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors
                    .filter(descriptor -> {
                        try {
                            return Files.readSymbolicLink(descriptor).equals(file);
                        } catch (IOException closedMeanwhile) {
                            return false;
                        }
                    })
                    .count();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }

    /** The key {@code ClaimFiles} reads of a claim file: its file key. */
    private static final class ClaimFilesKey {
        static Object of(Path file) throws IOException {
            return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
        }
    }

    private LaunchConfig config(Backend backend) {
        return TestLaunchConfigs.of(id, backend);
    }
}
