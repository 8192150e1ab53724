#include "config.h"

#include "capture/resolve.h"

#include "base/event.h"
#include "base/hashmap.h"
#include "capture/dirlink.h"
#include "capture/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Directories a busy system touches are few; files that lost a name are
 * fewer. Both tables start over when full. */
#define DIR_ENTRIES  32768
#define GONE_ENTRIES 2048
/* Directories placed for one path: a chain this deep of directories not
 * seen before is named "?" and what is known. */
#define PLACE_ROUNDS 4096
#define FH_HDR_LEN   8

static const char deleted_suffix[] = " (deleted)";

/* What is known of a file that lost a name, or was made with O_TMPFILE. */
enum gone { GONE_UNKNOWN, GONE_YES, GONE_NO, GONE_LINKED };

/* A file handle and bytes of its own (a linked file's directory handle and
 * name). */
struct fid_entry {
    uint64_t fsid;
    int32_t type;
    uint32_t hb;
    uint32_t extra_len;
    enum gone gone;
    unsigned char *blob; /* handle bytes, then the extra bytes and a NUL */
};

/* Entries in the order they came, found by the hash of their handle
 * (handles that share a hash are told apart by their bytes); cleared whole
 * when full. */
struct fid_table {
    struct u64multi by_hash; /* decode_fid_hash -> index in entries */
    struct fid_entry *entries;
    size_t used, max;
};

/* A struct file_handle with room for any handle. */
union handle_buf {
    struct file_handle fh;
    unsigned char raw[sizeof(struct file_handle) + MAX_HANDLE_SZ];
};

/* A filesystem's handles open through a directory of one of its mounts,
 * opened on first use in a batch and closed at its end: a descriptor held
 * between reads would keep its mount from being unmounted. */
struct fs {
    uint64_t fsid;
    char *path;   /* where the mount is reached (a mount point, or through /proc/PID/root) */
    uint64_t mnt; /* that mount's id: another mounted there later is not it */
    int mount_fd; /* -1 when closed */
    int mount_id; /* the mount PATH is the root of (mountinfo's id); -1 unknown */
    union handle_buf root; /* PATH's handle, when ROOT_OK */
    bool root_ok;
};

/* A directory given as a PATH: what lies below it is in scope. */
struct anchor {
    uint64_t fsid;
    union handle_buf h;
};

struct resolver {
    int proc_fd; /* /proc/self/fd: one readlinkat per name instead of a path walk */
    struct fs *fs;
    size_t nfs;
    struct anchor *anchors;
    size_t nanchors;
    struct dirlink dirs;   /* directory handle -> where it is */
    struct fid_table gone; /* files that lost a name, O_TMPFILE files */
    struct hostpath names; /* filesystem paths -> host paths */
    struct fidq *q;        /* the events after the current one; NULL: none */
    bool renames;          /* Q reports FAN_RENAME with target handles */
    struct buf rel, name;  /* scratch */
    struct resolve_stats st;
};

/* ---- files that lost a name ---------------------------------------------- */

static bool table_init(struct fid_table *t, size_t max)
{
    t->entries = malloc(max * sizeof *t->entries);
    t->max = max;
    t->used = 0;
    return t->entries != NULL;
}

static void table_clear(struct fid_table *t)
{
    for (size_t i = 0; i < t->used; i++)
        free(t->entries[i].blob);
    t->used = 0;
    u64multi_clear(&t->by_hash);
}

static void table_free(struct fid_table *t)
{
    table_clear(t);
    free(t->entries);
    u64multi_free(&t->by_hash);
}

static struct fid_entry *table_find(struct fid_table *t, const struct decode_fid *f)
{
    uint64_t h = decode_fid_hash(f);
    for (uint64_t i = u64multi_first(&t->by_hash, h); i != U64MULTI_END;
         i = u64multi_next(&t->by_hash, i)) {
        struct fid_entry *e = &t->entries[i];
        if (e->fsid == f->fsid && e->type == f->handle_type && e->hb == f->handle_bytes &&
            memcmp(e->blob, f->fh + FH_HDR_LEN, e->hb) == 0)
            return e;
    }
    return NULL;
}

/* Give E the extra bytes EXTRA (N) and, after them, NAME (LEN). */
static bool entry_set_extra(struct fid_entry *e, const void *extra, size_t n, const char *name,
                            size_t len)
{
    unsigned char *blob = malloc(e->hb + n + len + 1);
    if (!blob)
        return false;
    memcpy(blob, e->blob, e->hb);
    if (n)
        memcpy(blob + e->hb, extra, n);
    if (len)
        memcpy(blob + e->hb + n, name, len);
    blob[e->hb + n + len] = '\0';
    free(e->blob);
    e->blob = blob;
    e->extra_len = (uint32_t)(n + len);
    return true;
}

