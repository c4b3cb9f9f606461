package io.github.singleinstance.spring;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a Spring Boot application single-instance. Put it on the class whose {@code main} calls
 * {@code SpringApplication.run}:
 *
 * <pre>{@code
 * @SingleInstance
 * @SpringBootApplication
 * public class ViewerApplication {
 *     public static void main(String[] args) { SpringApplication.run(ViewerApplication.class, args); }
 *
 *     @EventListener
 *     void opened(LaunchEvent launch) { launch.reply(Reply.ok("opened " + launch.getArgs())); }
 * }
 * }</pre>
 *
 * <p>The claim is made as Spring Boot starts, before the banner and before any context: a second launch forwards its
 * arguments to the running instance, prints its reply and exits with the reply's code. Only the class Spring Boot
 * reports as {@link org.springframework.boot.SpringApplication#getMainApplicationClass() main application class} is
 * looked at, so a {@code @SpringBootTest} (whose main class is the test class) never claims.
 *
 * <p>Every attribute can be overridden at launch by a system property or an environment variable (which wins over
 * the annotation; the system property wins over the environment): {@code single-instance.enabled} /
 * {@code SINGLE_INSTANCE_ENABLED}, {@code single-instance.id}, {@code single-instance.scope},
 * {@code single-instance.forward-timeout}, {@code single-instance.total-timeout}, {@code single-instance.ring-capacity},
 * {@code single-instance.startup-reply-timeout}, {@code single-instance.backend}; and, for one launch,
 * {@code single-instance.replace=true} replaces the running instance (which closes its context and exits).
 * {@code application.properties} is read too late for the claim.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SingleInstance {

    /** The application id: launches with equal ids (and scope) share one instance. Empty: the main class's name. */
    String id() default "";

    /** How far "single" reaches. */
    Scope scope() default Scope.USER;

    /**
     * How long a second launch waits without any sign of progress from the running instance (stopped or hung), like
     * {@code 5s} or {@code 500ms}. Empty: the core's default, 5 seconds.
     */
    String forwardTimeout() default "";

    /**
     * How long a second launch waits for its reply in all, however busy the running instance, like {@code 60s}.
     * Empty: the core's default, 60 seconds.
     */
    String totalTimeout() default "";

    /** The size in bytes of the launch channel, a power of two from 64 KiB to 64 MiB. 0: the core's default. */
    int ringCapacity() default 0;

    /**
     * How long a launch that arrives while the application is still starting waits for it to become ready before it
     * is answered with {@link LaunchEvent#HELD_REPLY_CODE the held reply} (and published later), like {@code 30s}.
     * At most three quarters of the total timeout are used. Empty: 30 seconds.
     */
    String startupReplyTimeout() default "";

    /** The OS layer; every launch of one application must use the same. See {@link Backend}. */
    Backend backend() default Backend.AUTO;

    /**
     * Whether a second launch offers its standard input to the running instance ({@link LaunchEvent#getIn()}). Off by
     * default; even on, input is read only as a listener reads it. Overridden by {@code single-instance.forward-stdin}.
     */
    boolean forwardStandardInput() default false;

    /**
     * The environment variables a second launch sends to the running instance
     * ({@link LaunchEvent#getSenderEnvironment()}): names, or {@code "*"} for all. None by default: an environment
     * holds secrets. Overridden by {@code single-instance.forward-environment}.
     */
    String[] forwardEnvironment() default {};
}
