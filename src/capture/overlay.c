#include "config.h"

#include "capture/overlay.h"

#include "base/event.h"
#include "base/hash.h"
#include "base/hashmap.h"
#include "capture/slowfs.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* How long an access through an overlay folds the layer events of the same
 * process on the same file: a mapped file's layer twin is closed when the
 * mapping goes, long after the overlay file. */
#define SEEN_NS  (600 * INT64_C(1000000000))
#define SEEN_MAX 65536
#define ROOT_NS  INT64_C(1000000000) /* how long a process's root is trusted */
#define RENAMES  8                   /* recent renames kept */
#define NEST     8                   /* overlay directories sorting between a path and its own */
#define FD_TYPES                                                                                   \
    (FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS) | FA_BIT(FA_MODIFY) | FA_BIT(FA_CLOSE_WRITE) |            \
     FA_BIT(FA_CLOSE_NOWRITE) | FA_BIT(FA_OPEN_EXEC))
#define MOVE_TYPES (FA_BIT(FA_MOVED_FROM) | FA_BIT(FA_MOVED_TO) | FA_BIT(FA_MOVE_SELF))

enum dir_kind { DIR_MERGED, DIR_LOWER, DIR_UPPER, DIR_WORK };

/* A directory of an overlay: its merged tree or a layer. */
struct odir {
    char *path;
    size_t len;
    uint32_t ovl;
    uint8_t kind;
};

struct rename {
    pid_t pid;
    uint64_t from, to; /* hashes of the two paths */
    bool internal;     /* between the work directory and the upper one */
    bool whiteout;     /* of a whiteout (a character device 0:0) */
};

struct overlays {
    struct odir *d; /* sorted by path */
    size_t nd;
    dev_t *devs; /* the overlays' own devices */
    size_t ndevs;
    dev_t *layer_devs;
    size_t nlayer_devs;
    struct u64map seen;  /* hash of (pid, path below the overlay) -> monotonic ns */
    struct u64map roots; /* pid -> ns << 1 | root on an overlay */
    struct rename ren[RENAMES];
    size_t nren;
    struct u64map whited; /* hashes of upper-layer paths seen whited out */
    struct buf tmp;
};

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

static int cmp_odir(const void *a, const void *b)
{
    const struct odir *x = a, *y = b;
    return cmp_bytes(x->path, x->len, y->path, y->len);
}

static bool add_dev(dev_t **v, size_t *n, dev_t d)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i] == d)
            return true;
    dev_t *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return false;
    *v = nv;
    nv[(*n)++] = d;
    return true;
}

static bool add_dir(struct overlays *o, const struct mount_table *mt, const char *path,
                    uint32_t ovl, uint8_t kind)
{
    /* A directory reached through a filesystem served by a daemon is not
     * looked up: its daemon may not answer (fanotop reads the table on its
     * capture thread). */
    if (slowfs_reached_through(mt, path))
        return true;
    char *real = realpath(path, NULL);
    if (!real)
        return true; /* gone, or another namespace's: nothing of ours to match */
    struct stat st;
    struct odir *nd = realloc(o->d, (o->nd + 1) * sizeof *nd);
    if (!nd || (kind != DIR_MERGED && stat(real, &st) == 0 &&
                !add_dev(&o->layer_devs, &o->nlayer_devs, st.st_dev))) {
        if (nd)
            o->d = nd;
        free(real);
        return false;
    }
    o->d = nd;
    nd[o->nd++] = (struct odir){.path = real, .len = strlen(real), .ovl = ovl, .kind = kind};
    return true;
}

/* The layers in VALUE, an option's value (lowerdir's are ':'-separated,
 * "\:" being a colon of a name). Relative ones cannot be placed. */
