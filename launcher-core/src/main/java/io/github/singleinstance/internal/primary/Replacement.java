package io.github.singleinstance.internal.primary;

import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.wire.ClaimHeader;

/**
 * A launch asked this primary to hand over ({@code --replace}): runs the application's replace action, or, without
 * one, closes the instance and exits 0 (the documented default of {@code PrimaryInstance.onReplace}). An action that
 * returns without closing the instance refuses the replacement: the request is withdrawn and the header READY again,
 * so the replacing launch fails at once. Runs on its own thread, {@code single-instance-replace}.
 */
final class Replacement implements Runnable {
    private final PrimaryRole role;
    private final ClaimHandle claim;
    /** The application's action; null for the default. */
    private final Runnable action;

    Replacement(PrimaryRole role, ClaimHandle claim, Runnable action) {
        this.role = role;
        this.claim = claim;
        this.action = action;
    }

    @Override
    public void run() {
        try {
            if (action == null) {
                role.close();
                System.exit(0); // the documented default of PrimaryInstance.onReplace
            }
            action.run();
        } catch (RuntimeException | Error e) {
            PrimaryRole.log().warn("the replace action of id={} failed", role.id(), e);
        }
        if (!role.closing()) { // the application kept running: refuse, so the replacing launch fails at once
            PrimaryRole.log()
                    .warn(
                            "the replace action of id={} returned without closing the instance: refusing the "
                                    + "replacement",
                            role.id());
            ClaimHeader.requestReplace(claim, 0);
            ClaimHeader.setState(claim, ClaimHeader.STATE_READY);
            role.replacementRefused();
        }
    }
}
