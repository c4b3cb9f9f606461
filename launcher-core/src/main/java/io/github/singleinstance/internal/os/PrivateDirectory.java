package io.github.singleinstance.internal.os;

import io.github.singleinstance.SingleInstance;
import io.github.singleinstance.SingleInstanceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The per-user directory that holds every named object of a {@code Scope.USER} or {@code Scope.SESSION} instance,
 * whichever backend: a place where no other user can create a name, so that no other user can squat a name and stop
 * the application from starting (a name in {@code /dev/shm} or {@code /tmp} can be pre-created by anyone).
 *
 * <pre>
 * 0. Sandboxes, where the runtime directory of step 1 is not the one every instance of the application sees:
 *    Flatpak  (FLATPAK_ID set)          $XDG_RUNTIME_DIR/app/$FLATPAK_ID/single-instance, when that directory is fit
 *                                       (the same checks as step 1). Each `flatpak run` gets its own /dev/shm, its own
 *                                       pid namespace and, before Flatpak 1.12, its own $XDG_RUNTIME_DIR; Flatpak
 *                                       bind-mounts the host's $XDG_RUNTIME_DIR/app/$FLATPAK_ID (created 0700) into
 *                                       every instance of the app, in all versions (flatpak/flatpak common/flatpak-run.c,
 *                                       "run_user_app_dst"; issue flatpak/flatpak#4120 and PR #4126, which shares all
 *                                       of $XDG_RUNTIME_DIR from 1.12 on; since 1.11 "app" itself is a symbolic link to
 *                                       /run/flatpak/app, flatpak/xdg-desktop-portal#590: only the last component is
 *                                       checked for links). Not fit: a warning, and step 1.
 *    Snap     (SNAP_INSTANCE_NAME set)  step 1 as it is: snapd sets XDG_RUNTIME_DIR to /run/user/$UID/snap.$SNAP_INSTANCE_NAME,
 *                                       one directory per snap and user that all its processes see (its AppArmor
 *                                       template allows "owner /run/user/[0-9]*&#47;snap.@{SNAP_INSTANCE_NAME}/**";
 *                                       canonical/snapd interfaces/apparmor/template.go), while /tmp is private to the
 *                                       snap and /dev/shm names must start with "snap.$SNAP_INSTANCE_NAME." (same file).
 *                                       If that directory does not exist yet but its parent is a fit runtime directory,
 *                                       it is created 0700, as snapd itself does (cmd/snap-confine/user-support.c).
 * 1. $XDG_RUNTIME_DIR/single-instance   when XDG_RUNTIME_DIR is an absolute path to a directory that is no symbolic
 *                                       link, belongs to this user and is closed to others (the system makes it so:
 *                                       0700, a tmpfs, emptied at logout). Else a warning says why it was refused.
 * 2. $XDG_CACHE_HOME/single-instance    when XDG_CACHE_HOME is absolute; else on Windows %LOCALAPPDATA%\single-instance
 *                                       when LOCALAPPDATA is absolute; else in the home (user.home): on macOS
 *                                       ~/Library/Caches/single-instance, elsewhere ~/.cache/single-instance; only
 *                                       the user creates names there. A home that is no absolute path (Java says "?"
 *                                       for a uid without a passwd entry: a relative path would put the directory in
 *                                       whatever the working directory is) or no existing directory is not used.
 *                                       Not a tmpfs: the mapped channel's pages may be written back to disk now and
 *                                       then; the names are removed when the primary stops. (In a strict snap $HOME
 *                                       is per snap revision, ~/snap/NAME/REVISION.)
 * 3. $java.io.tmpdir/single-instance-UID  the last resort, for every uid (containers with an arbitrary uid, service
 *                                       accounts whose home does not exist or is read-only). In a shared /tmp anyone
 *                                       can squat the name: the checks below then refuse it (exit 77), a denial of
 *                                       service at worst, never an impersonation. On macOS java.io.tmpdir is the
 *                                       per-user $TMPDIR, private already.
 * </pre>
 * An explicit setting, system property {@code single-instance.directory} or environment variable
 * {@code SINGLE_INSTANCE_DIRECTORY} (an absolute path), comes before all of these; a relative one is refused (78).
 * Flatpak's shared directory and an explicit one are used even if too long for sockets (see below): there is no
 * other place where all launches would meet.
 * Steps 1 and 2 are passed over when their directory cannot be created (a read-only home) or when its path is so long
 * that a Unix-domain socket in it (stream connections, the portable backend's wake sockets) would pass the 100 bytes
 * every OS binds (macOS takes 103): a launch that cannot bind its socket cannot wait for its reply.
 * Nothing here relies on a process id being meaningful in another sandbox: who is primary is the kernel's record lock
 * on the claim file, which works across mount and pid namespaces as long as both see the same file.
 * The leaf is created owner-only (0700 where the file system has POSIX permissions) and checked every time: a
 * directory that is a symbolic link, belongs to someone else or is open to others is refused (exit 77), since
 * whoever can write into it could impersonate the primary. Inside it nothing follows symbolic links. Where the file
 * system has no POSIX permissions (Windows), the owner's name is compared instead. See docs/private-directory.md.
 * Stateless; called by the OS backends when a launch starts, from any thread.
 */
public final class PrivateDirectory {

    private static final String LEAF = "single-instance";

    /** The longest socket path every supported OS binds (Linux 107 bytes, macOS 103; the JDK refuses longer). */
    private static final int MAX_SOCKET_PATH_BYTES = 100;

    /**
     * The longest socket name made in the directory, with room to spare: a stream connection's
     * ({@code si-<12>.o<12 hex>}, 29 bytes) and a wake socket's ({@code w1a2b3c4d-100.4242.1}, longer with large pids).
     */
    private static final int SOCKET_NAME_BYTES = 31;

    private PrivateDirectory() {}

    /** The directory for this process's user, from its settings and environment; created and checked. */
    public static Path ofThisUser() {
        return choose(Sources.ofThisProcess());
    }

    /**
     * What the choice reads from the process: {@code explicitName} is the setting {@code explicit} came from; the
     * others are the system properties and environment variables of the same names (null where unset).
     */
    record Sources(
            String explicit,
            String explicitName,
            String osName,
            String xdgRuntimeDir,
            String xdgCacheHome,
            String userHome,
            String localAppData,
            String tmpDir,
            String userName,
            String flatpakId,
            String snapInstanceName) {

        static Sources ofThisProcess() {
            String explicit = System.getProperty(SingleInstance.DIRECTORY_PROPERTY);
            String explicitName = SingleInstance.DIRECTORY_PROPERTY;
            if (blank(explicit)) {
                explicit = System.getenv(SingleInstance.DIRECTORY_ENVIRONMENT);
                explicitName = SingleInstance.DIRECTORY_ENVIRONMENT;
            }
            return new Sources(
                    blank(explicit) ? null : explicit,
                    explicitName,
                    System.getProperty("os.name", ""),
                    System.getenv("XDG_RUNTIME_DIR"),
                    System.getenv("XDG_CACHE_HOME"),
                    System.getProperty("user.home"),
                    System.getenv("LOCALAPPDATA"),
                    System.getProperty("java.io.tmpdir"),
                    System.getProperty("user.name"),
                    System.getenv("FLATPAK_ID"),
                    System.getenv("SNAP_INSTANCE_NAME"));
        }
    }

    /** The directory {@code sources} lead to (see the class comment), created and checked. */
    static Path choose(Sources sources) {
        if (sources.explicit() != null) {
            return OwnerOnlyDirectory.prepare(explicit(sources.explicit(), sources.explicitName()), sources.userName());
        }
        String xdgRuntimeDir =
                blank(sources.xdgRuntimeDir()) ? null : sources.xdgRuntimeDir().strip();
        if (!blank(sources.flatpakId())) {
            Path shared = flatpakAppDirectory(xdgRuntimeDir, sources.flatpakId().strip());
            // the one place sandboxed launches meet: kept even if too long for sockets (the posix backend needs none,
            // stream connections are then not offered), since any other place would make one primary per sandbox
            if (shared != null && usable(shared.resolve(LEAF), sources.userName(), false)) {
                return shared.resolve(LEAF);
            }
        }
        Path runtime = xdgRuntimeDir == null ? null : runtimeCandidate(xdgRuntimeDir, sources.snapInstanceName());
        if (runtime != null && usable(runtime, sources.userName(), true)) {
            return runtime;
        }
        Path cache = cacheCandidate(sources);
        if (cache != null && usable(cache, sources.userName(), true)) {
            return cache;
        }
        return fallback(sources);
    }

    /** The named directory, if its name is usable; a user's typo gets one line and exit 78 (EX_CONFIG). */
    private static Path explicit(String value, String setting) {
        Path dir = absolute(value);
        if (dir == null) {
            throw new SingleInstanceException(
                    setting + "=" + value + " is not an absolute path: name the directory for single-instance files "
                            + "by its absolute path",
                    78);
        }
        if (!fitsSockets(dir)) { // used all the same, as asked: the posix backend needs no socket to forward
            LoggerFactory.getLogger(PrivateDirectory.class)
                    .warn(
                            "{}={} is too long for the Unix-domain sockets made in it (at most {} bytes): no stream "
                                    + "connections, and the portable backend cannot wait; name a directory of at most "
                                    + "{} bytes",
                            setting,
                            value,
                            MAX_SOCKET_PATH_BYTES,
                            MAX_SOCKET_PATH_BYTES - 1 - SOCKET_NAME_BYTES);
        }
        return dir;
    }

    /** Step 1 of the class comment, or null when unfit (warned). Creates a snap's runtime directory. */
    private static Path runtimeCandidate(String xdgRuntimeDir, String snapInstanceName) {
        if (!blank(snapInstanceName)) {
            createSnapRuntimeDirectory(Path.of(xdgRuntimeDir), snapInstanceName.strip());
        }
        Path runtime = Path.of(xdgRuntimeDir);
        String refusal = unfitRuntimeDirectory(runtime);
        if (refusal == null) {
            return runtime.resolve(LEAF);
        }
        LoggerFactory.getLogger(PrivateDirectory.class)
                .warn(
                        "XDG_RUNTIME_DIR={} is not used for single-instance files: {}; using the cache directory "
                                + "instead",
                        xdgRuntimeDir,
                        refusal);
        return null;
    }

    /** Step 2 of the class comment, or null when the home is no absolute path to an existing directory. */
    private static Path cacheCandidate(Sources sources) {
        Path cacheHome = absolute(sources.xdgCacheHome());
        if (cacheHome != null) {
            return cacheHome.resolve(LEAF);
        }
        String os = sources.osName();
        Path localAppData = absolute(sources.localAppData());
        if (os.startsWith("Windows") && localAppData != null) {
            return localAppData.resolve(LEAF);
        }
        Path home = absolute(sources.userHome());
        if (!isUsableHome(sources.userHome())) {
            LoggerFactory.getLogger(PrivateDirectory.class)
                    .debug(
                            "user.home={} is not an absolute path to an existing directory: single-instance files "
                                    + "go to the temporary directory",
                            sources.userHome());
            return null;
        }
        return os.startsWith("Mac")
                ? home.resolve("Library").resolve("Caches").resolve(LEAF)
                : home.resolve(".cache").resolve(LEAF);
    }

    /**
     * Whether {@code dir} exists or could be created and passes the checks; false, logged, when it cannot be created
     * or its path is too long for the sockets made in it (then the next step is taken). A directory that exists but
     * is not this user's alone is refused (it may be a squatter's), not passed over.
     */
    private static boolean usable(Path dir, String userName, boolean socketsMustFit) {
        if (socketsMustFit && !fitsSockets(dir)) {
            LoggerFactory.getLogger(PrivateDirectory.class)
                    .warn(
                            "{} is not used for single-instance files: its path is too long for the Unix-domain "
                                    + "sockets made in it (at most {} bytes); trying the next place",
                            dir,
                            MAX_SOCKET_PATH_BYTES);
            return false;
        }
        Integer uid = Processes.currentUid();
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            IOException failure = OwnerOnlyDirectory.create(dir);
            if (failure != null) {
                LoggerFactory.getLogger(PrivateDirectory.class)
                        .debug("cannot create {} for single-instance files ({}); trying the next place", dir, failure);
                return false;
            }
        }
        OwnerOnlyDirectory.check(dir, userName, uid);
        return true;
    }

    /** Step 3 of the class comment: the temporary directory, per uid; created and checked, or a failure (71, 77). */
    private static Path fallback(Sources sources) {
        Path tmp = absolute(sources.tmpDir());
        if (tmp == null) {
            throw new SingleInstanceException(
                    "no place for single-instance files: the home cannot hold them and java.io.tmpdir="
                            + sources.tmpDir() + " is not an absolute path; name a directory with -D"
                            + SingleInstance.DIRECTORY_PROPERTY + "=... or " + SingleInstance.DIRECTORY_ENVIRONMENT,
                    71);
        }
        Integer uid = Processes.currentUid(); // null on Windows only (or without jdk.security.auth): then the name
        Path dir =
                tmp.resolve(LEAF + "-" + (uid != null ? Integer.toUnsignedString(uid) : nameTag(sources.userName())));
        if (!fitsSockets(dir)) { // the last place left: use it, say why sockets may fail
            LoggerFactory.getLogger(PrivateDirectory.class)
                    .warn(
                            "{} is too long for Unix-domain sockets (at most {} bytes); name a shorter directory "
                                    + "with -D{}=...",
                            dir,
                            MAX_SOCKET_PATH_BYTES,
                            SingleInstance.DIRECTORY_PROPERTY);
        }
        return OwnerOnlyDirectory.prepare(dir, sources.userName(), uid);
    }

    /** A file-name-safe tag for a user known by name only (Windows), stable across launches. */
    static String nameTag(String userName) {
        if (userName != null && userName.matches("[A-Za-z0-9._-]{1,64}") && !userName.startsWith(".")) {
            return userName;
        }
        return "u" + Integer.toHexString(String.valueOf(userName).hashCode());
    }

    /** Whether the longest socket name made in {@code dir} still fits a socket path every OS binds. */
    public static boolean fitsSockets(Path dir) {
        return dir.toString().getBytes(StandardCharsets.UTF_8).length + 1 + SOCKET_NAME_BYTES <= MAX_SOCKET_PATH_BYTES;
    }

    /** Whether {@code userHome} is an absolute path to an existing directory (Java says "?" where it knows none). */
    static boolean isUsableHome(String userHome) {
        Path home = absolute(userHome);
        return home != null && Files.isDirectory(home);
    }

    /** {@code value} as an absolute path, or null if it is unset, relative or no path at all on this OS. */
    private static Path absolute(String value) {
        if (blank(value)) {
            return null;
        }
        try {
            Path path = Path.of(value.strip());
            return path.isAbsolute() ? path : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /**
     * {@code $XDG_RUNTIME_DIR/app/$FLATPAK_ID} if it is a fit directory, else null (with a warning: instances of the
     * application in other sandboxes will then not see this one).
     */
    static Path flatpakAppDirectory(String xdgRuntimeDir, String flatpakId) {
        String refusal;
        Path shared = null;
        if (!isFlatpakId(flatpakId)) {
            refusal = "it is not a Flatpak application id";
        } else if (xdgRuntimeDir == null) {
            refusal = "XDG_RUNTIME_DIR is not set";
        } else {
            shared = Path.of(xdgRuntimeDir).resolve("app").resolve(flatpakId);
            refusal = unfitRuntimeDirectory(shared);
        }
        if (refusal == null) {
            return shared;
        }
        LoggerFactory.getLogger(PrivateDirectory.class)
                .warn(
                        "FLATPAK_ID={} is set, but its shared directory {} is "
                                + "not used for single-instance files: {}; instances of this application in other Flatpak sandboxes "
                                + "will not find this one",
                        flatpakId,
                        shared != null ? shared : "$XDG_RUNTIME_DIR/app/" + flatpakId,
                        refusal);
        return null;
    }

    /** Letters, digits, '_', '-' and '.' (not first, never two in a row), at most 255: never a path of its own. */
    static boolean isFlatpakId(String id) {
        if (id.isEmpty() || id.length() > 255 || id.charAt(0) == '.' || id.contains("..")) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '_'
                    || c == '-'
                    || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /**
     * In a strict snap: creates {@code runtime} owner-only if it is the snap's own runtime directory
     * ({@code .../snap.<instance name>}), is absent, and its parent is a fit runtime directory (snapd creates it
     * the same way). Anything else is left to the checks of step 1.
     */
    static void createSnapRuntimeDirectory(Path runtime, String snapInstanceName) {
        Path parent = runtime.getParent();
        if (!runtime.isAbsolute()
                || parent == null
                || runtime.getFileName() == null
                || !runtime.getFileName().toString().equals("snap." + snapInstanceName)
                || Files.exists(runtime, LinkOption.NOFOLLOW_LINKS)
                || unfitRuntimeDirectory(parent) != null) {
            return;
        }
        try {
            if (OwnerOnlyDirectory.hasPosixPermissions(parent)) {
                Files.createDirectory(runtime, PosixFilePermissions.asFileAttribute(OwnerOnlyDirectory.permissions()));
            } else {
                Files.createDirectory(runtime);
            }
        } catch (IOException e) {
            // another process made it meanwhile, or we may not: step 1 checks whatever is there
        }
    }

    /** Why {@code runtime} is no fit runtime directory, or null if it is one. */
    static String unfitRuntimeDirectory(Path runtime) {
        if (!runtime.isAbsolute()) {
            return "not an absolute path";
        }
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(runtime, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                return "it is a symbolic link";
            }
            if (!attributes.isDirectory()) {
                return "not a directory";
            }
            Integer ownUid = Processes.currentUid();
            if (ownUid != null) {
                Map<String, Object> unix = Files.readAttributes(runtime, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
                int uid = (Integer) unix.get("uid");
                if (uid != ownUid) {
                    return "it belongs to uid " + uid + ", not to this user (uid " + ownUid + ")";
                }
                int mode = (Integer) unix.get("mode") & 0777;
                if ((mode & 0077) != 0) {
                    return "it is open to other users (mode " + Integer.toOctalString(mode) + ")";
                }
            }
            return null;
        } catch (NoSuchFileException e) {
            return "it does not exist";
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot read its attributes: " + e;
        }
    }
}
