package io.github.singleinstance;

import io.github.singleinstance.internal.claim.Claimer;
import io.github.singleinstance.internal.claim.InstanceQuery;
import io.github.singleinstance.internal.settings.EffectiveSettings;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.settings.Setting;
import io.github.singleinstance.internal.settings.SettingGrammar;
import io.github.singleinstance.internal.settings.SettingsReader;
import io.github.singleinstance.internal.wire.ClaimHeader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * <p>Overrides at launch, stronger than the builder: the system property {@code single-instance.<name>}, else the
 * environment variable {@code SINGLE_INSTANCE_<NAME>}, for {@code id} (to run an isolated copy), {@code scope},
 * {@code forward-timeout}, {@code total-timeout}, {@code replace}, {@code ring-capacity}, {@code backend},
 * {@code forward-stdin}, {@code forward-environment} and {@code directory} (the per-user directory of the named
 * objects); blank counts as not set. Durations read {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d}
 * (also {@code ns}, {@code us}; a number alone is milliseconds) or ISO-8601 like {@code PT5S}, as Spring Boot reads
 * them. A malformed override makes {@link #claim} fail with exit code 78 and one line naming it.
 * Immutable and thread-safe.
 */
public final class SingleInstance {

    /** System property that overrides the application id. */
    public static final String ID_PROPERTY = Setting.ID.property();
    /** Environment variable that overrides the application id (the system property wins). */
    public static final String ID_ENVIRONMENT = Setting.ID.environmentVariable();
    /** System property that overrides the forward timeout. */
    public static final String FORWARD_TIMEOUT_PROPERTY = Setting.FORWARD_TIMEOUT.property();
    /** Environment variable that overrides the forward timeout (the system property wins). */
    public static final String FORWARD_TIMEOUT_ENVIRONMENT = Setting.FORWARD_TIMEOUT.environmentVariable();
    /** System property that chooses the {@link Backend} (its name, any case: auto, posix, portable, windows). */
    public static final String BACKEND_PROPERTY = Setting.BACKEND.property();
    /** Environment variable that chooses the {@link Backend} (the system property wins). */
    public static final String BACKEND_ENVIRONMENT = Setting.BACKEND.environmentVariable();
    /** System property that overrides the total timeout. */
    public static final String TOTAL_TIMEOUT_PROPERTY = Setting.TOTAL_TIMEOUT.property();
    /** Environment variable that overrides the total timeout (the system property wins). */
    public static final String TOTAL_TIMEOUT_ENVIRONMENT = Setting.TOTAL_TIMEOUT.environmentVariable();
    /** System property that makes this launch replace the running instance ({@code true}). */
    public static final String REPLACE_PROPERTY = Setting.REPLACE.property();
    /** Environment variable that makes this launch replace the running instance (the system property wins). */
    public static final String REPLACE_ENVIRONMENT = Setting.REPLACE.environmentVariable();
    /** System property that overrides {@link Builder#forwardStandardInput(boolean)}: {@code true} or {@code false}. */
    public static final String FORWARD_STDIN_PROPERTY = Setting.FORWARD_STDIN.property();
    /** Environment variable that overrides {@link Builder#forwardStandardInput(boolean)}. */
    public static final String FORWARD_STDIN_ENVIRONMENT = Setting.FORWARD_STDIN.environmentVariable();
    /**
     * System property that overrides {@link Builder#forwardEnvironment(String...)}: {@code *} for all variables, a
     * comma-separated list of names, or empty for none.
     */
    public static final String FORWARD_ENVIRONMENT_PROPERTY = Setting.FORWARD_ENVIRONMENT.property();
    /** Environment variable that overrides {@link Builder#forwardEnvironment(String...)}, as its property does. */
    public static final String FORWARD_ENVIRONMENT_ENVIRONMENT = Setting.FORWARD_ENVIRONMENT.environmentVariable();
    /**
     * System property that names the directory for the named objects of {@code Scope.USER} and {@code SESSION}
     * instances: an absolute path, created owner-only if absent and checked like the default one (see
     * {@code docs/private-directory.md}). Every launch of one application must name the same directory.
     */
    public static final String DIRECTORY_PROPERTY = Setting.DIRECTORY.property();
    /** Environment variable that names that directory (the system property wins). */
    public static final String DIRECTORY_ENVIRONMENT = Setting.DIRECTORY.environmentVariable();
    /** The forward timeout unless configured: the longest a launch waits without any sign of progress. */
    public static final Duration DEFAULT_FORWARD_TIMEOUT = Setting.FORWARD_TIMEOUT.defaultDuration();
    /** The total timeout unless configured: the longest a launch waits for its reply, progress or not. */
    public static final Duration DEFAULT_TOTAL_TIMEOUT = Setting.TOTAL_TIMEOUT.defaultDuration();
    /** The channel's ring capacity unless configured: 1 MiB, so one launch can carry up to 256 KiB. */
    public static final int DEFAULT_RING_CAPACITY = LaunchConfig.defaultRingCapacity();

    /** Null if a setting from the command line or the environment was malformed: then {@link #refusal} is set. */
    private final LaunchConfig config;

    private final SingleInstanceException refusal;

    private SingleInstance(LaunchConfig config, SingleInstanceException refusal) {
        this.config = config;
        this.refusal = refusal;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The application id in effect (after overrides). */
    public String id() {
        return config().id();
    }

    public Scope scope() {
        return config().scope();
    }

    /** The backend chosen (after overrides); {@link Backend#AUTO} is resolved when claiming. */
    public Backend backend() {
        return config().backend();
    }

    /** How long a second launch waits without any sign of progress from the primary (after overrides). */
    public Duration forwardTimeout() {
        return config().forwardTimeout();
    }

    /** How long a second launch waits for the primary's reply in all (after overrides). */
    public Duration totalTimeout() {
        return config().totalTimeout();
    }

    /** Whether this launch asks the running instance to hand over (after overrides). */
    public boolean replace() {
        return config().replace();
    }

    /**
     * Becomes the primary, or forwards {@code args} to the running primary and waits for its reply.
     *
     * @throws SingleInstanceException if the launch could neither become the primary nor be delivered; the message
     *     says why and what to do. Exit code 78 if a setting from the command line or the environment is malformed
     */
    public ClaimResult claim(String... args) {
        return Claimer.claim(config(), List.of(args));
    }

    /** The resolved settings; throws (again) the one-line refusal of a malformed setting. */
    private LaunchConfig config() {
        if (refusal != null) {
            throw new SingleInstanceException(refusal.getMessage(), refusal.exitCode());
        }
        return config;
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
    public Optional<RunningInstance> runningInstance() {
        InstanceQuery.Found found = InstanceQuery.query(config);
        if (found == null) {
            return Optional.empty();
        }
        RunningInstance.State state = found.state() == ClaimHeader.STATE_READY
                ? RunningInstance.State.READY
                : found.state() == ClaimHeader.STATE_CLOSING
                        ? RunningInstance.State.CLOSING
                        : RunningInstance.State.STARTING;
        return Optional.of(new RunningInstance(
                found.pid(),
                found.protocol(),
                found.createdMillis() > 0 ? Instant.ofEpochMilli(found.createdMillis()) : null,
                state));
    }

    /**
     * {@link #claim} for a {@code main} method: returns only in the primary. A second launch prints the primary's
     * reply (to standard output for exit code 0, else to standard error) and calls {@link System#exit} with the
     * reply's code; a failure prints its message to standard error and exits with
     * {@link SingleInstanceException#exitCode()}: a malformed setting from the command line or the environment prints
     * the one line naming it and its accepted forms, and exits 78. The one place this library exits the JVM.
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
            System.err.println(refusal != null ? e.getMessage() : config.id() + ": " + e.getMessage());
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
                if (name == null || name.isBlank() || name.indexOf('=') >= 0 || name.indexOf(',') >= 0) {
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
         * Resolves the settings with {@link SettingsReader}: a system property or environment variable overrides what
         * this builder was given (see the class comment). A malformed override is the user's typo, not the
         * developer's bug, so it does not throw here: the instance remembers it, and {@link #claim} throws it as a
         * {@link SingleInstanceException} with exit code 78 whose message is one line naming the setting and its
         * accepted forms ({@link #claimOrExit} prints it and exits 78); so do the accessors.
         *
         * @throws IllegalStateException if no id was given or set and the main class cannot be found
         */
        public SingleInstance build() {
            EffectiveSettings settings;
            try {
                settings = SettingsReader.ofThisProcess().resolve(declared(), "SingleInstance.builder()");
            } catch (SingleInstanceException malformedOverride) {
                return new SingleInstance(null, malformedOverride);
            }
            String effectiveId = settings.id() != null ? settings.id() : mainClassName();
            Path workingDirectory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
            return new SingleInstance(settings.launchConfig(effectiveId, additionalData, workingDirectory), null);
        }

        /** This builder's values as text, in the grammar of {@link Setting}, by {@link Setting#declaredAs()}. */
        private Map<String, String> declared() {
            Map<String, String> declared = new HashMap<>();
            if (id != null) {
                declared.put(Setting.ID.declaredAs(), id);
            }
            declared.put(Setting.SCOPE.declaredAs(), scope.name());
            declared.put(Setting.FORWARD_TIMEOUT.declaredAs(), SettingGrammar.text(forwardTimeout));
            declared.put(Setting.TOTAL_TIMEOUT.declaredAs(), SettingGrammar.text(totalTimeout));
            declared.put(Setting.REPLACE.declaredAs(), Boolean.toString(replace));
            declared.put(Setting.RING_CAPACITY.declaredAs(), Integer.toString(ringCapacity));
            declared.put(Setting.BACKEND.declaredAs(), backend.name());
            declared.put(Setting.FORWARD_STDIN.declaredAs(), Boolean.toString(forwardStandardInput));
            declared.put(
                    Setting.FORWARD_ENVIRONMENT.declaredAs(),
                    forwardAllVariables ? "*" : String.join(",", forwardedVariables));
            return declared;
        }

        private static String mainClassName() {
            String command = System.getProperty("sun.java.command", "").strip();
            int end = 0; // the first word, without String.split's regular expression on a second launch's path
            while (end < command.length() && !Character.isWhitespace(command.charAt(end))) {
                end++;
            }
            String first = command.substring(0, end);
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
}
