package io.github.singleinstance.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Launch;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
}
