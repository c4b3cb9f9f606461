package io.github.singleinstance.spring;

import io.github.singleinstance.Backend;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.ClaimFiles;
import io.github.singleinstance.spring.boot3.SpringBoot3RunListener;
import java.io.PrintStream;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Claims the application in {@code starting}, Spring Boot's earliest hook, when its main class carries
 * {@link SingleInstance}: a second launch forwards, prints the reply and exits there, before the banner, the logging
 * system's start and any context. In the primary it hands the claim to the context as beans. A claim the fast launcher
 * of the executable jar made before Spring loaded is adopted by this claim (the core takes it over when it opens the
 * same claim file); one this claim did not adopt is let go of here.
 *
 * <p>One class for Spring Boot 3.5 and 4.x: Boot 4 moved {@code ConfigurableBootstrapContext} to
 * {@code org.springframework.boot.bootstrap}, so {@code starting} and {@code environmentPrepared} have one signature
 * per line. Boot 4's are here; Boot 3.5's are in {@link SpringBoot3RunListener}, compiled against Boot 3.5 in
 * the spring-boot3-support module. Both call {@link #claim()} and {@link #environmentPrepared(ConfigurableEnvironment)}.
 * An annotated application on any other Spring Boot fails to start ({@link SupportedSpringBoot}), and so does one
 * whose Spring Boot never called the claim hook ({@link #contextPrepared}): it never runs unclaimed.
 *
 * <p>Ordered just after Spring Boot's own {@code EventPublishingRunListener}, so that the logging system has been
 * silenced until configured (the core's debug lines do not leak to the console) and DevTools has moved the
 * application onto its restart thread; both cost little next to the claim. Skipped during AOT processing.
 *
 * <p>Spring Boot creates one per {@code SpringApplication.run} and calls it on the thread that runs it.
 */
// javac's "overloads" lint (Java 21+) compares starting(...) with the inherited Boot 3.5 overload, whose parameter type
// is not on this module's compile classpath (Boot 4's), and fails to compile; the other checks do not need it.
@SuppressWarnings("overloads")
public final class SingleInstanceRunListener extends SpringBoot3RunListener
        implements SpringApplicationRunListener, Ordered {

    private static final Logger log = LoggerFactory.getLogger(SingleInstanceRunListener.class);
    /** Bean name of the {@link io.github.singleinstance.PrimaryInstance} registered in the primary's contexts. */
    public static final String PRIMARY_INSTANCE_BEAN_NAME = "singleInstancePrimaryInstance";

    static final String RELAY_BEAN_NAME = "singleInstanceLaunchRelay";

    private final String[] args;
    private final UnaryOperator<@Nullable String> systemProperties;
    private final UnaryOperator<@Nullable String> environment;
    private final PrintStream out;
    private final PrintStream err;
    private final IntConsumer exit;
    private final @Nullable String springBootVersion;
    /** The main class, if it carries the annotation and this is no AOT processing run: it claims. */
    private final @Nullable Class<?> mainClass;

    private final @Nullable SingleInstance annotation;
    private boolean claimHookCalled;
    private @Nullable LaunchRelay relay;
    private Backend claimedBackend = Backend.AUTO;

    /**
     * Called by Spring Boot (registered in {@code META-INF/spring.factories}).
     *
     * @throws IllegalStateException if the main class carries {@link SingleInstance}, the claim is not disabled and
     *     this Spring Boot is not one the starter supports
     */
    public SingleInstanceRunListener(SpringApplication application, String[] args) {
        this(
                application,
                args,
                System::getProperty,
                System::getenv,
                System.out,
                System.err,
                System::exit,
                SpringBootVersion.getVersion());
    }

    SingleInstanceRunListener(
            SpringApplication application,
            String[] args,
            UnaryOperator<@Nullable String> systemProperties,
            UnaryOperator<@Nullable String> environment,
            PrintStream out,
            PrintStream err,
            IntConsumer exit,
            @Nullable String springBootVersion) {
        this.args = args.clone();
        this.systemProperties = systemProperties;
        this.environment = environment;
        this.out = out;
        this.err = err;
        this.exit = exit;
        this.springBootVersion = springBootVersion;
        // AOT runs main to inspect the application, not to launch it.
        boolean aot = "true".equalsIgnoreCase(systemProperties.apply("spring.aot.processing"));
        Class<?> main = application.getMainApplicationClass();
        SingleInstance found = aot || main == null ? null : AnnotationUtils.findAnnotation(main, SingleInstance.class);
        this.mainClass = found == null ? null : main;
        this.annotation = found;
        if (main != null && found != null && EarlySettings.enabled(systemProperties, environment)) {
            // Here, not in starting: on an unsupported Spring Boot, starting may never be called.
            SupportedSpringBoot.require(springBootVersion, main);
        }
    }

    @Override
    public int getOrder() {
        return 10; // after EventPublishingRunListener (0)
    }

    /** Spring Boot 4's {@code starting}: {@link #claim()}. Spring Boot 3.5 calls the inherited one. */
    @Override
    public void starting(ConfigurableBootstrapContext bootstrapContext) {
        claim();
    }

    /** Spring Boot 4's {@code environmentPrepared}. Spring Boot 3.5 calls the inherited one. */
    @Override
    public void environmentPrepared(
            ConfigurableBootstrapContext bootstrapContext, ConfigurableEnvironment environment) {
        environmentPrepared(environment);
    }

    @Override
    protected void claim() {
        claimHookCalled = true;
        try {
            claimIfAnnotated();
        } finally {
            letGoOfUnadoptedHandover();
        }
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

    private void claimIfAnnotated() {
        Class<?> mainClass = this.mainClass;
        SingleInstance annotation = this.annotation;
        if (mainClass == null || annotation == null) {
            return;
        }
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

    @Override
    protected void environmentPrepared(ConfigurableEnvironment environment) {
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

    /**
     * Registers the claim as beans. Fails if the main class carries {@link SingleInstance} but the claim hook never
     * ran: a Spring Boot that calls neither line's {@code starting} would otherwise run the application unclaimed.
     */
    @Override
    public void contextPrepared(ConfigurableApplicationContext context) {
        if (annotation != null && !claimHookCalled) {
            throw new IllegalStateException("Spring Boot " + springBootVersion + " never called the run listener's "
                    + "starting hook, so " + mainClass.getName() + " could not claim its single instance; not "
                    + "starting it unclaimed. single-instance-spring-boot-starter supports "
                    + SupportedSpringBoot.SUPPORTED + ".");
        }
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
            log.debug(
                    "application failed to start; releasing the claim of id={}",
                    claimed.primary().id());
            claimed.close();
        }
    }
}
