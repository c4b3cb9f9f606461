package io.github.singleinstance.internal.os.portable;

import io.github.singleinstance.ForeignOwnerException;
import io.github.singleinstance.SingleInstanceException;
import io.github.singleinstance.internal.os.Processes;
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
 * The per-user directory that holds the portable backend's files: {@code $XDG_RUNTIME_DIR/single-instance} where
 * XDG_RUNTIME_DIR names a directory (per user, 0700, emptied at logout), else
 * {@code <java.io.tmpdir>/single-instance-<user>}. Created owner-only (0700 where the file system has POSIX
 * permissions) and checked every time: a directory that is a symbolic link, belongs to someone else or is open to
 * others is refused, since whoever can write into it could impersonate the primary. Stateless; any thread.
 */
final class PrivateDirectory {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private PrivateDirectory() {
    }

    /** Where the directory goes, from the environment's XDG_RUNTIME_DIR, the temp dir and the user's name. */
    static Path choose(String xdgRuntimeDir, String tempDir, String userName) {
        if (xdgRuntimeDir != null && !xdgRuntimeDir.isBlank()) {
            Path xdg = Path.of(xdgRuntimeDir.strip());
            if (xdg.isAbsolute() && Files.isDirectory(xdg)) {
                return xdg.resolve("single-instance");
            }
        }
        return Path.of(tempDir).resolve("single-instance-" + fileNameSafe(userName));
    }

    /** The name with every character but ASCII letters, digits, '.', '_' and '-' replaced by '_' (no regex). */
    static String fileNameSafe(String name) {
        char[] out = name.toCharArray();
        for (int i = 0; i < out.length; i++) {
            char c = out[i];
            boolean safe = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || c == '_' || c == '-';
            out[i] = safe ? c : '_';
        }
        return new String(out);
    }

    /** Creates {@code dir} owner-only if absent, then checks it; returns it. */
    static Path prepare(Path dir, String userName) {
        boolean posix = hasPosixPermissions(dir);
        try {
            if (posix) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // checked below like one we created
        } catch (IOException e) {
            throw new SingleInstanceException("cannot create the directory for single-instance files: path=" + dir
                    + ": " + e, 71, e);
        }
        check(dir, userName, posix);
        return dir;
    }

    static boolean hasPosixPermissions(Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void check(Path dir, String userName, boolean posix) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
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
            if (posix) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
                if (!permissions.equals(OWNER_ONLY)) {
                    throw openToOthers(dir, PosixFilePermissions.toString(permissions));
                }
            }
        } catch (IOException e) {
            throw new SingleInstanceException("cannot check the directory for single-instance files: path=" + dir
                    + ": " + e, 71, e);
        }
    }

    private static ForeignOwnerException foreign(Path dir, String owner, String user) {
        return new ForeignOwnerException(dir + " belongs to " + owner + ", not to this user (" + user + "); it is "
                + "never used. Remove it, or point XDG_RUNTIME_DIR or java.io.tmpdir elsewhere.");
    }

    private static ForeignOwnerException openToOthers(Path dir, String mode) {
        return new ForeignOwnerException(dir + " has permissions " + mode + "; it must be open to its owner only: "
                + "chmod 700 " + dir);
    }
}
