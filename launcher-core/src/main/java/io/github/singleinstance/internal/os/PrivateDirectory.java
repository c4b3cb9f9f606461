package io.github.singleinstance.internal.os;

import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.SingleInstanceException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
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
 * 2. $XDG_CACHE_HOME/single-instance    else ~/.cache/single-instance: inside the user's home, where only the user
 *                                       creates names. Not a tmpfs: the mapped channel's pages may be written back
 *                                       to disk now and then; the names are removed when the primary stops. (In a
 *                                       strict snap $HOME is per snap revision, ~/snap/NAME/REVISION.)
 * </pre>
 * Nothing here relies on a process id being meaningful in another sandbox: who is primary is the kernel's record lock
 * on the claim file, which works across mount and pid namespaces as long as both see the same file.
 * The leaf is created owner-only (0700 where the file system has POSIX permissions) and checked every time: a
 * directory that is a symbolic link, belongs to someone else or is open to others is refused (exit 77), since
 * whoever can write into it could impersonate the primary. Inside it nothing follows symbolic links. Stateless; any
 * thread.
 */
public final class PrivateDirectory {

    private static final String LEAF = "single-instance";

    private PrivateDirectory() {}

    /**
     * rwx------, built when needed, not in a static initialiser: a permission set is an EnumSet, whose first use
     * reflects on the enum, some 10 ms of a second launch on Java 25 (a second launch only checks the mode bits).
     */
    private static Set<PosixFilePermission> ownerOnly() {
        return PosixFilePermissions.fromString("rwx------");
    }

    /** The directory for this process's user, from its environment; created and checked. */
    public static Path ofThisUser() {
        Path dir = choose(
                System.getenv("XDG_RUNTIME_DIR"),
                System.getenv("XDG_CACHE_HOME"),
                System.getProperty("user.home"),
                System.getenv("FLATPAK_ID"),
                System.getenv("SNAP_INSTANCE_NAME"));
        return prepare(dir, System.getProperty("user.name"));
    }

    /**
     * Where the directory goes: under the runtime directory if it is fit for it (see the class comment), else under
     * the cache directory.
     */
    static Path choose(String xdgRuntimeDir, String xdgCacheHome, String userHome) {
        return choose(xdgRuntimeDir, xdgCacheHome, userHome, null, null);
    }

    /**
     * Where the directory goes, in a sandbox too: {@code flatpakId} and {@code snapInstanceName} are the values of
     * {@code FLATPAK_ID} and {@code SNAP_INSTANCE_NAME} (null where unset); see the class comment.
     */
    static Path choose(
            String xdgRuntimeDir, String xdgCacheHome, String userHome, String flatpakId, String snapInstanceName) {
        boolean runtimeSet = xdgRuntimeDir != null && !xdgRuntimeDir.isBlank();
        if (flatpakId != null && !flatpakId.isBlank()) {
            Path shared = flatpakAppDirectory(runtimeSet ? xdgRuntimeDir.strip() : null, flatpakId.strip());
            if (shared != null) {
                return shared.resolve(LEAF);
            }
        }
        if (runtimeSet && snapInstanceName != null && !snapInstanceName.isBlank()) {
            createSnapRuntimeDirectory(Path.of(xdgRuntimeDir.strip()), snapInstanceName.strip());
        }
        if (runtimeSet) {
            Path runtime = Path.of(xdgRuntimeDir.strip());
            String refusal = unfitRuntimeDirectory(runtime);
            if (refusal == null) {
                return runtime.resolve(LEAF);
            }
            LoggerFactory.getLogger(PrivateDirectory.class)
                    .warn(
                            "XDG_RUNTIME_DIR={} is not used for single-instance "
                                    + "files: {}; using the cache directory instead",
                            xdgRuntimeDir,
                            refusal);
        }
        Path cache = xdgCacheHome != null
                        && !xdgCacheHome.isBlank()
                        && Path.of(xdgCacheHome.strip()).isAbsolute()
                ? Path.of(xdgCacheHome.strip())
                : Path.of(userHome, ".cache");
        return cache.resolve(LEAF);
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
            if (hasPosixPermissions(parent)) {
                Files.createDirectory(runtime, PosixFilePermissions.asFileAttribute(ownerOnly()));
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

    /** Creates {@code dir} owner-only if absent (and its parent, owner-only, if absent), then checks it; returns it. */
    public static Path prepare(Path dir, String userName) {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) { // the usual case, and a second launch's: only check
            check(dir, userName);
            return dir;
        }
        boolean posix = hasPosixPermissions(dir);
        try {
            if (dir.getParent() != null && !Files.isDirectory(dir.getParent())) {
                if (posix) {
                    Files.createDirectories(dir.getParent(), PosixFilePermissions.asFileAttribute(ownerOnly()));
                } else {
                    Files.createDirectories(dir.getParent());
                }
            }
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(ownerOnly()));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // checked below like one we created
        } catch (IOException e) {
            throw new SingleInstanceException(
                    "cannot create the directory for single-instance files: path=" + dir + ": " + e, 71, e);
        }
        check(dir, userName);
        return dir;
    }

    public static boolean hasPosixPermissions(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void check(Path dir, String userName) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory()) {
                throw new ForeignOwnerException(dir + " is not a directory (a symbolic link or a file); "
                        + "single-instance keeps its files there and never follows it. Remove it.");
            }
            Integer ownUid = Processes.currentUid();
            if (ownUid != null) { // numbers only: no user-database lookup on the second launch
                Map<String, Object> unix = Files.readAttributes(dir, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
                int uid = (Integer) unix.get("uid");
                if (uid != ownUid) {
                    throw foreign(dir, "uid " + uid, "uid " + ownUid);
                }
                int mode = (Integer) unix.get("mode") & 0777;
                if (mode != 0700) {
                    throw openToOthers(dir, Integer.toOctalString(mode));
                }
                return;
            }
            String owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName();
            if (!owner.equals(userName) && !owner.endsWith("\\" + userName)) {
                throw foreign(dir, owner, userName);
            }
            if (hasPosixPermissions(dir)) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
                if (!permissions.equals(ownerOnly())) {
                    throw openToOthers(dir, PosixFilePermissions.toString(permissions));
                }
            }
        } catch (IOException e) {
            throw new SingleInstanceException(
                    "cannot check the directory for single-instance files: path=" + dir + ": " + e, 71, e);
        }
    }

    private static ForeignOwnerException foreign(Path dir, String owner, String user) {
        return new ForeignOwnerException(dir + " belongs to " + owner + ", not to this user (" + user + "); it is "
                + "never used. Remove it, or point XDG_RUNTIME_DIR or XDG_CACHE_HOME elsewhere.");
    }

    private static ForeignOwnerException openToOthers(Path dir, String mode) {
        return new ForeignOwnerException(
                dir + " has permissions " + mode + "; it must be open to its owner only: " + "chmod 700 " + dir);
    }
}
