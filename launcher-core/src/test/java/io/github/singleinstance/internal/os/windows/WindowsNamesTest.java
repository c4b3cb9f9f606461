package io.github.singleinstance.internal.os.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.wire.InstanceKey;
import org.junit.jupiter.api.Test;

/** What of the Windows backend can be checked without Windows: the kernel object names. */
class WindowsNamesTest {

    @Test
    void userAndSessionScopesLiveInTheSessionNamespaceAndSystemInTheGlobalOne() {
        InstanceKey user = InstanceKey.of("app", Scope.USER, "u1a2b3c4", null);
        assertThat(WindowsNames.kernelName(user.claimName(), WindowsNames.SESSION_NAMESPACE))
                .isEqualTo("Local\\" + user.claimName().substring(1));
        InstanceKey system = InstanceKey.of("app", Scope.SYSTEM, "u1a2b3c4", null);
        assertThat(WindowsNames.kernelName(system.channelName(1), WindowsNames.GLOBAL_NAMESPACE))
                .isEqualTo("Global\\" + system.channelName(1).substring(1));
        assertThat(system.channelName(1)).as("a scope of its own").isNotEqualTo(user.channelName(1));
    }

    @Test
    void eachWordOfASegmentHasItsOwnEvent() {
        String local = WindowsNames.SESSION_NAMESPACE;
        assertThat(WindowsNames.eventName("/si-abc.r", 256, local)).isEqualTo("Local\\si-abc.r-w100");
        assertThat(WindowsNames.eventName("/si-abc.r", 4160, local))
                .isNotEqualTo(WindowsNames.eventName("/si-abc.r", 256, local));
    }

    @Test
    void aBackslashCannotSmuggleANamespace() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WindowsNames.kernelName("/Global\\evil", WindowsNames.SESSION_NAMESPACE));
    }
}
