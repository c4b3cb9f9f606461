package io.github.singleinstance.internal.os.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.internal.os.BufferAtomics;
import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.PrivateDirectory;
import io.github.singleinstance.internal.os.Processes;
import io.github.singleinstance.internal.os.SharedSegment;
import io.github.singleinstance.testsupport.Threads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The pure-JDK sender over the objects of {@link LinuxBackend}: its ring reaches a listener asleep on the bell FIFO, its
 * wait sees a change, and it refuses what a sender must not do or use. Real second launches through it are the process
 * tests.
 */
@EnabledOnOs(OS.LINUX)
class LinuxForwardingBackendTest {

    private static final int DOORBELL = 256;
    private static final int SIZE = 4096;

    private final LinuxBackend primary = new LinuxBackend(PrivateDirectory.ofThisUser());
    private final LinuxForwardingBackend sender =
            new LinuxForwardingBackend(Processes.currentUid(), PrivateDirectory.ofThisUser());
    private final String name = "/si-t-" + UUID.randomUUID().toString().substring(0, 12);
    private final Path bell = FifoDoorbellFiles.of(primary.pathOf(name));

    @AfterEach
    void removeObjects() {
        primary.unlink(name);
    }

    @Test
    void aRingThroughTheBellWakesAListenerAsleepOnIt() throws Exception {
        try (SharedSegment owned = primary.createSegment(name, SIZE)) {
            primary.openBell(owned, DOORBELL);
            assertThat((Integer) Files.getAttribute(bell, "unix:mode") & 0170777)
                    .as("an owner-only FIFO")
                    .isEqualTo(0010600);
            CompletableFuture<Long> listener = new CompletableFuture<>();
            Thread listening = new Thread(
                    () -> {
                        long start = System.nanoTime();
                        primary.await(owned, DOORBELL, 0, TimeUnit.SECONDS.toNanos(20));
                        listener.complete(System.nanoTime() - start);
                    },
                    "bell-listener");
            listening.start();
            // wait until it has armed (it is about to sleep, or asleep): a change of the word alone then does not
            // wake it, only the bell does
            assertThat(awaitArmed(owned, TimeUnit.SECONDS.toNanos(10)))
                    .as("armed")
                    .isTrue();
            // armed, then asleep in poll(): the wake below must come through the FIFO
            Threads.awaitBlocked(listening, frame -> frame.getMethodName().equals("await"), Duration.ofSeconds(10));
            try (SharedSegment seen = sender.openSegment(name, SIZE, SIZE)) {
                BufferAtomics.getAndAddInt(seen.buffer(), DOORBELL, 1);
                sender.wakeAll(seen, DOORBELL);
                assertThat(Duration.ofNanos(listener.get(15, TimeUnit.SECONDS)))
                        .as("woken, not timed out")
                        .isLessThan(Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void unlinkRemovesTheBellWithTheSegment() {
        try (SharedSegment owned = primary.createSegment(name, SIZE)) {
            primary.openBell(owned, DOORBELL);
            assertThat(bell).exists();
        }
        assertThat(bell).exists();
        primary.unlink(name);
        assertThat(bell).doesNotExist();
    }

    /**
     * The FIFO bell's wait says how it ended (the intake's lost-wake-up check asks): a timeout is false; a byte on
     * the FIFO is true even with the word unchanged.
     */
    @Test
    void theFifoBellsWaitTellsATimeoutFromARing() {
        try (SharedSegment owned = primary.createSegment(name, SIZE)) {
            primary.openBell(owned, DOORBELL);
            assertThat(primary.await(owned, DOORBELL, 0, 50_000_000L))
                    .as("timed out")
                    .isFalse();
            Thread ringer = new Thread(() -> {
                // rings once the listener has armed the bell (the word stays 0: only the byte says "look again")
                awaitArmed(owned, TimeUnit.SECONDS.toNanos(20));
                primary.wakeAll(owned, DOORBELL);
            });
            ringer.setDaemon(true);
            ringer.start();
            assertThat(primary.await(owned, DOORBELL, 0, TimeUnit.SECONDS.toNanos(20)))
                    .as("a byte, the word unchanged")
                    .isTrue();
            Thread mover = new Thread(() -> {
                // a lost ring: the word moves while the listener sleeps, no byte comes
                awaitArmed(owned, TimeUnit.SECONDS.toNanos(20));
                BufferAtomics.getAndAddInt(owned.buffer(), DOORBELL, 1);
            });
            mover.setDaemon(true);
            mover.start();
            assertThat(primary.await(owned, DOORBELL, 0, 300_000_000L))
                    .as("timed out, though the word moved meanwhile")
                    .isFalse();
        }
    }

    @Test
    void aRingWhileTheListenerIsAwakeWritesNothingAndIsNotLost() throws Exception {
        try (SharedSegment owned = primary.createSegment(name, SIZE);
                SharedSegment seen = sender.openSegment(name, SIZE, SIZE)) {
            primary.openBell(owned, DOORBELL);
            for (int i = 0; i < 1000; i++) { // far more than a pipe holds, had each ring written a byte
                BufferAtomics.getAndAddInt(seen.buffer(), DOORBELL, 1);
                sender.wakeAll(seen, DOORBELL);
            }
            long start = System.nanoTime();
            primary.await(owned, DOORBELL, 0, TimeUnit.SECONDS.toNanos(20)); // the word moved on: no sleep
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(BufferAtomics.getIntVolatile(owned.buffer(), DOORBELL + FifoDoorbellFiles.ARMED_DELTA))
                    .isZero();
        }
    }

    @Test
    void awaitReturnsWhenTheWordChangesAndOtherwiseAtItsTimeout() throws Exception {
        try (SharedSegment owned = primary.createSegment(name, SIZE);
                SharedSegment seen = sender.openSegment(name, SIZE, SIZE)) {
            long start = System.nanoTime();
            sender.await(seen, 512, 0, TimeUnit.MILLISECONDS.toNanos(50));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));

            CompletableFuture<Long> waited = new CompletableFuture<>();
            Thread waiter = new Thread(
                    () -> {
                        long begin = System.nanoTime();
                        sender.await(seen, 512, 0, TimeUnit.SECONDS.toNanos(20));
                        waited.complete(System.nanoTime() - begin);
                    },
                    "word-waiter");
            waiter.start();
            // the word changes while the sender waits on it (not before: then await would return at once)
            Threads.awaitBlocked(waiter, frame -> frame.getMethodName().equals("await"), Duration.ofSeconds(10));
            BufferAtomics.putIntVolatile(owned.buffer(), 512, 7);
            assertThat(Duration.ofNanos(waited.get(15, TimeUnit.SECONDS))).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aBellThatIsNoFifoIsRefused() throws Exception {
        try (SharedSegment owned = primary.createSegment(name, SIZE);
                SharedSegment seen = sender.openSegment(name, SIZE, SIZE)) {
            Files.createFile(bell, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            BufferAtomics.putIntVolatile(owned.buffer(), DOORBELL + FifoDoorbellFiles.ARMED_DELTA, 1);
            assertThatThrownBy(() -> sender.wakeAll(seen, DOORBELL))
                    .isInstanceOf(ForeignOwnerException.class)
                    .hasMessageContaining("is not a FIFO");
        }
    }

    @Test
    void anUnarmedBellIsNotRungAndAMissingOneIsNoError() throws Exception {
        try (SharedSegment owned = primary.createSegment(name, SIZE);
                SharedSegment seen = sender.openSegment(name, SIZE, SIZE)) {
            Files.createFile(bell); // would be refused (no FIFO, open mode) if the sender touched it
            sender.wakeAll(seen, DOORBELL);
            Files.delete(bell);
            BufferAtomics.putIntVolatile(owned.buffer(), DOORBELL + FifoDoorbellFiles.ARMED_DELTA, 1);
            sender.wakeAll(seen, DOORBELL); // the primary removed it while closing: the channel state tells
            assertThat(BufferAtomics.getIntVolatile(owned.buffer(), DOORBELL + FifoDoorbellFiles.ARMED_DELTA))
                    .isZero();
        }
    }

    @Test
    void itSeesTheClaimOfTheBackendItStandsInForAndCreatesOrRemovesNoSegments() {
        String claimName = name + "c";
        try (ClaimHandle held = primary.openClaim(claimName);
                ClaimHandle probe = sender.openClaim(claimName)) {
            assertThat(held.tryLock()).isTrue();
            assertThat(probe.tryLock()).isFalse();
        }
        primary.unlink(claimName);
        assertThat(sender.sharesObjectsWith(primary)).isTrue();
        assertThatThrownBy(() -> sender.createSegment(name, SIZE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> sender.unlink(name)).isInstanceOf(UnsupportedOperationException.class);
    }

    /** Spins until the listener of {@code owned}'s doorbell has armed its bell (about to sleep, or asleep); false if not in time. */
    private static boolean awaitArmed(SharedSegment owned, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (BufferAtomics.getIntVolatile(owned.buffer(), DOORBELL + FifoDoorbellFiles.ARMED_DELTA) != 1) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }
}
