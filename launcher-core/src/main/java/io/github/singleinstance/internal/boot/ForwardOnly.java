package io.github.singleinstance.internal.boot;

import io.github.singleinstance.Backend;
import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.Reply;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.claim.Claimer;
import io.github.singleinstance.internal.settings.LaunchConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The entry point of a launcher that runs before the application loads (the Spring Boot fast launcher): forwards this
 * launch if a primary holds the claim, printing its reply; otherwise says so, and the application starts, having let
 * go of everything (the application claims as usual), or, asked to hand over, having claimed for the application
 * ({@link ClaimHandover}: the application's copy of this library adopts the claim when it claims). Called with JDK types only, from a class loader that holds
 * this library and nothing else: the path it takes loads no logging backend and no native code (it logs only when a
 * primary dies under a launch, or the runtime directory is refused).
 *
 * <p>How the launcher calls it without core reflection ({@code Method.invoke} spins method handles on first use: some
 * 30 ms of a second launch on Java 25): its class loader implements {@code Consumer<Object>}; initialising this class
 * hands that loader an instance, a {@code ToIntFunction<Object[]>} the launcher calls through the JDK's interface
 * ({@link #applyAsInt}). Loaded by any other class loader, it hands nothing to anyone.
 */
public final class ForwardOnly implements ToIntFunction<Object[]> {

    /** Returned by {@link #forward} when no primary holds the claim: start the application. */
    public static final int NO_PRIMARY = -1;

    static {
        if (ForwardOnly.class.getClassLoader() instanceof Consumer<?> launcher) {
            @SuppressWarnings("unchecked")
            Consumer<Object> receiver = (Consumer<Object>) launcher;
            receiver.accept(new ForwardOnly());
        }
    }

    private ForwardOnly() {}

    /**
     * {@link #forward}, its arguments in an array: {@code id, scope, forwardTimeout, totalTimeout, backend, args,
     * forwardStandardInput, forwardEnvironment} (String, String, Duration, Duration, String, String[], Boolean,
     * String), optionally followed by {@code handOver} (Boolean; absent means false).
     */
    @Override
    public int applyAsInt(Object[] a) {
        return forward(
                (String) a[0],
                (String) a[1],
                (Duration) a[2],
                (Duration) a[3],
                (String) a[4],
                (String[]) a[5],
                (Boolean) a[6],
                (String) a[7],
                a.length > 8 && Boolean.TRUE.equals(a[8]));
    }

    /**
     * Forwards {@code args} to the primary of {@code id} (settings already resolved, overrides applied), prints its
     * reply (standard output for exit code 0, else standard error) and returns its exit code; a launch that could not
     * be delivered prints {@code id: why} on standard error and returns the failure's exit code. Returns
     * {@link #NO_PRIMARY} if no primary holds the claim, having printed nothing.
     *
     * @param scope {@code user}, {@code session} or {@code system}
     * @param backend a {@link Backend} name ({@code auto}, {@code posix}, {@code portable}, {@code windows})
     * @param forwardEnvironment variable names comma-separated, {@code *} for all, empty for none
     * @param handOver whether a launch that finds no primary claims before returning {@link #NO_PRIMARY}, and hands
     *     the claim to the application's copy of this library in this JVM, which adopts it when it claims (see
     *     {@code ClaimHandover}: the JVM-wide key, and what happens if the application never claims); launches that
     *     come meanwhile wait for the application to start instead of starting it too
     */
    public static int forward(
            String id,
            String scope,
            Duration forwardTimeout,
            Duration totalTimeout,
            String backend,
            String[] args,
            boolean forwardStandardInput,
            String forwardEnvironment,
            boolean handOver) {
        Set<String> variables = new HashSet<>();
        for (String name : forwardEnvironment.split(",")) {
            if (!name.isBlank()) {
                variables.add(name.strip());
            }
        }
        boolean allVariables = variables.remove("*");
        LaunchConfig config = new LaunchConfig(
                id,
                Scope.valueOf(scope.strip().toUpperCase(Locale.ROOT)),
                forwardTimeout,
                totalTimeout.compareTo(forwardTimeout) < 0 ? forwardTimeout : totalTimeout,
                false,
                LaunchConfig.defaultRingCapacity(),
                new byte[0],
                Path.of(System.getProperty("user.dir")).toAbsolutePath(),
                Backend.parse(backend),
                forwardStandardInput,
                allVariables,
                allVariables ? Set.of() : variables);
        ClaimResult.Forwarded forwarded;
        try {
            forwarded = Claimer.forwardIfClaimed(config, List.of(args), handOver);
        } catch (SingleInstanceException e) {
            System.err.println(id + ": " + e.getMessage());
            System.err.flush();
            return e.exitCode();
        }
        if (forwarded == null) {
            return NO_PRIMARY;
        }
        Reply reply = forwarded.reply();
        if (!reply.message().isEmpty()) {
            (reply.exitCode() == 0 ? System.out : System.err).println(reply.message());
        }
        System.out.flush();
        System.err.flush();
        return reply.exitCode();
    }
}
