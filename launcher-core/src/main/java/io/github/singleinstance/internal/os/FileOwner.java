package io.github.singleinstance.internal.os;

import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.SingleInstanceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * This user, as the owner of the files the pure-JDK code paths create and open: the mode new files get, and the check
 * that refuses a file of another user or one open to others. Where the file system has uids (POSIX), by uid and
 * mode; elsewhere (Windows) by owner name. Immutable; any thread.
 */
public final class FileOwner {

    private static final int ACCESS_BY_OTHERS = 0077;

    private final Integer uid;
    private final String userName;

    /** @param uid this user's uid, or null where the file system has none (then {@code userName} is compared) */
    public FileOwner(Integer uid, String userName) {
        this.uid = uid;
        this.userName = userName;
    }

    /** The uid, or null where the file system has none. */
    public Integer uid() {
        return uid;
    }

    /**
     * The attributes a new file gets: read and write for its owner only (POSIX), the default elsewhere. Built on
     * demand: a second launch, which creates nothing as a rule, need not load the permission classes.
     */
    public FileAttribute<?>[] ownerOnly() {
        return uid != null
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
                : new FileAttribute<?>[0];
    }

    /**
     * The refusal of an object that has this instance's name but someone else's owner. In a private directory only
     * this user (or root) can have put it there; in {@code /dev/shm} (Scope.SYSTEM) any user can: then it may be
     * another user's instance of the same application, or an attempt to stop this one from starting.
     */
    public static String foreignMessage(Path path, String owner, String user) {
        return path + " has this instance's name but belongs to " + owner + ", not to this user (" + user + "); it "
                + "is never read, written or followed. Someone else made it: another user's instance (Scope.SYSTEM), "
                + "or an attempt to stop this application from starting. To recover, remove it (as its owner or as "
                + "root), or give this application another id (-Dsingle-instance.id=...).";
    }

    /**
     * Refuses {@code path} if it belongs to another user or is open to others; a symbolic link is judged as itself.
     *
     * @return false if nothing has that name (any more: callers that opened it first lost a race with its removal)
     * @throws ForeignOwnerException if it is not this user's alone
     */
    public boolean check(Path path) {
        try {
            if (uid != null) {
                Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
                int owner = (Integer) attributes.get("uid");
                int mode = (Integer) attributes.get("mode");
                if (owner != uid) {
                    throw new ForeignOwnerException(foreignMessage(path, "uid " + owner, "uid " + uid));
                }
                if ((mode & ACCESS_BY_OTHERS) != 0) {
                    throw new ForeignOwnerException("file " + path + " is open to other users (mode "
                            + Integer.toOctalString(mode & 0777) + "); it is never used. Remove it.");
                }
            } else {
                String owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
                if (!owner.equals(userName) && !owner.endsWith("\\" + userName)) {
                    throw new ForeignOwnerException(foreignMessage(path, owner, userName));
                }
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new SingleInstanceException("cannot read the owner of " + path + ": " + e, 71, e);
        }
    }
}
