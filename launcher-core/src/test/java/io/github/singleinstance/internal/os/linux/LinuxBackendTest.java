package io.github.singleinstance.internal.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.SharedSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class LinuxBackendTest {

    private final LinuxBackend os = new LinuxBackend();
    private final String name = "/si-t-" + UUID.randomUUID().toString().substring(0, 12);

    @Test
    void claimIsOwnerOnlyCloseOnExecAndExclusiveWithinTheProcessToo() throws Exception {
        try (ClaimHandle claim = os.openClaim(name); ClaimHandle second = os.openClaim(name)) {
            assertThat(claim.created()).isTrue();
            assertThat(second.created()).isFalse();
            assertThat(claim.tryLock()).isTrue();
            assertThat(second.tryLock()).isFalse(); // flock is per open file: a second open is a second contender
            assertThat(claim.stillNamed()).isTrue();
            Path file = Path.of("/dev/shm", name.substring(1));
            assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            String[] descriptors = descriptorsOf(file);
            assertThat(descriptors).hasSize(2);
            for (String fd : descriptors) {
                String flags = Files.readAllLines(Path.of("/proc/self/fdinfo", fd)).stream()
                        .filter(line -> line.startsWith("flags:")).findFirst().orElseThrow();
                long octal = Long.parseLong(flags.substring("flags:".length()).strip(), 8);
                assertThat(octal & 02000000).as("O_CLOEXEC on fd %s", fd).isNotZero();
            }
            claim.unlink();
            assertThat(claim.stillNamed()).isFalse();
        }
    }

    @Test
    void segmentsAreCreatedExclusivelyAndSizeCheckedBeforeMapping() {
        try (SharedSegment segment = os.createSegment(name, 8192)) {
            assertThat(segment.buffer().capacity()).isEqualTo(8192);
            assertThat(os.createSegment(name, 8192)).isNull();
            segment.buffer().putInt(100, 7);
            try (SharedSegment again = os.openSegment(name, 4096, 8192)) {
                assertThat(again.buffer().getInt(100)).isEqualTo(7);
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> os.openSegment(name, 16384, 32768))
                    .hasMessageContaining("size=8192");
        } finally {
            assertThat(os.unlink(name)).isTrue();
        }
        assertThat(os.openSegment(name, 0, 1)).isNull();
        assertThat(os.unlink(name)).isFalse();
    }

    @Test
    void doorbellWakesAWaiterAndTimesOutWithoutOne() throws Exception {
        try (SharedSegment segment = os.createSegment(name, 4096)) {
            long start = System.nanoTime();
            os.await(segment, 64, 0, 50_000_000L);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(40_000_000L);
            os.await(segment, 64, 1, -1); // value differs: returns at once instead of sleeping forever

            Thread waiter = new Thread(() -> os.await(segment, 64, 0, -1));
            waiter.start();
            Thread.sleep(100); // let it block in the kernel (were it late, the changed value returns it at once)
            segment.buffer().putInt(64, 1);
            os.wakeAll(segment, 64);
            waiter.join(5_000);
            assertThat(waiter.isAlive()).isFalse();
        } finally {
            os.unlink(name);
        }
    }

    private static String[] descriptorsOf(Path file) throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(file);
                } catch (Exception e) {
                    return false;
                }
            }).map(fd -> fd.getFileName().toString()).toArray(String[]::new);
        }
    }
}
