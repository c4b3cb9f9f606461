/*
 * Windows' and macOS' file rules, played on Linux: an LD_PRELOAD library for the test JVMs of the portable backend
 * (built by the tests with the system C compiler: io.github.singleinstance.testing.PlatformRules).
 *
 * SI_RULES (comma-separated) chooses the rules:
 *   windows-locks   A read or write of bytes that another process has locked fails with EACCES, as Windows'
 *                   byte-range locks are mandatory (ReadFile/WriteFile give ERROR_LOCK_VIOLATION; the JDK reports
 *                   an IOException). Exclusive locks deny reads and writes, shared locks deny writes. Asked of the
 *                   kernel with F_GETLK, which sees the record locks of other processes (the JDK's FileChannel
 *                   locks are such locks).
 *   windows-delete  Removing a file under SI_RULES_DIR fails with EACCES while any process maps it or another
 *                   process has it open; truncating one fails the same way while another process maps it. Windows
 *                   refuses to delete or resize a mapped file; a file open elsewhere (the JDK opens with
 *                   FILE_SHARE_DELETE) is deleted "pending": its name stays taken until the last handle closes,
 *                   and creating that name meanwhile is refused. A refused delete leaves the name taken in the same
 *                   way, so playing "pending" as "refused" tests the same thing: that nothing relies on the delete.
 *   no-proc         Paths under /proc do not exist for the program (macOS has no /proc): every path call the JDK's
 *                   file API makes (open, stat, readlink, access, opendir) answers ENOENT. fopen is left alone: the
 *                   JDK's own ProcessHandle reads /proc/<pid>/stat through it on Linux, where on macOS it asks
 *                   sysctl; without it no process would look alive, which is not macOS either.
 *
 * Self-contained, no state but the real functions found with dlsym(RTLD_NEXT).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#define REAL(name) static __typeof__(name) *real_##name; if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name)

/* Whether rule `name` applies: named in SI_RULES, and this process is a JVM (not a wrapper such as bwrap). */
static int rule(const char *name) {
    const char *rules = getenv("SI_RULES");
    if (rules == NULL || strcmp(program_invocation_short_name, "java") != 0) {
        return 0;
    }
    size_t length = strlen(name);
    for (const char *at = strstr(rules, name); at != NULL; at = strstr(at + 1, name)) {
        if ((at == rules || at[-1] == ',') && (at[length] == '\0' || at[length] == ',')) {
            return 1;
        }
    }
    return 0;
}

/* The real path calls, for this library's own look at /proc (which no-proc hides from the program). */
static int syscall_stat_follow(const char *path, struct stat *st) {
    REAL(stat);
    return real_stat(path, st);
}

static int syscall_stat_nofollow(const char *path, struct stat *st) {
    REAL(lstat);
    return real_lstat(path, st);
}

static ssize_t syscall_readlink(const char *path, char *buf, size_t size) {
    REAL(readlink);
    return real_readlink(path, buf, size);
}

/* ---- windows-locks ---- */

#define CURRENT_POSITION ((off_t) -1)

/*
 * Whether another process holds a lock that Windows would let deny this access to [start, start + length); start
 * CURRENT_POSITION: the descriptor's position. Leaves errno as it was.
 */
static int locked_elsewhere(int fd, off_t start, size_t length, int writing) {
    if (length == 0 || !rule("windows-locks")) {
        return 0;
    }
    int saved = errno;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        errno = saved;
        return 0;
    }
    if (start == CURRENT_POSITION) {
        start = lseek(fd, 0, SEEK_CUR);
    }
    struct flock probe = {0};
    probe.l_type = writing ? F_WRLCK : F_RDLCK; /* a read is denied by exclusive locks, a write by any */
    probe.l_whence = SEEK_SET;
    probe.l_start = start;
    probe.l_len = (off_t) length;
    int conflict = start >= 0 && fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK;
    errno = saved;
    return conflict;
}

