#include "config.h"

#include "base/atomic_file.h"
#include "base/privs.h"
#include "base/safedir.h"
#include "base/safeout.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

/* Attempts at a free temporary name before giving up. */
#define TMP_TRIES 64

static void write_error(char *err, size_t errlen, const char *path, int e)
{
    snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
}

/* What is at the target's name, and so how it is written. */
enum target {
    TARGET_FAIL = -1, /* refused or failed: the message is in ERR */
    TARGET_NONE,      /* nothing: a new file */
    TARGET_REGULAR,   /* the invoking user's regular file: replaced */
    TARGET_IN_PLACE,  /* a device, or the invoking user's FIFO: written as it is */
};

struct where {
    int dirfd;
    const char *name;
    const char *shown; /* for messages */
    uid_t uid;         /* the invoking user */
    unsigned flags;
};

static enum target refuse(const struct where *w, char *err, size_t errlen, const char *why)
{
    snprintf(err, errlen, "cannot write %s: %s", w->shown, why);
    return TARGET_FAIL;
}

static enum target fail_errno(const struct where *w, char *err, size_t errlen, int e)
{
    write_error(err, errlen, w->shown, e);
    return TARGET_FAIL;
}

/* Open the device or FIFO W names, which lstat found as ST: never waiting
 * for a FIFO's reader, never taking a terminal as ours, and making sure
 * what was opened is what was looked at. */