static bool add_layers(struct overlays *o, const struct mount_table *mt, char *value, uint32_t ovl,
                       uint8_t kind)
{
    char *w = value, *start = value;
    for (char *r = value;; r++) {
        if (*r == '\\' && (r[1] == ':' || r[1] == '\\')) {
            *w++ = *++r;
            continue;
        }
        if (*r == ':' || !*r) {
            bool end = !*r;
            *w = '\0';
            mounts_unescape(start);
            if (start[0] == '/' && !add_dir(o, mt, start, ovl, kind))
                return false;
            if (end)
                return true;
            start = w = r + 1;
            continue;
        }
        *w++ = *r;
    }
}

static bool add_overlay(struct overlays *o, const struct mount_table *mt,
                        const struct mount_entry *m, uint32_t ovl)
{
    char *opts = strdup(m->super);
    if (!opts)
        return false;
    bool ok = add_dev(&o->devs, &o->ndevs, makedev(m->major, m->minor)) &&
              add_dir(o, mt, m->point, ovl, DIR_MERGED);
    for (char *save = NULL, *opt = strtok_r(opts, ",", &save); ok && opt;
         opt = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(opt, '=');
        if (!eq)
            continue;
        *eq = '\0';
        uint8_t kind = strcmp(opt, "upperdir") == 0  ? DIR_UPPER
                       : strcmp(opt, "workdir") == 0 ? DIR_WORK
                       : (strcmp(opt, "lowerdir") == 0 || strcmp(opt, "lowerdir+") == 0 ||
                          strcmp(opt, "datadir+") == 0)
                           ? DIR_LOWER
                           : DIR_MERGED;
        if (kind != DIR_MERGED)
            ok = add_layers(o, mt, eq + 1, ovl, kind);
    }
    free(opts);
    return ok;
}

void overlay_free(struct overlays *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->nd; i++)
        free(o->d[i].path);
    free(o->d);
    free(o->devs);
    free(o->layer_devs);
    u64map_free(&o->seen);
    u64map_free(&o->roots);
    u64map_free(&o->whited);
    buf_free(&o->tmp);
    free(o);
}

struct overlays *overlay_scan(const struct mount_table *mt)
{
    struct overlays *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    uint32_t n = 0;
    for (size_t i = 0; i < mt->n; i++)
        if (strcmp(mt->v[i].fstype, "overlay") == 0 && !add_overlay(o, mt, &mt->v[i], n++)) {
            overlay_free(o);
            return NULL;
        }
    if (!o->nd) {
        overlay_free(o);
        return NULL;
    }
    qsort(o->d, o->nd, sizeof *o->d, cmp_odir);
    return o;
}

/* The overlay directory PATH lies in (the deepest, should they nest). */
static const struct odir *find_dir(const struct overlays *o, const char *path, size_t len)
{
    /* the last directory sorting at or before PATH, then its predecessors
     * while they may still be prefixes of it */
    size_t lo = 0, hi = o->nd;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cmp_bytes(o->d[mid].path, o->d[mid].len, path, len) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo, n = 0; i-- > 0 && n < NEST; n++) {
        const struct odir *d = &o->d[i];
        if (d->len <= len && memcmp(d->path, path, d->len) == 0 &&
            (d->len == len || path[d->len] == '/' || d->len == 1))
            return d;
    }
    return NULL;
}

static uint64_t seen_key(pid_t pid, uint32_t ovl, const char *rel, size_t len)
{
    uint64_t h = hash_bytes(rel, len);
    return hash_mix64(h ^ ((uint64_t)(uint32_t)pid << 32 | ovl)) & ~(uint64_t)0 >> 1;
}

void overlay_seen(struct overlays *o, pid_t pid, const char *path, size_t len, int64_t now)
{
    const struct odir *d = find_dir(o, path, len);
    if (!d || d->kind != DIR_MERGED)
        return;
    if (u64map_count(&o->seen) >= SEEN_MAX)
        u64map_clear(&o->seen);
    bool added;
    uint64_t *v = u64map_slot(&o->seen, seen_key(pid, d->ovl, path + d->len, len - d->len),
                              (uint64_t)now, &added);
    if (v)
        *v = (uint64_t)now;
}

