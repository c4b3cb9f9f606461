package io.github.singleinstance.testing;

import io.github.singleinstance.testsupport.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For tests that read what only {@code /proc} shows (a process's open descriptors, its mappings): Linux has it, macOS
 * and Windows do not. Where it is missing such a test is skipped ({@link TestEnvironment#requireOrSkip}); what
 * {@link ProcessHandle} offers (liveness, descendants, ending a process) needs no {@code /proc}.
 */
public final class ProcFs {

    private ProcFs() {}

    public static boolean present() {
        return Files.isDirectory(Path.of("/proc/self/fd"));
    }

    /**
     * For a test whose child JVMs read their own {@code /proc}: skips it where the children run under macOS' rules
     * ({@link PlatformRules}: no {@code /proc}, by design), else as {@link #require}.
     */
    public static void requireInChildren(String what) {
        TestEnvironment.applicableOnlyIf(
                PlatformRules.childrenHaveProc() || !present(),
                "the children read " + what + " from /proc, and run here under macOS' rules, without it");
        require(what);
    }

    /** Skips the test (fails it in strict mode) where there is no {@code /proc}; {@code what} says what it reads. */
    public static void require(String what) {
        TestEnvironment.requireOrSkip(present(), "reads " + what + " from /proc, which this system does not have");
    }
}
