package io.github.singleinstance.internal.claim;

import io.github.singleinstance.Backend;
import io.github.singleinstance.ClaimResult;
import io.github.singleinstance.ForwardTimeoutException;
import io.github.singleinstance.IncompatiblePrimaryException;
import io.github.singleinstance.Launch;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.OsBackend;
import io.github.singleinstance.internal.os.OsBackends;
import io.github.singleinstance.internal.primary.PrimaryRole;
import io.github.singleinstance.internal.sender.Forwarder;
import io.github.singleinstance.internal.sender.Liveness;
import io.github.singleinstance.internal.sender.OutgoingLaunch;
import io.github.singleinstance.internal.settings.LaunchConfig;
import io.github.singleinstance.internal.wire.ClaimHeader;
import io.github.singleinstance.internal.wire.InstanceKey;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The claim: become the primary or forward this launch. Runs on the launching thread.
 *
 * <pre>
 * open claim file (create if absent) --> lock won? --yes--> name still ours? --yes--> PRIMARY (header written at once)
 *                                          |                     \--no (removed by hand meanwhile)--> start over
 *                                          \--no: read the claim's frozen header
 *                                               replace asked? --yes--> ask the holder to hand over, wait --> start over
 *                                               other protocol version? --yes--> exit 69, nothing sent
 * *                                               forward (through the backend of the primary's doorbell kind) --> reply
 *                                                  \--primary went away--> start over
 * </pre>
 * Whoever holds the kernel lock on the claim file is the primary, whoever created the file: two launches racing at
 * the same moment cannot both win, and the lock of a dead primary is free. A launch never becomes a second primary
 * because versions differ: the claim's name and header never change between versions. Every wait is bounded by the
 * total timeout; a silent primary fails a wait after the forward timeout.
 */
public final class Claimer {

    /** Start-overs allowed when primaries keep going away under this launch (the total timeout bounds them too). */
    static final int MAX_ATTEMPTS = 20;

    private static final long REPLACE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private Claimer() {}

    /** Claims for {@code config}. */
    public static ClaimResult claim(LaunchConfig config, List<String> args) {
        return claim(OsBackends.forwarding(config.backend(), config.scope()), config, args, CLAIM);
    }

    /**
     * Forwards {@code args} if a primary holds the claim of {@code config}; returns null, having let go of everything
     * it opened (and removed a claim file it created), if none does: the caller then claims as usual. Never becomes
     * the primary. Used by launchers that run before the application loads ({@code boot.ForwardOnly}). With
     * {@code handOver}, a launch that finds no primary claims
     * instead, and hands the claim to the application's copy of this library in this JVM ({@link ClaimHandover}),
     * before returning null: launches that come while the application starts wait for it rather than start it too.
     * Where the claim cannot be handed over (a backend whose claim is no {@code ClaimFiles} file: windows), it lets go
     * of it as without {@code handOver}.
     */
    public static ClaimResult.Forwarded forwardIfClaimed(LaunchConfig config, List<String> args, boolean handOver) {
        return (ClaimResult.Forwarded) claim(
                OsBackends.forwarding(config.backend(), config.scope()),
                config,
                args,
                handOver ? FORWARD_OR_HAND_OVER : FORWARD_ONLY);
    }

    private static final int CLAIM = 0;
    private static final int FORWARD_ONLY = 1;
    private static final int FORWARD_OR_HAND_OVER = 2;

    private static ClaimResult claim(OsBackend os, LaunchConfig config, List<String> args, int mode) {
        long start = System.nanoTime();
        long totalDeadline = start + config.totalTimeout().toNanos();
        Launch launch = null;
        InstanceKey key = null;
        OutgoingLaunch outgoing = null;
        boolean replace = config.replace();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (key == null) {
                refuseMachineWideScopeWithout(os, config);
                String session = InstanceKey.namesSession(config.scope()) ? os.sessionTag() : null;
                key = InstanceKey.of(config.id(), config.scope(), os.userTag(), session);
                launch = new Launch(args, config.workingDirectory(), os.pid(), Instant.now(), config.additionalData());
            }
            ClaimHandle claim = os.openClaim(key.claimName());
            boolean primary = false;
            try {
                if (claim.tryLock()) {
                    if (mode == FORWARD_OR_HAND_OVER) {
                        if (!claim.stillNamed()) {
                            continue; // we locked a file its primary removed while shutting down
                        }
                        Heartbeat heartbeat = Heartbeat.start(claim, os.pid());
                        if (ClaimHandover.publish(
                                claim, heartbeat, config.forwardTimeout().toNanos())) {
                            primary = true; // the handle is the hand-over's now: the finally must not close it
                            return null;
                        }
                        heartbeat.stop(); // cannot be handed over: as forward-only, let go of it
                    }
                    if (mode != CLAIM) {
                        return null; // no primary: the caller claims (the finally lets go of the lock)
                    }
                    if (!claim.stillNamed()) {
                        continue; // we locked a file its primary removed while shutting down
                    }
                    // show progress at once: loading the primary's backend (JNA) can take seconds on a loaded machine
                    Heartbeat heartbeat = Heartbeat.start(claim, os.pid());
                    if (setsUpInBackground(config)) {
                        primary = true;
                        return new ClaimResult.Primary(PrimaryRole.startInBackground(
                                new BackendSharingObjects(os, config), claim, heartbeat, key, config));
                    }
                    OsBackend primaryOs;
                    try {
                        primaryOs = OsBackends.of(config.backend(), config.scope());
                    } catch (RuntimeException e) {
                        heartbeat.stop();
                        throw e;
                    }
                    if (!os.sharesObjectsWith(primaryOs)) {
                        heartbeat.stop();
                        os = primaryOs;
                        key = null;
                        continue;
                    }
                    primary = true;
                    return new ClaimResult.Primary(PrimaryRole.start(primaryOs, claim, heartbeat, key, config));
                }
                Liveness liveness = new Liveness(claim, config.forwardTimeout().toNanos(), totalDeadline);
                ClaimHeader.Snapshot header = liveness.readHeader();
                if (replace) {
                    replace(claim, liveness, os.pid(), config);
                    replace = false; // asked once; whoever wins the claim now, this launch claims again
                    continue;
                }
                if (header.valid() && header.protocol() != ClaimHeader.PROTOCOL_VERSION) {
                    throw new IncompatiblePrimaryException("the running instance of " + config.id() + " (pid "
                            + header.pid() + ") speaks protocol version " + header.protocol() + "; this launch speaks "
                            + "version " + ClaimHeader.PROTOCOL_VERSION + ". Nothing was sent. Stop the running "
                            + "instance, or launch this one with -Dsingle-instance.replace=true to replace it.");
                }
                if (outgoing == null) {
                    outgoing = OutgoingLaunch.of(launch, config);
                }
                Forwarder forwarder = new Forwarder(os, claim, key, config, liveness);
                Forwarder.Outcome outcome = forwarder.forward(outgoing);
                if (outcome instanceof Forwarder.Replied replied) {
                    return new ClaimResult.Forwarded(replied.reply(), replied.primaryPid());
                }
                claim.close(); // at once: a lock this handle took on a departed primary's file blocks others' waits
                if (forwarder.retriedAfterTaken()) {
                    log().warn(
                                    "the primary of id={} died while handling this launch; sending it again, so it may be "
                                            + "handled twice",
                                    config.id());
                }
                if (System.nanoTime() - totalDeadline > 0) {
                    break;
                }
                log().debug("the primary of id={} went away during attempt {}; claiming again", config.id(), attempt);
            } finally {
                if (!primary) {
                    claim.close();
                }
            }
        }
        throw new SingleInstanceException(
                "gave up: primaries of " + config.id() + " kept going away while this "
                        + "launch was forwarded (" + MAX_ATTEMPTS
                        + " attempts or the total timeout). Nothing was delivered; "
                        + "launch again.",
                75);
    }

    /**
     * Whether a new primary loads its backend and opens its channel after claimOrExit has returned: for the backends
     * that cannot fail to load (auto falls back to portable where JNA cannot load; portable is the JDK's), in the
     * per-user scopes. An explicitly chosen native backend, and Scope.SYSTEM, are set up before it returns, so that
     * their failures (exit 71, 69) reach the caller.
     */
    private static boolean setsUpInBackground(LaunchConfig config) {
        return config.scope() != Scope.SYSTEM
                && (config.backend() == Backend.AUTO || config.backend() == Backend.PORTABLE);
    }

    /**
     * The primary's backend, loaded when called; it must see the objects {@code claimedWith} claimed. A class, not a
     * lambda: no class to spin on a first launch.
     */
    private static final class BackendSharingObjects implements Supplier<OsBackend> {
        private final OsBackend claimedWith;
        private final LaunchConfig config;

        BackendSharingObjects(OsBackend claimedWith, LaunchConfig config) {
            this.claimedWith = claimedWith;
            this.config = config;
        }

        @Override
        public OsBackend get() {
            OsBackend loaded = OsBackends.of(config.backend(), config.scope());
            if (!claimedWith.sharesObjectsWith(loaded)) {
                throw new IllegalStateException("the " + config.backend() + " backend keeps its objects elsewhere "
                        + "than the claim taken: " + loaded.getClass().getSimpleName() + " vs "
                        + claimedWith.getClass().getSimpleName());
            }
            return loaded;
        }
    }

    /**
     * Asks the claim's holder to hand over (the frozen REPLACE_PID word, which every protocol version honours) and
     * waits until it lets go of the claim: its lock comes free or its claim file goes. Fails (exit 75) if the holder
     * shows no progress for the forward timeout, or at the total timeout, withdrawing the request.
     */
    private static void replace(ClaimHandle claim, Liveness liveness, long pid, LaunchConfig config) {
        long holder = liveness.header().pid();
        log().debug("asking the primary of id={} (pid {}) to hand over", config.id(), holder);
        ClaimHeader.requestReplace(claim, pid);
        while (true) {
            if (!claim.stillNamed() || claim.tryLock()) {
                return; // let go: the caller claims again (and releases this handle's lock, if taken)
            }
            liveness.readHeader();
            if (ClaimHeader.replacePid(claim) != pid && claim.stillNamed()) {
                throw new ForwardTimeoutException(
                        "the running instance of " + config.id() + " (pid " + holder
                                + ") refused to hand over (its application kept running). This launch was not delivered.",
                        false);
            }
            long now = System.nanoTime();
            if (liveness.silent(now) || liveness.pastTotal(now)) {
                ClaimHeader.requestReplace(claim, 0);
                throw new ForwardTimeoutException(
                        "the running instance of " + config.id() + " (pid " + holder
                                + ") did not hand over: it "
                                + (liveness.silent(now)
                                        ? "showed no progress for "
                                                + config.forwardTimeout().toMillis() + " ms ("
                                                + liveness.describeSilentPrimary(holder) + ")"
                                        : "was still closing at the total timeout")
                                + ". It keeps running; this launch was not "
                                + "delivered.",
                        false);
            }
            LockSupport.parkNanos(REPLACE_POLL_NANOS);
        }
    }

    static void refuseMachineWideScopeWithout(OsBackend os, LaunchConfig config) {
        if (config.scope() == Scope.SYSTEM && !os.machineWide()) {
            throw new SingleInstanceException(
                    "Scope.SYSTEM needs objects that every user of the machine sees; the "
                            + "backend in use (portable; or posix on macOS, whose claim is a lock file) keeps them in a "
                            + "per-user directory. Use Scope.USER or Scope.SESSION, or the posix backend on Linux.",
                    69);
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