/* stat(2) from what the kernel has cached: a root on a FUSE filesystem
 * (fuse-overlayfs) is not asked of its daemon, which may not answer. */
static int stat_cached(const char *path, struct stat *st)
{
    struct statx x;
    if (statx(AT_FDCWD, path, AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &x) < 0)
        return -1;
    st->st_dev = makedev(x.stx_dev_major, x.stx_dev_minor);
    st->st_ino = x.stx_ino;
    return 0;
}

/* Is PID's root directory on an overlay (a container's processes)? */
static bool root_on_overlay(struct overlays *o, pid_t pid, int64_t now)
{
    uint64_t *v = u64map_find(&o->roots, (uint64_t)(uint32_t)pid);
    if (v && now - (int64_t)(*v >> 1) < ROOT_NS)
        return *v & 1;
    char proc[32];
    snprintf(proc, sizeof proc, "/proc/%d/root", (int)pid);
    struct stat st;
    bool on = false;
    if (stat_cached(proc, &st) == 0)
        for (size_t i = 0; i < o->ndevs && !on; i++)
            on = o->devs[i] == st.st_dev;
    if (u64map_count(&o->roots) >= SEEN_MAX)
        u64map_clear(&o->roots);
    bool added;
    v = u64map_slot(&o->roots, (uint64_t)(uint32_t)pid, 0, &added);
    if (v)
        *v = (uint64_t)now << 1 | on;
    return on;
}

static bool seen_through(const struct overlays *o, pid_t pid, const struct odir *d,
                         const char *path, size_t len, int64_t now)
{
    uint64_t t;
    return u64map_get(&o->seen, seen_key(pid, d->ovl, path + d->len, len - d->len), &t) &&
           now - (int64_t)t < SEEN_NS;
}

/* The last rename by PID with an end at PATH (FROM or TO), or NULL. */
static const struct rename *rename_of(const struct overlays *o, pid_t pid, const char *path,
                                      size_t len, bool to)
{
    uint64_t h = hash_bytes(path, len);
    for (size_t i = o->nren; i-- > 0;) {
        const struct rename *r = &o->ren[i % RENAMES];
        if (r->pid == pid && (to ? r->to : r->from) == h)
            return r;
        if (o->nren - i >= RENAMES)
            break;
    }
    return NULL;
}

/* Does a lower layer of upper directory D's overlay hold REL? */
static bool in_lower(struct overlays *o, const struct odir *d, const char *rel, size_t len)
{
    struct stat st;
    for (size_t i = 0; i < o->nd; i++) {
        const struct odir *l = &o->d[i];
        if (l->ovl != d->ovl || l->kind != DIR_LOWER)
            continue;
        buf_reset(&o->tmp);
        buf_put(&o->tmp, l->path, l->len);
        buf_put(&o->tmp, rel, len);
        if (!buf_failed(&o->tmp) && lstat(o->tmp.p, &st) == 0)
            return true;
    }
    return false;
}

/* Note whether upper-layer PATH is whited out now; returns whether it was. */
static bool whited(struct overlays *o, const char *path, size_t len, bool now)
{
    uint64_t key = hash_bytes(path, len) & ~(uint64_t)0 >> 1;
    bool was = u64map_del(&o->whited, key);
    if (now) {
        if (u64map_count(&o->whited) >= SEEN_MAX)
            u64map_clear(&o->whited);
        bool added;
        u64map_slot(&o->whited, key, 1, &added);
    }
    return was;
}

/* What the merged tree shows of a change to file PATH of upper directory
 * D. The overlay copies a lower file up (a new upper file, made in the work
 * directory and moved in, or linked in) and hides one by a whiteout moved
 * in: neither is a create or a move in the merged tree. */
