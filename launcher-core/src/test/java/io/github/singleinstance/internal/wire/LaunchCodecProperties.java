package io.github.singleinstance.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Launch;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Properties of the launch codec over generated inputs (jqwik shrinks any counterexample to a minimal one). */
class LaunchCodecProperties {

    private static Launch launch(List<String> args, byte[] extra) {
        return new Launch(args, Path.of("/work dir"), 7, Instant.ofEpochMilli(123), extra);
    }

    private static boolean hasUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) {
                return true;
            }
            if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
                return true;
            }
        }
        return false;
    }

    @Provide
    Arbitrary<List<String>> anyArguments() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(60); // every char, lone surrogates too
        Arbitrary<String> unicode = Arbitraries.strings()
                .withCharRange('\u0000', '\uD7FF')
                .withCharRange('\uE000', '\uFFFF')
                .ofMaxLength(60);
        Arbitrary<String> pairs = Arbitraries.of("😀", "𝄞", "a\uD83D\uDE00b", "", "\n", "\u0000", " ");
        Arbitrary<String> long_ =
                Arbitraries.strings().alpha().ofMinLength(5_000).ofMaxLength(20_000);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(5, unicode), net.jqwik.api.Tuple.of(2, any),
                        net.jqwik.api.Tuple.of(2, pairs), net.jqwik.api.Tuple.of(1, long_))
                .list()
                .ofMaxSize(20);
    }

    @Property(tries = 400)
    void anyArgumentListRoundTripsExactlyOrIsRefusedBeforeSending(
            @ForAll("anyArguments") List<String> args, @ForAll @Size(max = 64) byte[] extra) {
        Launch launch = launch(args, extra);
        if (args.stream().anyMatch(LaunchCodecProperties::hasUnpairedSurrogate)) {
            assertThatThrownBy(() -> LaunchCodec.encode(launch))
                    .isInstanceOf(UnencodableLaunchException.class)
                    .hasMessageContaining("nothing was sent");
            return;
        }
        byte[] payload = LaunchCodec.encode(launch);
        LaunchCodec.stamp(payload, 3, 99);
        byte[] asInRing = java.util.Arrays.copyOf(payload, (payload.length + 7) & -8);
        assertThat(LaunchCodec.decode(asInRing).launch()).isEqualTo(launch);
    }

    @Property(tries = 3000)
    void arbitraryBytesDecodeOrFailAsMalformedNothingElse(@ForAll @Size(max = 400) byte[] bytes) {
        try {
            LaunchCodec.decode(bytes);
        } catch (MalformedLaunchException expected) {
            // the listener logs and drops these; any other exception would escape into the listener
        }
    }

    @Property(tries = 1000)
    void damagedValidRecordsFailAsMalformedNothingElse(
            @ForAll("anyArguments") List<String> args,
            @ForAll @Size(min = 1, max = 4) List<Integer> positions,
            @ForAll byte value) {
        Launch launch =
                launch(args.stream().filter(a -> !hasUnpairedSurrogate(a)).toList(), new byte[] {1});
        byte[] payload = LaunchCodec.encode(launch);
        LaunchCodec.stamp(payload, 1, 2);
        for (int position : positions) {
            payload[Math.floorMod(position, payload.length)] = value;
        }
        try {
            assertThat(LaunchCodec.decode(payload).launch()).isEqualTo(launch); // a no-op change decodes as before
        } catch (MalformedLaunchException expected) {
            // checksum or bounds caught the damage
        }
    }
}
