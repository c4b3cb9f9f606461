package io.github.singleinstance.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.Scope;
import org.junit.jupiter.api.Test;

class InstanceKeyTest {

    @Test
    void namesFitMacosLimitEvenForTheLongestId() {
        InstanceKey key = InstanceKey.of("x".repeat(5000), Scope.SESSION, "4294967295", "999999");
        assertThat(key.claimName())
                .hasSizeLessThanOrEqualTo(30)
                .startsWith("/si-")
                .endsWith(".c");
        assertThat(key.channelName(-1)).hasSizeLessThanOrEqualTo(30).endsWith(".ffffffff.r");
        assertThat(key.channelName(1)).hasSize(key.claimName().length() + 9).endsWith(".00000001.r");
        assertThat(key.claimName().substring(1)).matches("si-[a-z2-7]{12}\\.c");
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
    void systemScopeIsSharedByAllUsers() {
        assertThat(InstanceKey.of("app", Scope.SYSTEM, "1000", null))
                .isEqualTo(InstanceKey.of("app", Scope.SYSTEM, "0", null));
    }

    /**
     * The frozen rendezvous: launches of every version find each other by these names, so they never change. The
     * expected values were computed outside Java from the formula the README and InstanceKey's comment give
     * (FNV-1a 64 over "SCOPE\0user\0session\0id", fmix64, top 60 bits in base32); no protocol or library version
     * is part of the material.
     */
    @Test
    void namesFollowTheFrozenFormula() {
        assertThat(InstanceKey.of("com.example.viewer", Scope.USER, "1000", null)
                        .claimName())
                .isEqualTo("/si-lps3eqmxf2fb.c");
        assertThat(InstanceKey.of("com.example.viewer", Scope.USER, "1000", null)
                        .channelName(0x2a))
                .isEqualTo("/si-lps3eqmxf2fb.0000002a.r");
        assertThat(InstanceKey.of("com.example.viewer", Scope.SYSTEM, "1000", null)
                        .claimName())
                .isEqualTo("/si-z2u7hnsa5dl3.c");
        assertThat(InstanceKey.of("com.example.viewer", Scope.SESSION, "1000", "3")
                        .claimName())
                .isEqualTo("/si-p4ue4edgdr66.c");
    }

    @Test
    void theProtocolVersionIsNoPartOfTheNames() throws Exception {
        String source = java.nio.file.Files.readString(
                java.nio.file.Path.of("src/main/java/io/github/singleinstance/internal/wire/InstanceKey.java"));
        assertThat(source)
                .doesNotContain("PROTOCOL_VERSION")
                .doesNotContain("ChannelLayout.VERSION")
                .doesNotContain("single-instance/");
    }
}