/* A new entry for F (not in T), or NULL out of memory. */
static struct fid_entry *table_add(struct fid_table *t, const struct decode_fid *f)
{
    if (t->used == t->max)
        table_clear(t);
    unsigned char *blob = malloc(f->handle_bytes + 1);
    if (!blob || !u64multi_add(&t->by_hash, decode_fid_hash(f), t->used)) {
        free(blob);
        return NULL;
    }
    memcpy(blob, f->fh + FH_HDR_LEN, f->handle_bytes);
    blob[f->handle_bytes] = '\0';
    struct fid_entry *e = &t->entries[t->used++];
    *e = (struct fid_entry){
        .fsid = f->fsid, .type = f->handle_type, .hb = f->handle_bytes, .blob = blob};
    return e;
}

/* ---- setup ------------------------------------------------------------------- */

struct resolver *resolve_create(void)
{
    struct resolver *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    dirlink_init(&r->dirs, DIR_ENTRIES);
    r->proc_fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (!table_init(&r->gone, GONE_ENTRIES) || r->proc_fd < 0) {
        resolve_destroy(r);
        return NULL;
    }
    return r;
}

void resolve_destroy(struct resolver *r)
{
    if (!r)
        return;
    dirlink_free(&r->dirs);
    table_free(&r->gone);
    hostpath_free(&r->names);
    free(r->anchors);
    resolve_release(r);
    for (size_t i = 0; i < r->nfs; i++)
        free(r->fs[i].path);
    free(r->fs);
    buf_free(&r->rel);
    buf_free(&r->name);
    if (r->proc_fd >= 0)
        close(r->proc_fd);
    free(r);
}

static struct fs *fs_of(const struct resolver *r, uint64_t fsid)
{
    for (size_t i = 0; i < r->nfs; i++)
        if (r->fs[i].fsid == fsid)
            return &r->fs[i];
    return NULL;
}

/* Where F's path leads now: the mount (to tell another one mounted there
 * later) and the handle of its directory, where walks up the filesystem
 * stop (".." there leaves it). Asked of the path, not of an open fd. */
static void fs_locate(struct fs *f)
{
    f->mnt = mounts_unique_id_at(AT_FDCWD, f->path);
    f->mount_id = -1;
    f->root.fh.handle_bytes = MAX_HANDLE_SZ;
    f->root_ok =
        name_to_handle_at(AT_FDCWD, f->path, &f->root.fh, &f->mount_id, AT_SYMLINK_FOLLOW) == 0;
}

int resolve_add_fs(struct resolver *r, uint64_t fsid, const char *mount_path)
{
    char *p = strdup(mount_path);
    if (!p)
        return -1;
    struct fs *f = fs_of(r, fsid);
    if (!f) {
        struct fs *n = realloc(r->fs, (r->nfs + 1) * sizeof *n);
        if (!n) {
            free(p);
            return -1;
        }
        r->fs = n;
        f = &r->fs[r->nfs++];
        *f = (struct fs){.fsid = fsid, .mount_fd = -1};
    } else if (f->mount_fd >= 0) {
        close(f->mount_fd); /* of the mount it was reached through before */
        f->mount_fd = -1;
    }
    free(f->path);
    f->path = p;
    fs_locate(f);
    dirlink_forget_memos(&r->dirs); /* built through the mount before */
    return 0;
}

void resolve_drop_fs(struct resolver *r, uint64_t fsid)
{
    struct fs *f = fs_of(r, fsid);
    if (!f)
        return;
    if (f->mount_fd >= 0)
        close(f->mount_fd);
    free(f->path);
    *f = r->fs[--r->nfs];
    hostpath_drop(&r->names, fsid);
    /* The next filesystem mounted may take its id (tmpfs takes it from a
     * device number given again): nothing known of this one may name its
     * files. */
    dirlink_forget_fs(&r->dirs, fsid);
    table_clear(&r->gone);
}

void resolve_release(struct resolver *r)
{
    for (size_t i = 0; i < r->nfs; i++) {
        if (r->fs[i].mount_fd >= 0) {
            close(r->fs[i].mount_fd);
            r->fs[i].mount_fd = -1;
        }
    }
}

/* The mount fd of FSID, opened if need be; -1 with errno set. The path
 * must still lead to that mount: once it is unmounted the path shows
 * another one, whose inodes a handle could name by chance. */
