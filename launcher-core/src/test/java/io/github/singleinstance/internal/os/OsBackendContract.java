package io.github.singleinstance.internal.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testsupport.TestEnvironment;
import io.github.singleinstance.testsupport.TestJvm;
import io.github.singleinstance.testsupport.Threads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link OsBackend} must do, whatever the OS: one test class per backend extends this. Written against the
 * interface only (plus {@link #pathOf} to reach the file behind a name), so it runs unchanged on any OS the backend
 * supports; checks that need POSIX permissions or root skip elsewhere and say so.
 */
public abstract class OsBackendContract {

    protected static final Duration STARTUP = Duration.ofSeconds(120);

    /** The backend under test. */
    protected abstract OsBackend backend();

    /** Its name for {@code single-instance.backend}, so that peer processes use the same one. */
    protected abstract String backendName();

    /** The file behind the object {@code name}. */
    protected abstract Path pathOf(String name);

    @TempDir
    Path output;

    private final String name = "/si-t-" + UUID.randomUUID().toString().substring(0, 12);
    private final List<TestJvm> peers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        Jvm.destroyAll(peers);
        backend().unlink(name);
    }

    @Test
    void aClaimIsCreatedOnceAndItsLockIsExclusiveWithinTheProcessToo() {
        assertThat(Files.exists(pathOf(name))).isFalse();
        try (ClaimHandle first = backend().openClaim(name);
                ClaimHandle second = backend().openClaim(name)) {
            assertThat(Files.exists(pathOf(name)))
                    .as("created by the first open")
                    .isTrue();
            assertThat(first.tryLock()).isTrue();
            assertThat(second.tryLock())
                    .as("a second handle is a second contender, even in the same process")
                    .isFalse();
            assertThat(first.stillNamed()).isTrue();
            first.close();
            assertThat(second.tryLock()).as("closing the holder frees the lock").isTrue();
        }
    }

    @Test
    void aQueryOpensOnlyAnExistingClaimAndItsLockProbeNeverKeepsTheLock() {
        assertThat(backend().openExistingClaim(name)).as("absent: none").isNull();
        assertThat(Files.exists(pathOf(name))).as("and nothing created").isFalse();
        try (ClaimHandle holder = backend().openClaim(name)) {
            try (ClaimHandle query = backend().openExistingClaim(name)) {
                assertThat(query).isNotNull();
                assertThat(query.lockFree())
                        .as("free: taken and let go of at once")
                        .isTrue();
                assertThat(holder.tryLock()).as("so a launch still takes it").isTrue();
                assertThat(query.lockFree())
                        .as("held in this JVM counts as held")
                        .isFalse();
            }
            assertThat(holder.tryLock())
                    .as("closing the query's handle keeps the holder's lock")
                    .isTrue();
            TestJvm other = peer("lock", name);
            other.awaitLine("LOST", STARTUP);
        }
    }

    @Test
    void closingAnotherHandleOfTheClaimKeepsTheHoldersLock() {
        try (ClaimHandle holder = backend().openClaim(name)) {
            assertThat(holder.tryLock()).isTrue();
            backend().openClaim(name).close(); // a second claim of the same id in this JVM, closed at once
            TestJvm other = peer("lock", name);
            other.awaitLine("LOST", STARTUP);
        }
    }

    @Test
    void threadsRacingForOneClaimMakeExactlyOneWinner() throws Exception {
        int contenders = 16;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        CountDownLatch start = new CountDownLatch(1);
        List<ClaimHandle> handles = new ArrayList<>();
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    ClaimHandle handle = backend().openClaim(name);
                    synchronized (handles) {
                        handles.add(handle);
                    }
                    return handle.tryLock();
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Boolean> result : results) {
                winners += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
            handles.forEach(ClaimHandle::close);
        }
    }

    @Test
    void processesRacingForOneClaimMakeExactlyOneWinner() {
        for (int i = 0; i < 6; i++) {
            peer("lock", name);
        }
        int winners = 0;
        for (TestJvm peer : peers) {
            String line = firstLineOf(peer, "WON", "LOST");
            winners += line.equals("WON") ? 1 : 0;
        }
        assertThat(winners).isEqualTo(1);
        try (ClaimHandle late = backend().openClaim(name)) {
            assertThat(late.tryLock()).as("the winner still holds it").isFalse();
        }
    }

    @Test
    void theLockOfAKilledHolderIsFreeAndItsChildrenDoNotKeepIt() throws Exception {
        TestJvm holder = peer("lock-and-spawn", name);
        holder.awaitLine("WON", STARTUP);
        long grandchild = Long.parseLong(holder.awaitLine("CHILD ", STARTUP).substring(6));
        try (ClaimHandle claim = backend().openClaim(name)) {
            assertThat(claim.tryLock()).isFalse();
            holder.kill(); // SIGKILL: no cleanup of any kind runs
            assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive))
                    .as("its child lives on")
                    .contains(true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean taken = false;
            while (!taken && System.nanoTime() < deadline) {
                taken = claim.tryLock();
                Thread.sleep(10);
            }
            assertThat(taken)
                    .as("the lock of a killed holder is free though its child still runs")
                    .isTrue();
            assertThat(claim.stillNamed())
                    .as("kill -9 leaves the name: stale, and taken over")
                    .isTrue();
        } finally {
            ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aClaimRemovedByHandIsNoLongerNamedAndALockOnItClaimsNothing() throws Exception {
        try (ClaimHandle claim = backend().openClaim(name)) {
            assertThat(claim.tryLock()).isTrue();
            Files.delete(pathOf(name));
            assertThat(claim.stillNamed()).isFalse();
            try (ClaimHandle next = backend().openClaim(name)) {
                assertThat(Files.exists(pathOf(name)))
                        .as("a new object under the old name")
                        .isTrue();
                assertThat(next.tryLock())
                        .as("locking the new object is not blocked by the removed one")
                        .isTrue();
            }
        }
        assertThat(backend().unlink(name)).isTrue();
        assertThat(backend().unlink(name)).isFalse();
    }

    @Test
    void theLockCoversOneBytePastTheHeaderSoOthersCanReadAndWriteTheHeaderWhileItIsHeld() throws Exception {
        try (ClaimHandle claim = backend().openClaim(name)) {
            assertThat(claim.tryLock()).isTrue();
            try (java.nio.channels.FileChannel file =
                    java.nio.channels.FileChannel.open(pathOf(name), java.nio.file.StandardOpenOption.READ)) {
                // the JDK's lock table refuses an overlapping lock in this JVM: only the lock byte overlaps
                assertThatThrownBy(() -> file.tryLock(ClaimFiles.LOCK_POSITION, 1, true))
                        .isInstanceOf(java.nio.channels.OverlappingFileLockException.class);
                assertThat(file.tryLock(0, ClaimFiles.LOCK_POSITION, true))
                        .as("nothing before the lock byte is locked")
                        .isNotNull()
                        .satisfies(java.nio.channels.FileLock::release);
            }
        }
    }

    @Test
    void segmentsAreCreatedExclusivelyZeroFilledAndSizeCheckedBeforeMapping() {
        try (SharedSegment segment = backend().createSegment(name, 8192)) {
            assertThat(segment.name()).isEqualTo(name);
            assertThat(segment.buffer().capacity()).isEqualTo(8192);
            assertThat(segment.buffer().getLong(8184)).isZero();
            assertThat(backend().createSegment(name, 8192)).isNull();
            segment.buffer().putInt(100, 7);
            try (SharedSegment again = backend().openSegment(name, 4096, 8192)) {
                assertThat(again.buffer().getInt(100))
                        .as("one memory, two mappings")
                        .isEqualTo(7);
            }
            assertThatThrownBy(() -> backend().openSegment(name, 16384, 32768))
                    .isInstanceOf(SegmentSizeException.class)
                    .hasMessageContaining("size=8192");
            assertThat(backend().unlink(name)).isTrue();
            assertThat(segment.buffer().getInt(100))
                    .as("a mapping outlives the name")
                    .isEqualTo(7);
        }
        assertThat(backend().openSegment(name, 0, 1)).isNull();
    }

    @Test
    void objectsAreOwnerOnlyAndOneOpenToOthersIsRefused() throws Exception {
        TestEnvironment.applicableOnlyIf(
                pathOf(name).getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        try (SharedSegment segment = backend().createSegment(name, 4096);
                ClaimHandle claim = backend().openClaim(name + "c")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pathOf(name))))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pathOf(name + "c"))))
                    .isEqualTo("rw-------");
            Files.setPosixFilePermissions(pathOf(name), PosixFilePermissions.fromString("rw-rw-rw-"));
            assertThatThrownBy(() -> backend().openSegment(name, 0, 4096))
                    .isInstanceOf(ForeignOwnerException.class)
                    .hasMessageContaining("666");
        } finally {
            backend().unlink(name + "c");
        }
    }

    @Test
    void anObjectOfAnotherUserIsRefused() throws Exception {
        io.github.singleinstance.testing.RootOnly.assume();
        try (SharedSegment segment = backend().createSegment(name, 4096)) {
            Process chown = new ProcessBuilder("chown", "65534", pathOf(name).toString())
                    .inheritIO()
                    .start();
            assertThat(chown.waitFor()).isZero();
            assertThatThrownBy(() -> backend().openSegment(name, 0, 4096))
                    .isInstanceOf(ForeignOwnerException.class)
                    .hasMessageContaining("65534");
        }
    }

    @Test
    void theDoorbellReturnsAtOnceOnAChangedWordAndTimesOutWithoutAWake() {
        try (SharedSegment segment = backend().createSegment(name, 4096)) {
            assertThat(backend().await(segment, 64, 1, -1)) // the word holds 0, not 1: returns at once, no wake needed
                    .as("a changed word ends the wait as a wake-up does")
                    .isTrue();
            long start = System.nanoTime();
            assertThat(backend().await(segment, 64, 0, 100_000_000L))
                    .as("a wait that ran into its timeout says so (the intake's lost-wake-up check asks)")
                    .isFalse();
            long waited = System.nanoTime() - start;
            assertThat(waited).as("waited out the timeout").isGreaterThanOrEqualTo(90_000_000L);
            assertThat(waited).as("a timeout, not a hang").isLessThan(TimeUnit.SECONDS.toNanos(30));
        }
    }

    @Test
    void theDoorbellWakesAWaiterBlockedWithoutATimeout() throws Exception {
        try (SharedSegment segment = backend().createSegment(name, 4096)) {
            assertWakesAWaiterBlockedIn(
                    segment,
                    frame -> frame.getMethodName().equals("await")
                            && frame.getClassName().startsWith("io.github.singleinstance.internal.os."));
        }
    }

    /**
     * Starts a thread waiting on word 64 of {@code segment} (holding 0) with no timeout, waits until it blocks in a
     * frame {@code inside} matches (else the changed word returns it at once and the wake is not tested), then changes
     * the word, wakes it, and asserts it ended.
     */
    protected void assertWakesAWaiterBlockedIn(SharedSegment segment, Predicate<StackTraceElement> inside)
            throws InterruptedException {
        AtomicBoolean woken = new AtomicBoolean();
        Thread waiter = new Thread(() -> woken.set(backend().await(segment, 64, 0, -1)), "bell-waiter");
        waiter.start();
        Threads.awaitBlocked(waiter, inside, Duration.ofSeconds(30));
        segment.buffer().putInt(64, 1);
        backend().wakeAll(segment, 64);
        waiter.join(10_000);
        assertThat(waiter.isAlive()).as("woken").isFalse();
        assertThat(woken).as("the wait says it was woken").isTrue();
    }

    @Test
    void noWakeUpIsLostInAThreadPingPong() throws Exception {
        int rounds = 2_000;
        try (SharedSegment segment = backend().createSegment(name, 4096)) {
            Thread ponger = new Thread(() -> {
                for (int i = 1; i <= rounds; i++) {
                    awaitValue(segment, 0, i);
                    segment.buffer().putInt(64, i);
                    backend().wakeAll(segment, 64);
                }
            });
            ponger.start();
            pingPong(segment, rounds);
            ponger.join(10_000);
        }
    }

    @Test
    void noWakeUpIsLostInAPingPongWithAnotherProcess() {
        int rounds = 500;
        try (SharedSegment segment = backend().createSegment(name, 4096)) {
            TestJvm ponger = peer("pong", name, Integer.toString(rounds));
            ponger.awaitLine("READY", STARTUP);
            pingPong(segment, rounds);
            ponger.awaitLine("DONE", Duration.ofSeconds(30));
        }
    }

    @Test
    void anInterruptedThreadNeitherLosesItsClaimNorHasItsWaitCutShort() {
        Thread.currentThread().interrupt(); // NIO would close an interrupted thread's channel, and the lock with it
        try (ClaimHandle claim = backend().openClaim(name);
                SharedSegment segment = backend().createSegment(name + "s", 4096)) {
            assertThat(claim.tryLock()).isTrue();
            long start = System.nanoTime();
            backend().await(segment, 64, 0, 100_000_000L);
            assertThat(System.nanoTime() - start).as("the wait ran its course").isGreaterThanOrEqualTo(90_000_000L);
            backend().wakeAll(segment, 64);
            assertThat(Thread.interrupted())
                    .as("the interrupt status is kept for the caller")
                    .isTrue();
            peer("lock", name).awaitLine("LOST", STARTUP); // the claim is still held
        } finally {
            Thread.interrupted();
            backend().unlink(name + "s");
        }
    }

    @Test
    void namesUserAndSessionAreUsable() {
        assertThat(backend().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(backend().isAlive(backend().pid())).isTrue();
        assertThat(backend().isAlive(Integer.MAX_VALUE)).isFalse();
        assertThat(backend().userTag()).matches("[A-Za-z0-9]{1,10}");
    }

    /** Sets word 0 to i and waits (with a bound: a lost wake-up fails instead of hanging) for word 64 to follow. */
    private void pingPong(SharedSegment segment, int rounds) {
        for (int i = 1; i <= rounds; i++) {
            segment.buffer().putInt(0, i);
            backend().wakeAll(segment, 0);
            awaitValue(segment, 64, i);
        }
    }

    private void awaitValue(SharedSegment segment, int offset, int value) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int seen;
        while ((seen = segment.buffer().getInt(offset)) != value) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "word " + offset + " stuck at " + seen + ", expected " + value + ": a wake-up was lost");
            }
            backend().await(segment, offset, seen, 1_000_000_000L);
        }
    }

    protected TestJvm peer(String... args) {
        List<String> arguments = new ArrayList<>();
        arguments.add(args[0]);
        arguments.add(backendName());
        arguments.addAll(List.of(args).subList(1, args.length));
        TestJvm child = Jvm.start(output, "contract", List.of(), BackendPeer.class, arguments.toArray(String[]::new));
        peers.add(child);
        return child;
    }

    private static String firstLineOf(TestJvm child, String... candidates) {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : child.stdout().split("\n")) {
                for (String candidate : candidates) {
                    if (line.equals(candidate)) {
                        return line;
                    }
                }
            }
            if (!child.process().isAlive()) {
                throw new AssertionError("peer ended early\n" + child.describe());
            }
            Jvm.sleep(10);
        }
        throw new AssertionError("no answer from peer\n" + child.describe());
    }
}
