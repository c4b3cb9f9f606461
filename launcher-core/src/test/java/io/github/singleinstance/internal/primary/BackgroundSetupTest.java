package io.github.singleinstance.internal.primary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Launch;
import io.github.singleinstance.Reply;
import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.claim.Heartbeat;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.sender.Forwarder;
import io.github.singleinstance.internal.sender.Liveness;
import io.github.singleinstance.internal.sender.OutgoingLaunch;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.settings.TestLaunchConfigs;
import io.github.singleinstance.internal.wire.ClaimHeader;
import io.github.singleinstance.internal.wire.InstanceKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A first launch on a default backend is the primary once it holds the claim; the backend and the channel come on the
 * intake thread ({@link PrimaryRole#startInBackground}). Here the backend's loading is held on a latch to show the
 * order: primary and STARTING first, a launch meanwhile waiting, READY and its reply once the backend is there; and a
 * setup that fails gives the claim up.
 */
class BackgroundSetupTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final OsBackend os = OsBackends.of(Backend.PORTABLE, Scope.USER);
    private final String id = "test-background-setup-" + UUID.randomUUID();
    private final InstanceKey key = InstanceKey.of(id, Scope.USER, os.userTag(), os.sessionTag());
    private final LaunchConfig config = TestLaunchConfigs.of(id, Backend.PORTABLE, WAIT, WAIT);

    @AfterEach
    void removeNames() {
        os.unlink(key.channelName(1));
        os.unlink(key.claimName());
    }

    @Test
    void theLaunchIsPrimaryWhileItsBackendStillLoadsAndALaunchMeanwhileIsServedOnceItIsReady() throws Exception {
        CountDownLatch backendLoaded = new CountDownLatch(1);
        ClaimHandle claim = os.openClaim(key.claimName());
        assertThat(claim.tryLock()).isTrue();
        PrimaryRole primary = PrimaryRole.startInBackground(
                () -> {
                    await(backendLoaded);
                    return os;
                },
                claim,
                Heartbeat.start(claim, os.pid()),
                key,
                config);
        try {
            primary.onLaunch(launch -> Reply.ok("got " + launch.args()));
            assertThat(ClaimHeader.read(claim).state())
                    .as("returned before the backend: still starting")
                    .isEqualTo(ClaimHeader.STATE_STARTING);

            CompletableFuture<Forwarder.Outcome> meanwhile = CompletableFuture.supplyAsync(this::forward);
            assertThatThrownBy(() -> meanwhile.get(300, TimeUnit.MILLISECONDS))
                    .as("a launch waits while the primary has no channel")
                    .isInstanceOf(TimeoutException.class);

            backendLoaded.countDown();
            Forwarder.Outcome outcome = meanwhile.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(outcome).isInstanceOf(Forwarder.Replied.class);
            assertThat(((Forwarder.Replied) outcome).reply().message()).isEqualTo("got [x]");
            assertThat(ClaimHeader.read(claim).state()).isEqualTo(ClaimHeader.STATE_READY);
            assertThat(ClaimHeader.read(claim).doorbellKind()).isEqualTo(os.doorbellKind());
        } finally {
            backendLoaded.countDown();
            primary.close();
        }
    }

    @Test
    void aSetupThatFailsGivesUpTheClaimSoTheNextLaunchBecomesThePrimary() throws Exception {
        ClaimHandle claim = os.openClaim(key.claimName());
        assertThat(claim.tryLock()).isTrue();
        PrimaryRole primary = PrimaryRole.startInBackground(
                () -> {
                    throw new IllegalStateException("no backend today");
                },
                claim,
                Heartbeat.start(claim, os.pid()),
                key,
                config);
        try (ClaimHandle next = os.openClaim(key.claimName())) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            boolean locked;
            while (!(locked = next.tryLock()) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertThat(locked).as("the failed primary released the claim").isTrue();
        }
        assertThatThrownBy(() -> primary.onLaunch(launch -> Reply.ok()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        primary.close(); // closing again is harmless
    }

    private Forwarder.Outcome forward() {
        try (ClaimHandle claim = os.openClaim(key.claimName())) {
            Forwarder forwarder = new Forwarder(
                    os, claim, key, config, new Liveness(claim, WAIT.toNanos(), System.nanoTime() + WAIT.toNanos()));
            return forwarder.forward(OutgoingLaunch.of(
                    new Launch(List.of("x"), Path.of("").toAbsolutePath(), os.pid(), Instant.now(), new byte[0]),
                    config));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
