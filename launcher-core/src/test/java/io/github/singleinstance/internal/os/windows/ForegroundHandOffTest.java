package io.github.singleinstance.internal.os.windows;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.win32.StdCallLibrary;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** What of the focus hand-off can be checked without Windows: the binding's names and signature, and that it is inert. */
class ForegroundHandOffTest {

    @Test
    void bindsUser32sAllowSetForegroundWindowWithADwordAndABoolResultInStdcall() throws Exception {
        assertThat(ForegroundHandOff.LIBRARY).isEqualTo("user32");
        Method function = ForegroundHandOff.User32.class.getMethod(ForegroundHandOff.FUNCTION, int.class);
        assertThat(function.getName()).isEqualTo("AllowSetForegroundWindow"); // the exported name: no A/W variant
        assertThat(function.getReturnType()).isEqualTo(boolean.class); // BOOL, a 32-bit int JNA maps
        assertThat(function.getParameterTypes()).containsExactly(int.class); // DWORD: 32 bits, unsigned
        assertThat(StdCallLibrary.class).isAssignableFrom(ForegroundHandOff.User32.class); // WINAPI on 32-bit x86
        assertThat(ForegroundHandOff.User32.class.getMethods()).hasSize(1);
        assertThat(Modifier.isPublic(
                        ForegroundHandOff.class.getMethod("allow", long.class).getModifiers()))
                .isTrue();
    }

    @Test
    void knowsWindowsByItsOsName() {
        assertThat(ForegroundHandOff.isWindows("Windows 11")).isTrue();
        assertThat(ForegroundHandOff.isWindows("Windows Server 2022")).isTrue();
        assertThat(ForegroundHandOff.isWindows("Linux")).isFalse();
        assertThat(ForegroundHandOff.isWindows("Mac OS X")).isFalse();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void offWindowsItDoesNothingAndNeverThrows() throws Exception {
        for (long pid :
                new long[] {4242, 0, -1, 1L << 32, ProcessHandle.current().pid()}) {
            assertThat(ForegroundHandOff.allow(pid)).as("pid %d", pid).isFalse();
        }
    }
}
