package io.github.singleinstance.internal.settings;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The settings of one launch as {@link SettingsReader#resolve} found them: overrides applied, every value valid, the
 * total timeout raised to the forward timeout if shorter. Immutable; any thread.
 *
 * @param id the application id; null if none was set or declared (the entry point then names the main class)
 * @param forwardedVariables the environment variables a second launch sends, unless {@code forwardAllVariables}
 */
public record EffectiveSettings(
        String id,
        Scope scope,
        Duration forwardTimeout,
        Duration totalTimeout,
        boolean replace,
        int ringCapacity,
        Duration startupReplyTimeout,
        Backend backend,
        boolean forwardStandardInput,
        boolean forwardAllVariables,
        Set<String> forwardedVariables) {

    public EffectiveSettings {
        forwardedVariables = Set.copyOf(forwardedVariables);
    }

    /** What the claim needs, for {@code effectiveId} (this record's id, or the entry point's default). */
    public LaunchConfig launchConfig(String effectiveId, byte[] additionalData, Path workingDirectory) {
        return new LaunchConfig(
                effectiveId,
                scope,
                forwardTimeout,
                totalTimeout,
                replace,
                ringCapacity,
                additionalData,
                workingDirectory,
                backend,
                forwardStandardInput,
                forwardAllVariables,
                forwardedVariables);
    }
}
