package io.github.singleinstance.internal.settings;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstanceException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The grammars of {@link Setting.Grammar}, one parser each, and the one refusal: a {@link SingleInstanceException} with
 * exit code {@link #EX_CONFIG} whose message is one line naming where the value came from and the accepted forms, like
 * {@code single-instance.forward-timeout: '1x' is not a positive duration; write one like 500ms, 5s, 2m, 1h, 1d or
 * PT5S}. Stateless; any thread. No regular expressions and no lambdas: a second launch parses on its way to forwarding.
 */
public final class SettingGrammar {

    /** EX_CONFIG (sysexits.h): a setting is malformed. */
    public static final int EX_CONFIG = 78;

    private SettingGrammar() {}

    /**
     * A positive duration: a whole number and a unit ({@code ns}, {@code us}, {@code ms}, {@code s}, {@code m},
     * {@code h}, {@code d}; any case; no unit means milliseconds, as in Spring Boot), or ISO-8601 like {@code PT5S}.
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
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            duration = null;
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
        return switch (unit) {
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
        String value = text.strip().toUpperCase(Locale.ROOT);
        for (Scope scope : Scope.values()) {
            if (scope.name().equals(value)) {
                return scope;
            }
        }
        throw refusal(source, text, "is not a scope; write user, session or system");
    }

    /** {@code auto}, {@code posix}, {@code portable} or {@code windows}, any case. */
    public static Backend backend(String source, String text) {
        String value = text.strip().toUpperCase(Locale.ROOT);
        for (Backend backend : Backend.values()) {
            if (backend.name().equals(value)) {
                return backend;
            }
        }
        throw refusal(source, text, "is not a backend; write auto, posix, portable or windows");
    }

    /** A number of bytes, a power of two from 65536 (64 KiB) to 67108864 (64 MiB). */
    public static int ringCapacity(String source, String text) {
        int bytes;
        try {
            bytes = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
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
        for (String name : text.split(",", -1)) {
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
    static SingleInstanceException refusal(String source, String text, String why) {
        return new SingleInstanceException(source + ": '" + text + "' " + why, EX_CONFIG);
    }
}
