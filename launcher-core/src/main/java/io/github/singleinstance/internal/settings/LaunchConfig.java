package io.github.singleinstance.internal.settings;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.wire.ChannelLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Everything one claim needs, resolved (overrides applied) and validated by the public builder.
 *
 * @param id the application id
 * @param scope which launches share a primary
 * @param forwardTimeout how long a second launch waits without any sign of progress from the primary
 * @param totalTimeout how long a second launch waits for its reply in all
 * @param replace whether this launch asks the running primary to hand over
 * @param ringCapacity the channel's ring size if this process becomes the primary
 * @param additionalData bytes sent with this process's launch if it forwards
 * @param workingDirectory sent with this process's launch
 * @param backend the OS layer, overrides applied
 * @param forwardStandardInput whether a second launch offers its standard input to the primary's handler
 * @param forwardAllVariables whether a second launch sends its whole environment
 * @param forwardedVariables the environment variables a second launch sends (if not all)
 */
public record LaunchConfig(
        String id,
        Scope scope,
        Duration forwardTimeout,
        Duration totalTimeout,
        boolean replace,
        int ringCapacity,
        byte[] additionalData,
        Path workingDirectory,
        Backend backend,
        boolean forwardStandardInput,
        boolean forwardAllVariables,
        Set<String> forwardedVariables) {

    public LaunchConfig {
        ChannelLayout.checkRingCapacity(ringCapacity);
        additionalData = additionalData.clone();
        forwardedVariables = Set.copyOf(forwardedVariables);
    }

    public static int defaultRingCapacity() {
        return ChannelLayout.DEFAULT_RING_CAPACITY;
    }
}
