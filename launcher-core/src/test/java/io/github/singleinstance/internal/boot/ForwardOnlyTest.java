package io.github.singleinstance.internal.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Backend;
import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.claim.Claimer;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.settings.TestLaunchConfigs;
import io.github.singleinstance.internal.wire.InstanceKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A launcher's forward-only claim: it forwards to a primary, and without one it lets go and never becomes one. */
class ForwardOnlyTest {

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"POSIX", "PORTABLE"})
    void withoutAPrimaryItReturnsNoPrimaryAndLeavesTheClaimFreeAndUncreated(Backend backend) {
        String id = "test-forward-only-" + UUID.randomUUID();
        OsBackend os = OsBackends.forwarding(backend, Scope.USER);
        InstanceKey key = InstanceKey.of(id, Scope.USER, os.userTag(), os.sessionTag());

        assertThat(ForwardOnly.forward(
                        new String[] {"x"},
                        id,
                        Map.of("backend", backend.name(), "forwardTimeout", "2s", "totalTimeout", "2s"),
                        false))
                .isEqualTo(ForwardOnly.NO_PRIMARY);

        try (ClaimHandle claim = os.openClaim(key.claimName())) {
            assertThat(claim.tryLock()).as("the probe let go of the lock").isTrue();
        }
        ClaimResult next = Claimer.claim(config(id, backend), List.of());
        assertThat(next).as("a claim after the probe makes the primary").isInstanceOf(ClaimResult.Primary.class);
        ((ClaimResult.Primary) next).instance().close();
    }

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"POSIX", "PORTABLE"})
    void withAPrimaryItForwardsAndReturnsTheRepliedExitCode(Backend backend) {
        String id = "test-forward-only-" + UUID.randomUUID();
        ClaimResult claimed = Claimer.claim(config(id, backend), List.of());
        assertThat(claimed).isInstanceOf(ClaimResult.Primary.class);
        try (PrimaryInstance primary = ((ClaimResult.Primary) claimed).instance()) {
            java.util.concurrent.atomic.AtomicReference<java.util.Map<String, String>> environment =
                    new java.util.concurrent.atomic.AtomicReference<>();
            primary.onLaunch(launch -> {
                environment.set(launch.environment());
                return Reply.failure(3, "got " + launch.args());
            });

            int exit = ForwardOnly.forward(
                    new String[] {"a b"},
                    "the.MainClass",
                    Map.of(
                            "id", id,
                            "scope", " USER ",
                            "forwardTimeout", "5s",
                            "totalTimeout", "1s",
                            "backend", backend.name(),
                            "forwardEnvironment", "PATH, SI_NOT_SET_ANYWHERE"),
                    false);

            assertThat(exit).isEqualTo(3);
            assertThat(environment.get())
                    .as("the settings the launcher passes reach the primary")
                    .isEqualTo(java.util.Map.of("PATH", System.getenv("PATH")));
            assertThat(primary.launchesReceived()).isEqualTo(1);
        }
    }

    private static LaunchConfig config(String id, Backend backend) {
        return TestLaunchConfigs.of(id, backend);
    }
}
