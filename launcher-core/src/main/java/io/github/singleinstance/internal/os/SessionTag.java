package io.github.singleinstance.internal.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The login session this process belongs to, as {@code Scope.SESSION} needs it; the same on every backend. Any
 * thread.
 */
public final class SessionTag {

    private SessionTag() {}

    /** XDG_SESSION_ID, else the audit session of Linux, else {@code null} (then SESSION acts as USER). */
    public static String current() {
        String xdg = System.getenv("XDG_SESSION_ID");
        if (xdg != null && !xdg.isBlank()) {
            return xdg.strip();
        }
        Path audit = Path.of("/proc/self/sessionid");
        if (!Files.exists(audit)) {
            return null;
        }
        try {
            String session = Files.readString(audit).strip();
            return session.isEmpty() || session.equals("4294967295") ? null : session; // (u32)-1: no audit session
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
