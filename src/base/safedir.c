#include "config.h"

#include "base/safedir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Links followed on one walk at most, as the kernel's own limit. */
#define MAX_LINKS 40

struct walker {
    uid_t uid;
    gid_t gid;
    unsigned flags;
    const char *verb;
    const char *file; /* named in messages of a failed call */
    char *err;
    size_t errlen;
    int links;
    char shown[PATH_MAX]; /* the path walked so far, for messages */
    size_t len;
};

static int refuse(struct walker *w, const char *why)
{
    snprintf(w->err, w->errlen, "cannot %s %s: %s", w->verb, w->len ? w->shown : ".", why);
    return -1;
}

static int refuse_uid(struct walker *w, const char *what, uid_t owner)
{
    char why[160];
    snprintf(why, sizeof why, "%s (uid %lu)", what, (unsigned long)owner);
    return refuse(w, why);
}

static int fail_errno(struct walker *w, int e)
{
    snprintf(w->err, w->errlen, "cannot %s %s: %s", w->verb, w->file, strerror(e));
    return -1;
}

/* Append "/NAME" (or NAME at the start) to the path shown in messages. */
static void shown_append(struct walker *w, const char *name)
{
    int n = snprintf(w->shown + w->len, sizeof w->shown - w->len, "%s%s",
                     w->len && w->shown[w->len - 1] != '/' ? "/" : "", name);
    if (n > 0 && w->len + (size_t)n < sizeof w->shown)
        w->len += (size_t)n;
}

static int walk(struct walker *w, int at, const char *path);

/* NAME in FD is a symbolic link (or not a directory at all): walk on to
 * its target if root or, where allowed, the user owns the link. */
static int follow(struct walker *w, int fd, const char *name, size_t parent_len)
{
    struct stat st;
    if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISLNK(st.st_mode))
        return fail_errno(w, ENOTDIR);
    bool trusted = st.st_uid == 0 || (st.st_uid == w->uid && (w->flags & SAFEDIR_USER_LINKS));
    if (!trusted)
        return refuse_uid(w, "a symbolic link of another user, not followed", st.st_uid);
    if (++w->links > MAX_LINKS)
        return fail_errno(w, ELOOP);
    char target[PATH_MAX];
    ssize_t n = readlinkat(fd, name, target, sizeof target - 1);
    if (n < 0)
        return fail_errno(w, errno);
    target[n] = '\0';
    /* The target is walked from the link's own directory, by the same rule. */
    w->len = parent_len;
    w->shown[w->len] = '\0';
    return walk(w, fd, target);
}

/* Enter directory NAME of FD (whose owner is OWNER): made first if missing
 * and wanted, through a link by follow(), checked when it must be owned. */
static int enter(struct walker *w, int fd, uid_t owner, const char *name)
{
    size_t parent_len = w->len;
    int sub = openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    bool made = false;
    if (sub < 0 && errno == ENOENT) {
        if (!(w->flags & SAFEDIR_CREATE))
            return SAFEDIR_MISSING;
        if (owner != w->uid)
            return refuse_uid(w, "nothing is made in another user's directory", owner);
        made = mkdirat(fd, name, 0700) == 0;
        if (!made && errno != EEXIST) { /* EEXIST: made meanwhile, looked at below */
            shown_append(w, name);
            return fail_errno(w, errno);
        }
        sub = openat(fd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    }
    shown_append(w, name);
    if (sub < 0 && (errno == ELOOP || errno == ENOTDIR))
        sub = follow(w, fd, name, parent_len);
    else if (sub < 0)
        return fail_errno(w, errno);
    if (sub < 0)
        return sub;
    struct stat st;
    if (fstat(sub, &st) != 0) {
        int e = errno;
        close(sub);
        return fail_errno(w, e);
    }
    if (made && st.st_uid != w->uid && geteuid() == 0 &&
        fchownat(sub, "", w->uid, w->gid, AT_EMPTY_PATH) == 0)
        st.st_uid = w->uid; /* made by root for the user: theirs */
    if ((w->flags & SAFEDIR_OWNED) && st.st_uid != 0 && st.st_uid != w->uid) {
        close(sub);
        return refuse_uid(w, "it belongs to another user", st.st_uid);
    }
    return sub;
}

/* Walk PATH from the directory AT (left open); the directory reached. */
static int walk(struct walker *w, int at, const char *path)
{
    int fd;
    if (*path == '/') {
        fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        w->len = 0;
        shown_append(w, "/");
    } else {
        fd = openat(at, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    }
    if (fd < 0)
        return fail_errno(w, errno);
    for (const char *p = path; *p;) {
        p += strspn(p, "/");
        size_t n = strcspn(p, "/");
        if (n == 0)
            break;
        char name[NAME_MAX + 1];
        if (n > NAME_MAX) {
            close(fd);
            return fail_errno(w, ENAMETOOLONG);
        }
        memcpy(name, p, n);
        name[n] = '\0';
        p += n;
        if (strcmp(name, ".") == 0)
            continue;
        struct stat st;
        uid_t owner = fstat(fd, &st) == 0 ? st.st_uid : (uid_t)-1;
        int sub = enter(w, fd, owner, name);
        close(fd);
        if (sub < 0)
            return sub;
        fd = sub;
    }
    return fd;
}

int safedir_open(const char *dir, const char *file, uid_t uid, gid_t gid, unsigned flags,
                 const char *verb, char *err, size_t errlen)
{
    struct walker w = {.uid = uid,
                       .gid = gid,
                       .flags = flags,
                       .verb = verb,
                       .file = file,
                       .err = err,
                       .errlen = errlen};
    int fd = walk(&w, AT_FDCWD, dir);
    if (fd < 0)
        return fd;
    struct stat st;
    if ((flags & SAFEDIR_OWNED) && fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return fail_errno(&w, e);
    }
    if ((flags & SAFEDIR_OWNED) && st.st_uid != uid) {
        close(fd);
        return refuse_uid(&w, "not a directory of the invoking user's", st.st_uid);
    }
    /* A descriptor that can also be synced, where the directory may be read. */
    int rd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rd >= 0) {
        close(fd);
        fd = rd;
    }
    return fd;
}
