package io.github.singleinstance.internal.os.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.InstanceKey;
import org.junit.jupiter.api.Test;

/** What of the Windows backend can be checked without Windows: the kernel object names. */
class WindowsNamesTest {

    @Test
    void userAndSessionScopesLiveInTheSessionNamespaceAndSystemInTheGlobalOne() {
        InstanceKey user = InstanceKey.of("app", Scope.USER, "u1a2b3c4", null);
        assertThat(WindowsNames.kernelName(user.claimName())).isEqualTo("Local\\" + user.claimName().substring(1));
        InstanceKey system = InstanceKey.of("app", Scope.SYSTEM, "u1a2b3c4", null);
        assertThat(WindowsNames.kernelName(system.channelName())).startsWith("Global\\si-all-").endsWith(".r");
    }

    @Test
    void eachWordOfASegmentHasItsOwnEvent() {
        assertThat(WindowsNames.eventName("/si-u1-abc.r", 256)).isEqualTo("Local\\si-u1-abc.r-w100");
        assertThat(WindowsNames.eventName("/si-u1-abc.r", 4160)).isNotEqualTo(WindowsNames.eventName("/si-u1-abc.r",
                256));
    }

    @Test
    void aBackslashCannotSmuggleANamespace() {
        assertThatIllegalArgumentException().isThrownBy(() -> WindowsNames.kernelName("/Global\\evil"));
    }
}
