package io.github.singleinstance.internal.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Backend;
import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.sender.Forwarder;
import io.github.singleinstance.internal.sender.Liveness;
import io.github.singleinstance.internal.sender.OutgoingLaunch;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.settings.TestLaunchConfigs;
import io.github.singleinstance.internal.wire.InstanceKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The change of primary that once made a launch run twice, replayed step by step: a launch opens the claim while the
 * old primary holds it; the claim file is removed (by hand: the library never removes it) and, before the old primary
 * releases its lock, a new primary claims the name and opens its channel. The launch must not send into that channel, whose primary's liveness its handle cannot
 * see (it would watch the old lock, see it free, and resend a launch already delivered): it starts over instead.
 */
class ReplacedClaimTest {

    @ParameterizedTest
    @EnumSource(
            value = Backend.class,
            names = {"POSIX", "PORTABLE"})
    void aLaunchHoldingAReplacedClaimStartsOverInsteadOfAttachingToTheNextPrimary(Backend backend) throws Exception {
        OsBackend os = OsBackends.forwarding(backend, Scope.USER); // a launch's backend: on posix the pure-JDK sender
        OsBackend owner = OsBackends.of(backend, Scope.USER);
        String id = "test-replaced-claim-" + UUID.randomUUID();
        InstanceKey key = InstanceKey.of(id, Scope.USER, os.userTag(), os.sessionTag());
        LaunchConfig config = TestLaunchConfigs.of(id, backend, Duration.ofSeconds(2), Duration.ofSeconds(2));
        AtomicInteger handled = new AtomicInteger();
        try (ClaimHandle oldPrimary = os.openClaim(key.claimName());
                ClaimHandle launch = os.openClaim(key.claimName())) {
            assertThat(oldPrimary.tryLock()).isTrue();
            assertThat(launch.tryLock()).as("the old primary is alive").isFalse();
            // the claim file removed by hand (a user cleaning the directory) while the old primary still holds it
            Files.delete(
                    owner instanceof io.github.singleinstance.internal.os.portable.PortableBackend portable
                            ? portable.pathOf(key.claimName())
                            : ((io.github.singleinstance.internal.os.linux.LinuxBackend) owner)
                                    .pathOf(key.claimName()));

            ClaimResult next = Claimer.claim(config, java.util.List.of());
            assertThat(next).isInstanceOf(ClaimResult.Primary.class);
            try (PrimaryInstance nextPrimary = ((ClaimResult.Primary) next).instance()) {
                nextPrimary.onLaunch(l -> {
                    handled.incrementAndGet();
                    return Reply.ok();
                });
                Forwarder forwarder = new Forwarder(
                        os,
                        launch,
                        key,
                        config,
                        new Liveness(launch, 2_000_000_000L, System.nanoTime() + 2_000_000_000L));

                assertThat(forwarder.attach())
                        .as("starts over rather than attach to the next primary's channel")
                        .isNull();
                assertThat(handled).hasValue(0);
                // starting over on the name reaches the next primary: the handler above does receive launches
                try (ClaimHandle fresh = os.openClaim(key.claimName())) {
                    Forwarder again = new Forwarder(
                            os,
                            fresh,
                            key,
                            config,
                            new Liveness(fresh, 2_000_000_000L, System.nanoTime() + 2_000_000_000L));
                    OutgoingLaunch retried = OutgoingLaunch.of(
                            new io.github.singleinstance.Launch(
                                    java.util.List.of("x"),
                                    Path.of("").toAbsolutePath(),
                                    os.pid(),
                                    java.time.Instant.now(),
                                    new byte[0]),
                            config);
                    assertThat(again.forward(retried)).isInstanceOf(Forwarder.Replied.class);
                }
                assertThat(handled).hasValue(1);
            }
        } finally {
            owner.unlink(key.channelName(1));
            owner.unlink(key.claimName());
        }
    }
}
