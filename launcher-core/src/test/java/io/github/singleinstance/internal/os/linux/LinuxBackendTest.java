package io.github.singleinstance.internal.os.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.internal.os.ClaimHandle;
import io.github.singleinstance.internal.os.PrivateDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** What is Linux-specific; the rest is {@link LinuxBackendContractTest}. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "the Linux backend; reads /proc/self/fd")
class LinuxBackendTest {

    private final LinuxBackend os = new LinuxBackend(PrivateDirectory.ofThisUser());
    private final String name = "/si-t-" + UUID.randomUUID().toString().substring(0, 12);

    @Test
    void claimIsOwnerOnlyOpenOnceAndExclusiveWithinTheProcessToo() throws Exception {
        try (ClaimHandle claim = os.openClaim(name);
                ClaimHandle second = os.openClaim(name)) {
            assertThat(claim.tryLock()).isTrue();
            assertThat(second.tryLock()).isFalse(); // a second handle in the process is a second contender
            assertThat(claim.stillNamed()).isTrue();
            Path file = os.pathOf(name);
            assertThat(Files.getPosixFilePermissions(file))
                    .extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
            // one descriptor for both handles: closing a second one would free a record lock (ClaimFiles)
            assertThat(descriptorsOf(file)).hasSize(1);
            Files.delete(file);
            assertThat(claim.stillNamed()).isFalse();
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
                    })
                    .map(fd -> fd.getFileName().toString())
                    .toArray(String[]::new);
        }
    }
}
