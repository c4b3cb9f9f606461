package io.github.singleinstance.internal.settings;

import io.github.singleinstance.SingleInstanceException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the {@link Setting}s for every entry point (the builder, the Spring Boot run listener, the fast launcher's
 * {@code ForwardOnly}): system property, else environment variable, else the value the application declared, else the
 * default; blank counts as not set. A malformed value is refused with {@link SettingGrammar}'s one-line
 * {@link SingleInstanceException} (exit code 78) naming the property, variable or declaration it came from.
 *
 * <p>Declared values are text keyed by {@link Setting#declaredAs()}: the {@code @SingleInstance} attributes as written
 * (the starter reads the annotation, the fast launcher the class file), or the builder's values written out.
 * Immutable; any thread, if its lookups are.
 */
public final class SettingsReader {

    private final Function<String, String> systemProperties;
    private final Function<String, String> environment;

    /** Reads from these lookups (a name to its value or null), as tests and the Spring run listener pass them. */
    public SettingsReader(Function<String, String> systemProperties, Function<String, String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /** Reads this process's system properties and environment. */
    public static SettingsReader ofThisProcess() {
        return new SettingsReader(new ProcessLookup(false), new ProcessLookup(true));
    }

    /**
     * {@link Setting#ENABLED}: whether the Spring Boot entry points claim at all. Read before the others: a disabled
     * application is not refused for its other settings.
     *
     * @throws SingleInstanceException exit code 78, if the value is malformed
     */
    public boolean enabled() {
        Found found = find(Setting.ENABLED, Map.of(), "");
        return SettingGrammar.bool(found.source, found.text);
    }

    /**
     * Every setting but {@link Setting#ENABLED} and {@link Setting#DIRECTORY}.
     *
     * @param declared text by {@link Setting#declaredAs()}; missing or blank means not declared
     * @param declaredBy how a refusal names a declared value: {@code @SingleInstance} gives
     *     {@code @SingleInstance(forwardTimeout)}
     * @throws SingleInstanceException exit code 78, if a value is malformed
     */
    public EffectiveSettings resolve(Map<String, String> declared, String declaredBy) {
        Found id = find(Setting.ID, declared, declaredBy);
        Found scope = find(Setting.SCOPE, declared, declaredBy);
        Duration forwardTimeout = duration(Setting.FORWARD_TIMEOUT, declared, declaredBy);
        Duration totalTimeout = duration(Setting.TOTAL_TIMEOUT, declared, declaredBy);
        Found replace = find(Setting.REPLACE, declared, declaredBy);
        Found capacity = find(Setting.RING_CAPACITY, declared, declaredBy);
        Found backend = find(Setting.BACKEND, declared, declaredBy);
        Found stdin = find(Setting.FORWARD_STDIN, declared, declaredBy);
        Found names = find(Setting.FORWARD_ENVIRONMENT, declared, declaredBy);
        Set<String> variables = SettingGrammar.variableNames(names.source, names.text);
        boolean allVariables = variables.contains("*");
        return new EffectiveSettings(
                id == null ? null : id.text.strip(),
                SettingGrammar.scope(scope.source, scope.text),
                forwardTimeout,
                totalTimeout.compareTo(forwardTimeout) < 0 ? forwardTimeout : totalTimeout,
                SettingGrammar.bool(replace.source, replace.text),
                SettingGrammar.ringCapacity(capacity.source, capacity.text),
                duration(Setting.STARTUP_REPLY_TIMEOUT, declared, declaredBy),
                SettingGrammar.backend(backend.source, backend.text),
                SettingGrammar.bool(stdin.source, stdin.text),
                allVariables,
                allVariables ? Set.of() : variables);
    }

    private Duration duration(Setting setting, Map<String, String> declared, String declaredBy) {
        Found found = find(setting, declared, declaredBy);
        return SettingGrammar.duration(found.source, found.text);
    }

    /** The text in effect and where it came from; null only for a setting without default that nobody set. */
    private Found find(Setting setting, Map<String, String> declared, String declaredBy) {
        String value = systemProperties.apply(setting.property());
        if (isSet(value)) {
            return new Found(setting.property(), value);
        }
        value = environment.apply(setting.environmentVariable());
        if (isSet(value)) {
            return new Found(setting.environmentVariable(), value);
        }
        value = setting.declaredAs() == null ? null : declared.get(setting.declaredAs());
        if (isSet(value) && !(setting == Setting.RING_CAPACITY && value.strip().equals("0"))) {
            return new Found(declaredBy + "(" + setting.declaredAs() + ")", value);
        }
        return setting.defaultText() == null ? null : new Found("default " + setting.property(), setting.defaultText());
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    private record Found(String source, String text) {}

    /** System properties or environment variables, without a lambda (a second launch would bootstrap it). */
    private static final class ProcessLookup implements Function<String, String> {

        private final boolean environment;

        ProcessLookup(boolean environment) {
            this.environment = environment;
        }

        @Override
        public String apply(String name) {
            return environment ? System.getenv(name) : System.getProperty(name);
        }
    }
}
