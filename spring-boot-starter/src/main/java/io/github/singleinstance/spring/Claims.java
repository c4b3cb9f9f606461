package io.github.singleinstance.spring;

import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.PrimaryInstance;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.settings.EffectiveSettings;
import io.github.singleinstance.internal.settings.SettingGrammar;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;

/**
 * The claims of this JVM, by application id, so that a second {@code SpringApplication.run} in the same JVM (a
 * DevTools restart, a test that runs the application twice) reuses the claim instead of forwarding to itself.
 *
 * <p>Thread-safe; normally called from the thread that runs {@code SpringApplication.run}.
 */
final class Claims {

    private static final Logger log = LoggerFactory.getLogger(Claims.class);
    /** EX_CONFIG: an override or annotation attribute is malformed. */
    static final int EX_CONFIG = SettingGrammar.EX_CONFIG;

    private static final Map<String, LaunchRelay> RELAYS = new ConcurrentHashMap<>();

    private Claims() {}

    /**
     * This JVM's relay for {@code settings}' id, claiming it if there is none; or, when another process is the
     * primary, forwards {@code args}, prints the reply to {@code out} / {@code err} and calls {@code exit} with its
     * code. Returns null only if {@code exit} returns (in tests).
     */
    static synchronized @Nullable LaunchRelay claimOrExit(
            EarlySettings settings, String[] args, PrintStream out, PrintStream err, IntConsumer exit) {
        EffectiveSettings effective = Objects.requireNonNull(settings.effective(), "claiming while disabled");
        io.github.singleinstance.SingleInstance.Builder builder = io.github.singleinstance.SingleInstance.builder()
                .id(settings.id())
                .scope(effective.scope())
                .backend(effective.backend())
                .forwardTimeout(effective.forwardTimeout())
                .totalTimeout(effective.totalTimeout())
                .ringCapacity(effective.ringCapacity())
                .forwardStandardInput(effective.forwardStandardInput());
        if (effective.forwardAllVariables()) {
            builder.forwardAllEnvironment();
        } else {
            builder.forwardEnvironment(effective.forwardedVariables().toArray(String[]::new));
        }
        io.github.singleinstance.SingleInstance instance = builder.build(); // the same reader: overrides agree
        ClaimResult result;
        try {
            LaunchRelay existing = RELAYS.get(instance.id());
            if (existing != null) {
                log.debug("reusing this JVM's claim of id={}", instance.id());
                return existing;
            }
            result = instance.claim(args);
        } catch (SingleInstanceException e) {
            return fail(err, exit, settings.id() + ": " + e.getMessage(), e.exitCode());
        }
        if (result instanceof ClaimResult.Primary primary) {
            return register(primary.instance(), settings, instance.totalTimeout());
        }
        Reply reply = ((ClaimResult.Forwarded) result).reply();
        if (!reply.message().isEmpty()) {
            (reply.exitCode() == 0 ? out : err).println(reply.message());
        }
        out.flush();
        err.flush();
        exit.accept(reply.exitCode());
        return null;
    }

    private static LaunchRelay register(PrimaryInstance primary, EarlySettings settings, Duration totalTimeout) {
        Duration bound = totalTimeout.multipliedBy(3).dividedBy(4);
        Duration wanted = Objects.requireNonNull(settings.effective()).startupReplyTimeout();
        Duration startupReplyTimeout = wanted.compareTo(bound) < 0 ? wanted : bound;
        String id = primary.id();
        LaunchRelay[] self = new LaunchRelay[1];
        LaunchRelay relay = new LaunchRelay(primary, startupReplyTimeout, () -> RELAYS.remove(id, self[0]));
        self[0] = relay;
        RELAYS.put(id, relay);
        primary.onLaunchAsync(relay);
        // Spring's shutdown hook runs this after the contexts closed; the core's own hook may come first: close() is
        // idempotent, so whichever runs first closes, once.
        SpringApplication.getShutdownHandlers().add(relay::close);
        return relay;
    }

    private static @Nullable LaunchRelay fail(PrintStream err, IntConsumer exit, String message, int exitCode) {
        err.println(message);
        err.flush();
        exit.accept(exitCode);
        return null;
    }

    /** This JVM's relay for {@code id}, if it holds the claim. */
    static @Nullable LaunchRelay find(String id) {
        return RELAYS.get(id);
    }
}
