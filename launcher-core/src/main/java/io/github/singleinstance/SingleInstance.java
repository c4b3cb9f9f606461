package io.github.singleinstance;

import io.github.singleinstance.internal.claim.Claimer;
import io.github.singleinstance.internal.claim.InstanceQuery;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.wire.ClaimHeader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes this application single-instance: the first launch becomes the primary, later launches hand their arguments
 * to it and exit with its reply.
 *
 * <pre>{@code
 * public static void main(String[] args) throws Exception {
 *     PrimaryInstance primary = SingleInstance.builder().id("com.example.viewer").build().claimOrExit(args);
 *     primary.onLaunch(launch -> Reply.ok("opened " + launch.args()));
 *     // ... run the application; later launches arrive in the handler
 * }
 * }</pre>
 *
 * <p>Overrides at launch, stronger than the builder: system property {@code single-instance.id} or environment
 * variable {@code SINGLE_INSTANCE_ID} replaces the id (to run an isolated copy); {@code single-instance.forward-timeout}
 * or {@code SINGLE_INSTANCE_FORWARD_TIMEOUT} the forward timeout ({@code 3s}, {@code 500ms}, {@code 1m} or ISO-8601
 * like {@code PT3S}); {@code single-instance.total-timeout} or {@code SINGLE_INSTANCE_TOTAL_TIMEOUT} the total
 * timeout; {@code single-instance.replace} or {@code SINGLE_INSTANCE_REPLACE} ({@code true}) makes the launch replace
 * the running instance; {@code single-instance.backend} or {@code SINGLE_INSTANCE_BACKEND} the {@link Backend};
 * {@code single-instance.directory} or {@code SINGLE_INSTANCE_DIRECTORY} the per-user directory of the named objects.
 * Immutable and thread-safe.
 */
public final class SingleInstance {

    /** System property that overrides the application id. */
    public static final String ID_PROPERTY = "single-instance.id";
    /** Environment variable that overrides the application id (the system property wins). */
    public static final String ID_ENVIRONMENT = "SINGLE_INSTANCE_ID";
    /** System property that overrides the forward timeout. */
    public static final String FORWARD_TIMEOUT_PROPERTY = "single-instance.forward-timeout";
    /** Environment variable that overrides the forward timeout (the system property wins). */
    public static final String FORWARD_TIMEOUT_ENVIRONMENT = "SINGLE_INSTANCE_FORWARD_TIMEOUT";
    /** System property that chooses the {@link Backend} (its name, any case: auto, posix, portable, windows). */
    public static final String BACKEND_PROPERTY = "single-instance.backend";
    /** Environment variable that chooses the {@link Backend} (the system property wins). */
    public static final String BACKEND_ENVIRONMENT = "SINGLE_INSTANCE_BACKEND";
    /** System property that overrides the total timeout. */
    public static final String TOTAL_TIMEOUT_PROPERTY = "single-instance.total-timeout";
    /** Environment variable that overrides the total timeout (the system property wins). */
    public static final String TOTAL_TIMEOUT_ENVIRONMENT = "SINGLE_INSTANCE_TOTAL_TIMEOUT";
    /** System property that makes this launch replace the running instance ({@code true}). */
    public static final String REPLACE_PROPERTY = "single-instance.replace";
    /** Environment variable that makes this launch replace the running instance (the system property wins). */
    public static final String REPLACE_ENVIRONMENT = "SINGLE_INSTANCE_REPLACE";
    /** System property that overrides {@link Builder#forwardStandardInput(boolean)}: {@code true} or {@code false}. */
    public static final String FORWARD_STDIN_PROPERTY = "single-instance.forward-stdin";
    /** Environment variable that overrides {@link Builder#forwardStandardInput(boolean)}. */
    public static final String FORWARD_STDIN_ENVIRONMENT = "SINGLE_INSTANCE_FORWARD_STDIN";
    /**
     * System property that overrides {@link Builder#forwardEnvironment(String...)}: {@code *} for all variables, a
     * comma-separated list of names, or empty for none.
     */
    public static final String FORWARD_ENVIRONMENT_PROPERTY = "single-instance.forward-environment";
    /** Environment variable that overrides {@link Builder#forwardEnvironment(String...)}, as its property does. */
    public static final String FORWARD_ENVIRONMENT_ENVIRONMENT = "SINGLE_INSTANCE_FORWARD_ENVIRONMENT";
    /**
     * System property that names the directory for the named objects of {@code Scope.USER} and {@code SESSION}
     * instances: an absolute path, created owner-only if absent and checked like the default one (see
     * {@code docs/private-directory.md}). Every launch of one application must name the same directory.
     */
    public static final String DIRECTORY_PROPERTY = "single-instance.directory";
    /** Environment variable that names that directory (the system property wins). */
    public static final String DIRECTORY_ENVIRONMENT = "SINGLE_INSTANCE_DIRECTORY";
    /** The forward timeout unless configured: the longest a launch waits without any sign of progress. */
    public static final Duration DEFAULT_FORWARD_TIMEOUT = Duration.ofSeconds(5);
    /** The total timeout unless configured: the longest a launch waits for its reply, progress or not. */
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofSeconds(60);
    /** The channel's ring capacity unless configured: 1 MiB, so one launch can carry up to 256 KiB. */
    public static final int DEFAULT_RING_CAPACITY = LaunchConfig.defaultRingCapacity();

