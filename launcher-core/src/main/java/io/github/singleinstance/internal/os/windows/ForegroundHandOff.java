package io.github.singleinstance.internal.os.windows;

import com.sun.jna.Native;
import com.sun.jna.win32.StdCallLibrary;
import io.github.singleinstance.internal.os.Processes;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Windows' focus hand-off: a launch that forwards to a running primary lets the primary's process take the foreground
 * before it forwards, so that the primary may bring its window to the front when it handles the launch. Windows lets a
 * process take the foreground only if the foreground process allows it (the launch was just started by the user, so
 * it is, or was, that process); without the hand-off the primary's window only flashes its taskbar button
 * ({@code SetForegroundWindow}'s documented restrictions; Tauri plugins-workspace #3548, fixed by #3592 the same way).
 *
 * <pre>
 * user32.dll  BOOL AllowSetForegroundWindow(DWORD dwProcessId);   ASFW_ANY = (DWORD) -1 (not used: only the primary)
 * </pre>
 * For every backend, the portable one's second launches included. JNA and user32 are loaded on Windows only, on the
 * first call; elsewhere {@link #allow} returns false at once. Never run on Windows in this project (its CI is Linux):
 * only the binding's name and signature are tested. Stateless; any thread.
 */
public final class ForegroundHandOff {

    static final String LIBRARY = "user32";
    static final String FUNCTION = "AllowSetForegroundWindow";
    private static final boolean WINDOWS = isWindows(System.getProperty("os.name", ""));

    private ForegroundHandOff() {}

    /**
     * Lets process {@code primaryPid} take the foreground, on Windows; call it before forwarding a launch to that
     * primary. Returns whether Windows granted it; false off Windows, for a pid that cannot be a Windows process id,
     * for this process's own pid, or if user32 cannot be reached (then the window only flashes). Never throws.
     */
    public static boolean allow(long primaryPid) {
        if (!WINDOWS || primaryPid <= 0 || primaryPid > 0xFFFF_FFFFL || primaryPid == Processes.currentPid()) {
            return false;
        }
        try {
            boolean granted = Binding.allowSetForegroundWindow((int) primaryPid);
            if (!granted) {
                LoggerFactory.getLogger(ForegroundHandOff.class)
                        .debug(
                                "AllowSetForegroundWindow({}) failed: error "
                                        + "{} (this process may not be in the foreground)",
                                primaryPid,
                                Native.getLastError());
            }
            return granted;
        } catch (LinkageError | RuntimeException e) {
            LoggerFactory.getLogger(ForegroundHandOff.class)
                    .debug("cannot call AllowSetForegroundWindow: {}", e.toString());
            return false;
        }
    }

    static boolean isWindows(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }

    /** The binding of user32; JNA is loaded when this class is, on the first call on Windows. */
    interface User32 extends StdCallLibrary {

        /** {@code BOOL AllowSetForegroundWindow(DWORD dwProcessId)}; the last error is kept for JNA. */
        boolean AllowSetForegroundWindow(int processId);
    }

    private static final class Binding {

        private static final User32 USER32 = Native.load(LIBRARY, User32.class);

        static boolean allowSetForegroundWindow(int processId) {
            return USER32.AllowSetForegroundWindow(processId);
        }
    }
}
