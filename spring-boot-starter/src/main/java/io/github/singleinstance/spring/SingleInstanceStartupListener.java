package io.github.singleinstance.spring;

import io.github.singleinstance.Backend;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.ClaimFiles;
import java.io.PrintStream;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Claims the application when Spring Boot starts ({@link ApplicationStartingEvent}), when its main class carries
 * {@link SingleInstance}: a second launch forwards, prints the reply and exits there, before the banner, the logging
 * system's configuration and any context. In the primary it hands the claim to the context as beans. A claim the fast
 * launcher of the executable jar made before Spring loaded is adopted by this claim (the core takes it over when it
 * opens the same claim file); one this claim did not adopt is let go of here.
 *
 * <p>An application listener rather than a run listener: Spring Boot 3.5 and 4.x publish the same events, so one
 * class serves both lines (a run listener's hooks take a bootstrap context whose package Boot 4 moved). An annotated
 * application on any other Spring Boot fails to start ({@link SupportedSpringBoot}): it never runs unclaimed. An
 * application that replaces Spring Boot's listeners ({@code SpringApplication.setListeners}) drops this one too, and
 * runs unclaimed: it must add this listener back.
 *
 * <p>Ordered just after Spring Boot's {@code LoggingApplicationListener}, which silences the logging system until it
 * is configured: the primary's first log line (its setup thread's) would otherwise start Logback with its default
 * configuration and print the core's debug lines. DevTools' restart listener, ordered first, has moved the application
 * onto its restart thread by then. Skipped during AOT processing.
 *
 * <p>Spring Boot creates one per {@code SpringApplication} (listed in {@code META-INF/spring.factories}) and
 * publishes each run's events to it on the thread that runs it.
 */
public final class SingleInstanceStartupListener implements GenericApplicationListener {

    private static final Logger log = LoggerFactory.getLogger(SingleInstanceStartupListener.class);
    /** Bean name of the {@link io.github.singleinstance.PrimaryInstance} registered in the primary's contexts. */
    public static final String PRIMARY_INSTANCE_BEAN_NAME = "singleInstancePrimaryInstance";

    static final String RELAY_BEAN_NAME = "singleInstanceLaunchRelay";

    private final UnaryOperator<@Nullable String> systemProperties;
    private final UnaryOperator<@Nullable String> environment;
    private final PrintStream out;
    private final PrintStream err;
    private final IntConsumer exit;
    private final @Nullable String springBootVersion;

    private @Nullable LaunchRelay relay;
    private Backend claimedBackend = Backend.AUTO;

    /** Called by Spring Boot (registered in {@code META-INF/spring.factories}). */
    public SingleInstanceStartupListener() {
        this(System::getProperty, System::getenv, System.out, System.err, System::exit, SpringBootVersion.getVersion());
    }

