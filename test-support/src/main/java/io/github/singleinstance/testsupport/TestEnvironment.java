package io.github.singleinstance.testsupport;

import org.junit.jupiter.api.Assumptions;

/**
 * The one place where a test decides to skip: every skip of this build's tests goes through here, so that one switch
 * turns the skips that depend on the machine into failures.
 *
 * <p>Two kinds of skip:
 *
 * <ul>
 *   <li>{@link #requireOrSkip(boolean, String)}: the test needs something a machine may lack (root, bubblewrap, an X
 *       server, Chromium, {@code /proc}, a C compiler, a mount namespace). Skipped where it is missing, with the
 *       reason; in strict mode a failure instead, since there a skipped check proves nothing.
 *   <li>{@link #applicableOnlyIf(boolean, String)}: the test does not apply to this configuration by design (the
 *       backend under test, the Java version, the file system's kind of permissions). Skipped with the reason, strict
 *       or not: no machine could run it in this configuration.
 * </ul>
 *
 * <p>Strict mode is on when the environment variable {@value #STRICT} is {@code true}; the project's own CI
 * ({@code .ci/run}, as root on a machine with every test tool) exports it. {@code CI=true}, which GitHub Actions and
 * most CI systems set, does not switch it on: a GitHub runner is not root and lacks most of the tools.
 *
 * <p>Usage, at the start of a test or in its {@code @BeforeEach}/{@code @BeforeAll}:
 *
 * <pre>{@code
 * TestEnvironment.requireOrSkip(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bwrap is not installed");
 * TestEnvironment.applicableOnlyIf(Runtime.version().feature() >= 22, "Java 22+ only");
 * }</pre>
 */
public final class TestEnvironment {

    /** The environment variable that switches strict mode on ({@code true}). */
    public static final String STRICT = "SINGLE_INSTANCE_TEST_STRICT";

    private TestEnvironment() {}

    /** True if {@value #STRICT} is {@code true}: a test that misses something it needs fails instead of skipping. */
    public static boolean strict() {
        return "true".equals(System.getenv(STRICT));
    }

    /**
     * Continues the test if {@code available}; otherwise skips it with {@code reason} (a JUnit assumption), or, in
     * {@link #strict() strict mode}, fails it with an {@link AssertionError} that names the reason and the flag.
     *
     * @param available whether this machine has what the test needs
     * @param reason what is missing and, if useful, how to get it: {@code "bwrap is not installed (apt-get install
     *     bubblewrap)"}
     */
    public static void requireOrSkip(boolean available, String reason) {
        requireOrSkip(strict(), available, reason);
    }

    /** {@link #requireOrSkip(boolean, String)} with the mode given (the environment cannot change in a test). */
    static void requireOrSkip(boolean strict, boolean available, String reason) {
        if (available) {
            return;
        }
        if (strict) {
            throw new AssertionError(
                    "not skipped, since " + STRICT + "=true (every test must run on this machine): " + reason);
        }
        Assumptions.abort("skipped: " + reason);
    }

    /**
     * Continues the test if it {@code applies} to this configuration; otherwise skips it with {@code reason}, in strict
     * mode too. Not for a tool or permission a machine may lack: that is {@link #requireOrSkip(boolean, String)}.
     */
    public static void applicableOnlyIf(boolean applies, String reason) {
        Assumptions.assumeTrue(applies, reason);
    }
}