    private final LaunchConfig config;

    private SingleInstance(LaunchConfig config) {
        this.config = config;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The application id in effect (after overrides). */
    public String id() {
        return config.id();
    }

    public Scope scope() {
        return config.scope();
    }

    /** The backend chosen (after overrides); {@link Backend#AUTO} is resolved when claiming. */
    public Backend backend() {
        return config.backend();
    }

    /** How long a second launch waits without any sign of progress from the primary (after overrides). */
    public Duration forwardTimeout() {
        return config.forwardTimeout();
    }

    /** How long a second launch waits for the primary's reply in all (after overrides). */
    public Duration totalTimeout() {
        return config.totalTimeout();
    }

    /** Whether this launch asks the running instance to hand over (after overrides). */
    public boolean replace() {
        return config.replace();
    }

    /**
     * Becomes the primary, or forwards {@code args} to the running primary and waits for its reply.
     *
     * @throws SingleInstanceException if the launch could neither become the primary nor be delivered; the message
     *     says why and what to do
     */
    public ClaimResult claim(String... args) {
        return Claimer.claim(config, List.of(args));
    }

    /**
     * The primary of this application if one runs, asked without sending a launch: its pid, protocol version, since
     * when it takes launches, and whether it is starting, ready or closing. For {@code status} commands and scripts.
     * Never becomes the primary and never creates the claim file; a launch that races it loses nothing (see
     * {@code docs/protocol.md}). Answers at once, also for a stopped or hung primary; within the forward timeout
     * where a primary is in the instant of taking the claim.
     *
     * @return the running primary, or empty if none runs
     * @throws SingleInstanceException only as a launch would fail before looking (a backend or scope that cannot work
     *     here, exit 69; the claim file unreadable, 71), never for "none"
     */
    public java.util.Optional<RunningInstance> runningInstance() {
        InstanceQuery.Found found = InstanceQuery.query(config);
        if (found == null) {
            return java.util.Optional.empty();
        }
        RunningInstance.State state = found.state() == ClaimHeader.STATE_READY
                ? RunningInstance.State.READY
                : found.state() == ClaimHeader.STATE_CLOSING
                        ? RunningInstance.State.CLOSING
                        : RunningInstance.State.STARTING;
        return java.util.Optional.of(new RunningInstance(
                found.pid(),
                found.protocol(),
                found.createdMillis() > 0 ? java.time.Instant.ofEpochMilli(found.createdMillis()) : null,
                state));
    }

    /**
     * {@link #claim} for a {@code main} method: returns only in the primary. A second launch prints the primary's
     * reply (to standard output for exit code 0, else to standard error) and calls {@link System#exit} with the
     * reply's code; a failure prints its message to standard error and exits with
     * {@link SingleInstanceException#exitCode()}. The one place this library exits the JVM.
     */
    public PrimaryInstance claimOrExit(String... args) {
        int exitCode;
        try {
            ClaimResult result = claim(args);
            if (result instanceof ClaimResult.Primary primary) {
                return primary.instance();
            }
            Reply reply = ((ClaimResult.Forwarded) result).reply();
            if (!reply.message().isEmpty()) {
                (reply.exitCode() == 0 ? System.out : System.err).println(reply.message());
            }
            exitCode = reply.exitCode();
        } catch (SingleInstanceException e) {
            System.err.println(config.id() + ": " + e.getMessage());
            exitCode = e.exitCode();
        }
        System.out.flush();
        System.err.flush();
        System.exit(exitCode);
        throw new AssertionError("unreachable: System.exit returned");
    }

    /** Configures a {@link SingleInstance}. Not thread-safe; {@link #build()} copies what it needs. */
    public static final class Builder {

        private String id;
        private Scope scope = Scope.USER;
        private Duration forwardTimeout = DEFAULT_FORWARD_TIMEOUT;
        private Duration totalTimeout = DEFAULT_TOTAL_TIMEOUT;
        private boolean replace;
        private int ringCapacity = DEFAULT_RING_CAPACITY;
        private byte[] additionalData = new byte[0];
        private Backend backend = Backend.AUTO;
        private boolean forwardStandardInput;
        private boolean forwardAllVariables;
        private Set<String> forwardedVariables = Set.of();

        private Builder() {}

        /**
         * The application id: launches with equal ids (and scope) share one primary. Default: the main class name.
         * Use something unique to your application, like a reverse domain name.
         */
        public Builder id(String id) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("id must not be blank: id=" + id);
            }
            this.id = id;
            return this;
        }

