#include "config.h"

#include "capture/scope.h"

#include "base/event.h"
#include "capture/fidset.h"
#include "capture/mounts.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <unistd.h>

/* A PATH's parent directory tells of its own entries only (no
 * FAN_EVENT_ON_CHILD): PATH itself removed, renamed, made again or moved in. */
#define PARENT_MASK (FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR)
/* The directories above, up to the mount's root, tell of renames of their
 * entries: a renamed ancestor moves the names of what is below it (the
 * filesystem's own mark asks for no renames under a narrow PATH). */
#define ANCESTOR_MASK (FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR)

/* A PATH watched by inode marks. */
struct root {
    uint64_t fsid;
    char *real;
    size_t real_len;
    const char *name; /* its last component, in REAL */
    struct fidset_handle parent;
    struct fidset_handle *up; /* the ancestors above the parent marked */
    size_t nup;
    bool wide; /* its filesystem is watched whole now */
};

struct scope {
    struct scope_marks mk;
    struct resolver *res;
    char **prefix;
    size_t *prefix_len;
    size_t nprefix;
    struct root **roots;
    size_t nroots;
    struct fidset *dirs; /* the directories marked */
    size_t limit;
    uint64_t found_before;
    long *queue; /* directories to look through, as slots of DIRS */
    size_t nqueue, qcap;
    struct buf path; /* a directory's, scratch */
};

/* The masks of a PATH's parent, of its ancestors and of the directories
 * under it, with FAN_RENAME where the resolver takes renames from it. */
static uint64_t with_renames(const struct scope *s, uint64_t mask)
{
    return s->mk.renames ? mask | FAN_RENAME : mask;
}

/* fs.fanotify.max_user_marks counts every group of the user: take half. */
static size_t dir_limit(void)
{
    size_t limit = SCOPE_MAX_DIRS;
    FILE *f = fopen("/proc/sys/fs/fanotify/max_user_marks", "re");
    unsigned long max;
    if (f && fscanf(f, "%lu", &max) == 1 && max / 2 < limit)
        limit = max / 2;
    if (f)
        fclose(f);
    return limit;
}

struct scope *scope_create(const struct scope_marks *marks, struct resolver *res)
{
    struct scope *s = calloc(1, sizeof *s);
    if (!s || !(s->dirs = fidset_create())) {
        free(s);
        return NULL;
    }
    s->mk = *marks;
    s->mk.dir_mask = with_renames(s, s->mk.dir_mask);
    s->res = res;
    s->limit = dir_limit();
    return s;
}

void scope_destroy(struct scope *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nprefix; i++)
        free(s->prefix[i]);
    free(s->prefix);
    free(s->prefix_len);
    for (size_t i = 0; i < s->nroots; i++) {
        free(s->roots[i]->real);
        free(s->roots[i]->up);
        free(s->roots[i]);
    }
    free(s->roots);
    fidset_destroy(s->dirs);
    free(s->queue);
    buf_free(&s->path);
    free(s);
}

bool scope_add_prefix(struct scope *s, const char *p)
{
    for (size_t i = 0; i < s->nprefix; i++)
        if (strcmp(s->prefix[i], p) == 0)
            return true;
    char **np = realloc(s->prefix, (s->nprefix + 1) * sizeof *np);
    if (!np)
        return false;
    s->prefix = np;
    size_t *nl = realloc(s->prefix_len, (s->nprefix + 1) * sizeof *nl);
    if (!nl)
        return false;
    s->prefix_len = nl;
    if (!(s->prefix[s->nprefix] = strdup(p)))
        return false;
    s->prefix_len[s->nprefix++] = strlen(p);
    return true;
}

bool scope_has_paths(const struct scope *s)
{
    return s->nprefix > 0;
}

bool scope_covers(const struct scope *s, const char *path, size_t len)
{
    if (!s->nprefix)
        return true;
    for (size_t i = 0; i < s->nprefix; i++)
        if (mounts_path_under(path, len, s->prefix[i], s->prefix_len[i]))
            return true;
    return false;
}

