package io.github.singleinstance.internal.os;

import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.SingleInstance;
import io.github.singleinstance.SingleInstanceException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * A directory only its user can enter: created owner-only (rwx------ where the file system has POSIX permissions),
 * and checked every time it is used: a real directory, not a link, owned by this user, open to no one else. A
 * directory that fails the check is refused with {@link ForeignOwnerException} (exit 77): someone else made it, or
 * opened it. Stateless; any thread.
 */
public final class OwnerOnlyDirectory {

    private OwnerOnlyDirectory() {}

    /**
     * rwx------, built when needed, not in a static initialiser: a permission set is an EnumSet, whose first use
     * reflects on the enum, some 10 ms of a second launch on Java 25 (a second launch only checks the mode bits).
     */
    static Set<PosixFilePermission> permissions() {
        return PosixFilePermissions.fromString("rwx------");
    }

    /** Creates {@code dir} owner-only if absent (and its parent, owner-only, if absent), then checks it; returns it. */
    public static Path prepare(Path dir, String userName) {
        return prepare(dir, userName, Processes.currentUid());
    }

    static Path prepare(Path dir, String userName, Integer uid) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) { // else the usual case, and a second launch's: only check
            IOException failure = create(dir);
            if (failure != null) {
                throw new SingleInstanceException(
                        "cannot create the directory for single-instance files: path=" + dir + ": " + failure,
                        71,
                        failure);
            }
        }
        check(dir, userName, uid);
        return dir;
    }

    /** Creates {@code dir} owner-only, and its parent if absent; null if done or made meanwhile, else the failure. */
    static IOException create(Path dir) {
        boolean posix = hasPosixPermissions(dir);
        try {
            if (dir.getParent() != null && !Files.isDirectory(dir.getParent())) {
                if (posix) {
                    Files.createDirectories(dir.getParent(), PosixFilePermissions.asFileAttribute(permissions()));
                } else {
                    Files.createDirectories(dir.getParent());
                }
            }
        } catch (IOException e) { // FileAlreadyExistsException too: a file where the parent should be
            return e;
        }
        try {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(permissions()));
            } else {
                Files.createDirectory(dir);
            }
            return null;
        } catch (FileAlreadyExistsException e) {
            return null; // checked like one we created
        } catch (IOException e) {
            return e;
        }
    }

    public static boolean hasPosixPermissions(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** @param ownUid this user's uid, or null where unknown (then the owner's name is compared) */
    static void check(Path dir, String userName, Integer ownUid) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isDirectory()) {
                throw new ForeignOwnerException(dir + " is not a directory (a symbolic link or a file); "
                        + "single-instance keeps its files there and never follows it. Remove it.");
            }
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
                if (!permissions.equals(permissions())) {
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
                + "never used. Remove it, or name another directory with -D" + SingleInstance.DIRECTORY_PROPERTY
                + "=... or "
                + SingleInstance.DIRECTORY_ENVIRONMENT + ".");
    }

    private static ForeignOwnerException openToOthers(Path dir, String mode) {
        return new ForeignOwnerException(
                dir + " has permissions " + mode + "; it must be open to its owner only: chmod 700 " + dir);
    }
}
