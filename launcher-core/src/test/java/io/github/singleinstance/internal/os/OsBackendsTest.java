package io.github.singleinstance.internal.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.singleinstance.Backend;
import io.github.singleinstance.Scope;
import io.github.singleinstance.SingleInstance;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.linux.LinuxBackend;
import io.github.singleinstance.internal.os.portable.PortableBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class OsBackendsTest {

    @Test
    void namesParseInAnyCaseAndAnUnknownOneListsTheValidOnes() {
        assertThat(Backend.parse(" Portable ")).isEqualTo(Backend.PORTABLE);
        assertThat(Backend.parse("AUTO")).isEqualTo(Backend.AUTO);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Backend.parse("shm"))
                .withMessage("unknown backend: single-instance.backend=shm; use one of auto, posix, portable, windows");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onLinuxAutoAndPosixAreJnaPortableIsPureJdkAndWindowsIsAClearError() {
        assertThat(OsBackends.of(Backend.POSIX, Scope.USER)).isInstanceOf(LinuxBackend.class);
        assertThat(OsBackends.of(Backend.AUTO, Scope.USER)).isInstanceOf(LinuxBackend.class);
        assertThat(OsBackends.of(Backend.PORTABLE, Scope.USER)).isInstanceOf(PortableBackend.class);
        assertThatThrownBy(() -> OsBackends.of(Backend.WINDOWS, Scope.USER))
                .isInstanceOf(SingleInstanceException.class)
                .hasMessageContaining("runs on Windows only")
                .satisfies(e ->
                        assertThat(((SingleInstanceException) e).exitCode()).isEqualTo(69));
    }

    @Test
    void systemScopeIsRefusedByABackendThatKeepsItsObjectsPerUser() {
        SingleInstance instance = SingleInstance.builder()
                .id("test-system-portable-" + System.nanoTime())
                .scope(Scope.SYSTEM)
                .backend(Backend.PORTABLE)
                .build();
        assertThatThrownBy(instance::claim)
                .isInstanceOf(SingleInstanceException.class)
                .hasMessageContaining("Scope.SYSTEM")
                .satisfies(e ->
                        assertThat(((SingleInstanceException) e).exitCode()).isEqualTo(69));
    }
}