static int mount_fd_of(struct resolver *r, uint64_t fsid)
{
    struct fs *f = fs_of(r, fsid);
    if (!f) {
        errno = ESTALE;
        return -1;
    }
    if (f->mount_fd >= 0)
        return f->mount_fd;
    /* open_by_handle_at refuses an O_PATH mount fd */
    int fd = open(f->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        r->st.mount_fails++;
        r->st.out_of_fds += errno == EMFILE || errno == ENFILE;
        return -1;
    }
    struct statfs sf;
    uint64_t got = 0;
    if (fstatfs(fd, &sf) == 0)
        memcpy(&got, &sf.f_fsid, sizeof got);
    /* A filesystem mounted there since may have the same id (tmpfs takes
     * it from a device number given again): the mount tells them apart. */
    if (got != fsid || (f->mnt && mounts_unique_id_at(fd, "") != f->mnt)) {
        close(fd);
        r->st.mount_fails++;
        errno = ESTALE;
        return -1;
    }
    r->st.mount_opens++;
    return f->mount_fd = fd;
}

bool resolve_add_mount(struct resolver *r, uint64_t fsid, int id, const char *root,
                       const char *point)
{
    return hostpath_add(&r->names, fsid, id, root, point);
}

void resolve_clear_mounts(struct resolver *r, uint64_t fsid)
{
    hostpath_drop(&r->names, fsid);
    dirlink_forget_memos(&r->dirs);
}

bool resolve_add_anchor(struct resolver *r, int dirfd)
{
    struct anchor a;
    struct statfs sf;
    int mnt_id;
    a.h.fh.handle_bytes = MAX_HANDLE_SZ;
    if (fstatfs(dirfd, &sf) < 0 ||
        name_to_handle_at(dirfd, "", &a.h.fh, &mnt_id, AT_EMPTY_PATH) < 0)
        return false;
    memcpy(&a.fsid, &sf.f_fsid, sizeof a.fsid);
    struct anchor *n = realloc(r->anchors, (r->nanchors + 1) * sizeof *n);
    if (!n)
        return false;
    r->anchors = n;
    n[r->nanchors++] = a;
    return true;
}

void resolve_set_scope(struct resolver *r, hostpath_scope_fn in_scope, void *ctx)
{
    r->names.in_scope = in_scope;
    r->names.ctx = ctx;
}

void resolve_set_queue(struct resolver *r, struct fidq *q, bool renames)
{
    r->q = q;
    r->renames = renames;
}

bool resolve_knows_fs(const struct resolver *r, uint64_t fsid)
{
    return fs_of(r, fsid) != NULL;
}

