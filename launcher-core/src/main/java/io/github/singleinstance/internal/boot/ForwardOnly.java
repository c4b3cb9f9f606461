package io.github.singleinstance.internal.boot;

import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.Reply;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.claim.Claimer;
import io.github.singleinstance.internal.settings.EffectiveSettings;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.settings.SettingsReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The entry point of a launcher that runs before the application loads (the Spring Boot fast launcher): forwards this
 * launch if a primary holds the claim, printing its reply; otherwise says so, and the application starts, having let
 * go of everything (the application claims as usual), or, asked to hand over, having claimed for the application
 * ({@link io.github.singleinstance.internal.claim.ClaimHandover}: the application's copy of this library adopts the
 * claim when it claims). It reads the settings as the application's run listener does ({@link SettingsReader}), from
 * this process's system properties and environment and the annotation attributes the launcher read from the class
 * file. Called with JDK types only, from a class loader that holds this library and nothing else: the path it takes
 * loads no logging backend and no native code (it logs only when a primary dies under a launch, or the runtime
 * directory is refused).
 *
 * <p>How the launcher calls it without core reflection ({@code Method.invoke} spins method handles on first use: some
 * 30 ms of a second launch on Java 25): its class loader implements {@code Consumer<Object>}; initialising this class
 * hands that loader an instance, a {@code ToIntFunction<Map<String, Object>>} the launcher calls through the JDK's
 * interface ({@link #applyAsInt}) with the named arguments below. The two copies of this library (the launcher's and
 * the application's) share no class, so the contract is JDK types; the launcher compiles against these constants
 * (inlined: it loads no class of this library itself). Loaded by any other class loader, it hands nothing to anyone.
 * Called once, on the launcher's main thread.
 */
public final class ForwardOnly implements ToIntFunction<Map<String, Object>> {

    /** Returned by {@link #forward} when no primary holds the claim: start the application. */
    public static final int NO_PRIMARY = -1;
    /** Argument: this launch's command-line arguments, a {@code String[]}. */
    public static final String ARGS = "args";
    /** Argument: the application's main class name, a {@code String}: the id unless one is set or declared. */
    public static final String MAIN_CLASS = "mainClass";
    /**
     * Argument: the {@code @SingleInstance} attributes written on the main class, a {@code Map<String, String>} by
     * attribute name, values as text (enum constants by name, arrays comma-separated).
     */
    public static final String DECLARED = "declared";
    /** Argument: a {@code Boolean}, whether a launch that finds no primary claims for the application first. */
    public static final String HAND_OVER = "handOver";
    /** How refusals name a declared value: {@code @SingleInstance(forwardTimeout)}, as the run listener names it. */
    public static final String DECLARED_BY = "@SingleInstance";

    static {
        if (ForwardOnly.class.getClassLoader() instanceof Consumer<?> launcher) {
            @SuppressWarnings("unchecked")
            Consumer<Object> receiver = (Consumer<Object>) launcher;
            receiver.accept(new ForwardOnly());
        }
    }

    private ForwardOnly() {}

    /** {@link #forward}, its arguments named by this class's constants. */
    @Override
    @SuppressWarnings("unchecked")
    public int applyAsInt(Map<String, Object> arguments) {
        return forward(
                (String[]) arguments.get(ARGS),
                (String) arguments.get(MAIN_CLASS),
                (Map<String, String>) arguments.get(DECLARED),
                Boolean.TRUE.equals(arguments.get(HAND_OVER)));
    }

    /**
     * Forwards {@code args} to the primary (settings read by {@link SettingsReader#ofThisProcess()} over
     * {@code declared}), prints its reply (standard output for exit code 0, else standard error) and returns its exit
     * code; a launch that could not be delivered prints {@code id: why} on standard error and returns the failure's
     * exit code; a malformed setting prints its one line and returns 78. Returns {@link #NO_PRIMARY} if no primary
     * holds the claim, or the claim is disabled, or this launch asks to replace the primary, having printed nothing.
     *
     * @param handOver whether a launch that finds no primary claims before returning {@link #NO_PRIMARY}, and hands
     *     the claim to the application's copy of this library in this JVM, which adopts it when it claims (see
     *     {@code ClaimHandover}: the JVM-wide key, and what happens if the application never claims); launches that
     *     come meanwhile wait for the application to start instead of starting it too
     */
    public static int forward(String[] args, String mainClass, Map<String, String> declared, boolean handOver) {
        SettingsReader reader = SettingsReader.ofThisProcess();
        EffectiveSettings settings;
        try {
            if (!reader.enabled()) {
                return NO_PRIMARY;
            }
            settings = reader.resolve(declared, DECLARED_BY);
        } catch (SingleInstanceException malformed) {
            System.err.println(malformed.getMessage());
            System.err.flush();
            return malformed.exitCode();
        }
        if (settings.replace()) {
            return NO_PRIMARY; // the application's run listener asks the primary to hand over
        }
        String id = settings.id() != null ? settings.id() : mainClass;
        LaunchConfig config = settings.launchConfig(
                id, new byte[0], Path.of(System.getProperty("user.dir")).toAbsolutePath());
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
