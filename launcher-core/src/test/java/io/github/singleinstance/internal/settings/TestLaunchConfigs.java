package io.github.singleinstance.internal.settings;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The {@link LaunchConfig} of the core's own tests: user scope, no replace, the default ring, no additional data, no
 * standard input or environment forwarded, the test JVM's working directory; only the id, the backend and the
 * timeouts vary.
 */
public final class TestLaunchConfigs {

    private TestLaunchConfigs() {}

    /** Forward timeout 5 s, total 10 s. */
    public static LaunchConfig of(String id, Backend backend) {
        return of(id, backend, Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    public static LaunchConfig of(String id, Backend backend, Duration forwardTimeout, Duration totalTimeout) {
        return new LaunchConfig(
                id,
                Scope.USER,
                forwardTimeout,
                totalTimeout,
                false,
                LaunchConfig.defaultRingCapacity(),
                new byte[0],
                Path.of("").toAbsolutePath(),
                backend,
                false,
                false,
                Set.of());
    }
}
