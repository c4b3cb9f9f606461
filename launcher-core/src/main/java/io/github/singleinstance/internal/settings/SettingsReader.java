package io.github.singleinstance.internal.settings;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstanceException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the {@link Setting}s for every entry point (the builder, the Spring Boot run listener, the fast launcher's
 * {@code ForwardOnly}): system property, else environment variable, else the value the application declared, else the
 * default; blank counts as not set. A malformed value is refused with {@link Setting}'s one-line
 * {@link SingleInstanceException} (exit code 78) naming the property, variable or declaration it came from.
 *
 * <p>Declared values are text keyed by {@link Setting#declaredAs()}: the {@code @SingleInstance} attributes as written
 * (the starter reads the annotation, the fast launcher the class file), or the builder's values written out.
 * Immutable; any thread, if its lookups are.
 */
public final class SettingsReader {

    // Where a setting's value in effect comes from, in order of precedence (see origin).
    private static final int PROPERTY = 0;
    private static final int VARIABLE = 1;
    private static final int DECLARED = 2;
    private static final int DEFAULT = 3;
    private static final int NOWHERE = 4;

    /** Null for this process's: no class for a lookup on a second launch's way to its claim. */
    private final Function<String, String> systemProperties;

    private final Function<String, String> environment;

    /** Reads from these lookups (a name to its value or null), as tests and the Spring run listener pass them. */
    public SettingsReader(Function<String, String> systemProperties, Function<String, String> environment) {
        this.systemProperties = systemProperties;
        this.environment = environment;
    }

    /** Reads this process's system properties and environment. */
    public static SettingsReader ofThisProcess() {
        return new SettingsReader(null, null);
    }

    /**
     * {@link Setting#ENABLED}: whether the Spring Boot entry points claim at all. Read before the others: a disabled
     * application is not refused for its other settings.
     *
     * @throws SingleInstanceException exit code 78, if the value is malformed
     */
    public boolean enabled() {
        int origin = origin(Setting.ENABLED, Map.of());
        return Setting.bool(source(Setting.ENABLED, origin, ""), text(Setting.ENABLED, origin, Map.of()));
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
        int idOrigin = origin(Setting.ID, declared);
        Duration forwardTimeout = duration(Setting.FORWARD_TIMEOUT, declared, declaredBy);
        Duration totalTimeout = duration(Setting.TOTAL_TIMEOUT, declared, declaredBy);
        int namesOrigin = origin(Setting.FORWARD_ENVIRONMENT, declared);
        Set<String> variables = Setting.variableNames(
                source(Setting.FORWARD_ENVIRONMENT, namesOrigin, declaredBy),
                text(Setting.FORWARD_ENVIRONMENT, namesOrigin, declared));
        boolean allVariables = variables.contains("*");
        return new EffectiveSettings(
                idOrigin == NOWHERE
                        ? null
                        : text(Setting.ID, idOrigin, declared).strip(),
                scope(declared, declaredBy),
                forwardTimeout,
                totalTimeout.compareTo(forwardTimeout) < 0 ? forwardTimeout : totalTimeout,
                bool(Setting.REPLACE, declared, declaredBy),
                ringCapacity(declared, declaredBy),
                duration(Setting.STARTUP_REPLY_TIMEOUT, declared, declaredBy),
                backend(declared, declaredBy),
                bool(Setting.FORWARD_STDIN, declared, declaredBy),
                allVariables,
                allVariables ? Set.of() : variables);
    }

    private Duration duration(Setting setting, Map<String, String> declared, String declaredBy) {
        int origin = origin(setting, declared);
        return Setting.duration(source(setting, origin, declaredBy), text(setting, origin, declared));
    }

    private boolean bool(Setting setting, Map<String, String> declared, String declaredBy) {
        int origin = origin(setting, declared);
        return Setting.bool(source(setting, origin, declaredBy), text(setting, origin, declared));
    }

    private Scope scope(Map<String, String> declared, String declaredBy) {
        int origin = origin(Setting.SCOPE, declared);
        return Setting.scope(source(Setting.SCOPE, origin, declaredBy), text(Setting.SCOPE, origin, declared));
    }

    private Backend backend(Map<String, String> declared, String declaredBy) {
        int origin = origin(Setting.BACKEND, declared);
        return Setting.backend(source(Setting.BACKEND, origin, declaredBy), text(Setting.BACKEND, origin, declared));
    }

    private int ringCapacity(Map<String, String> declared, String declaredBy) {
        int origin = origin(Setting.RING_CAPACITY, declared);
        return Setting.ringCapacity(
                source(Setting.RING_CAPACITY, origin, declaredBy), text(Setting.RING_CAPACITY, origin, declared));
    }

    /** Where the value of {@code setting} in effect comes from: {@link #PROPERTY} ... {@link #NOWHERE}. */
    private int origin(Setting setting, Map<String, String> declared) {
        if (isSet(property(setting.property()))) {
            return PROPERTY;
        }
        if (isSet(variable(setting.environmentVariable()))) {
            return VARIABLE;
        }
        String value = setting.declaredAs() == null ? null : declared.get(setting.declaredAs());
        if (isSet(value) && !(setting == Setting.RING_CAPACITY && value.strip().equals("0"))) {
            return DECLARED;
        }
        return setting.defaultText() == null ? NOWHERE : DEFAULT;
    }

    /** The text in effect, from {@code origin}: null only from {@link #NOWHERE}. */
    private String text(Setting setting, int origin, Map<String, String> declared) {
        if (origin == PROPERTY) {
            return property(setting.property());
        } else if (origin == VARIABLE) {
            return variable(setting.environmentVariable());
        } else if (origin == DECLARED) {
            return declared.get(setting.declaredAs());
        }
        return setting.defaultText();
    }

    /** How a refusal names where the text in effect came from. */
    private static String source(Setting setting, int origin, String declaredBy) {
        if (origin == PROPERTY) {
            return setting.property();
        } else if (origin == VARIABLE) {
            return setting.environmentVariable();
        } else if (origin == DECLARED) {
            return declaredBy + "(" + setting.declaredAs() + ")";
        }
        return "default " + setting.property();
    }

    private String property(String name) {
        return systemProperties == null ? System.getProperty(name) : systemProperties.apply(name);
    }

    private String variable(String name) {
        return environment == null ? System.getenv(name) : environment.apply(name);
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
