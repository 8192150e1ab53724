#include "config.h"

#include "capture/resolve.h"

#include "base/event.h"
#include "base/hash.h"
#include "base/hashmap.h"
#include "capture/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

/* Directory handles seen by a busy system are few; a bounded cache that is
 * dropped whole when full (or when a directory moves) keeps lookups O(1)
 * without an eviction policy to get wrong. */
#define DIR_ENTRIES  32768
#define GONE_ENTRIES 2048

static const char deleted_suffix[] = " (deleted)";

/* Whether a file that lost a name has lost its last one. */
enum gone { GONE_UNKNOWN, GONE_YES, GONE_NO };

/* A file handle and bytes of its own: a directory's path, or nothing. */
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
    struct u64multi by_hash; /* hash_fid -> index in entries */
    struct fid_entry *entries;
    size_t used, max;
};

/* A filesystem's handles open through a directory of one of its mounts,
 * opened on first use in a batch and closed at its end: a descriptor held
 * between reads would keep its mount from being unmounted. */
struct fs {
    uint64_t fsid;
    char *path;   /* where the mount is reached (a mount point, or through /proc/PID/root) */
    uint64_t mnt; /* that mount's id: another mounted there later is not it */
    int mount_fd; /* -1 when closed */
};

struct resolver {
    int proc_fd; /* /proc/self/fd: one readlinkat per event instead of a path walk */
    struct fs *fs;
    size_t nfs;
    struct fid_table dirs; /* directory handle -> path */
    struct fid_table gone; /* files that lost a name (DELETE events) */
    struct resolve_stats st;
};

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

/* FNV-1a over fsid, type and handle bytes. */
static uint64_t hash_fid(const struct decode_fid *f)
{
    uint64_t h = HASH_FNV_INIT;
    const unsigned char *parts[3] = {(const unsigned char *)&f->fsid,
                                     (const unsigned char *)&f->handle_type, f->fh + 8};
    size_t lens[3] = {sizeof f->fsid, sizeof f->handle_type, f->handle_bytes};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < lens[k]; i++)
            h = hash_fnv_step(h, parts[k][i]);
    return h;
}

static struct fid_entry *table_find(struct fid_table *t, const struct decode_fid *f, uint64_t h)
{
    for (uint64_t i = u64multi_first(&t->by_hash, h); i != U64MULTI_END;
         i = u64multi_next(&t->by_hash, i)) {
        struct fid_entry *e = &t->entries[i];
        if (e->fsid == f->fsid && e->type == f->handle_type && e->hb == f->handle_bytes &&
            memcmp(e->blob, f->fh + 8, e->hb) == 0)
            return e;
    }
    return NULL;
}

/* A new entry for F (not in T) with EXTRA bytes, or NULL out of memory. */
static struct fid_entry *table_add(struct fid_table *t, const struct decode_fid *f, uint64_t h,
                                   const void *extra, size_t n)
{
    if (t->used == t->max)
        table_clear(t);
    unsigned char *blob = malloc(f->handle_bytes + n + 1);
    if (!blob || !u64multi_add(&t->by_hash, h, t->used)) {
        free(blob);
        return NULL;
    }
    memcpy(blob, f->fh + 8, f->handle_bytes);
    if (n)
        memcpy(blob + f->handle_bytes, extra, n);
    blob[f->handle_bytes + n] = '\0';
    struct fid_entry *e = &t->entries[t->used++];
    *e = (struct fid_entry){.fsid = f->fsid,
                            .type = f->handle_type,
                            .hb = f->handle_bytes,
                            .extra_len = (uint32_t)n,
                            .blob = blob};
    return e;
}

struct resolver *resolve_create(void)
{
    struct resolver *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->proc_fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (!table_init(&r->dirs, DIR_ENTRIES) || !table_init(&r->gone, GONE_ENTRIES) ||
        r->proc_fd < 0) {
        resolve_destroy(r);
        return NULL;
    }
    return r;
}

void resolve_forget(struct resolver *r)
{
    table_clear(&r->dirs);
}

