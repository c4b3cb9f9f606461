package io.github.singleinstance.internal;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything one claim needs, resolved (overrides applied) and validated by the public builder.
 *
 * @param id the application id
 * @param scope which launches share a primary
 * @param forwardTimeout how long a second launch waits for the primary's reply
 * @param ringCapacity the channel's ring size if this process becomes the primary
 * @param additionalData bytes sent with this process's launch if it forwards
 * @param workingDirectory sent with this process's launch
 * @param backend the OS layer, overrides applied
 */
public record LaunchConfig(String id, Scope scope, Duration forwardTimeout, int ringCapacity, byte[] additionalData,
                           Path workingDirectory, Backend backend) {

    public LaunchConfig {
        ChannelLayout.checkRingCapacity(ringCapacity);
        additionalData = additionalData.clone();
    }

    public static int defaultRingCapacity() {
        return ChannelLayout.DEFAULT_RING_CAPACITY;
    }
}
