package io.github.singleinstance.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutgoingLaunchTerminalTest {

    @Test
    void terminalDevicesAreToldByTheirNames() {
        assertThat(OutgoingLaunch.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(OutgoingLaunch.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(OutgoingLaunch.isTerminalDevice("/dev/tty")).isTrue();
        assertThat(OutgoingLaunch.isTerminalDevice("/dev/console")).isTrue();
        assertThat(OutgoingLaunch.isTerminalDevice("pipe:[12345]")).isFalse();
        assertThat(OutgoingLaunch.isTerminalDevice("socket:[12345]")).isFalse();
        assertThat(OutgoingLaunch.isTerminalDevice("/dev/null")).isFalse();
        assertThat(OutgoingLaunch.isTerminalDevice("/home/me/out.txt")).isFalse();
    }

    @Test
    void theProbeAnswersThreeWords() {
        int[] words = OutgoingLaunch.probeTerminal();
        assertThat(words).hasSize(3);
        assertThat(words[0] & ~0x3F).as("only the six stream bits").isZero();
    }
}
