package io.github.singleinstance.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Launch;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
        List<String> args = List.of("", " ", "a b", "\"quoted\"", "'single'", "line\nbreak\r\n", "tab\t", "\u0000nul",
                "ünïcödé", "€", "😀 surrogate pair", "--flag=value", "\\back\\slash", "x".repeat(10_000));
        byte[] extra = {0, 1, 2, (byte) 255};
        LaunchCodec.Decoded decoded = roundTrip(launch(args, extra), 17, 0x1234_5678_9ABC_DEF0L);
        assertThat(decoded.launch()).isEqualTo(launch(args, extra));
        assertThat(decoded.slot()).isEqualTo(17);
        assertThat(decoded.ticket()).isEqualTo(0x1234_5678_9ABC_DEF0L);
    }

    @Test
    void randomUnicodeRoundTrips() {
        Random random = new Random(20261121);
        for (int round = 0; round < 500; round++) {
            List<String> args = new ArrayList<>();
            int count = random.nextInt(12);
            for (int i = 0; i < count; i++) {
                StringBuilder arg = new StringBuilder();
                int length = random.nextInt(40);
                while (arg.length() < length) {
                    int codePoint = random.nextInt(Character.MAX_CODE_POINT + 1);
                    if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE) {
                        arg.appendCodePoint(codePoint);
                    }
                }
                args.add(arg.toString());
            }
            byte[] extra = new byte[random.nextInt(20)];
            random.nextBytes(extra);
            assertThat(roundTrip(launch(args, extra), round, round).launch()).isEqualTo(launch(args, extra));
        }
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
        assertThatThrownBy(() -> LaunchCodec.decode(payload)).isInstanceOf(MalformedLaunchException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void otherFormatVersionIsNamed() {
        byte[] payload = LaunchCodec.encode(launch(List.of("a"), new byte[0]));
        payload[0] = 99; // little or big endian: no longer version 1
        assertThatThrownBy(() -> LaunchCodec.decode(payload)).isInstanceOf(MalformedLaunchException.class)
                .hasMessageContaining("version");
    }

    @Test
    void arbitraryBytesOnlyEverGiveMalformedLaunch() {
        Random random = new Random(7);
        byte[] valid = LaunchCodec.encode(launch(List.of("alpha", "beta", "gamma"), new byte[]{9}));
        LaunchCodec.stamp(valid, 3, 4);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes;
            if (round % 2 == 0) {
                bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
            } else { // a valid record with a few bytes flipped: exercises the checks past the version
                bytes = valid.clone();
                for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            try {
                LaunchCodec.decode(bytes);
            } catch (MalformedLaunchException expected) {
                // the listener logs and drops these; anything else escaping would be a bug
            }
        }
    }
}
