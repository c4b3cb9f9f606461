package io.github.singleinstance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Scope;
import org.junit.jupiter.api.Test;

class InstanceKeyTest {

    @Test
    void namesFitMacosLimitEvenForTheLongestUid() {
        InstanceKey key = InstanceKey.of("x".repeat(5000), Scope.SESSION, "4294967295", "999999");
        assertThat(key.claimName()).hasSizeLessThanOrEqualTo(30).startsWith("/si-4294967295-").endsWith(".c");
        assertThat(key.channelName()).hasSameSizeAs(key.claimName()).endsWith(".r");
        assertThat(key.claimName().substring(1)).matches("[a-z0-9.-]+");
    }

    @Test
    void sameInputsGiveSameNames() {
        assertThat(InstanceKey.of("app", Scope.USER, "1000", null))
                .isEqualTo(InstanceKey.of("app", Scope.USER, "1000", "7"));
    }

    @Test
    void idUserScopeAndSessionEachSeparateInstances() {
        InstanceKey base = InstanceKey.of("app", Scope.USER, "1000", null);
        assertThat(InstanceKey.of("app2", Scope.USER, "1000", null)).isNotEqualTo(base);
        assertThat(InstanceKey.of("app", Scope.USER, "1001", null)).isNotEqualTo(base);
        assertThat(InstanceKey.of("app", Scope.SESSION, "1000", "3"))
                .isNotEqualTo(InstanceKey.of("app", Scope.SESSION, "1000", "4"));
    }

    @Test
    void systemScopeIsSharedByAllUsersAndSaysSo() {
        InstanceKey one = InstanceKey.of("app", Scope.SYSTEM, "1000", null);
        assertThat(one).isEqualTo(InstanceKey.of("app", Scope.SYSTEM, "0", null));
        assertThat(one.claimName()).startsWith("/si-all-");
    }

    @Test
    void namesAreStableAcrossReleasesOfTheSameFormat() {
        // Launches find each other by these names: a change of the hash splits old and new launches apart. The
        // material names the protocol generation (2: claim locked with a record lock instead of flock).
        assertThat(InstanceKey.of("com.example.viewer", Scope.USER, "1000", null).claimName())
                .isEqualTo("/si-1000-r7wrzqpplrl7.c");
    }
}
