package io.github.singleinstance.internal.settings;

import java.time.Duration;

/**
 * Every setting of this library, in one place: its system property, its environment variable, the name under which
 * an application declares it (the {@code @SingleInstance} attribute of the Spring starter, the builder method of the
 * core), its default and its grammar. {@link SettingsReader} reads them in one order of precedence for every entry
 * point: system property, else environment variable, else the declared value, else the default; a property or a
 * variable that is blank counts as not set. Immutable; any thread.
 */
public enum Setting {
    /** Spring Boot only: {@code false} turns the claim off. */
    ENABLED("single-instance.enabled", "SINGLE_INSTANCE_ENABLED", null, "true", Grammar.BOOLEAN),
    /** The application id; no default here: each entry point names the application after its main class. */
    ID("single-instance.id", "SINGLE_INSTANCE_ID", "id", null, Grammar.TEXT),
    SCOPE("single-instance.scope", "SINGLE_INSTANCE_SCOPE", "scope", "user", Grammar.SCOPE),
    FORWARD_TIMEOUT(
            "single-instance.forward-timeout",
            "SINGLE_INSTANCE_FORWARD_TIMEOUT",
            "forwardTimeout",
            "5s",
            Grammar.DURATION),
    TOTAL_TIMEOUT(
            "single-instance.total-timeout", "SINGLE_INSTANCE_TOTAL_TIMEOUT", "totalTimeout", "60s", Grammar.DURATION),
    /** For one launch: replace the running instance. Declared by the builder only. */
    REPLACE("single-instance.replace", "SINGLE_INSTANCE_REPLACE", "replace", "false", Grammar.BOOLEAN),
    /** Declared {@code 0} (the annotation's default) counts as not declared. */
    RING_CAPACITY(
            "single-instance.ring-capacity",
            "SINGLE_INSTANCE_RING_CAPACITY",
            "ringCapacity",
            Integer.toString(LaunchConfig.defaultRingCapacity()),
            Grammar.RING_CAPACITY),
    /** Spring Boot only. */
    STARTUP_REPLY_TIMEOUT(
            "single-instance.startup-reply-timeout",
            "SINGLE_INSTANCE_STARTUP_REPLY_TIMEOUT",
            "startupReplyTimeout",
            "30s",
            Grammar.DURATION),
    BACKEND("single-instance.backend", "SINGLE_INSTANCE_BACKEND", "backend", "auto", Grammar.BACKEND),
    FORWARD_STDIN(
            "single-instance.forward-stdin",
            "SINGLE_INSTANCE_FORWARD_STDIN",
            "forwardStandardInput",
            "false",
            Grammar.BOOLEAN),
    FORWARD_ENVIRONMENT(
            "single-instance.forward-environment",
            "SINGLE_INSTANCE_FORWARD_ENVIRONMENT",
            "forwardEnvironment",
            "",
            Grammar.VARIABLE_NAMES),
    /**
     * The directory of the named objects: read where it is used ({@code PrivateDirectory}, which checks it), not by
     * {@link SettingsReader}; never declared.
     */
    DIRECTORY("single-instance.directory", "SINGLE_INSTANCE_DIRECTORY", null, null, Grammar.TEXT);

    /** How a setting's text is read; {@link SettingGrammar} parses it. */
    public enum Grammar {
        TEXT,
        BOOLEAN,
        SCOPE,
        DURATION,
        RING_CAPACITY,
        BACKEND,
        VARIABLE_NAMES
    }

    private final String property;
    private final String environmentVariable;
    private final String declaredAs;
    private final String defaultText;
    private final Grammar grammar;

    Setting(String property, String environmentVariable, String declaredAs, String defaultText, Grammar grammar) {
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

    public Grammar grammar() {
        return grammar;
    }

    /** The default of a {@link Grammar#DURATION} setting. */
    public Duration defaultDuration() {
        return SettingGrammar.duration(property, defaultText);
    }
}
