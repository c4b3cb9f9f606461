package io.github.singleinstance.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Launch;
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
}