ssize_t pread64(int fd, void *buf, size_t count, off_t offset) {
    REAL(pread64);
    if (locked_elsewhere(fd, offset, count, 0)) {
        errno = EACCES;
        return -1;
    }
    return real_pread64(fd, buf, count, offset);
}

ssize_t pread(int fd, void *buf, size_t count, off_t offset) {
    return pread64(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) {
    REAL(pwrite64);
    if (locked_elsewhere(fd, offset, count, 1)) {
        errno = EACCES;
        return -1;
    }
    return real_pwrite64(fd, buf, count, offset);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
    return pwrite64(fd, buf, count, offset);
}

ssize_t read(int fd, void *buf, size_t count) {
    REAL(read);
    if (locked_elsewhere(fd, CURRENT_POSITION, count, 0)) {
        errno = EACCES;
        return -1;
    }
    return real_read(fd, buf, count);
}

ssize_t write(int fd, const void *buf, size_t count) {
    REAL(write);
    if (locked_elsewhere(fd, CURRENT_POSITION, count, 1)) {
        errno = EACCES;
        return -1;
    }
    return real_write(fd, buf, count);
}

/* ---- windows-delete ---- */

static int under_rules_dir(const char *path) {
    const char *dir = getenv("SI_RULES_DIR");
    size_t length = dir != NULL ? strlen(dir) : 0;
    return length > 0 && strncmp(path, dir, length) == 0 && (path[length] == '/' || path[length] == '\0');
}

/* Whether process `pid` maps the file (device, inode). */
static int maps(const char *pid, dev_t device, ino_t inode) {
    char name[64];
    snprintf(name, sizeof name, "/proc/%s/maps", pid);
    FILE *maps = fopen(name, "re");
    if (maps == NULL) {
        return 0;
    }
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, maps) != NULL) {
        unsigned int major_number, minor_number;
        unsigned long long node;
        if (sscanf(line, "%*s %*s %*s %x:%x %llu", &major_number, &minor_number, &node) == 3 && node == inode
                && makedev(major_number, minor_number) == device) {
            found = 1;
        }
        while (strchr(line, '\n') == NULL && fgets(line, sizeof line, maps) != NULL) {
            /* the rest of a long line */
        }
    }
    fclose(maps);
    return found;
}

/* Whether process `pid` has a descriptor of the file (device, inode) open. */
static int has_open(const char *pid, dev_t device, ino_t inode) {
    char name[64];
    snprintf(name, sizeof name, "/proc/%s/fd", pid);
    REAL(opendir);
    DIR *descriptors = real_opendir(name);
    if (descriptors == NULL) {
        return 0;
    }
    int found = 0;
    struct dirent *entry;
    while (!found && (entry = readdir(descriptors)) != NULL) {
        char link[320];
        struct stat st;
        snprintf(link, sizeof link, "%s/%s", name, entry->d_name);
        if (entry->d_name[0] != '.' && syscall_stat_follow(link, &st) == 0 && st.st_dev == device
                && st.st_ino == inode) {
            found = 1;
        }
    }
    closedir(descriptors);
    return found;
}

/* Whether the file is mapped by any process (or, with `others_only`, by another) or, unless `mapped_only`, open in
 * another process. */
static int in_use(dev_t device, ino_t inode, int others_only, int mapped_only) {
    REAL(opendir);
    DIR *processes = real_opendir("/proc");
    if (processes == NULL) {
        return 0;
    }
    char self[32];
    snprintf(self, sizeof self, "%d", (int) getpid());
    int found = 0;
    struct dirent *entry;
    while (!found && (entry = readdir(processes)) != NULL) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') {
            continue;
        }
        int is_self = strcmp(entry->d_name, self) == 0;
        if ((!others_only || !is_self) && maps(entry->d_name, device, inode)) {
            found = 1;
        } else if (!mapped_only && !is_self && has_open(entry->d_name, device, inode)) {
            found = 1;
        }
    }
    closedir(processes);
    return found;
}

