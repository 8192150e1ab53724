#include "config.h"

#include "resolve.h"

#include "event.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Directory handles seen by a busy system are few; a bounded cache that is
 * dropped whole when full (or when a directory moves) keeps lookups O(1)
 * without an eviction policy to get wrong. */
#define CACHE_SLOTS    16384
#define CACHE_MAX_USED (CACHE_SLOTS / 2)

static const char deleted_suffix[] = " (deleted)";

struct dir_entry {
    uint64_t hash; /* 0 = empty slot */
    uint64_t fsid;
    int32_t type;
    uint32_t hb;
    uint32_t path_len;
    unsigned char *blob; /* handle bytes, then the path and its NUL */
};

struct fs {
    uint64_t fsid;
    int mount_fd;
};

struct resolver {
    int proc_fd; /* /proc/self/fd: one readlinkat per event instead of a path walk */
    struct fs *fs;
    size_t nfs;
    struct dir_entry *slots;
    size_t used;
    struct resolve_stats st;
};

struct resolver *resolve_create(void)
{
    struct resolver *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->slots = calloc(CACHE_SLOTS, sizeof *r->slots);
    r->proc_fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (!r->slots || r->proc_fd < 0) {
        if (r->proc_fd >= 0)
            close(r->proc_fd);
        free(r->slots);
        free(r);
        return NULL;
    }
    return r;
}

void resolve_forget(struct resolver *r)
{
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        free(r->slots[i].blob);
        r->slots[i] = (struct dir_entry){0};
    }
    r->used = 0;
}

void resolve_destroy(struct resolver *r)
{
    if (!r)
        return;
    resolve_forget(r);
    free(r->slots);
    for (size_t i = 0; i < r->nfs; i++)
        close(r->fs[i].mount_fd);
    free(r->fs);
    close(r->proc_fd);
    free(r);
}

int resolve_add_fs(struct resolver *r, uint64_t fsid, int mount_fd)
{
    if (resolve_knows_fs(r, fsid)) {
        close(mount_fd);
        return 0;
    }
    struct fs *n = realloc(r->fs, (r->nfs + 1) * sizeof *n);
    if (!n) {
        close(mount_fd);
        return -1;
    }
    r->fs = n;
    r->fs[r->nfs++] = (struct fs){fsid, mount_fd};
    return 0;
}

bool resolve_knows_fs(const struct resolver *r, uint64_t fsid)
{
    for (size_t i = 0; i < r->nfs; i++)
        if (r->fs[i].fsid == fsid)
            return true;
    return false;
}

static int mount_fd_of(const struct resolver *r, uint64_t fsid)
{
    for (size_t i = 0; i < r->nfs; i++)
        if (r->fs[i].fsid == fsid)
            return r->fs[i].mount_fd;
    return -1;
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

static uint64_t hash_fid(const struct decode_fid *f)
{
    /* FNV-1a over fsid, type and handle bytes; never 0 (0 marks an empty slot). */
    uint64_t h = 1469598103934665603ULL;
    const unsigned char *parts[3] = {(const unsigned char *)&f->fsid,
                                     (const unsigned char *)&f->handle_type, f->fh + 8};
    size_t lens[3] = {sizeof f->fsid, sizeof f->handle_type, f->handle_bytes};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < lens[k]; i++) {
            h ^= parts[k][i];
            h *= 1099511628211ULL;
        }
    return h ? h : 1;
}

/* Open the object of FID through its filesystem's mount fd and readlink it. */
static size_t open_fid(struct resolver *r, const struct decode_fid *f, char *buf, size_t len,
                       uint32_t *flags, bool *ok)
{
    *ok = false;
    int mfd = mount_fd_of(r, f->fsid);
    if (mfd < 0 || f->handle_bytes > MAX_HANDLE_SZ)
        return 0;
    union {
        struct file_handle fh;
        char raw[sizeof(struct file_handle) + MAX_HANDLE_SZ];
    } h;
    h.fh.handle_bytes = f->handle_bytes;
    h.fh.handle_type = f->handle_type;
    memcpy(h.fh.f_handle, f->fh + 8, f->handle_bytes);
    /* O_PATH: opening for a name must not itself make an fanotify event. */
    int fd = open_by_handle_at(mfd, &h.fh, O_PATH | O_CLOEXEC);
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
    size_t i = h & (CACHE_SLOTS - 1);
    for (;; i = (i + 1) & (CACHE_SLOTS - 1)) {
        struct dir_entry *e = &r->slots[i];
        if (!e->hash)
            break;
        if (e->hash == h && e->fsid == dir->fsid && e->type == dir->handle_type &&
            e->hb == dir->handle_bytes && memcmp(e->blob, dir->fh + 8, e->hb) == 0) {
            r->st.hits++;
            *ok = true;
            return set_str(buf, len, (const char *)e->blob + e->hb, e->path_len);
        }
    }
    r->st.misses++;
    uint32_t f = 0;
    size_t n = open_fid(r, dir, buf, len, &f, ok);
    if (!*ok)
        return 0;
    *flags |= f;
    if (f & (FA_EV_DELETED | FA_EV_UNRESOLVED))
        return n; /* a removed directory's name is not worth keeping */
    if (r->used >= CACHE_MAX_USED)
        resolve_forget(r);
    unsigned char *blob = malloc(dir->handle_bytes + n + 1);
    if (!blob)
        return n;
    memcpy(blob, dir->fh + 8, dir->handle_bytes);
    memcpy(blob + dir->handle_bytes, buf, n + 1);
    /* Re-probe: resolve_forget may have emptied the table. */
    for (i = h & (CACHE_SLOTS - 1); r->slots[i].hash; i = (i + 1) & (CACHE_SLOTS - 1)) {
    }
    r->slots[i] = (struct dir_entry){.hash = h,
                                     .fsid = dir->fsid,
                                     .type = dir->handle_type,
                                     .hb = dir->handle_bytes,
                                     .path_len = (uint32_t)n,
                                     .blob = blob};
    r->used++;
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

void resolve_get_stats(const struct resolver *r, struct resolve_stats *out)
{
    *out = r->st;
}
