package io.github.singleinstance.internal.os.macos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.singleinstance.Scope;
import io.github.singleinstance.internal.wire.InstanceKey;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** What of the macOS backend can be checked without a Mac: names, flags, bindings and the stat layout. */
class MacBackendOffPlatformTest {

    @Test
    void theLongestInstanceNamesFitMacosAndLongerOnesAreRefused() {
        InstanceKey longest = InstanceKey.of("x".repeat(1000), Scope.SESSION, "4294967295", "99");
        assertThat(MacBackend.checkName(longest.claimName())).hasSizeLessThanOrEqualTo(30);
        assertThat(MacBackend.shmName(longest.channelName(-1), -1)).hasSizeLessThanOrEqualTo(30);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MacBackend.checkName("/" + "a".repeat(30)))
                .withMessageContaining("at most 29 more characters");
        assertThatIllegalArgumentException().isThrownBy(() -> MacBackend.checkName("no-slash"));
    }

    @Test
    void segmentsAreCreatedExclusivelyWithoutCloseOnExecInTheFlags() {
        assertThat(MacBackend.createFlags() & MacLibC.O_CLOEXEC)
                .as("macOS refuses O_CLOEXEC in shm_open")
                .isZero();
        assertThat(MacBackend.createFlags()).isEqualTo(0x0002 | 0x0200 | 0x0800); // O_RDWR|O_CREAT|O_EXCL on macOS
    }

    @Test
    void variadicFunctionsAreBoundAsVarargsForArm64() throws Exception {
        assertThat(MacLibC.class
                        .getMethod("shm_open", String.class, int.class, Object[].class)
                        .isVarArgs())
                .isTrue();
        assertThat(MacLibC.class
                        .getMethod("fcntl", int.class, int.class, Object[].class)
                        .isVarArgs())
                .isTrue();
    }

    @Test
    void fstatUsesTheSixtyFourBitInodeSymbolOnIntel() {
        assertThat(MacLibC.fstatSymbol("x86_64")).isEqualTo("fstat$INODE64");
        assertThat(MacLibC.fstatSymbol("aarch64")).isEqualTo("fstat");
    }

    @Test
    void statFieldsAreReadAtTheirDocumentedOffsets() {
        ByteBuffer stat = ByteBuffer.allocate(MacStat.SIZE).order(ByteOrder.nativeOrder());
        stat.putShort(4, (short) 0100600); // st_mode: regular file, rw-------
        stat.putInt(16, 501); // st_uid
        stat.putLong(96, 1_052_672L); // st_size
        stat.putInt(20, 20); // st_gid, to be ignored
        assertThat(MacStat.parse(stat)).isEqualTo(new MacStat(501, 0100600, 1_052_672L));
    }
}
