package io.github.singleinstance;

/**
 * How far "single" reaches: which launches share one primary.
 *
 * <p>Every scope's named objects are created with mode 0600, so only the user who started the primary can reach it.
 */
public enum Scope {
    /** One instance per user (the default): each user's launches meet only their own primary. */
    USER,
    /**
     * One instance per user and login session. The session is read from {@code XDG_SESSION_ID}, else from the
     * kernel's audit session ({@code /proc/self/sessionid}); where neither is known it behaves like {@link #USER}.
     */
    SESSION,
    /**
     * One instance per machine. The primary's objects stay owner-only, so a launch by a different user than the
     * primary's is refused with {@link ForeignOwnerException} instead of starting a second copy.
     */
    SYSTEM
}