    SingleInstanceStartupListener(
            UnaryOperator<@Nullable String> systemProperties,
            UnaryOperator<@Nullable String> environment,
            PrintStream out,
            PrintStream err,
            IntConsumer exit,
            @Nullable String springBootVersion) {
        this.systemProperties = systemProperties;
        this.environment = environment;
        this.out = out;
        this.err = err;
        this.exit = exit;
        this.springBootVersion = springBootVersion;
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    @Override
    public boolean supportsEventType(ResolvableType eventType) {
        Class<?> type = eventType.getRawClass();
        return type != null
                && (ApplicationStartingEvent.class.isAssignableFrom(type)
                        || ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
                        || ApplicationContextInitializedEvent.class.isAssignableFrom(type)
                        || ApplicationFailedEvent.class.isAssignableFrom(type));
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationStartingEvent starting) {
            starting(starting.getSpringApplication(), starting.getArgs());
        } else if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
            environmentPrepared(prepared.getEnvironment());
        } else if (event instanceof ApplicationContextInitializedEvent initialized) {
            contextPrepared(initialized.getApplicationContext());
        } else if (event instanceof ApplicationFailedEvent failed) {
            failed();
        }
    }

    /** Claims if the main class carries the annotation; lets go of a fast launcher's claim this did not adopt. */
    void starting(SpringApplication application, String[] args) {
        try {
            claimIfAnnotated(application, args);
        } finally {
            letGoOfUnadoptedHandover();
        }
    }

    /**
     * The main class of {@code application} if it is to claim: it carries the annotation, the claim is not disabled,
     * and this is no AOT processing run (AOT runs main to inspect the application, not to launch it); else null.
     *
     * @throws IllegalStateException if it is to claim on a Spring Boot the starter does not support
     */
    @Nullable
    Class<?> claimingMainClass(SpringApplication application) {
        if ("true".equalsIgnoreCase(systemProperties.apply("spring.aot.processing"))) {
            return null;
        }
        Class<?> main = application.getMainApplicationClass();
        if (main == null
                || AnnotationUtils.findAnnotation(main, SingleInstance.class) == null
                || !EarlySettings.enabled(systemProperties, environment)) {
            return null;
        }
        SupportedSpringBoot.require(springBootVersion, main);
        return main;
    }

    /**
     * The system property under which the fast launcher's copy of the core hands over a claim it won before Spring
     * loaded: an object that is a {@link Runnable} letting go of it.
     */
    static final String HANDOVER_PROPERTY = ClaimFiles.HANDOVER_PROPERTY;

    /**
     * Lets go of a claim the fast launcher won for this application if this run listener's claim did not adopt it
     * (the claim adopts it when it opens the same claim file): disabled, no annotation on the main class, other
     * settings, a claim this JVM held already. Without this, later launches would wait on a claim no one serves until
     * the launcher's bound (the forward timeout) let it go.
     */
    static void letGoOfUnadoptedHandover() {
        if (System.getProperties().get(HANDOVER_PROPERTY) instanceof Runnable handover) {
            log.debug("letting go of the claim the fast launcher made: this application did not take it over");
            handover.run();
        }
    }

    private void claimIfAnnotated(SpringApplication application, String[] args) {
        Class<?> mainClass = claimingMainClass(application);
        if (mainClass == null) {
            return;
        }
        SingleInstance annotation =
                Objects.requireNonNull(AnnotationUtils.findAnnotation(mainClass, SingleInstance.class));
        EarlySettings settings;
        try {
            settings = EarlySettings.resolve(annotation, mainClass, systemProperties, environment);
        } catch (SingleInstanceException malformed) { // the user's typo: one line, as from every entry point
            err.println(malformed.getMessage());
            err.flush();
            exit.accept(malformed.exitCode());
            return;
        }
        if (!settings.enabled()) {
            return;
        }
        claimedBackend = Objects.requireNonNull(settings.effective()).backend();
        relay = Claims.claimOrExit(settings, args, out, err, exit);
    }

    private void environmentPrepared(ConfigurableEnvironment environment) {
        LaunchRelay claimed = relay;
        if (claimed == null) {
            return;
        }
        log.info(
                "Primary instance of {} (pid {}); later launches are forwarded here",
                claimed.primary().id(),
                ProcessHandle.current().pid());
        String configuredId = environment.getProperty("single-instance.id");
        if (configuredId != null && !configuredId.equals(claimed.primary().id())) {
            log.warn(
                    "single-instance.id={} is read too late for the claim, which used id={}: set it with "
                            + "-Dsingle-instance.id, SINGLE_INSTANCE_ID or @SingleInstance(id = ...)",
                    configuredId,
                    claimed.primary().id());
        }
        String configuredBackend = environment.getProperty("single-instance.backend");
        if (configuredBackend != null && !configuredBackend.strip().equalsIgnoreCase(claimedBackend.name())) {
            log.warn(
                    "single-instance.backend={} is read too late for the claim, which used backend={}: set it with "
                            + "-Dsingle-instance.backend, SINGLE_INSTANCE_BACKEND or @SingleInstance(backend = ...)",
                    configuredBackend,
                    claimedBackend.name().toLowerCase(java.util.Locale.ROOT));
        }
        String configuredDirectory =
                environment.getProperty(io.github.singleinstance.SingleInstance.DIRECTORY_PROPERTY);
        String usedDirectory = System.getProperty(io.github.singleinstance.SingleInstance.DIRECTORY_PROPERTY);
        if (usedDirectory == null || usedDirectory.isBlank()) {
            usedDirectory = System.getenv(io.github.singleinstance.SingleInstance.DIRECTORY_ENVIRONMENT);
        }
        if (configuredDirectory != null
                && !configuredDirectory.isBlank()
                && !configuredDirectory.strip().equals(usedDirectory == null ? null : usedDirectory.strip())) {
            log.warn(
                    "single-instance.directory={} is read too late for the claim, which used the default directory or "
                            + "the one set with -Dsingle-instance.directory or SINGLE_INSTANCE_DIRECTORY: set it there",
                    configuredDirectory);
        }
        if ("false".equalsIgnoreCase(environment.getProperty("single-instance.enabled"))) {
            log.warn("single-instance.enabled=false is read too late, the claim is made: set it with "
                    + "-Dsingle-instance.enabled=false or SINGLE_INSTANCE_ENABLED=false");
        }
    }

    /** Registers the claim as beans. */
    private void contextPrepared(ConfigurableApplicationContext context) {
        LaunchRelay claimed = relay;
        if (claimed != null) {
            // Registered singletons get no destroy callback: closing a context (a DevTools restart) keeps the claim.
            context.getBeanFactory().registerSingleton(PRIMARY_INSTANCE_BEAN_NAME, claimed.primary());
            context.getBeanFactory().registerSingleton(RELAY_BEAN_NAME, claimed);
        }
    }

    private void failed() {
        LaunchRelay claimed = relay;
        if (claimed != null) {
            log.debug(
                    "application failed to start; releasing the claim of id={}",
                    claimed.primary().id());
            claimed.close();
        }
    }
}
