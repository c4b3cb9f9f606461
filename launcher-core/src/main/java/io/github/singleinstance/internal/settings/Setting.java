package io.github.singleinstance.internal.settings;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstanceException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Every setting of this library, in one place: its system property, its environment variable, the name under which
 * an application declares it (the {@code @SingleInstance} attribute of the Spring starter, the builder method of the
 * core), its default and its grammar, with one parser per grammar below. {@link SettingsReader} reads them in one
 * order of precedence for every entry point: system property, else environment variable, else the declared value,
 * else the default; a property or a variable that is blank counts as not set. A malformed value is refused in one
 * line: a {@link SingleInstanceException} with exit code {@link #EX_CONFIG} naming where the value came from and the
 * accepted forms, like {@code single-instance.forward-timeout: '1x' is not a positive duration; write one like 500ms,
 * 5s, 2m, 1h, 1d or PT5S}. Immutable; any thread.
 *
 * <p>A second launch reads every setting on its way to its claim, so this is one class: the grammars are {@code int}
 * constants and parsers here rather than classes of their own, and nothing here uses a regular expression, a lambda
 * or a switch on an enum (each would load or spin classes first).
 */
public enum Setting {
    /** Spring Boot only: {@code false} turns the claim off. */
    ENABLED("single-instance.enabled", "SINGLE_INSTANCE_ENABLED", null, "true", Setting.BOOLEAN),
    /** The application id; no default here: each entry point names the application after its main class. */
    ID("single-instance.id", "SINGLE_INSTANCE_ID", "id", null, Setting.TEXT),
    SCOPE("single-instance.scope", "SINGLE_INSTANCE_SCOPE", "scope", "user", Setting.SCOPES),
    FORWARD_TIMEOUT(
            "single-instance.forward-timeout",
            "SINGLE_INSTANCE_FORWARD_TIMEOUT",
            "forwardTimeout",
            "5s",
            Setting.DURATION),
    TOTAL_TIMEOUT(
            "single-instance.total-timeout", "SINGLE_INSTANCE_TOTAL_TIMEOUT", "totalTimeout", "60s", Setting.DURATION),
    /** For one launch: replace the running instance. Declared by the builder only. */
    REPLACE("single-instance.replace", "SINGLE_INSTANCE_REPLACE", "replace", "false", Setting.BOOLEAN),
    /** Declared {@code 0} (the annotation's default) counts as not declared. */
    RING_CAPACITY(
            "single-instance.ring-capacity",
            "SINGLE_INSTANCE_RING_CAPACITY",
            "ringCapacity",
            Integer.toString(LaunchConfig.defaultRingCapacity()),
            Setting.RING_CAPACITY_BYTES),
    /** Spring Boot only. */
    STARTUP_REPLY_TIMEOUT(
            "single-instance.startup-reply-timeout",
            "SINGLE_INSTANCE_STARTUP_REPLY_TIMEOUT",
            "startupReplyTimeout",
            "30s",
            Setting.DURATION),
    BACKEND("single-instance.backend", "SINGLE_INSTANCE_BACKEND", "backend", "auto", Setting.BACKENDS),
    FORWARD_STDIN(
            "single-instance.forward-stdin",
            "SINGLE_INSTANCE_FORWARD_STDIN",
            "forwardStandardInput",
            "false",
            Setting.BOOLEAN),
    FORWARD_ENVIRONMENT(
            "single-instance.forward-environment",
            "SINGLE_INSTANCE_FORWARD_ENVIRONMENT",
            "forwardEnvironment",
            "",
            Setting.VARIABLE_NAMES),
    /**
     * The directory of the named objects: read where it is used ({@code PrivateDirectory}, which checks it), not by
     * {@link SettingsReader}; never declared.
     */
    DIRECTORY("single-instance.directory", "SINGLE_INSTANCE_DIRECTORY", null, null, Setting.TEXT);

    /** EX_CONFIG (sysexits.h): a setting is malformed. */
    public static final int EX_CONFIG = 78;

    // The grammars (named with the class, as the constants above come first): how a setting's text is read.
    /** Any text, stripped. */
    public static final int TEXT = 0;
    /** {@link #bool}. */
    public static final int BOOLEAN = 1;
    /** {@link #scope}. */
    public static final int SCOPES = 2;
    /** {@link #duration}. */
    public static final int DURATION = 3;
    /** {@link #ringCapacity}. */
    public static final int RING_CAPACITY_BYTES = 4;
    /** {@link #backend}. */
    public static final int BACKENDS = 5;
    /** {@link #variableNames}. */
    public static final int VARIABLE_NAMES = 6;

    private final String property;
    private final String environmentVariable;
    private final String declaredAs;
    private final String defaultText;
    private final int grammar;

    Setting(String property, String environmentVariable, String declaredAs, String defaultText, int grammar) {
        this.property = property;
        this.environmentVariable = environmentVariable;
        this.declaredAs = declaredAs;
        this.defaultText = defaultText;
        this.grammar = grammar;
    }

    /** The system property, like {@code single-instance.forward-timeout}. */
    public String property() {
        return property;
    }

    /** The environment variable, like {@code SINGLE_INSTANCE_FORWARD_TIMEOUT}. */
    public String environmentVariable() {
        return environmentVariable;
    }

    /** The annotation attribute or builder method that declares it, like {@code forwardTimeout}; null if none. */
    public String declaredAs() {
        return declaredAs;
    }

    /** The default in this setting's grammar; null where the entry point supplies it (the id) or none applies. */
    public String defaultText() {
        return defaultText;
    }

    /** One of {@link #TEXT}, {@link #BOOLEAN}, {@link #SCOPES}, {@link #DURATION}, ... : which parser reads it. */
    public int grammar() {
        return grammar;
    }

    /** The default of a {@link #DURATION} setting. */
    public Duration defaultDuration() {
        return duration(property, defaultText);
    }

    /**
     * A positive duration: a whole number and a unit ({@code ns}, {@code us}, {@code ms}, {@code s}, {@code m},
     * {@code h}, {@code d}; any case; no unit means milliseconds, as in Spring Boot), or ISO-8601 like {@code PT5S}.
     *
     * @param source where the text came from, for the refusal
     */
    public static Duration duration(String source, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Duration duration = null;
        try {
            if (value.startsWith("p")) {
                duration = Duration.parse(value.toUpperCase(Locale.ROOT));
            } else {
                int digits = 0;
                while (digits < value.length() && value.charAt(digits) >= '0' && value.charAt(digits) <= '9') {
                    digits++;
                }
                if (digits > 0) {
                    duration = withUnit(Long.parseLong(value.substring(0, digits)), value.substring(digits));
                }
            }
        } catch (RuntimeException e) { // a number too large, an ISO-8601 text malformed or out of range
            duration = null; // (caught as RuntimeException: naming each would load its class on the way to a claim)
        }
        if (duration == null || duration.isZero() || duration.isNegative()) {
            throw refusal(source, text, "is not a positive duration; write one like 500ms, 5s, 2m, 1h, 1d or PT5S");
        }
        return duration;
    }

    /**
     * A positive duration as text that {@link #duration} reads back to the same value without {@link Duration#parse}
     * (whose regular expression bootstraps lambdas on a second launch's way to its claim): whole seconds as {@code 5s},
     * else nanoseconds as {@code 1500000ns}; ISO-8601 only past the nanoseconds a long holds (292 years).
     */
    public static String text(Duration duration) {
        if (duration.getNano() == 0) {
            return duration.getSeconds() + "s";
        }
        try {
            return duration.toNanos() + "ns";
        } catch (ArithmeticException e) {
            return duration.toString();
        }
    }

    private static Duration withUnit(long amount, String unit) {
        return switch (unit) { // on the strings' hash codes: no class of its own
            case "", "ms" -> Duration.ofMillis(amount);
            case "ns" -> Duration.ofNanos(amount);
            case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> null;
        };
    }

    /** {@code true} or {@code false}, any case. */
    public static boolean bool(String source, String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals("true") || value.equals("false")) {
            return value.equals("true");
        }
        throw refusal(source, text, "is not a boolean; write true or false");
    }

    /** {@code user}, {@code session} or {@code system}, any case. */
    public static Scope scope(String source, String text) {
        return named(Scope.values(), source, text, "is not a scope; write user, session or system");
    }

    /** {@code auto}, {@code posix}, {@code portable} or {@code windows}, any case. */
    public static Backend backend(String source, String text) {
        return named(Backend.values(), source, text, "is not a backend; write auto, posix, portable or windows");
    }

    /** The constant of {@code constants} that {@code text} names, any case. */
    private static <E extends Enum<E>> E named(E[] constants, String source, String text, String why) {
        String value = text.strip().toUpperCase(Locale.ROOT);
        for (E constant : constants) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw refusal(source, text, why);
    }

    /** A number of bytes, a power of two from 65536 (64 KiB) to 67108864 (64 MiB). */
    public static int ringCapacity(String source, String text) {
        int bytes;
        try {
            bytes = Integer.parseInt(text.strip());
        } catch (RuntimeException e) { // NumberFormatException, not named: see duration
            bytes = 0;
        }
        if (Integer.bitCount(bytes) != 1 || bytes < 1 << 16 || bytes > 1 << 26) {
            throw refusal(source, text, "is not a ring capacity; write a power of two from 65536 to 67108864 (bytes)");
        }
        return bytes;
    }

    /**
     * Environment variable names, comma-separated ({@code HOME,LANG}; blank entries ignored), or {@code *} for all
     * (then the result is the set holding {@code *} only).
     */
    public static Set<String> variableNames(String source, String text) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : text.split(",", -1)) { // one character: split's fast path, no regular expression
            String stripped = name.strip();
            if (stripped.indexOf('=') >= 0) {
                throw refusal(source, text, "is not a list of environment variable names; write NAME,NAME or *");
            }
            if (!stripped.isEmpty()) {
                names.add(stripped);
            }
        }
        return names.contains("*") ? Set.of("*") : names;
    }

    /** The one refusal: {@code source: 'text' why}, exit code {@link #EX_CONFIG}. */
    private static SingleInstanceException refusal(String source, String text, String why) {
        return new SingleInstanceException(source + ": '" + text + "' " + why, EX_CONFIG);
    }
}
