package io.github.singleinstance.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Launch;
import io.github.singleinstance.TerminalInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LaunchCodecTest {

    private static Launch launch(List<String> args, byte[] extra) {
        return new Launch(args, Path.of("/tmp/wd with space/ü"), 4242, Instant.ofEpochMilli(1_700_000_000_123L), extra);
    }

    private static LaunchCodec.Decoded roundTrip(Launch launch, int slot, long ticket) {
        byte[] payload = LaunchCodec.encode(launch);
        LaunchCodec.stamp(payload, slot, ticket);
        byte[] asInRing = java.util.Arrays.copyOf(payload, (payload.length + 7) & -8); // the ring pads to 8
        return LaunchCodec.decode(asInRing);
    }

    @Test
    void oddArgumentsRoundTripExactlyAndInOrder() {
        List<String> args = List.of(
                "",
                " ",
                "a b",
                "\"quoted\"",
                "'single'",
                "line\nbreak\r\n",
                "tab\t",
                "\u0000nul",
                "ünïcödé",
                "€",
                "😀 surrogate pair",
                "--flag=value",
                "\\back\\slash",
                "x".repeat(10_000));
        byte[] extra = {0, 1, 2, (byte) 255};
        LaunchCodec.Decoded decoded = roundTrip(launch(args, extra), 17, 0x1234_5678_9ABC_DEF0L);
        assertThat(decoded.launch()).isEqualTo(launch(args, extra));
        assertThat(decoded.slot()).isEqualTo(17);
        assertThat(decoded.ticket()).isEqualTo(0x1234_5678_9ABC_DEF0L);
    }

    @Test
    void unpairedSurrogateIsRefusedBeforeSendingNeverAltered() {
        assertThatThrownBy(() -> LaunchCodec.encode(launch(List.of("ok", "bad\uD800x"), new byte[0])))
                .isInstanceOf(UnencodableLaunchException.class)
                .hasMessageContaining("argument 1")
                .hasMessageContaining("nothing was sent");
    }

    @Test
    void damagedPayloadFailsItsChecksum() {
        byte[] payload = LaunchCodec.encode(launch(List.of("a", "b"), new byte[0]));
        LaunchCodec.stamp(payload, 1, 2);
        payload[payload.length - 6] ^= 1;
        assertThatThrownBy(() -> LaunchCodec.decode(payload))
                .isInstanceOf(MalformedLaunchException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void otherFormatVersionIsNamed() {
        byte[] payload = LaunchCodec.encode(launch(List.of("a"), new byte[0]));
        payload[0] = 99; // little or big endian: no longer version 1
        assertThatThrownBy(() -> LaunchCodec.decode(payload))
                .isInstanceOf(MalformedLaunchException.class)
                .hasMessageContaining("version");
    }

    @Test
    void theExtensionCarriesFlagsAndTheEnvironmentExactly() {
        Map<String, String> environment = Map.of("LANG", "de_DE.UTF-8", "EMPTY", "", "UNICODE", "Grüße ☃ 𝄞 =");
        byte[] payload = LaunchCodec.encodeExtended(
                launch(List.of("a", ""), new byte[] {1, 2}), LaunchCodec.FLAG_STDIN, environment);
        LaunchCodec.stamp(payload, 3, 44);
        LaunchCodec.Decoded decoded = LaunchCodec.decode(java.util.Arrays.copyOf(payload, (payload.length + 7) & -8));
        assertThat(decoded.launch().args()).containsExactly("a", "");
        assertThat(decoded.launch().additionalData()).containsExactly(1, 2);
        assertThat(decoded.launch().environment()).isEqualTo(environment);
        assertThat(decoded.has(LaunchCodec.FLAG_CAN_STREAM)).isTrue();
        assertThat(decoded.has(LaunchCodec.FLAG_STDIN)).isTrue();
        assertThat(decoded.has(LaunchCodec.FLAG_LARGE)).isFalse();
    }

    @Test
    void aStubNamesTheWholeRecordsLengthAndCarriesNoArguments() {
        Launch large = launch(List.of("x".repeat(300_000)), new byte[0]);
        byte[] whole = LaunchCodec.encodeExtended(large, 0, Map.of());
        byte[] stub = LaunchCodec.encodeStub(large, 0, whole.length);
        LaunchCodec.stamp(stub, 1, 2);
        LaunchCodec.Decoded decoded = LaunchCodec.decode(stub);
        assertThat(decoded.has(LaunchCodec.FLAG_LARGE)).isTrue();
        assertThat(decoded.fullLength()).isEqualTo(whole.length);
        assertThat(decoded.launch().args()).isEmpty();
        assertThat(stub.length).isLessThan(100);
    }

    @Test
    void aPlainRecordHasNoExtensionAndAnOldPrimarysDecoderWouldTakeIt() {
        LaunchCodec.Decoded decoded = roundTrip(launch(List.of("a"), new byte[0]), 0, 0);
        assertThat(decoded.flags()).isZero();
        assertThat(decoded.launch().environment()).isEmpty();
    }

    @Test
    void aTruncatedOrInconsistentExtensionIsRefused() {
        byte[] payload = LaunchCodec.encodeExtended(launch(List.of("a"), new byte[0]), 0, Map.of("A", "b"));
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(payload).order(java.nio.ByteOrder.nativeOrder());
        int bodyLength = payload.length;
        int variablesOffset = bodyLength - (4 + 1 + 4 + 1) - 4;
        buffer.putInt(variablesOffset, 1_000_000); // more variables than bytes
        LaunchCodec.stamp(payload, 0, 0);
        assertThatThrownBy(() -> LaunchCodec.decode(payload))
                .isInstanceOf(MalformedLaunchException.class)
                .hasMessageContaining("extension out of bounds");
        byte[] cut = LaunchCodec.encodeExtended(launch(List.of("a"), new byte[0]), 0, Map.of());
        java.nio.ByteBuffer.wrap(cut).order(java.nio.ByteOrder.nativeOrder()).putInt(4, cut.length - 4);
        byte[] shorter = java.util.Arrays.copyOf(cut, cut.length - 4);
        LaunchCodec.stamp(shorter, 0, 0);
        assertThatThrownBy(() -> LaunchCodec.decode(shorter))
                .isInstanceOf(MalformedLaunchException.class)
                .hasMessageContaining("extension shorter");
    }

    private static LaunchCodec.Decoded decodeAsInRing(byte[] payload) {
        LaunchCodec.stamp(payload, 5, 6);
        return LaunchCodec.decode(java.util.Arrays.copyOf(payload, (payload.length + 7) & -8));
    }

    private static int tty(int stdin, int stdout, int stderr) {
        return stdin << LaunchCodec.TTY_STDIN_SHIFT
                | stdout << LaunchCodec.TTY_STDOUT_SHIFT
                | stderr << LaunchCodec.TTY_STDERR_SHIFT;
    }

    @Test
    void theMoreSectionCarriesTheTerminal() {
        Launch launch = launch(List.of("status"), new byte[0]);
        int tty = tty(LaunchCodec.TTY_TERMINAL, LaunchCodec.TTY_NOT_A_TERMINAL, LaunchCodec.TTY_UNKNOWN);
        LaunchCodec.Decoded decoded =
                decodeAsInRing(LaunchCodec.encodeExtended(launch, 0, Map.of("A", "b"), new int[] {tty, 120, 40}));
        TerminalInfo terminal = decoded.launch().terminal();
        assertThat(terminal.stdin()).isEqualTo(TerminalInfo.Status.TERMINAL);
        assertThat(terminal.stdout()).isEqualTo(TerminalInfo.Status.NOT_A_TERMINAL);
        assertThat(terminal.stderr()).isEqualTo(TerminalInfo.Status.UNKNOWN);
        assertThat(terminal.columns()).hasValue(120);
        assertThat(terminal.rows()).hasValue(40);
        assertThat(decoded.launch().environment()).containsEntry("A", "b");
        assertThat(decoded.launch().args()).containsExactly("status");
    }

    @Test
    void aLaterSendersLongerMoreSectionIsReadAsFarAsKnown() {
        int tty = tty(LaunchCodec.TTY_TERMINAL, LaunchCodec.TTY_TERMINAL, LaunchCodec.TTY_TERMINAL);
        LaunchCodec.Decoded decoded = decodeAsInRing(LaunchCodec.encodeExtended(
                launch(List.of(), new byte[0]), 0, Map.of(), new int[] {tty | 0xFF00, 0, 0, 77, 88}));
        assertThat(decoded.launch().terminal())
                .isEqualTo(TerminalInfo.of(
                        TerminalInfo.Status.TERMINAL,
                        TerminalInfo.Status.TERMINAL,
                        TerminalInfo.Status.TERMINAL,
                        0,
                        0));
    }

    @Test
    void aMoreSectionOutOfBoundsIsRefused() {
        byte[] payload = LaunchCodec.encodeExtended(launch(List.of(), new byte[0]), 0, Map.of(), new int[] {0, 0, 0});
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(payload).order(java.nio.ByteOrder.nativeOrder());
        buffer.putInt(payload.length - 16, 8); // shorter than the fields this build knows
        LaunchCodec.stamp(payload, 0, 0);
        assertThatThrownBy(() -> LaunchCodec.decode(payload))
                .isInstanceOf(MalformedLaunchException.class)
                .hasMessageContaining("MORE section out of bounds");
        buffer.putInt(payload.length - 16, 16); // longer than what remains
        LaunchCodec.stamp(payload, 0, 0);
        assertThatThrownBy(() -> LaunchCodec.decode(payload))
                .isInstanceOf(MalformedLaunchException.class)
                .hasMessageContaining("MORE section out of bounds");
    }

    /**
     * What a sender of the build before MORE wrote to a primary that offers streams, byte by byte as docs/protocol.md
     * draws it: a new primary reads it as an unknown terminal, and a new sender still writes exactly this to a
     * primary without MORE (whose decoder refuses bytes after the environment).
     */
    @Test
    void anExtendedRecordWithoutMoreIsWhatTheBuildBeforeWroteAndReadsAsUnknown() {
        Launch launch = launch(List.of("a"), new byte[] {9});
        byte[] directory = launch.workingDirectory().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer old = java.nio.ByteBuffer.allocate(
                        44 + 4 + directory.length + 4 + 1 + 4 + 1 + 12 + 4 + 1 + 4 + 1)
                .order(java.nio.ByteOrder.nativeOrder());
        old.putInt(ChannelLayout.VERSION)
                .putInt(old.capacity())
                .putInt(0)
                .putInt(0)
                .putLong(0);
        old.putLong(4242).putLong(1_700_000_000_123L).putInt(1);
        old.putInt(directory.length)
                .put(directory)
                .putInt(1)
                .put((byte) 'a')
                .putInt(1)
                .put((byte) 9);
        old.putInt(LaunchCodec.FLAG_CAN_STREAM | LaunchCodec.FLAG_STDIN)
                .putInt(0)
                .putInt(1);
        old.putInt(1).put((byte) 'K').putInt(1).put((byte) 'V');
        assertThat(LaunchCodec.encodeExtended(launch, LaunchCodec.FLAG_STDIN, Map.of("K", "V")))
                .isEqualTo(old.array());
        LaunchCodec.Decoded decoded = decodeAsInRing(old.array());
        assertThat(decoded.launch().terminal()).isEqualTo(TerminalInfo.UNKNOWN);
        assertThat(decoded.launch().terminal().columns()).isEmpty();
        assertThat(decoded.launch().environment()).containsEntry("K", "V");
    }

    @Test
    void aPlainRecordAndAStubReadAsAnUnknownTerminal() {
        assertThat(roundTrip(launch(List.of("a"), new byte[0]), 0, 0).launch().terminal())
                .isEqualTo(TerminalInfo.UNKNOWN);
        Launch launch = launch(List.of("a"), new byte[0]);
        assertThat(decodeAsInRing(LaunchCodec.encodeStub(launch, 0, 1000))
                        .launch()
                        .terminal())
                .isEqualTo(TerminalInfo.UNKNOWN);
    }
}
