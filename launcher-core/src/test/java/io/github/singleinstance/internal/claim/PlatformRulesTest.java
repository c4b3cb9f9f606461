package io.github.singleinstance.internal.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.ClaimFiles;
import io.github.singleinstance.internal.os.portable.PortableBackend;
import io.github.singleinstance.internal.wire.ClaimHeader;
import io.github.singleinstance.testing.Jvm;
import io.github.singleinstance.testing.PlatformRules;
import io.github.singleinstance.testing.ProcessTestSupport;
import io.github.singleinstance.testsupport.TestJvm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness that plays Windows' and macOS' file rules on Linux ({@link PlatformRules}) enforces them, and catches
 * the bug it was built for: a primary that locks its whole claim file, as {@code FileChannel.tryLock()} with no
 * arguments does, makes every launch's read of the header fail under Windows' mandatory locks.
 */
@Timeout(120)
class PlatformRulesTest extends ProcessTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aReadOfBytesAnotherProcessLockedFailsAsOnWindowsAndOtherBytesStayReadable() throws Exception {
        Path file = dir.resolve("locked");
        try (TestJvm holder = holder("lock-all", file)) {
            assertThat(probe("windows-locks", "read", file).stdout())
                    .contains("read failed")
                    .contains("Permission denied");
        }
        try (TestJvm holder = holder("lock-byte", file)) {
            assertThat(probe("windows-locks", "read", file).stdout()).contains("read ok: SICLAIM1");
        }
    }

    @Test
    void aFileAnotherProcessMapsCannotBeDeletedAsOnWindows() throws Exception {
        Path file = dir.resolve("mapped");
        try (TestJvm holder = holder("map", file)) {
            assertThat(probe("windows-delete", "delete", file).stdout()).contains("AccessDeniedException");
            assertThat(file).exists();
        }
        assertThat(probe("windows-delete", "delete", file).stdout()).contains("deleted");
        assertThat(file).doesNotExist();
    }

    @Test
    void procIsHiddenFromTheProgramWhileTheJdksProcessHandleStillWorks() {
        assertThat(probe("no-proc", "proc", dir.resolve("unused")).stdout())
                .contains("/proc/self exists: false")
                .contains("parent alive: true");
    }

    /**
     * The bug the harness exists for: a primary holding a lock over the claim's header (bytes 0 to Long.MAX_VALUE) is
     * unreadable to launches under Windows' rule (exit 71, the error naming the claim file); the same primary holding
     * only {@link ClaimFiles#LOCK_POSITION} is read, and the launch goes on to look for its channel.
     */
    @Test
    void underWindowsLockRuleALaunchCannotReadAHeaderWhoseBytesAreLockedButReadsOneLockedPastItsEnd() throws Exception {
        Path claim = new PortableBackend().pathOf(key().claimName());
        try (TestJvm holder = holder("lock-all", claim)) {
            TestJvm launch = windowsLaunch();
            assertThat(launch.awaitExit(EXIT)).as(launch.describe()).isEqualTo(71);
            assertThat(launch.stderr()).contains("cannot read the claim file").contains("Permission denied");
        }
        try (TestJvm holder = holder("lock-byte", claim)) {
            TestJvm launch = windowsLaunch();
            assertThat(launch.awaitExit(EXIT)).as(launch.describe()).isEqualTo(75);
            assertThat(launch.stderr()).doesNotContain("Permission denied").contains("had not opened its channel");
        }
    }

    private TestJvm windowsLaunch() {
        TestJvm launch = Jvm.start(
                dir,
                id,
                PlatformRules.environment("windows-locks", new PortableBackend().directory()),
                List.of("-Dsingle-instance.backend=portable", "-Dsingle-instance.forward-timeout=1s"),
                io.github.singleinstance.testing.TestApp.class,
                "hello");
        children.add(launch);
        return launch;
    }

    /** A child that holds {@code file} as {@code mode} says ({@link Holder}) until closed; returns once it holds. */
    private TestJvm holder(String mode, Path file) {
        TestJvm holder = Jvm.start(dir, id, List.of(), Holder.class, mode, file.toString());
        children.add(holder);
        holder.awaitLine("held", WAIT);
        return holder;
    }

    /** A child under {@code rules} that tries {@code action} on {@code file} ({@link Probe}); returns once it ended. */
    private TestJvm probe(String rules, String action, Path file) {
        Map<String, String> environment = PlatformRules.environment(rules, dir);
        TestJvm probe = Jvm.start(dir, id, environment, List.of(), List.of(), Probe.class, action, file.toString());
        children.add(probe);
        assertThat(probe.awaitExit(WAIT)).as(probe.describe()).isZero();
        return probe;
    }

    /**
     * Holds a file: {@code lock-all} writes a claim header (magic, protocol, READY, its pid, the sockets doorbell,
     * channel 1) and locks the whole file; {@code lock-byte} the same with the lock on the lock byte alone; {@code map}
     * maps it. Prints {@code held}, then waits to be ended.
     */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[1]);
            FileChannel channel = FileChannel.open( // owner-only, as the library accepts a claim file
                    file,
                    java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            if (args[0].equals("map")) {
                channel.map(FileChannel.MapMode.READ_WRITE, 0, 4096);
            } else {
                ByteBuffer header = ByteBuffer.allocate(ClaimHeader.SIZE).order(ByteOrder.LITTLE_ENDIAN);
                header.putLong(ClaimHeader.MAGIC_OFFSET, ClaimHeader.MAGIC);
                header.putInt(ClaimHeader.PROTOCOL_OFFSET, ClaimHeader.PROTOCOL_VERSION);
                header.putInt(ClaimHeader.STATE_OFFSET, ClaimHeader.STATE_READY);
                header.putLong(ClaimHeader.PID_OFFSET, ProcessHandle.current().pid());
                header.putInt(ClaimHeader.DOORBELL_OFFSET, new PortableBackend().doorbellKind()); // a portable primary
                header.putInt(ClaimHeader.CHANNEL_OFFSET, 1);
                channel.write(header, 0);
                if (args[0].equals("lock-all")) {
                    channel.tryLock(); // bytes 0 to Long.MAX_VALUE: the header too
                } else {
                    channel.tryLock(ClaimFiles.LOCK_POSITION, 1, false);
                }
            }
            System.out.println("held");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    /** Tries one thing under the rules it was started with and prints what happened: read, delete or proc. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[1]);
            switch (args[0]) {
                case "read" -> {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        ByteBuffer magic = ByteBuffer.allocate(8);
                        channel.read(magic, 0);
                        System.out.println("read ok: " + new String(magic.array(), "US-ASCII"));
                    } catch (java.io.IOException e) {
                        System.out.println("read failed: " + e);
                    }
                }
                case "delete" -> {
                    try {
                        Files.delete(file);
                        System.out.println("deleted");
                    } catch (java.io.IOException e) {
                        System.out.println("delete failed: " + e);
                    }
                }
                case "proc" ->
                    System.out.println("/proc/self exists: " + Files.exists(Path.of("/proc/self"))
                            + ", parent alive: "
                            + ProcessHandle.current()
                                    .parent()
                                    .map(ProcessHandle::isAlive)
                                    .orElse(false));
                default -> throw new IllegalArgumentException("no such probe: " + args[0]);
            }
        }
    }
}