static int delete_refused(const char *path) {
    if (!rule("windows-delete") || path == NULL || !under_rules_dir(path)) {
        return 0;
    }
    struct stat st;
    if (syscall_stat_nofollow(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return 0;
    }
    return in_use(st.st_dev, st.st_ino, 0, 0);
}

int unlink(const char *path) {
    REAL(unlink);
    if (delete_refused(path)) {
        errno = EACCES;
        return -1;
    }
    return real_unlink(path);
}

int unlinkat(int dirfd, const char *path, int flags) {
    REAL(unlinkat);
    if ((path[0] == '/' || dirfd == AT_FDCWD) && delete_refused(path)) {
        errno = EACCES;
        return -1;
    }
    return real_unlinkat(dirfd, path, flags);
}

int ftruncate64(int fd, off_t length) {
    REAL(ftruncate64);
    struct stat st;
    if (rule("windows-delete") && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        char link[64], path[4096];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = syscall_readlink(link, path, sizeof path - 1);
        if (n > 0) {
            path[n] = '\0';
            if (under_rules_dir(path) && in_use(st.st_dev, st.st_ino, 1, 1)) {
                errno = EACCES;
                return -1;
            }
        }
    }
    return real_ftruncate64(fd, length);
}

int ftruncate(int fd, off_t length) {
    return ftruncate64(fd, length);
}

/* ---- no-proc ---- */

static int hidden(const char *path) {
    return path != NULL && strncmp(path, "/proc", 5) == 0 && (path[5] == '/' || path[5] == '\0') && rule("no-proc");
}

#define HIDE(path, failure) \
    if (hidden(path)) { \
        errno = ENOENT; \
        return failure; \
    }

int open64(const char *path, int flags, ...) {
    REAL(open64);
    HIDE(path, -1);
    va_list args;
    va_start(args, flags);
    mode_t mode = va_arg(args, mode_t);
    va_end(args);
    return real_open64(path, flags, mode);
}

int open(const char *path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    mode_t mode = va_arg(args, mode_t);
    va_end(args);
    return open64(path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
    REAL(openat64);
    HIDE(path, -1);
    va_list args;
    va_start(args, flags);
    mode_t mode = va_arg(args, mode_t);
    va_end(args);
    return real_openat64(dirfd, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
    va_list args;
    va_start(args, flags);
    mode_t mode = va_arg(args, mode_t);
    va_end(args);
    return openat64(dirfd, path, flags, mode);
}

int stat64(const char *path, struct stat64 *st) {
    REAL(stat64);
    HIDE(path, -1);
    return real_stat64(path, st);
}

int stat(const char *path, struct stat *st) {
    REAL(stat);
    HIDE(path, -1);
    return real_stat(path, st);
}

int lstat64(const char *path, struct stat64 *st) {
    REAL(lstat64);
    HIDE(path, -1);
    return real_lstat64(path, st);
}

int lstat(const char *path, struct stat *st) {
    REAL(lstat);
    HIDE(path, -1);
    return real_lstat(path, st);
}

int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags) {
    REAL(fstatat64);
    HIDE(path, -1);
    return real_fstatat64(dirfd, path, st, flags);
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags) {
    REAL(fstatat);
    HIDE(path, -1);
    return real_fstatat(dirfd, path, st, flags);
}

int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *st) {
    REAL(statx);
    HIDE(path, -1);
    return real_statx(dirfd, path, flags, mask, st);
}

ssize_t readlink(const char *path, char *buf, size_t size) {
    REAL(readlink);
    HIDE(path, -1);
    return real_readlink(path, buf, size);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size) {
    REAL(readlinkat);
    HIDE(path, -1);
    return real_readlinkat(dirfd, path, buf, size);
}

int access(const char *path, int mode) {
    REAL(access);
    HIDE(path, -1);
    return real_access(path, mode);
}

int faccessat(int dirfd, const char *path, int mode, int flags) {
    REAL(faccessat);
    HIDE(path, -1);
    return real_faccessat(dirfd, path, mode, flags);
}

DIR *opendir(const char *path) {
    REAL(opendir);
    HIDE(path, NULL);
    return real_opendir(path);
}