void resolve_destroy(struct resolver *r)
{
    if (!r)
        return;
    table_free(&r->dirs);
    table_free(&r->gone);
    resolve_release(r);
    for (size_t i = 0; i < r->nfs; i++)
        free(r->fs[i].path);
    free(r->fs);
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

int resolve_add_fs(struct resolver *r, uint64_t fsid, const char *mount_path)
{
    char *p = strdup(mount_path);
    if (!p)
        return -1;
    uint64_t mnt = mounts_unique_id_at(AT_FDCWD, mount_path);
    struct fs *f = fs_of(r, fsid);
    if (f) {
        free(f->path);
        f->path = p;
        f->mnt = mnt;
        return 0;
    }
    struct fs *n = realloc(r->fs, (r->nfs + 1) * sizeof *n);
    if (!n) {
        free(p);
        return -1;
    }
    r->fs = n;
    r->fs[r->nfs++] = (struct fs){fsid, p, mnt, -1};
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

/* A struct file_handle with room for any handle. */
union handle_buf {
    struct file_handle fh;
    char raw[sizeof(struct file_handle) + MAX_HANDLE_SZ];
};

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

static size_t set_str(char *buf, size_t len, const char *s, size_t n)
{
    if (n > len - 1)
        n = len - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return n;
}

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

/* readlink of our own fd FD; strips " (deleted)" when the file is really gone. */
static size_t link_of_fd(struct resolver *r, int fd, char *buf, size_t len, uint32_t *flags,
                         bool *ok)
{
    char name[12];
    fd_name(fd, name);
    ssize_t n = readlinkat(r->proc_fd, name, buf, len - 1);
    if (n <= 0) {
        *ok = false;
        return 0;
    }
    *ok = true;
    buf[n] = '\0';
    size_t sl = sizeof deleted_suffix - 1;
    if ((size_t)n > sl && memcmp(buf + n - sl, deleted_suffix, sl) == 0) {
        /* A file may really be called "x (deleted)": trust only the link count. */
        struct stat st;
        if (fstat(fd, &st) == 0 && st.st_nlink == 0) {
            n -= (ssize_t)sl;
            buf[n] = '\0';
            *flags |= FA_EV_DELETED;
        }
    }
    if (buf[0] != '/')
        *flags |= FA_EV_UNRESOLVED; /* "anon_inode:...", a path outside our root */
    return (size_t)n;
}

size_t resolve_fd(struct resolver *r, int fd, char *buf, size_t len, uint32_t *flags)
{
    bool ok = false;
    size_t n = fd >= 0 ? link_of_fd(r, fd, buf, len, flags, &ok) : 0;
    if (!ok) {
        *flags |= FA_EV_UNRESOLVED;
        return set_str(buf, len, "?", 1);
    }
    return n;
}

/* Open the object of FID through its filesystem's mount fd and readlink it. */
static size_t open_fid(struct resolver *r, const struct decode_fid *f, char *buf, size_t len,
                       uint32_t *flags, bool *ok)
{
    *ok = false;
    /* O_PATH: opening for a name must not itself make an fanotify event. */
    int fd = resolve_open(r, f, O_PATH);
    if (fd < 0) {
        r->st.stale++;
        return 0;
    }
    size_t n = link_of_fd(r, fd, buf, len, flags, ok);
    close(fd);
    return n;
}

/* The cached or freshly resolved path of directory DIR into BUF. */
static size_t dir_path(struct resolver *r, const struct decode_fid *dir, char *buf, size_t len,
                       uint32_t *flags, bool *ok)
{
    uint64_t h = hash_fid(dir);
    const struct fid_entry *e = table_find(&r->dirs, dir, h);
    if (e) {
        r->st.hits++;
        *ok = true;
        return set_str(buf, len, (const char *)e->blob + e->hb, e->extra_len);
    }
    r->st.misses++;
    uint32_t f = 0;
    size_t n = open_fid(r, dir, buf, len, &f, ok);
    if (!*ok)
        return 0;
    *flags |= f;
    if (!(f & (FA_EV_DELETED | FA_EV_UNRESOLVED))) /* a removed directory's name is not kept */
        table_add(&r->dirs, dir, h, buf, n);
    return n;
}

size_t resolve_dfid(struct resolver *r, const struct decode_fid *dir, const char *name,
                    size_t name_len, char *buf, size_t len, uint32_t *flags)
{
    bool self = !name || (name_len == 1 && name[0] == '.');
    bool ok;
    size_t n = dir_path(r, dir, buf, len, flags, &ok);
    if (!ok) {
        *flags |= FA_EV_UNRESOLVED;
        n = set_str(buf, len, "?", 1);
    }
    if (self)
        return n;
    /* The root directory already ends in '/'. */
    if (!(n == 1 && buf[0] == '/') && n < len - 1)
        buf[n++] = '/';
    if (name_len > len - 1 - n)
        name_len = len - 1 - n;
    memcpy(buf + n, name, name_len);
    n += name_len;
    buf[n] = '\0';
    return n;
}

size_t resolve_fid(struct resolver *r, const struct decode_fid *fid, char *buf, size_t len,
                   uint32_t *flags)
{
    bool ok;
    size_t n = open_fid(r, fid, buf, len, flags, &ok);
    if (!ok) {
        *flags |= FA_EV_UNRESOLVED;
        return set_str(buf, len, "?", 1);
    }
    return n;
}

void resolve_unlinked(struct resolver *r, const struct decode_fid *obj)
{
    uint64_t h = hash_fid(obj);
    struct fid_entry *e = table_find(&r->gone, obj, h);
    if (!e)
        e = table_add(&r->gone, obj, h, NULL, 0);
    if (e)
        e->gone = GONE_UNKNOWN;
}

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

bool resolve_gone(struct resolver *r, const struct decode_fid *obj, const char *name,
                  size_t name_len)
{
    bool tmp = tmpfile_name(name, name_len);
    if (!r->gone.used && !tmp)
        return false;
    uint64_t h = hash_fid(obj);
    struct fid_entry *e = table_find(&r->gone, obj, h);
    if (!e && tmp)
        e = table_add(&r->gone, obj, h, NULL, 0);
    if (!e)
        return tmp;
    if (e->gone == GONE_UNKNOWN)
        e->gone = no_links(r, obj) ? GONE_YES : GONE_NO;
    return e->gone == GONE_YES;
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
    memcpy(h.fh.f_handle, fid->fh + 8, fid->handle_bytes);
    return open_by_handle_at(mfd, &h.fh, flags | O_CLOEXEC);
}

void resolve_get_stats(const struct resolver *r, struct resolve_stats *out)
{
    *out = r->st;
}
