package io.github.singleinstance.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * For tests that play another user (chown to another uid): they need root. Skipped elsewhere, with the reason; under
 * {@code CI=true} a missing root fails the test instead, since CI runs as root and a skipped check proves nothing.
 */
public final class RootOnly {

    private RootOnly() {}

    public static void assume() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run as root: this test plays another user with chown");
        }
        Assumptions.assumeTrue(root, "needs root to play another user (CI runs as root)");
    }
}
