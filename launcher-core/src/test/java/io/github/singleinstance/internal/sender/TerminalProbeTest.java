package io.github.singleinstance.internal.sender;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalProbeTest {

    @Test
    void terminalDevicesAreToldByTheirNames() {
        assertThat(TerminalProbe.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(TerminalProbe.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(TerminalProbe.isTerminalDevice("/dev/tty")).isTrue();
        assertThat(TerminalProbe.isTerminalDevice("/dev/console")).isTrue();
        assertThat(TerminalProbe.isTerminalDevice("pipe:[12345]")).isFalse();
        assertThat(TerminalProbe.isTerminalDevice("socket:[12345]")).isFalse();
        assertThat(TerminalProbe.isTerminalDevice("/dev/null")).isFalse();
        assertThat(TerminalProbe.isTerminalDevice("/home/me/out.txt")).isFalse();
    }

    @Test
    void theProbeAnswersThreeWords() {
        int[] words = TerminalProbe.probe();
        assertThat(words).hasSize(3);
        assertThat(words[0] & ~0x3F).as("only the six stream bits").isZero();
    }
}