static uint32_t upper_change(struct overlays *o, const struct odir *d, pid_t pid, uint32_t types,
                             const char *path, size_t len)
{
    const struct rename *from = rename_of(o, pid, path, len, false);
    const struct rename *to = rename_of(o, pid, path, len, true);
    if (from && from->internal)
        types &= ~(uint32_t)FA_BIT(FA_MOVED_FROM);
    bool moved_in = to && to->internal && (types & FA_BIT(FA_MOVED_TO));
    if (moved_in || (types & FA_BIT(FA_CREATE))) {
        types &= ~(uint32_t)(FA_BIT(FA_CREATE) | FA_BIT(FA_MOVED_TO) | FA_BIT(FA_MOVE_SELF));
        if (moved_in && to->whiteout) {
            whited(o, path, len, true);
            types |= FA_BIT(FA_DELETE);
        } else if (whited(o, path, len, false) || !in_lower(o, d, path + d->len, len - d->len)) {
            /* over a whiteout, or a name no layer had: new to the merged tree */
            types |= FA_BIT(FA_CREATE);
        }
    } else if (to && to->internal) {
        types &= ~(uint32_t)FA_BIT(FA_MOVE_SELF);
    }
    return types;
}

uint32_t overlay_layer_event(struct overlays *o, pid_t pid, uint32_t types, struct buf *path,
                             int64_t now)
{
    const struct odir *d = find_dir(o, path->p, path->len);
    if (!d || d->kind == DIR_MERGED)
        return types;
    if (d->kind == DIR_WORK)
        return 0; /* the overlay's workings */
    if ((types & FD_TYPES) &&
        (root_on_overlay(o, pid, now) || seen_through(o, pid, d, path->p, path->len, now)))
        types &= ~(uint32_t)FD_TYPES;
    if (d->kind == DIR_LOWER || !types || (types & FD_TYPES))
        return types; /* the lower layers do not change; a direct access keeps its name */
    if (types & (MOVE_TYPES | FA_BIT(FA_CREATE)))
        types = upper_change(o, d, pid, types, path->p, path->len);
    if (!types)
        return 0;
    /* the merged tree's name: the overlay's mount point, then the path below the layer */
    const struct odir *m = NULL;
    for (size_t i = 0; i < o->nd && !m; i++)
        if (o->d[i].ovl == d->ovl && o->d[i].kind == DIR_MERGED)
            m = &o->d[i];
    if (!m)
        return types;
    buf_reset(&o->tmp);
    buf_put(&o->tmp, m->path, m->len);
    buf_put(&o->tmp, path->p + d->len, path->len - d->len);
    if (buf_failed(&o->tmp))
        return types;
    buf_reset(path);
    buf_put(path, o->tmp.p, o->tmp.len);
    return types;
}

bool overlay_in_layer(const struct overlays *o, const char *path, size_t len)
{
    const struct odir *d = find_dir(o, path, len);
    return d && (d->kind == DIR_LOWER || d->kind == DIR_UPPER);
}

void overlay_rename(struct overlays *o, pid_t pid, const char *from, size_t flen, const char *to,
                    size_t tlen, bool whiteout)
{
    const struct odir *a = find_dir(o, from, flen), *b = find_dir(o, to, tlen);
    uint8_t ka = a ? a->kind : DIR_MERGED, kb = b ? b->kind : DIR_MERGED;
    struct rename *r = &o->ren[o->nren++ % RENAMES];
    *r = (struct rename){.pid = pid,
                         .from = hash_bytes(from, flen),
                         .to = hash_bytes(to, tlen),
                         .internal = (ka == DIR_WORK && kb == DIR_UPPER) ||
                                     (ka == DIR_UPPER && kb == DIR_WORK),
                         .whiteout = whiteout};
}

bool overlay_hidden_fd(const struct overlays *o, int fd, const char *path)
{
    struct stat fst, pst;
    if (fstat(fd, &fst) < 0)
        return false;
    bool layer = false;
    for (size_t i = 0; i < o->nlayer_devs && !layer; i++)
        layer = o->layer_devs[i] == fst.st_dev;
    return layer &&
           (stat_cached(path, &pst) < 0 || pst.st_dev != fst.st_dev || pst.st_ino != fst.st_ino);
}