static enum target open_in_place(const struct where *w, const struct stat *st, int *fd, char *err,
                                 size_t errlen)
{
    *fd = openat(w->dirfd, w->name, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (*fd < 0) {
        if (errno == ENXIO && S_ISFIFO(st->st_mode))
            return refuse(w, err, errlen, "a FIFO with no reader");
        return fail_errno(w, err, errlen, errno);
    }
    struct stat now;
    if (fstat(*fd, &now) != 0 || now.st_dev != st->st_dev || now.st_ino != st->st_ino) {
        close(*fd);
        *fd = -1;
        return refuse(w, err, errlen, "it changed while being opened");
    }
    /* Writes may wait for a slow reader; only the open must not. */
    int fl = fcntl(*fd, F_GETFL);
    if (fl >= 0)
        fcntl(*fd, F_SETFL, fl & ~O_NONBLOCK);
    return TARGET_IN_PLACE;
}

/* Look at W's target without following it; for TARGET_IN_PLACE, *FD is
 * the open descriptor to write to. */
static enum target look(const struct where *w, int *fd, char *err, size_t errlen)
{
    *fd = -1;
    if (!*w->name)
        return fail_errno(w, err, errlen, EISDIR);
    struct stat st;
    if (fstatat(w->dirfd, w->name, &st, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? TARGET_NONE : fail_errno(w, err, errlen, errno);
    bool mine = st.st_uid == w->uid;
    char why[96];
    snprintf(why, sizeof why, "it belongs to another user (uid %lu)", (unsigned long)st.st_uid);
    if (S_ISLNK(st.st_mode))
        return refuse(w, err, errlen, "a symbolic link (not followed)");
    if (S_ISDIR(st.st_mode))
        return fail_errno(w, err, errlen, EISDIR);
    if (S_ISREG(st.st_mode))
        return mine ? TARGET_REGULAR : refuse(w, err, errlen, why);
    if (w->flags & ATOMIC_FILE_REGULAR)
        return refuse(w, err, errlen, "not a regular file");
    if (S_ISFIFO(st.st_mode) && !mine)
        return refuse(w, err, errlen, why);
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
        return open_in_place(w, &st, fd, err, errlen);
    return refuse(w, err, errlen, "not a regular file, FIFO or device");
}

/* Create a temporary file "NAME.XXXXXX" in W's directory; its name goes
 * into *TMP (malloc'd). The descriptor, or -1 with errno set. */
static int create_temp(const struct where *w, mode_t mode, char **tmp)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    size_t n = strlen(w->name);
    char *t = malloc(n + 8);
    if (!t) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(t, w->name, n);
    t[n] = '.';
    for (int tries = 0; tries < TMP_TRIES; tries++) {
        unsigned char rnd[6];
        if (getrandom(rnd, sizeof rnd, GRND_NONBLOCK) != (ssize_t)sizeof rnd) {
            uint64_t x = (uint64_t)clock() ^ ((uint64_t)getpid() << 20) ^ (uint64_t)tries << 40;
            for (size_t i = 0; i < sizeof rnd; i++, x >>= 7)
                rnd[i] = (unsigned char)(x ^ (uint64_t)time(NULL));
        }
        for (size_t i = 0; i < sizeof rnd; i++)
            t[n + 1 + i] = digits[rnd[i] % (sizeof digits - 1)];
        t[n + 7] = '\0';
        int fd = openat(w->dirfd, t, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0) {
            if (fchmod(fd, mode) != 0) {
                /* the umask can only have taken bits away from MODE */
            }
            *tmp = t;
            return fd;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    free(t);
    errno = e;
    return -1;
}

/* Hand a file fanotop made to the invoking user, who would otherwise find
 * a root-owned file among their own. Best effort: still written if not. */
static void give(int fd, uid_t uid, gid_t gid)
{
    if (geteuid() == 0 && uid != 0 && fchown(fd, uid, gid) != 0) {
    }
}

/* Rename TMP to NAME in DIRFD unless NAME exists (EEXIST then). A
 * filesystem without RENAME_NOREPLACE gets a hard link, which fails the
 * same way; one without hard links, a plain rename. */
static int rename_noreplace(int dirfd, const char *tmp, const char *name)
{
    if (renameat2(dirfd, tmp, dirfd, name, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    if (linkat(dirfd, tmp, dirfd, name, 0) == 0) {
        unlinkat(dirfd, tmp, 0);
        return 0;
    }
    if (errno != EPERM && errno != EOPNOTSUPP)
        return -1;
    return renameat(dirfd, tmp, dirfd, name);
}

/* Put the temporary file TMP in the target's place: where nothing is (and
 * nothing may appear meanwhile), or over the invoking user's regular file;
 * anything else found there now is refused as look() would. 0, or -1 with
 * the message in ERR. */
static int put_in_place(const struct where *w, const char *tmp, char *err, size_t errlen)
{
    for (int tries = 0; tries < 3; tries++) {
        int fd;
        enum target t = look(w, &fd, err, errlen);
        if (t == TARGET_IN_PLACE) {
            close(fd);
            refuse(w, err, errlen, "it became a device or FIFO meanwhile");
            return -1;
        }
        if (t == TARGET_FAIL)
            return -1;
        int rc = t == TARGET_REGULAR ? renameat(w->dirfd, tmp, w->dirfd, w->name)
                                     : rename_noreplace(w->dirfd, tmp, w->name);
        if (rc == 0)
            return 0;
        if (t == TARGET_REGULAR || errno != EEXIST)
            break; /* EEXIST: something appeared; look again */
    }
    fail_errno(w, err, errlen, errno);
    return -1;
}

/* The directory PATH's file goes into, its name in *NAME (pointing into
 * PATH): no symbolic link but root's or the invoking user's (UID) leads
 * there. -1 with ERR. */
static int open_dir_of(const char *path, const char **name, uid_t uid, gid_t gid, char *err,
                       size_t errlen)
{
    const char *slash = strrchr(path, '/');
    *name = slash ? slash + 1 : path;
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) {
        write_error(err, errlen, path, ENOMEM);
        return -1;
    }
    int fd = safedir_open(dir, path, uid, gid, SAFEDIR_USER_LINKS, "write", err, errlen);
    if (fd == SAFEDIR_MISSING) {
        write_error(err, errlen, path, ENOENT);
        fd = -1;
    }
    free(dir);
    return fd;
}

static void atomic_file_free(struct atomic_file *af)
{
    if (af->own_dirfd && af->dirfd >= 0)
        close(af->dirfd);
    free(af->path);
    free(af->name);
    free(af->tmp_name);
    af->path = af->name = af->tmp_name = NULL;
    af->fp = NULL;
    af->dirfd = -1;
    af->own_dirfd = false;
}

static struct where where_of(const struct atomic_file *af, unsigned flags)
{
    return (struct where){af->dirfd, af->name, af->path, af->uid, flags};
}

int atomic_file_openat(struct atomic_file *af, int dirfd, const char *name, const char *shown,
                       mode_t mode, unsigned flags, char *err, size_t errlen)
{
    memset(af, 0, sizeof *af);
    af->dirfd = dirfd;
    privs_invoker(&af->uid, &af->gid);
    af->path = strdup(shown);
    af->name = strdup(name);
    if (!af->path || !af->name) {
        write_error(err, errlen, shown, ENOMEM);
        goto fail;
    }
    struct where w = where_of(af, flags);
    int fd;
    enum target t = look(&w, &fd, err, errlen);
    if (t == TARGET_FAIL)
        goto fail;
    if (t != TARGET_IN_PLACE && (fd = create_temp(&w, mode, &af->tmp_name)) < 0) {
        write_error(err, errlen, shown, errno);
        goto fail;
    }
    if (!(af->fp = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        if (af->tmp_name)
            unlinkat(dirfd, af->tmp_name, 0);
        write_error(err, errlen, shown, e);
        goto fail;
    }
    if (t == TARGET_IN_PLACE && isatty(fd)) {
        /* A terminal named as the file: it shows what is written, escaped. */
        FILE *tty = safeout_stream(af->fp, true);
        if (!tty) {
            fclose(af->fp);
            write_error(err, errlen, shown, ENOMEM);
            goto fail;
        }
        af->fp = tty;
    }
    return 0;
fail:
    atomic_file_free(af);
    return -1;
}

int atomic_file_open(struct atomic_file *af, const char *path, mode_t mode, char *err,
                     size_t errlen)
{
    const char *name;
    uid_t uid;
    gid_t gid;
    privs_invoker(&uid, &gid);
    int dirfd = open_dir_of(path, &name, uid, gid, err, errlen);
    if (dirfd < 0) {
        memset(af, 0, sizeof *af);
        af->dirfd = -1;
        return -1;
    }
    if (atomic_file_openat(af, dirfd, name, path, mode, 0, err, errlen) < 0) {
        close(dirfd);
        return -1;
    }
    af->own_dirfd = true;
    return 0;
}

int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen)
{
    int e = 0;
    errno = 0;
    if (fflush(af->fp) != 0 || ferror(af->fp))
        e = errno ? errno : EIO;
    else if (af->tmp_name && fsync(fileno(af->fp)) != 0)
        e = errno; /* a device (a terminal, /dev/null) need not sync */
    if (!e && af->tmp_name) {
        struct where w = where_of(af, 0);
        if (put_in_place(&w, af->tmp_name, err, errlen) < 0) {
            fclose(af->fp);
            unlinkat(af->dirfd, af->tmp_name, 0);
            atomic_file_free(af);
            return -1;
        }
        give(fileno(af->fp), af->uid, af->gid);
        /* Make the rename itself durable. Not reported: the data is synced
         * and a lost rename leaves the old file, never a partial one. */
        (void)fsync(af->dirfd);
        free(af->tmp_name);
        af->tmp_name = NULL;
    }
    if (fclose(af->fp) != 0 && !e)
        e = errno;
    af->fp = NULL;
    if (e) {
        if (af->tmp_name)
            unlinkat(af->dirfd, af->tmp_name, 0);
        write_error(err, errlen, af->path, e);
        atomic_file_free(af);
        return -1;
    }
    atomic_file_free(af);
    return 0;
}

void atomic_file_abort(struct atomic_file *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->tmp_name)
        unlinkat(af->dirfd, af->tmp_name, 0);
    atomic_file_free(af);
}

void atomic_file_fail(struct atomic_file *af, int e, char *err, size_t errlen)
{
    write_error(err, errlen, af->path ? af->path : "?", e ? e : EIO);
    atomic_file_abort(af);
}

FILE *atomic_file_open_stream(const char *path, char *err, size_t errlen)
{
    struct atomic_file af;
    memset(&af, 0, sizeof af);
    const char *name;
    privs_invoker(&af.uid, &af.gid);
    af.dirfd = open_dir_of(path, &name, af.uid, af.gid, err, errlen);
    if (af.dirfd < 0)
        return NULL;
    af.own_dirfd = true;
    struct where w = {af.dirfd, name, path, af.uid, 0};
    int fd = -1;
    for (int tries = 0; tries < 3 && fd < 0; tries++) {
        enum target t = look(&w, &fd, err, errlen);
        if (t == TARGET_FAIL)
            break;
        if (t == TARGET_NONE) {
            fd = openat(af.dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
            if (fd < 0 && errno != EEXIST) {
                write_error(err, errlen, path, errno);
                break;
            }
            if (fd >= 0) {
                if (fchmod(fd, 0600) != 0) {
                    /* the umask can only have taken bits away from 0600 */
                }
                give(fd, af.uid, af.gid);
            }
        } else if (t == TARGET_REGULAR) {
            /* Swapped for a new file before a byte is written: what the
             * old one was (hard links included) is left as it was. */
            fd = create_temp(&w, 0600, &af.tmp_name);
            if (fd < 0) {
                write_error(err, errlen, path, errno);
                break;
            }
            if (put_in_place(&w, af.tmp_name, err, errlen) < 0) {
                close(fd);
                fd = -1;
                unlinkat(af.dirfd, af.tmp_name, 0);
                break;
            }
            give(fd, af.uid, af.gid);
        }
    }
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (fd >= 0 && !fp) {
        write_error(err, errlen, path, errno);
        close(fd);
    }
    atomic_file_free(&af);
    return fp;
}

int atomic_file_probe_stream(const char *path, FILE **fp, char *err, size_t errlen)
{
    *fp = NULL;
    const char *name;
    uid_t uid;
    gid_t gid;
    privs_invoker(&uid, &gid);
    int dirfd = open_dir_of(path, &name, uid, gid, err, errlen);
    if (dirfd < 0)
        return -1;
    struct where w = {dirfd, name, path, uid, 0};
    int fd;
    enum target t = look(&w, &fd, err, errlen);
    close(dirfd);
    if (t == TARGET_IN_PLACE && !(*fp = fdopen(fd, "w"))) {
        write_error(err, errlen, path, errno);
        close(fd);
        return -1;
    }
    return t == TARGET_FAIL ? -1 : 0;
}
