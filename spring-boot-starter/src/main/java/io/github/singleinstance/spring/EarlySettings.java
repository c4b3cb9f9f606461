package io.github.singleinstance.spring;

import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.settings.EffectiveSettings;
import io.github.singleinstance.internal.settings.Setting;
import io.github.singleinstance.internal.settings.SettingsReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The settings the claim needs before any {@code Environment} exists, read by the core's {@link SettingsReader} as
 * every entry point reads them (the builder, the fast launcher): system property, else environment variable, else
 * {@link SingleInstance} attribute, else default. Immutable.
 *
 * @param enabled false if {@code single-instance.enabled} turns the claim off (nothing else is read then)
 * @param id the application id: set, declared, or the main class's name
 * @param effective every other setting; null if not enabled
 */
record EarlySettings(boolean enabled, String id, @Nullable EffectiveSettings effective) {

    /** How refusals name an attribute: {@code @SingleInstance(forwardTimeout)}, as the fast launcher names it. */
    static final String DECLARED_BY = "@SingleInstance";

    static final Duration DEFAULT_STARTUP_REPLY_TIMEOUT = Setting.STARTUP_REPLY_TIMEOUT.defaultDuration();

    /**
     * Reads the settings of {@code mainClass}.
     *
     * @throws SingleInstanceException exit code 78, with one line naming a malformed setting and its accepted forms
     */
    static EarlySettings resolve(
            SingleInstance annotation,
            Class<?> mainClass,
            UnaryOperator<@Nullable String> systemProperties,
            UnaryOperator<@Nullable String> environment) {
        SettingsReader reader = new SettingsReader(systemProperties, environment);
        if (!reader.enabled()) {
            return new EarlySettings(false, mainClass.getName(), null);
        }
        EffectiveSettings effective = reader.resolve(declared(annotation), DECLARED_BY);
        return new EarlySettings(true, effective.id() != null ? effective.id() : mainClass.getName(), effective);
    }

    /** The attributes as text by name, as the fast launcher reads them from the class file (defaults are blank). */
    static Map<String, String> declared(SingleInstance annotation) {
        Map<String, String> declared = new HashMap<>();
        declared.put(Setting.ID.declaredAs(), annotation.id());
        declared.put(Setting.SCOPE.declaredAs(), annotation.scope().name());
        declared.put(Setting.FORWARD_TIMEOUT.declaredAs(), annotation.forwardTimeout());
        declared.put(Setting.TOTAL_TIMEOUT.declaredAs(), annotation.totalTimeout());
        declared.put(Setting.RING_CAPACITY.declaredAs(), Integer.toString(annotation.ringCapacity()));
        declared.put(Setting.STARTUP_REPLY_TIMEOUT.declaredAs(), annotation.startupReplyTimeout());
        declared.put(Setting.BACKEND.declaredAs(), annotation.backend().name());
        declared.put(Setting.FORWARD_STDIN.declaredAs(), Boolean.toString(annotation.forwardStandardInput()));
        declared.put(Setting.FORWARD_ENVIRONMENT.declaredAs(), String.join(",", annotation.forwardEnvironment()));
        return declared;
    }

    /**
     * Whether {@code single-instance.enabled} / {@code SINGLE_INSTANCE_ENABLED} leave the claim on (the default); a
     * malformed value leaves it on, for {@link #resolve} to refuse.
     */
    static boolean enabled(
            UnaryOperator<@Nullable String> systemProperties, UnaryOperator<@Nullable String> environment) {
        try {
            return new SettingsReader(systemProperties, environment).enabled();
        } catch (SingleInstanceException malformed) {
            return true;
        }
    }
}
