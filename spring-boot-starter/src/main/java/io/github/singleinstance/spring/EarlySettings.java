package io.github.singleinstance.spring;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationStyle;

/**
 * The settings the claim needs before any {@code Environment} exists: system property, else environment variable,
 * else {@link SingleInstance} attribute, else default. Immutable.
 *
 * @param id the requested id; the core still applies its own {@code single-instance.id} override, to the same effect
 * @param forwardTimeout null for the core's default; the core still applies its override
 * @param totalTimeout null for the core's default; the core still applies its override
 */
record EarlySettings(
        boolean enabled,
        String id,
        Scope scope,
        @Nullable Duration forwardTimeout,
        @Nullable Duration totalTimeout,
        int ringCapacity,
        Duration startupReplyTimeout,
        Backend backend,
        boolean forwardStandardInput,
        List<String> forwardEnvironment) {

    static final Duration DEFAULT_STARTUP_REPLY_TIMEOUT = Duration.ofSeconds(30);

    static EarlySettings resolve(
            SingleInstance annotation,
            Class<?> mainClass,
            UnaryOperator<@Nullable String> systemProperties,
            UnaryOperator<@Nullable String> environment) {
        Lookup lookup = new Lookup(systemProperties, environment);
        boolean enabled = enabled(systemProperties, environment);
        String id = lookup.get("id", annotation.id().isBlank() ? mainClass.getName() : annotation.id());
        String scopeText = lookup.get("scope", annotation.scope().name());
        Scope scope;
        try {
            scope = Scope.valueOf(scopeText.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "not a scope: single-instance.scope=" + scopeText + "; use user, session or system");
        }
        String timeoutText = lookup.get("forward-timeout", annotation.forwardTimeout());
        Duration forwardTimeout = timeoutText.isBlank() ? null : duration("forward-timeout", timeoutText);
        String totalText = lookup.get("total-timeout", annotation.totalTimeout());
        Duration totalTimeout = totalText.isBlank() ? null : duration("total-timeout", totalText);
        String capacityText = lookup.get("ring-capacity", Integer.toString(annotation.ringCapacity()));
        int ringCapacity;
        try {
            ringCapacity = Integer.parseInt(capacityText.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number of bytes: single-instance.ring-capacity=" + capacityText);
        }
        String startupText = lookup.get("startup-reply-timeout", annotation.startupReplyTimeout());
        Duration startupReplyTimeout =
                startupText.isBlank() ? DEFAULT_STARTUP_REPLY_TIMEOUT : duration("startup-reply-timeout", startupText);
        Backend backend =
                Backend.parse(lookup.get("backend", annotation.backend().name()));
        boolean forwardStandardInput =
                Boolean.parseBoolean(lookup.get("forward-stdin", Boolean.toString(annotation.forwardStandardInput()))
                        .strip());
        String environmentText = lookup.get("forward-environment", String.join(",", annotation.forwardEnvironment()));
        List<String> forwardEnvironment = new ArrayList<>();
        for (String name : environmentText.split(",")) {
            if (!name.isBlank()) {
                forwardEnvironment.add(name.strip());
            }
        }
        return new EarlySettings(
                enabled,
                id,
                scope,
                forwardTimeout,
                totalTimeout,
                ringCapacity,
                startupReplyTimeout,
                backend,
                forwardStandardInput,
                List.copyOf(forwardEnvironment));
    }

    private static Duration duration(String name, String text) {
        Duration duration;
        try {
            duration = DurationStyle.detectAndParse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "not a duration: single-instance." + name + "=" + text + "; write it like 3s, 500ms or PT3S");
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("must be positive: single-instance." + name + "=" + text);
        }
        return duration;
    }

    /** Whether {@code single-instance.enabled} / {@code SINGLE_INSTANCE_ENABLED} leave the claim on (the default). */
    static boolean enabled(
            UnaryOperator<@Nullable String> systemProperties, UnaryOperator<@Nullable String> environment) {
        return !"false"
                .equalsIgnoreCase(new Lookup(systemProperties, environment)
                        .get("enabled", "true")
                        .strip());
    }

    /** System property {@code single-instance.<name>}, else environment variable {@code SINGLE_INSTANCE_<NAME>}. */
    private record Lookup(
            UnaryOperator<@Nullable String> systemProperties, UnaryOperator<@Nullable String> environment) {

        String get(String name, String fallback) {
            String value = systemProperties.apply("single-instance." + name);
            if (value == null || value.isBlank()) {
                value = environment.apply(
                        "SINGLE_INSTANCE_" + name.replace('-', '_').toUpperCase(Locale.ROOT));
            }
            return value == null || value.isBlank() ? fallback : value;
        }
    }
}