bool resolve_handles_open(int mount_fd)
{
    union handle_buf h;
    h.fh.handle_bytes = MAX_HANDLE_SZ;
    int mnt_id;
    if (name_to_handle_at(mount_fd, "", &h.fh, &mnt_id, AT_EMPTY_PATH) < 0)
        return false;
    int fd = open_by_handle_at(mount_fd, &h.fh, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return false;
    close(fd);
    return true;
}

int resolve_open(struct resolver *r, const struct decode_fid *fid, int flags)
{
    int mfd = mount_fd_of(r, fid->fsid);
    if (mfd < 0 || fid->handle_bytes > MAX_HANDLE_SZ) {
        errno = ESTALE;
        return -1;
    }
    union handle_buf h;
    h.fh.handle_bytes = fid->handle_bytes;
    h.fh.handle_type = fid->handle_type;
    memcpy(h.fh.f_handle, fid->fh + FH_HDR_LEN, fid->handle_bytes);
    return open_by_handle_at(mfd, &h.fh, flags | O_CLOEXEC);
}

/* ---- names from the kernel --------------------------------------------------- */

/* Decimal digits of a non-negative fd, NUL-terminated: no printf on the hot path. */
static void fd_name(int fd, char out[12])
{
    char tmp[12];
    int i = 0;
    unsigned v = (unsigned)fd;
    do {
        tmp[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int j = 0; j < i; j++)
        out[j] = tmp[i - 1 - j];
    out[i] = '\0';
}

/* readlink of our own fd FD into OUT, grown as needed (the kernel names
 * nothing longer than a page: ENAMETOOLONG then); strips " (deleted)" when
 * the file is really gone, setting FA_EV_DELETED. False when unnamed. */
static bool link_of_fd(struct resolver *r, int fd, struct buf *out, uint32_t *flags)
{
    char name[12];
    fd_name(fd, name);
    buf_reset(out);
    ssize_t n;
    for (size_t room = 256;; room *= 2) {
        if (!buf_grow(out, room))
            return false;
        n = readlinkat(r->proc_fd, name, out->p, room);
        if (n < 0 || (size_t)n < room || room >= RESOLVE_PATH_MAX)
            break;
    }
    if (n <= 0)
        return false;
    out->len = (size_t)n;
    out->p[n] = '\0';
    size_t sl = sizeof deleted_suffix - 1;
    if ((size_t)n > sl && memcmp(out->p + n - sl, deleted_suffix, sl) == 0) {
        /* A file may really be called "x (deleted)": trust only the link count. */
        struct stat st;
        if (fstat(fd, &st) == 0 && st.st_nlink == 0) {
            out->len -= sl;
            out->p[out->len] = '\0';
            *flags |= FA_EV_DELETED;
        }
    }
    if (out->p[0] != '/')
        *flags |= FA_EV_UNRESOLVED; /* "anon_inode:...", a path outside our root */
    return true;
}

static size_t unnamed(struct buf *out, uint32_t *flags)
{
    *flags |= FA_EV_UNRESOLVED;
    buf_reset(out);
    buf_putc(out, '?');
    return out->len;
}

size_t resolve_fd(struct resolver *r, int fd, struct buf *out, uint32_t *flags)
{
    if (fd < 0 || !link_of_fd(r, fd, out, flags))
        return unnamed(out, flags);
    return out->len;
}

/* The name of directory FD in its parent, by reading the parent: for
 * paths longer than the kernel names. */
static bool name_by_scan(struct resolver *r, int fd, bool *gone)
{
    struct stat st;
    int pfd = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pfd < 0 || fstat(fd, &st) < 0) {
        if (pfd >= 0)
            close(pfd);
        return false;
    }
    *gone = st.st_nlink == 0;
    bool found = false;
    char d[16384];
    long n;
    while (!found && (n = syscall(SYS_getdents64, pfd, d, sizeof d)) > 0) {
        for (long off = 0; off < n;) {
            uint64_t ino;
            uint16_t reclen;
            memcpy(&ino, d + off, sizeof ino);
            memcpy(&reclen, d + off + 16, sizeof reclen);
            const char *nm = d + off + 19;
            if (ino == st.st_ino && strcmp(nm, ".") != 0 && strcmp(nm, "..") != 0) {
                buf_reset(&r->name);
                buf_put_str(&r->name, nm);
                found = !buf_failed(&r->name);
                break;
            }
            off += reclen ? reclen : n;
        }
    }
    close(pfd);
    return found;
}

/* The name of directory FD in its parent into r->name. */
static bool entry_name(struct resolver *r, int fd, bool *gone)
{
    uint32_t f = 0;
    if (!link_of_fd(r, fd, &r->name, &f))
        return errno == ENAMETOOLONG && name_by_scan(r, fd, gone);
    *gone = f & FA_EV_DELETED;
    const char *p = r->name.p;
    const char *slash = memrchr(p, '/', r->name.len);
    if (!slash || (f & FA_EV_UNRESOLVED) || (size_t)(slash - p) + 1 == r->name.len)
        return false; /* "/": a handle that opened disconnected from the tree */
    size_t skip = (size_t)(slash - p) + 1;
    memmove(r->name.p, p + skip, r->name.len - skip + 1);
    r->name.len -= skip;
    return true;
}

/* Where the kernel says a directory is now. */
struct kplace {
    bool root;
    bool gone;
    union handle_buf parent;
};

static bool fid_is(const struct decode_fid *f, const struct file_handle *h)
{
    return f->handle_bytes == h->handle_bytes && f->handle_type == h->handle_type &&
           memcmp(f->fh + FH_HDR_LEN, h->f_handle, h->handle_bytes) == 0;
}

/* Directory FID as the kernel has it now: a root (r->name holds its path in
 * the filesystem), or its parent and r->name. */
static bool kernel_place(struct resolver *r, const struct decode_fid *fid, struct kplace *k)
{
    const struct fs *fs = fs_of(r, fid->fsid);
    if (!fs)
        return false;
    k->root = k->gone = false;
    if (fs->root_ok && fid_is(fid, &fs->root.fh)) {
        const struct hostpath_mount *m = hostpath_by_id(&r->names, fs->mount_id);
        buf_reset(&r->name);
        buf_put_str(&r->name, m ? m->root : "/");
        k->root = true;
        return !buf_failed(&r->name);
    }
    int fd = resolve_open(r, fid, O_PATH);
    if (fd < 0) {
        r->st.stale++;
        return false;
    }
    int mnt_id;
    k->parent.fh.handle_bytes = MAX_HANDLE_SZ;
    bool ok =
        name_to_handle_at(fd, "..", &k->parent.fh, &mnt_id, 0) == 0 && entry_name(r, fd, &k->gone);
    close(fd);
    if (ok && fid_is(fid, &k->parent.fh)) {
        /* ".." of itself: the root of a filesystem reached outside the
         * mount fd's subtree */
        buf_reset(&r->name);
        buf_putc(&r->name, '/');
        k->root = true;
    }
    return ok;
}

/* ---- what the queue says after the current event ------------------------------- */

/* The first change of an object's name queued after the current event. */
struct change {
    const struct decode_fid *want;
    bool renames;  /* moves say what moved: one that does not is not ours */
    bool found;    /* DIR and NAME: where it was before */
    bool linked;   /* it was given a name (a file made with O_TMPFILE) */
    bool blind;    /* a directory moved without saying which (before Linux 5.17), or from where */
    bool overflow; /* events were lost: what they said is not known */
    struct decode_fid dir;
    const char *name;
    size_t name_len;
};

static bool visit_change(const struct decode_event *ev, uint64_t index, void *ctx)
{
    (void)index;
    struct change *c = ctx;
    uint64_t m = ev->mask;
    if (m & FAN_Q_OVERFLOW)
        return c->overflow = true;
    if (!ev->has_fid) {
        if (!c->renames && (m & FAN_ONDIR) && (m & (FAN_MOVED_FROM | FAN_MOVED_TO)))
            return c->blind = true;
        return false;
    }
    if (!decode_fid_equal(&ev->fid, c->want))
        return false;
    if ((m & FAN_RENAME) && ev->has_old) {
        c->dir = ev->old_dfid;
        c->name = ev->old_name;
        c->name_len = ev->old_name_len;
        return c->found = true;
    }
    if (m & FAN_RENAME) /* moved in from where no mark of ours is: not told */
        return c->blind = true;
    if ((m & (FAN_DELETE | FAN_MOVED_FROM)) && ev->has_dfid && ev->name) {
        c->dir = ev->dfid;
        c->name = ev->name;
        c->name_len = ev->name_len;
        return c->found = true;
    }
    if (m & FAN_CREATE)
        return c->linked = true;
    return false;
}

/* Search the events after the current one, up to all that the kernel has
 * queued by now, for the first change of WANT's name. *SURE: the search
 * saw every event up to now. */
static void first_change(struct resolver *r, const struct decode_fid *want, uint64_t until,
                         struct change *c, bool *sure)
{
    *c = (struct change){.want = want, .renames = r->renames};
    *sure = true;
    if (!r->q)
        return;
    bool all = until == UINT64_MAX ? fidq_catch_up(r->q) : true;
    if (until == UINT64_MAX)
        until = all ? fidq_end(r->q) : fidq_horizon(r->q);
    fidq_scan(r->q, until, visit_change, c);
    if (c->found || c->linked)
        return;
    if (c->overflow || c->blind || fidq_end(r->q) < until)
        *sure = false;
}

/* ---- directories --------------------------------------------------------------- */

static bool place_from_change(struct resolver *r, uint32_t x, const struct change *c)
{
    uint32_t p = dirlink_get(&r->dirs, &c->dir, true);
    if (p == DIRLINK_NONE || !dirlink_set_link(&r->dirs, x, p, c->name, c->name_len))
        return false;
    r->st.from_renames++;
    return true;
}

/* Place directory node X as it was at the current event. */
static bool place(struct resolver *r, uint32_t x)
{
    struct decode_fid fid = dirlink_fid(&r->dirs, x);
    struct kplace k;
    /* The kernel first, the queue after: a rename the kernel's answer
     * already shows is then in the queue too. */
    bool kernel = kernel_place(r, &fid, &k);
    uint64_t until = UINT64_MAX;
    if (r->q)
        until = fidq_catch_up(r->q) ? fidq_end(r->q) : fidq_horizon(r->q);
    struct change c;
    bool sure;
    first_change(r, &fid, until, &c, &sure);
    if (c.found)
        return place_from_change(r, x, &c);
    if (!kernel)
        return false;
    if (k.root) {
        if (!dirlink_set_root(&r->dirs, x, r->name.p, r->name.len))
            return false;
    } else {
        struct decode_fid pf = {.fsid = fid.fsid,
                                .fh = k.parent.raw,
                                .fh_len = FH_HDR_LEN + k.parent.fh.handle_bytes,
                                .handle_bytes = k.parent.fh.handle_bytes,
                                .handle_type = k.parent.fh.handle_type};
        uint32_t p = dirlink_get(&r->dirs, &pf, true);
        if (p == DIRLINK_NONE || !dirlink_set_link(&r->dirs, x, p, r->name.p, r->name.len))
            return false;
    }
    r->st.misses++;
    struct dirlink_node *e = &r->dirs.v[x];
    e->gone = k.gone;
    if (!sure) {
        e->unsure = true;
        e->unsure_until = c.overflow || c.blind ? UINT64_MAX : until;
    }
    return true;
}

/* Check unsure node X again now that more of the queue may be read. True
 * when its link changed. */
static bool recheck(struct resolver *r, uint32_t x)
{
    struct dirlink_node *e = &r->dirs.v[x];
    if (!r->q || e->unsure_until == UINT64_MAX)
        return false;
    struct decode_fid fid = dirlink_fid(&r->dirs, x);
    uint64_t until = e->unsure_until;
    fidq_catch_up(r->q);
    struct change c;
    bool sure;
    first_change(r, &fid, until, &c, &sure);
    if (c.found)
        return place_from_change(r, x, &c);
    e = &r->dirs.v[x];
    if (sure) {
        e->unsure = false;
    } else if (c.overflow || c.blind) {
        e->unsure_until = UINT64_MAX;
    }
    return false;
}

/* Recheck the unsure links from X up. True when one changed. */
static bool recheck_chain(struct resolver *r, uint32_t x)
{
    for (size_t n = 0; x != DIRLINK_NONE && n < PLACE_ROUNDS; n++) {
        const struct dirlink_node *e = &r->dirs.v[x];
        if (e->unsure && recheck(r, x))
            return true;
        x = e->kind == DIRLINK_LINK ? r->dirs.v[x].parent : DIRLINK_NONE;
    }
    return false;
}

/* Does directory node X lie at or below an anchor? Its chain is placed up
 * to the first anchor, as far as it can be, past the length of a path. */
static bool under_anchor(struct resolver *r, uint32_t x)
{
    if (!r->nanchors)
        return false;
    for (size_t n = 0; x != DIRLINK_NONE && n < RESOLVE_PATH_MAX / 2; n++) {
        struct decode_fid f = dirlink_fid(&r->dirs, x);
        for (size_t i = 0; i < r->nanchors; i++)
            if (r->anchors[i].fsid == f.fsid && fid_is(&f, &r->anchors[i].h.fh))
                return true;
        if (r->dirs.v[x].kind == DIRLINK_UNKNOWN && !place(r, x))
            return false;
        const struct dirlink_node *e = &r->dirs.v[x];
        x = e->kind == DIRLINK_LINK ? e->parent : DIRLINK_NONE;
    }
    return false;
}

enum dir_result { DIR_WHOLE, DIR_PART, DIR_TOO_LONG };

/* The path of directory node X within its filesystem into r->rel, placing
 * the directories on the way that are not known yet. */
static enum dir_result dir_rel(struct resolver *r, uint32_t x, bool *unsure)
{
    for (unsigned round = 0; round < PLACE_ROUNDS; round++) {
        bool u = false, too_long;
        uint32_t stop = dirlink_path(&r->dirs, x, &r->rel, RESOLVE_PATH_MAX, &u, &too_long);
        if (too_long)
            return DIR_TOO_LONG;
        if (stop != DIRLINK_NONE) {
            if (!place(r, stop))
                return DIR_PART;
            continue;
        }
        if (u && recheck_chain(r, x))
            continue;
        if (u) {
            /* still unsure after the recheck: build once more for the flag */
            u = false;
            dirlink_path(&r->dirs, x, &r->rel, RESOLVE_PATH_MAX, &u, &too_long);
        }
        *unsure = u;
        return buf_failed(&r->rel) ? DIR_PART : DIR_WHOLE;
    }
    return DIR_PART;
}

/* The host path of directory DIR at the current event into OUT. */
static void dir_path(struct resolver *r, const struct decode_fid *dir, struct buf *out,
                     uint32_t *flags)
{
    dirlink_trim(&r->dirs);
    uint32_t x = dirlink_get(&r->dirs, dir, true);
    if (x == DIRLINK_NONE) {
        unnamed(out, flags);
        return;
    }
    size_t len;
    const char *memo = dirlink_memo(&r->dirs, x, &len);
    if (memo) {
        r->st.hits++;
        buf_reset(out);
        buf_put(out, memo, len);
    } else {
        bool unsure = false;
        enum dir_result res = dir_rel(r, x, &unsure);
        if (res != DIR_WHOLE && under_anchor(r, x))
            *flags |= FA_EV_UNDER_PATH;
        if (res == DIR_TOO_LONG) {
            unnamed(out, flags);
            return;
        }
        if (res == DIR_PART || !hostpath_name(&r->names, dir->fsid, r->rel.p, r->rel.len, out)) {
            /* what is known: the part below the unknown, or the path within
             * a filesystem no mount shows */
            *flags |= FA_EV_UNRESOLVED;
            buf_reset(out);
            buf_putc(out, '?');
            buf_put(out, r->rel.p, r->rel.len);
            return;
        }
        if (unsure)
            *flags |= FA_EV_UNCERTAIN;
        else
            dirlink_set_memo(&r->dirs, x, out->p, out->len);
    }
    if (r->dirs.v[x].gone)
        *flags |= FA_EV_DELETED;
}

/* Append "/NAME" to OUT (the root already ends in '/'). */
static void put_entry(struct buf *out, const char *name, size_t len)
{
    if (!(out->len == 1 && out->p[0] == '/'))
        buf_putc(out, '/');
    buf_put(out, name, len);
}

/* ---- files ------------------------------------------------------------------- */

/* "#123": the name the kernel gives a file made with O_TMPFILE. */
static bool tmpfile_name(const char *name, size_t n)
{
    if (!name || n < 2 || name[0] != '#')
        return false;
    for (size_t i = 1; i < n; i++)
        if (name[i] < '0' || name[i] > '9')
            return false;
    return true;
}

/* Has OBJ no name left? A handle that no longer opens is gone too. */
static bool no_links(struct resolver *r, const struct decode_fid *obj)
{
    int fd = resolve_open(r, obj, O_PATH);
    if (fd < 0)
        return true;
    struct stat st;
    bool gone = fstat(fd, &st) == 0 && st.st_nlink == 0;
    close(fd);
    return gone;
}

/* The path of file FID as the kernel has it now, checked against the
 * renames queued after the current event. */
static size_t fid_now(struct resolver *r, const struct decode_fid *fid, struct buf *out,
                      uint32_t *flags, bool sure)
{
    int fd = resolve_open(r, fid, O_PATH);
    if (fd < 0) {
        r->st.stale++;
        return unnamed(out, flags);
    }
    bool ok = link_of_fd(r, fd, out, flags);
    close(fd);
    if (!ok)
        return unnamed(out, flags);
    if (!sure)
        *flags |= FA_EV_UNCERTAIN;
    return out->len;
}

/* Where the first change queued after the current event says a file was. */
static size_t from_change(struct resolver *r, const struct change *c, struct buf *out,
                          uint32_t *flags)
{
    dir_path(r, &c->dir, out, flags);
    put_entry(out, c->name, c->name_len);
    return out->len;
}

size_t resolve_fid(struct resolver *r, const struct decode_fid *fid, struct buf *out,
                   uint32_t *flags)
{
    struct change c;
    bool sure;
    first_change(r, fid, UINT64_MAX, &c, &sure);
    if (c.found)
        return from_change(r, &c, out, flags);
    return fid_now(r, fid, out, flags, sure);
}

/* An O_TMPFILE file OBJ, reported as "#INO" in its directory (OUT holds
 * the path of that): is it named by now? True with OUT replaced by its name
 * when it was linked before the current event. */
static bool tmpfile_linked(struct resolver *r, struct fid_entry *e, const struct decode_fid *obj,
                           struct buf *out, uint32_t *flags)
{
    if (e->gone == GONE_LINKED) {
        const unsigned char *x = e->blob + e->hb;
        struct decode_fid d = {.fsid = obj->fsid, .fh = x};
        memcpy(&d.handle_bytes, x, sizeof d.handle_bytes);
        memcpy(&d.handle_type, x + 4, sizeof d.handle_type);
        d.fh_len = FH_HDR_LEN + d.handle_bytes;
        const char *name = (const char *)x + d.fh_len;
        dir_path(r, &d, out, flags);
        put_entry(out, name, e->extra_len - d.fh_len);
        return true;
    }
    if (e->gone == GONE_YES)
        return false;
    /* Not seen linked: a link queued after this event means it had no
     * name yet; else it may have one from before we looked. */
    struct change c;
    bool sure;
    first_change(r, obj, UINT64_MAX, &c, &sure);
    if (c.linked || c.found)
        return false;
    if (no_links(r, obj)) {
        e->gone = GONE_YES;
        return false;
    }
    fid_now(r, obj, out, flags, sure);
    return true;
}

/* Has the file OBJ, reported under entry NAME, lost its last name? Looks
 * at the file itself once per removal; names a linked O_TMPFILE file. */
static bool file_gone(struct resolver *r, const struct decode_fid *obj, const char *name,
                      size_t name_len, struct buf *out, uint32_t *flags)
{
    bool tmp = tmpfile_name(name, name_len);
    if (!r->gone.used && !tmp)
        return false;
    struct fid_entry *e = table_find(&r->gone, obj);
    if (!e && tmp)
        e = table_add(&r->gone, obj);
    if (!e)
        return tmp;
    if (tmp)
        return !tmpfile_linked(r, e, obj, out, flags);
    if (e->gone == GONE_UNKNOWN)
        e->gone = no_links(r, obj) ? GONE_YES : GONE_NO;
    return e->gone == GONE_YES;
}

size_t resolve_dfid(struct resolver *r, const struct decode_fid *dir, const char *name,
                    size_t name_len, const struct decode_fid *obj, struct buf *out, uint32_t *flags)
{
    dir_path(r, dir, out, flags);
    /* no name, or ".": the event is on the directory itself */
    if (!name || (name_len == 1 && name[0] == '.'))
        return out->len;
    put_entry(out, name, name_len);
    if (obj && file_gone(r, obj, name, name_len, out, flags))
        *flags |= FA_EV_DELETED;
    return out->len;
}

/* ---- in queue order ------------------------------------------------------------ */

/* File OBJ was given entry NAME of DIR (a link, or a rename of a linked
 * O_TMPFILE file): its "#INO" events name it so from now on. */
static void file_named(struct resolver *r, const struct decode_fid *obj,
                       const struct decode_fid *dir, const char *name, size_t len)
{
    struct fid_entry *e = table_find(&r->gone, obj);
    if (e && entry_set_extra(e, dir->fh, dir->fh_len, name, len))
        e->gone = GONE_LINKED;
}

void resolve_track(struct resolver *r, const struct decode_event *ev)
{
    uint64_t m = ev->mask;
    bool dir = m & FAN_ONDIR;
    if (m & FAN_Q_OVERFLOW) {
        /* renames may be among what was lost */
        dirlink_clear(&r->dirs);
        return;
    }
    if (r->renames && (m & FAN_RENAME) && ev->has_fid && ev->has_new) {
        if (dir)
            dirlink_moved(&r->dirs, &ev->fid, &ev->new_dfid, ev->new_name, ev->new_name_len);
        else if (r->gone.used)
            file_named(r, &ev->fid, &ev->new_dfid, ev->new_name, ev->new_name_len);
    } else if (r->renames && (m & FAN_RENAME) && dir && ev->has_fid) {
        /* Moved where no mark of ours is (out of a PATH watched by inode
         * marks): the kernel tells only where it was. */
        dirlink_unplace(&r->dirs, &ev->fid);
    } else if (!r->renames && dir && (m & (FAN_MOVED_FROM | FAN_MOVED_TO))) {
        /* which directory moved is not said: start over */
        dirlink_clear(&r->dirs);
    }
    if (!(m & FAN_CREATE) && !(m & FAN_DELETE))
        return;
    if (!ev->has_fid || !ev->has_dfid || !ev->name)
        return;
    if ((m & FAN_CREATE) && dir) {
        /* a new directory is placed by its event, with no question asked */
        uint32_t x = dirlink_get(&r->dirs, &ev->fid, true);
        uint32_t p = x == DIRLINK_NONE ? x : dirlink_get(&r->dirs, &ev->dfid, true);
        if (p != DIRLINK_NONE && r->dirs.v[x].kind == DIRLINK_UNKNOWN)
            dirlink_set_link(&r->dirs, x, p, ev->name, ev->name_len);
    } else if ((m & FAN_CREATE) && r->gone.used) {
        file_named(r, &ev->fid, &ev->dfid, ev->name, ev->name_len);
    }
    if ((m & FAN_DELETE) && !dir) {
        /* its later events may be on a file with no name left */
        struct fid_entry *e = table_find(&r->gone, &ev->fid);
        if (!e)
            e = table_add(&r->gone, &ev->fid);
        if (e)
            e->gone = GONE_UNKNOWN;
    }
}

void resolve_get_stats(const struct resolver *r, struct resolve_stats *out)
{
    *out = r->st;
}
