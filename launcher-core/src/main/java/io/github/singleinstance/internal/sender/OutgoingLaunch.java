package io.github.singleinstance.internal.sender;

import io.github.singleinstance.Launch;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.wire.Channel;
import io.github.singleinstance.internal.wire.LaunchCodec;
import java.util.HashMap;
import java.util.Map;

/**
 * This process's launch as it goes out, encoded for the primary it meets: a plain record for a primary that offers no
 * streams (an older build, {@code Scope.SYSTEM}); for one that does, a record with the EXTENSION (whether this
 * application forwards standard input, its forwarded environment; and, to a primary that reads it, the MORE section
 * with this process's terminal), or, if that is too large for the primary's ring, a
 * stub with the whole record to follow over the stream connection. Encodings are made once and kept for retries.
 */
public final class OutgoingLaunch {

    private final Launch launch;
    private final int flags;
    private final Map<String, String> environment;
    private byte[] plain;
    private byte[] extended;
    private byte[] extendedWithMore;

    private OutgoingLaunch(Launch launch, int flags, Map<String, String> environment) {
        this.launch = launch;
        this.flags = flags;
        this.environment = environment;
    }

    public static OutgoingLaunch of(Launch launch, LaunchConfig config) {
        Map<String, String> environment = new HashMap<>();
        if (config.forwardAllVariables()) {
            environment.putAll(System.getenv());
        } else {
            for (String name : config.forwardedVariables()) {
                String value = System.getenv(name);
                if (value != null) {
                    environment.put(name, value);
                }
            }
        }
        return new OutgoingLaunch(
                launch, config.forwardStandardInput() ? LaunchCodec.FLAG_STDIN : 0, Map.copyOf(environment));
    }

    /** A launch already encoded without EXTENSION (the tests' and benchmarks' senders). */
    static OutgoingLaunch encoded(byte[] payload) {
        OutgoingLaunch outgoing = new OutgoingLaunch(null, 0, Map.of());
        outgoing.plain = payload;
        outgoing.extended = payload;
        return outgoing;
    }

    /** The record for the primary of {@code channel}; check its size against the ring before sending. */
    byte[] payloadFor(Channel channel) {
        if (!channel.streams()) {
            if (plain == null) {
                plain = LaunchCodec.encode(launch);
            }
            return plain;
        }
        if (channel.more() && !encodedAlready()) {
            if (extendedWithMore == null) { // the terminal asked only now: no cost against a primary without MORE
                extendedWithMore = LaunchCodec.encodeExtended(launch, flags, environment, TerminalProbe.probe());
            }
            return extendedWithMore;
        }
        if (extended == null) {
            extended = LaunchCodec.encodeExtended(launch, flags, environment);
        }
        return extended;
    }

    /** The stub that stands for {@code whole} in the ring (streams offered only). */
    byte[] stubFor(byte[] whole) {
        return LaunchCodec.encodeStub(launch, flags, whole.length);
    }

    boolean forwardsStandardInput() {
        return (flags & LaunchCodec.FLAG_STDIN) != 0;
    }

    boolean encodedAlready() {
        return launch == null;
    }
}