static bool push(struct scope *s, long slot)
{
    if (s->nqueue == s->qcap) {
        size_t cap = s->qcap ? s->qcap * 2 : 256;
        long *q = realloc(s->queue, cap * sizeof *q);
        if (!q)
            return false;
        s->queue = q;
        s->qcap = cap;
    }
    s->queue[s->nqueue++] = slot;
    return true;
}

/* Mark the directory open as FD (any kind of fd) on FSID; its slot, with
 * *ADDED false when it was marked already; -1 with errno set. */
static long add_dir(struct scope *s, int fd, uint64_t fsid, bool *added)
{
    struct fidset_handle h;
    *added = false;
    if (!fidset_handle_at(&h, fd, NULL, fsid))
        return -1;
    long slot = fidset_find(s->dirs, &h.fid);
    if (slot >= 0)
        return slot;
    if (fidset_count(s->dirs) >= s->limit) {
        errno = ENOSPC;
        return -1;
    }
    if (fanotify_mark(s->mk.group, FAN_MARK_ADD | FAN_MARK_ONLYDIR, s->mk.dir_mask, fd, ".") < 0)
        return -1;
    slot = fidset_add(s->dirs, &h.fid, 0, added);
    if (slot < 0)
        errno = ENOMEM;
    return slot;
}

/* Is entry E of the directory open as DFD (on mount MNT) a directory of
 * the same mount? Its O_PATH fd, or -1. A mount point is left out: the
 * filesystem mounted there has a mark of its own. */
static int subdir(int dfd, const struct dirent *e, long long mnt)
{
    if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN)
        return -1;
    int fd = openat(dfd, e->d_name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0 && mounts_id_at(fd, "") != mnt) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static bool dot(const char *n)
{
    return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]));
}

/* How far a look below a directory goes. */
enum walk {
    WALK_MARKED, /* into the directories it marks */
    WALK_MADE,   /* the same, counting what a directory just made held already */
    WALK_ALL,    /* into every directory: events that told of some were lost */
};

/* Mark the directories below the ones queued, breadth first. 0, or -1 with
 * errno when one could not be marked. */
static int scan(struct scope *s, uint64_t fsid, enum walk walk)
{
    int rc = 0;
    while (rc == 0 && s->nqueue) {
        struct decode_fid fid;
        fidset_get(s->dirs, s->queue[--s->nqueue], &fid, NULL);
        int dfd = resolve_open(s->res, &fid, O_RDONLY | O_DIRECTORY);
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        if (!d) {
            if (dfd >= 0)
                close(dfd);
            continue; /* gone meanwhile: its parent's events tell */
        }
        long long mnt = mounts_id_at(dfd, "");
        int e = 0;
        for (struct dirent *de; !e && (de = readdir(d));) {
            if (dot(de->d_name))
                continue;
            s->found_before += walk == WALK_MADE;
            int cfd = subdir(dfd, de, mnt);
            if (cfd < 0)
                continue;
            bool added;
            long slot = add_dir(s, cfd, fsid, &added);
            if (slot < 0)
                e = errno;
            close(cfd);
            if (slot >= 0 && (added || walk == WALK_ALL) && !push(s, slot))
                e = ENOMEM;
        }
        closedir(d);
        if (e) {
            rc = -1;
            errno = e;
        }
    }
    s->nqueue = 0;
    return rc;
}

