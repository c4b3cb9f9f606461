package io.github.singleinstance.internal;

import io.github.singleinstance.Backend;
import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.Launch;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim: become the primary or forward this launch. Runs on the launching thread.
 *
 * <pre>
 * open claim object (create if absent) --> lock won?  --yes--> name still ours? --yes--> PRIMARY
 *                                             |                      \--no (a primary just unlinked it)--> start over
 *                                             \--no (a live primary holds it)--> forward --> reply
 *                                                                                   \--primary went away--> start over
 * </pre>
 * Whoever holds the kernel lock on the named object is the primary, whoever created the object: two launches racing
 * at the same moment cannot both win, and the lock of a dead primary is free (FACTS.md).
 */
public final class Claimer {

    /** Start-overs allowed when primaries keep going away under this launch; each gets a fresh forward timeout. */
    static final int MAX_ATTEMPTS = 20;

    private Claimer() {
    }

    /** Claims for {@code config}, starting on the backend {@code choice} forwards through. */
    public static ClaimResult claim(Backend choice, LaunchConfig config, List<String> args) {
        return claim(OsBackends.forwarding(choice), choice, config, args);
    }

    /**
     * Claims through {@code os}; a launch that wins becomes the primary on {@code OsBackends.of(choice)}, which must
     * see the same objects (else the launch starts over on that backend: auto on Linux where JNA cannot load).
     */
    static ClaimResult claim(OsBackend os, Backend choice, LaunchConfig config, List<String> args) {
        Launch launch = null;
        InstanceKey key = null;
        byte[] payload = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (key == null) {
                refuseMachineWideScopeWithout(os, config);
                key = InstanceKey.of(config.id(), config.scope(), os.userTag(), os.sessionTag());
                launch = new Launch(args, config.workingDirectory(), os.pid(), Instant.now(), config.additionalData());
            }
            ClaimHandle claim = os.openClaim(key.claimName());
            boolean primary = false;
            try {
                if (claim.tryLock()) {
                    if (!claim.stillNamed()) {
                        continue; // we locked an object its primary unlinked while shutting down
                    }
                    OsBackend primaryOs = OsBackends.of(choice);
                    if (!os.sharesObjectsWith(primaryOs)) {
                        if (claim.created()) {
                            claim.unlink();
                        }
                        os = primaryOs;
                        key = null;
                        payload = null;
                        continue;
                    }
                    primary = true;
                    return new ClaimResult.Primary(PrimaryRole.start(primaryOs, claim, key, config));
                }
                if (payload == null) {
                    payload = LaunchCodec.encode(launch);
                }
                long deadline = System.nanoTime() + config.forwardTimeout().toNanos();
                Forwarder.Outcome outcome = new Forwarder(os, claim, key, config, deadline).forward(payload);
                if (outcome instanceof Forwarder.Replied replied) {
                    return new ClaimResult.Forwarded(replied.reply(), replied.primaryPid());
                }
                log().debug("the primary of id={} went away during attempt {}; claiming again", config.id(), attempt);
            } finally {
                if (!primary) {
                    claim.close();
                }
            }
        }
        throw new SingleInstanceException("gave up after " + MAX_ATTEMPTS + " attempts: primaries of " + config.id()
                + " kept going away while this launch was forwarded. Nothing was delivered; launch again.", 75);
    }

    private static void refuseMachineWideScopeWithout(OsBackend os, LaunchConfig config) {
        if (config.scope() == Scope.SYSTEM && !os.machineWide()) {
            throw new SingleInstanceException("Scope.SYSTEM needs objects that every user of the machine sees; the "
                    + "backend in use (portable; or posix on macOS, whose claim is a lock file) keeps them in a "
                    + "per-user directory. Use Scope.USER or Scope.SESSION, or the posix backend on Linux.", 69);
        }
    }

    /**
     * The logger, created on first use: a second launch that logs nothing never initialises the logging backend
     * (Logback alone loads some 400 classes), which keeps the hot path of a second launch short.
     */
    private static Logger log() {
        return LoggerFactory.getLogger(Claimer.class);
    }
}
