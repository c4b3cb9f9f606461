package io.github.singleinstance.spring;

import io.github.singleinstance.Backend;
import java.io.PrintStream;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Claims the application in {@link #starting}, Spring Boot's earliest hook, when its main class carries
 * {@link SingleInstance}: a second launch forwards, prints the reply and exits there, before the banner, the logging
 * system's start and any context. In the primary it hands the claim to the context as beans.
 *
 * <p>Ordered just after Spring Boot's own {@code EventPublishingRunListener}, so that the logging system has been
 * silenced until configured (the core's debug lines do not leak to the console) and DevTools has moved the
 * application onto its restart thread; both cost little next to the claim. Skipped during AOT processing.
 *
 * <p>Spring Boot creates one per {@code SpringApplication.run} and calls it on the thread that runs it.
 */
public final class SingleInstanceRunListener implements SpringApplicationRunListener, Ordered {

    private static final Logger log = LoggerFactory.getLogger(SingleInstanceRunListener.class);
    /** Bean name of the {@link io.github.singleinstance.PrimaryInstance} registered in the primary's contexts. */
    public static final String PRIMARY_INSTANCE_BEAN_NAME = "singleInstancePrimaryInstance";
    static final String RELAY_BEAN_NAME = "singleInstanceLaunchRelay";

    private final SpringApplication application;
    private final String[] args;
    private final UnaryOperator<@Nullable String> systemProperties;
    private final UnaryOperator<@Nullable String> environment;
    private final PrintStream out;
    private final PrintStream err;
    private final IntConsumer exit;
    private @Nullable LaunchRelay relay;
    private Backend claimedBackend = Backend.AUTO;

    /** Called by Spring Boot (registered in {@code META-INF/spring.factories}). */
    public SingleInstanceRunListener(SpringApplication application, String[] args) {
        this(application, args, System::getProperty, System::getenv, System.out, System.err, System::exit);
    }

    SingleInstanceRunListener(SpringApplication application, String[] args,
                              UnaryOperator<@Nullable String> systemProperties,
                              UnaryOperator<@Nullable String> environment, PrintStream out, PrintStream err,
                              IntConsumer exit) {
        this.application = application;
        this.args = args.clone();
        this.systemProperties = systemProperties;
        this.environment = environment;
        this.out = out;
        this.err = err;
        this.exit = exit;
    }

    @Override
    public int getOrder() {
        return 10; // after EventPublishingRunListener (0)
    }

    @Override
    public void starting(ConfigurableBootstrapContext bootstrapContext) {
        if ("true".equalsIgnoreCase(systemProperties.apply("spring.aot.processing"))) {
            return; // AOT runs main to inspect the application, not to launch it
        }
        Class<?> mainClass = application.getMainApplicationClass();
        SingleInstance annotation = mainClass == null ? null
                : AnnotationUtils.findAnnotation(mainClass, SingleInstance.class);
        if (mainClass == null || annotation == null) {
            return;
        }
        EarlySettings settings;
        try {
            settings = EarlySettings.resolve(annotation, mainClass, systemProperties, environment);
        } catch (IllegalArgumentException e) {
            err.println(mainClass.getName() + ": " + e.getMessage());
            err.flush();
            exit.accept(Claims.EX_CONFIG);
            return;
        }
        if (!settings.enabled()) {
            return;
        }
        claimedBackend = settings.backend();
        relay = Claims.claimOrExit(settings, args, out, err, exit);
    }

    @Override
    public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext,
                                    ConfigurableEnvironment environment) {
        LaunchRelay claimed = relay;
        if (claimed == null) {
            return;
        }
        log.info("Primary instance of {} (pid {}); later launches are forwarded here", claimed.primary().id(),
                ProcessHandle.current().pid());
        String configuredId = environment.getProperty("single-instance.id");
        if (configuredId != null && !configuredId.equals(claimed.primary().id())) {
            log.warn("single-instance.id={} is read too late for the claim, which used id={}: set it with "
                    + "-Dsingle-instance.id, SINGLE_INSTANCE_ID or @SingleInstance(id = ...)", configuredId,
                    claimed.primary().id());
        }
        String configuredBackend = environment.getProperty("single-instance.backend");
        if (configuredBackend != null && !configuredBackend.strip().equalsIgnoreCase(claimedBackend.name())) {
            log.warn("single-instance.backend={} is read too late for the claim, which used backend={}: set it with "
                    + "-Dsingle-instance.backend, SINGLE_INSTANCE_BACKEND or @SingleInstance(backend = ...)",
                    configuredBackend, claimedBackend.name().toLowerCase(java.util.Locale.ROOT));
        }
        if ("false".equalsIgnoreCase(environment.getProperty("single-instance.enabled"))) {
            log.warn("single-instance.enabled=false is read too late, the claim is made: set it with "
                    + "-Dsingle-instance.enabled=false or SINGLE_INSTANCE_ENABLED=false");
        }
    }

    @Override
    public void contextPrepared(ConfigurableApplicationContext context) {
        LaunchRelay claimed = relay;
        if (claimed != null) {
            // Registered singletons get no destroy callback: closing a context (a DevTools restart) keeps the claim.
            context.getBeanFactory().registerSingleton(PRIMARY_INSTANCE_BEAN_NAME, claimed.primary());
            context.getBeanFactory().registerSingleton(RELAY_BEAN_NAME, claimed);
        }
    }

    @Override
    public void failed(@Nullable ConfigurableApplicationContext context, Throwable exception) {
        LaunchRelay claimed = relay;
        if (claimed != null) {
            log.debug("application failed to start; releasing the claim of id={}", claimed.primary().id());
            claimed.close();
        }
    }
}