/* Mark directory NAME of the directory open as PFD, and what is below it. */
static int watch_tree(struct scope *s, int pfd, const char *name, uint64_t fsid, enum walk walk)
{
    int fd = openat(pfd, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? 0 : -1; /* gone again */
    bool added;
    long slot = add_dir(s, fd, fsid, &added);
    int e = errno;
    close(fd);
    if (slot < 0) {
        errno = e;
        return -1;
    }
    if (!added && walk != WALK_ALL)
        return 0;
    if (!push(s, slot)) {
        errno = ENOMEM;
        return -1;
    }
    return scan(s, fsid, walk);
}

static int watch_file(struct scope *s, int pfd, const char *name)
{
    if (!s->mk.file_mask)
        return 0;
    int rc =
        fanotify_mark(s->mk.group, FAN_MARK_ADD | FAN_MARK_DONT_FOLLOW, s->mk.file_mask, pfd, name);
    return rc < 0 && errno == ENOENT ? 0 : rc;
}

static struct root *new_root(struct scope *s, const char *real, uint64_t fsid)
{
    struct root **v = realloc(s->roots, (s->nroots + 1) * sizeof *v);
    if (!v)
        return NULL;
    s->roots = v;
    struct root *r = calloc(1, sizeof *r);
    if (r && !(r->real = strdup(real))) {
        free(r);
        r = NULL;
    }
    if (!r)
        return NULL;
    r->fsid = fsid;
    r->real_len = strlen(real);
    r->name = strrchr(r->real, '/') + 1;
    return s->roots[s->nroots++] = r;
}

/* Mark R's ancestors above its parent (open as PFD), up to the root of
 * their mount. */
static int mark_ancestors(struct scope *s, struct root *r, int pfd)
{
    long long mnt = mounts_id_at(pfd, "");
    struct stat was, st;
    int cur = fstat(pfd, &was) == 0 ? openat(pfd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
    int rc = 0;
    /* ".." of a mount's root is in the mount above; of "/", "/" again */
    while (rc == 0 && cur >= 0 && mounts_id_at(cur, "") == mnt && fstat(cur, &st) == 0 &&
           (st.st_ino != was.st_ino || st.st_dev != was.st_dev)) {
        struct fidset_handle *up = realloc(r->up, (r->nup + 1) * sizeof *up);
        if (!up) {
            errno = ENOMEM;
            rc = -1;
            break;
        }
        r->up = up;
        if (!fidset_handle_at(&up[r->nup], cur, NULL, r->fsid) ||
            fanotify_mark(s->mk.group, FAN_MARK_ADD | FAN_MARK_ONLYDIR,
                          with_renames(s, ANCESTOR_MASK), cur, ".") < 0) {
            rc = -1;
            break;
        }
        /* the handle's bytes moved with the array: point into them again */
        for (size_t i = 0; i <= r->nup; i++)
            up[i].fid.fh = up[i].bytes;
        r->nup++;
        was = st;
        int next = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        close(cur);
        cur = next;
    }
    if (cur >= 0)
        close(cur);
    return rc;
}

int scope_watch(struct scope *s, const char *real, uint64_t fsid)
{
    const char *slash = strrchr(real, '/');
    if (!slash || !slash[1]) {
        errno = EINVAL; /* "/" is a mount root */
        return -1;
    }
    struct root *r = new_root(s, real, fsid);
    if (!r) {
        errno = ENOMEM;
        return -1;
    }
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%.*s", slash == real ? 1 : (int)(slash - real), real);
    int pfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (pfd < 0)
        return -1;
    struct stat st;
    int rc = -1;
    if (fidset_handle_at(&r->parent, pfd, NULL, fsid) &&
        fanotify_mark(s->mk.group, FAN_MARK_ADD | FAN_MARK_ONLYDIR, with_renames(s, PARENT_MASK),
                      pfd, ".") == 0 &&
        mark_ancestors(s, r, pfd) == 0 && fstatat(pfd, r->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        rc = S_ISDIR(st.st_mode) ? watch_tree(s, pfd, r->name, fsid, WALK_MARKED)
                                 : watch_file(s, pfd, r->name);
    int e = errno;
    close(pfd);
    errno = e;
    return rc;
}

bool scope_fs_marked(const struct scope *s, uint64_t fsid)
{
    for (size_t i = 0; i < s->nroots; i++)
        if (s->roots[i]->fsid == fsid && !s->roots[i]->wide)
            return true;
    return false;
}

/* The PATH whose parent directory and name EV's entry is, if any. */
static struct root *root_at(const struct scope *s, const struct decode_event *ev)
{
    for (size_t i = 0; i < s->nroots; i++) {
        struct root *r = s->roots[i];
        if (!r->wide && strlen(r->name) == ev->name_len &&
            memcmp(r->name, ev->name, ev->name_len) == 0 &&
            decode_fid_equal(&r->parent.fid, &ev->dfid))
            return r;
    }
    return NULL;
}

/* An entry made or moved into a directory: mark it if it is a directory
 * under PATH, or PATH itself made again. */
static uint64_t entry_made(struct scope *s, const struct decode_event *ev)
{
    bool dir = ev->mask & FAN_ONDIR;
    uint64_t fsid = ev->dfid.fsid;
    struct root *r = root_at(s, ev);
    if (!r && (!dir || fidset_find(s->dirs, &ev->dfid) < 0 || !scope_fs_marked(s, fsid)))
        return 0;
    if (!r && dot(ev->name))
        return 0;
    int pfd = resolve_open(s->res, &ev->dfid, O_PATH | O_DIRECTORY);
    if (pfd < 0)
        return 0; /* the directory is gone already */
    char name[NAME_MAX + 1];
    snprintf(name, sizeof name, "%.*s", (int)ev->name_len, ev->name);
    enum walk walk = ev->mask & FAN_CREATE ? WALK_MADE : WALK_MARKED;
    int rc = dir ? watch_tree(s, pfd, name, fsid, walk) : watch_file(s, pfd, name);
    close(pfd);
    return rc < 0 ? fsid : 0;
}

/* The handle of the object of a self event. */
static const struct decode_fid *self_fid(const struct decode_event *ev)
{
    if (ev->has_fid)
        return &ev->fid;
    if (ev->has_dfid && (!ev->name || (ev->name_len == 1 && ev->name[0] == '.')))
        return &ev->dfid;
    return NULL;
}

/* Is directory FID, just renamed, still under a PATH of its filesystem? */
static bool still_under(struct scope *s, const struct decode_fid *fid)
{
    uint32_t flags = 0;
    size_t n = resolve_fid(s->res, fid, &s->path, &flags);
    if (flags & (FA_EV_UNRESOLVED | FA_EV_DELETED))
        return false;
    for (size_t i = 0; i < s->nroots; i++) {
        const struct root *r = s->roots[i];
        if (r->fsid == fid->fsid && mounts_path_under(s->path.p, n, r->real, r->real_len))
            return true;
    }
    return false;
}

/* Unmark the directory in SLOT and the marked ones below it. */
static void unmark_tree(struct scope *s, long slot)
{
    if (!push(s, slot))
        return;
    while (s->nqueue) {
        slot = s->queue[--s->nqueue];
        struct decode_fid fid;
        fidset_get(s->dirs, slot, &fid, NULL);
        int dfd = resolve_open(s->res, &fid, O_RDONLY | O_DIRECTORY);
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        if (d) {
            fanotify_mark(s->mk.group, FAN_MARK_REMOVE | FAN_MARK_ONLYDIR, s->mk.dir_mask, dfd,
                          ".");
            long long mnt = mounts_id_at(dfd, "");
            for (struct dirent *e; (e = readdir(d));) {
                if (dot(e->d_name))
                    continue;
                int cfd = subdir(dfd, e, mnt);
                struct fidset_handle h;
                long c = cfd >= 0 && fidset_handle_at(&h, cfd, NULL, fid.fsid)
                             ? fidset_find(s->dirs, &h.fid)
                             : -1;
                if (cfd >= 0)
                    close(cfd);
                if (c >= 0 && c != slot)
                    push(s, c);
            }
            closedir(d);
        } else if (dfd >= 0) {
            close(dfd);
        }
        fidset_remove(s->dirs, slot);
    }
}

uint64_t scope_event(struct scope *s, const struct decode_event *ev)
{
    uint64_t mask = ev->mask;
    if (!s->nroots || !(mask & (FAN_CREATE | FAN_MOVED_TO | FAN_DELETE_SELF | FAN_MOVE_SELF)))
        return 0;
    if ((mask & (FAN_CREATE | FAN_MOVED_TO)) && ev->has_dfid && ev->name && ev->name_len)
        return entry_made(s, ev);
    if (!(mask & FAN_ONDIR) || !(mask & (FAN_DELETE_SELF | FAN_MOVE_SELF)))
        return 0;
    const struct decode_fid *fid = self_fid(ev);
    long slot = fid ? fidset_find(s->dirs, fid) : -1;
    if (slot < 0)
        return 0;
    if (mask & FAN_DELETE_SELF)
        fidset_remove(s->dirs, slot); /* the kernel has dropped its mark */
    else if (!still_under(s, fid))
        unmark_tree(s, slot);
    return 0;
}

/* Remove the mark of the object open as FD (or entry NAME of it). */
static void unmark(struct scope *s, int fd, const char *name, unsigned flags, uint64_t mask)
{
    if (fd >= 0 && mask)
        fanotify_mark(s->mk.group, FAN_MARK_REMOVE | flags, mask, fd, name);
}

void scope_widen(struct scope *s, uint64_t fsid, bool remove)
{
    for (size_t i = 0; i < s->nroots; i++) {
        struct root *r = s->roots[i];
        if (r->fsid != fsid || r->wide)
            continue;
        r->wide = true;
        int pfd = remove ? resolve_open(s->res, &r->parent.fid, O_PATH | O_DIRECTORY) : -1;
        unmark(s, pfd, ".", FAN_MARK_ONLYDIR, with_renames(s, PARENT_MASK));
        unmark(s, pfd, r->name, FAN_MARK_DONT_FOLLOW, s->mk.file_mask);
        if (pfd >= 0)
            close(pfd);
        for (size_t k = 0; remove && k < r->nup; k++) {
            int fd = resolve_open(s->res, &r->up[k].fid, O_PATH | O_DIRECTORY);
            unmark(s, fd, ".", FAN_MARK_ONLYDIR, with_renames(s, ANCESTOR_MASK));
            if (fd >= 0)
                close(fd);
        }
    }
    size_t pos = 0;
    for (long slot; (slot = fidset_next(s->dirs, &pos)) >= 0;) {
        struct decode_fid fid;
        fidset_get(s->dirs, slot, &fid, NULL);
        if (fid.fsid != fsid)
            continue;
        int fd = remove ? resolve_open(s->res, &fid, O_PATH | O_DIRECTORY) : -1;
        unmark(s, fd, ".", FAN_MARK_ONLYDIR, s->mk.dir_mask);
        if (fd >= 0)
            close(fd);
        fidset_remove(s->dirs, slot);
    }
}

uint64_t scope_rescan(struct scope *s)
{
    for (size_t i = 0; i < s->nroots; i++) {
        struct root *r = s->roots[i];
        int pfd = r->wide ? -1 : resolve_open(s->res, &r->parent.fid, O_PATH | O_DIRECTORY);
        if (pfd < 0)
            continue;
        struct stat st;
        int rc = 0;
        if (fstatat(pfd, r->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
            rc = S_ISDIR(st.st_mode) ? watch_tree(s, pfd, r->name, r->fsid, WALK_ALL)
                                     : watch_file(s, pfd, r->name);
        close(pfd);
        if (rc < 0)
            return r->fsid;
    }
    return 0;
}

void scope_get_stats(const struct scope *s, struct scope_stats *out)
{
    *out = (struct scope_stats){
        .dirs = fidset_count(s->dirs), .limit = s->limit, .found_before = s->found_before};
}