        public Builder scope(Scope scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /**
         * How long a second launch waits without any sign of progress from the primary (a stopped or hung primary)
         * before it fails with exit code 75. A primary that shows progress (starting, taking launches, working on
         * them) is waited for up to the {@link #totalTimeout}. Default 5 s.
         */
        public Builder forwardTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("forward timeout must be positive: forwardTimeout=" + timeout);
            }
            this.forwardTimeout = timeout;
            return this;
        }

        /**
         * How long a second launch waits for its reply in all, however busy the primary, before it fails with exit
         * code 75 saying whether the launch was delivered. Default 60 s; raised to the forward timeout if shorter.
         */
        public Builder totalTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("total timeout must be positive: totalTimeout=" + timeout);
            }
            this.totalTimeout = timeout;
            return this;
        }

        /**
         * Whether this launch asks the running instance to hand over and becomes the primary itself (see
         * {@link PrimaryInstance#onReplace}). Default false.
         */
        public Builder replace(boolean replace) {
            this.replace = replace;
            return this;
        }

        /**
         * The size in bytes of the channel's ring, used when this process becomes the primary: a power of two from
         * 64 KiB to 64 MiB. One launch may take up to a quarter of it.
         */
        public Builder ringCapacity(int bytes) {
            if (Integer.bitCount(bytes) != 1 || bytes < 1 << 16 || bytes > 1 << 26) {
                throw new IllegalArgumentException(
                        "ring capacity must be a power of two from 65536 to 67108864: ringCapacity=" + bytes);
            }
            this.ringCapacity = bytes;
            return this;
        }

        /** Bytes sent along with this process's launch if it forwards (like Electron's additionalData). */
        public Builder additionalData(byte[] data) {
            this.additionalData = data.clone();
            return this;
        }

        /** The OS layer; default {@link Backend#AUTO}. Every launch of one application must use the same one. */
        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * Whether a second launch offers its standard input to the primary's handler ({@link Launch#in()}); off by
         * default. Even on, a second launch reads its input only as the handler reads it, so a launch started from a
         * terminal waits on the terminal only if the handler asks for input.
         */
        public Builder forwardStandardInput(boolean forward) {
            this.forwardStandardInput = forward;
            return this;
        }

        /**
         * Sends the named environment variables of a second launch to the primary ({@link Launch#environment()});
         * none by default, since an environment often holds secrets (tokens, passwords) that the primary's handler
         * (and its logs) should not see unasked. Variables a launch does not have are left out.
         */
        public Builder forwardEnvironment(String... names) {
            for (String name : names) {
                if (name == null || name.isEmpty() || name.indexOf('=') >= 0) {
                    throw new IllegalArgumentException("not an environment variable name: " + name);
                }
            }
            this.forwardedVariables = Set.of(names);
            this.forwardAllVariables = false;
            return this;
        }

        /** Sends a second launch's whole environment to the primary; see {@link #forwardEnvironment(String...)}. */
        public Builder forwardAllEnvironment() {
            this.forwardAllVariables = true;
            this.forwardedVariables = Set.of();
            return this;
        }

        /**
         * Resolves the id (override, else the configured id, else the main class name), the timeout and the backend.
         *
         * @throws IllegalStateException if no id was given and the main class cannot be found
         * @throws IllegalArgumentException if an override is malformed
         */
        public SingleInstance build() {
            String effectiveId = firstNonBlank(System.getProperty(ID_PROPERTY), System.getenv(ID_ENVIRONMENT), id);
            if (effectiveId == null) {
                effectiveId = mainClassName();
            }
            String timeoutOverride = firstNonBlank(
                    System.getProperty(FORWARD_TIMEOUT_PROPERTY), System.getenv(FORWARD_TIMEOUT_ENVIRONMENT), null);
            Duration timeout =
                    timeoutOverride == null ? forwardTimeout : parseDuration(timeoutOverride, FORWARD_TIMEOUT_PROPERTY);
            String totalOverride = firstNonBlank(
                    System.getProperty(TOTAL_TIMEOUT_PROPERTY), System.getenv(TOTAL_TIMEOUT_ENVIRONMENT), null);
            Duration total =
                    totalOverride == null ? totalTimeout : parseDuration(totalOverride, TOTAL_TIMEOUT_PROPERTY);
            if (total.compareTo(timeout) < 0) {
                total = timeout;
            }
            String replaceOverride =
                    firstNonBlank(System.getProperty(REPLACE_PROPERTY), System.getenv(REPLACE_ENVIRONMENT), null);
            boolean effectiveReplace =
                    replaceOverride == null ? replace : parseBoolean(replaceOverride, REPLACE_PROPERTY);
            Path workingDirectory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
            String stdinOverride = firstNonBlank(
                    System.getProperty(FORWARD_STDIN_PROPERTY), System.getenv(FORWARD_STDIN_ENVIRONMENT), null);
            boolean stdin =
                    stdinOverride == null ? forwardStandardInput : parseBoolean(stdinOverride, FORWARD_STDIN_PROPERTY);
            String environmentOverride = System.getProperty(FORWARD_ENVIRONMENT_PROPERTY);
            if (environmentOverride == null) {
                environmentOverride = System.getenv(FORWARD_ENVIRONMENT_ENVIRONMENT);
            }
            boolean allVariables = forwardAllVariables;
            Set<String> variables = forwardedVariables;
            if (environmentOverride != null) {
                allVariables = environmentOverride.strip().equals("*");
                variables = allVariables ? Set.of() : variableNames(environmentOverride);
            }
            return new SingleInstance(new LaunchConfig(
                    effectiveId,
                    scope,
                    timeout,
                    total,
                    effectiveReplace,
                    ringCapacity,
                    additionalData,
                    workingDirectory,
                    backendOverride(backend),
                    stdin,
                    allVariables,
                    variables));
        }

        /** {@code configured}, unless the system property or environment variable names another. */
        private static Backend backendOverride(Backend configured) {
            String value =
                    firstNonBlank(System.getProperty(BACKEND_PROPERTY), System.getenv(BACKEND_ENVIRONMENT), null);
            return value == null ? configured : Backend.parse(value);
        }

        private static boolean parseBoolean(String value, String property) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("false")) {
                return v.equals("true");
            }
            throw new IllegalArgumentException("not a boolean: " + property + "=" + value + "; write true or false");
        }

        private static Set<String> variableNames(String list) {
            Set<String> names = new java.util.LinkedHashSet<>();
            for (String name : list.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.strip());
                }
            }
            return names;
        }

        private static String firstNonBlank(String... values) {
            for (String value : values) { // a loop, not a stream: no lambda to bootstrap on the second launch
                if (value != null && !value.isBlank()) {
                    return value;
                }
            }
            return null;
        }

        private static String mainClassName() {
            String command = System.getProperty("sun.java.command", "").strip();
            String first = command.isEmpty() ? "" : command.split("\\s+")[0];
            if (first.isEmpty()) {
                throw new IllegalStateException("cannot tell the main class: give an id with SingleInstance.builder()"
                        + ".id(\"com.example.app\")");
            }
            if (first.endsWith(".jar")) {
                return Path.of(first).getFileName().toString(); // launched with -jar: the jar names the application
            }
            return first;
        }
    }

    /** Compiled on first use: most launches parse no duration, and regex classes cost start-up time. */
    private static final class DurationSyntax {
        static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
    }

    /** Parses {@code 500ms}, {@code 3s}, {@code 2m}, {@code 1h}, a bare number of milliseconds, or ISO-8601. */
    static Duration parseDuration(String text) {
        return parseDuration(text, FORWARD_TIMEOUT_PROPERTY);
    }

    /** {@link #parseDuration(String)} for setting {@code property} (named in the error). */
    static Duration parseDuration(String text, String property) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        Matcher simple = DurationSyntax.SIMPLE.matcher(value);
        Duration duration;
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            String unit = simple.group(2) == null ? "ms" : simple.group(2);
            duration = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } else {
            try {
                duration = Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "not a duration: " + property + "=" + text + "; write it like 3s, 500ms, 1m or PT3S");
            }
        }
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("must be positive: " + property + "=" + text);
        }
        return duration;
    }
}
