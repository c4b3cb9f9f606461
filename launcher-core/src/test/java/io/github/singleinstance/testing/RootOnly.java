package io.github.singleinstance.testing;

import io.github.singleinstance.testsupport.TestEnvironment;

/**
 * For tests that play another user (chown to another uid): they need root. Skipped elsewhere (a GitHub runner, a
 * developer's account), with the reason; in strict mode ({@link TestEnvironment}) a missing root fails the test
 * instead, since the project's CI runs as root and a skipped check proves nothing there.
 */
public final class RootOnly {

    private RootOnly() {}

    public static void assume() {
        TestEnvironment.requireOrSkip(
                "root".equals(System.getProperty("user.name")), "needs root to play another user with chown");
    }
}
