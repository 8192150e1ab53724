#include "config.h"

#include "capture/nspath.h"

#include "base/clock.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_VIEWS      256                  /* views cached; the least recently used makes room */
#define HOST_REREAD_NS CLOCK_NS_PER_S       /* fanotop's own mount table, re-read when older */
#define VIEW_REREAD_NS (2 * CLOCK_NS_PER_S) /* a view that cannot see a path is re-read */

/* ---- one view ---------------------------------------------------------------- */

static bool add_layer(struct nspath_view *v, char *dir, const char *point)
{
    size_t l = strlen(dir);
    while (l > 1 && dir[l - 1] == '/')
        dir[--l] = '\0';
    if (dir[0] != '/')
        return true; /* relative to the mounter's directory: no telling where */
    struct nspath_layer *nl = realloc(v->layers, (v->nlayers + 1) * sizeof *nl);
    char *copy = strdup(dir);
    if (!nl || !copy) {
        if (nl)
            v->layers = nl;
        free(copy);
        return false;
    }
    v->layers = nl;
    v->layers[v->nlayers++] = (struct nspath_layer){copy, l, point};
    return true;
}

/* The layers of overlay mount M: upperdir=, lowerdir= (':'-separated, '\'
 * escapes), lowerdir+= and datadir+= (one each). Options are split at ','
 * first: a ',' inside a value is escaped as \054. */
static bool overlay_layers(struct nspath_view *v, const struct mount_entry *m)
{
    char *opts = strdup(m->options);
    if (!opts)
        return false;
    bool ok = true;
    for (char *o = opts, *next; ok && o; o = next) {
        next = strchr(o, ',');
        if (next)
            *next++ = '\0';
        char *val = strchr(o, '=');
        if (!val)
            continue;
        *val++ = '\0';
        bool lower = strcmp(o, "lowerdir") == 0;
        if (!lower && strcmp(o, "upperdir") != 0 && strcmp(o, "lowerdir+") != 0 &&
            strcmp(o, "datadir+") != 0)
            continue;
        mounts_unescape(val);
        /* Split at ':' not escaped (lowerdir only), and drop the escapes. */
        char *w = val, *start = val;
        for (char *r = val;; r++) {
            if (*r == '\\' && r[1]) {
                *w++ = *++r;
                continue;
            }
            if (*r == '\0' || (lower && *r == ':')) {
                bool end = *r == '\0';
                *w = '\0';
                ok = ok && add_layer(v, start, m->point);
                if (end)
                    break;
                start = w = r + 1;
                continue;
            }
            *w++ = *r;
        }
    }
    free(opts);
    return ok;
}

int nspath_view_init(struct nspath_view *v, struct mount_table *mounts, const char *root)
{
    memset(v, 0, sizeof *v);
    v->mounts = *mounts;
    memset(mounts, 0, sizeof *mounts);
    if (root && !(v->root = strdup(root))) {
        nspath_view_free(v);
        return -1;
    }
    for (size_t i = 0; i < v->mounts.n; i++)
        if (strcmp(v->mounts.v[i].fstype, "overlay") == 0 && !overlay_layers(v, &v->mounts.v[i])) {
            nspath_view_free(v);
            return -1;
        }
    return 0;
}

void nspath_view_free(struct nspath_view *v)
{
    for (size_t i = 0; i < v->nlayers; i++)
        free(v->layers[i].dir);
    free(v->layers);
    free(v->root);
    mounts_free(&v->mounts);
    memset(v, 0, sizeof *v);
}

/* What follows PREFIX (PLEN bytes, under which PATH lies) in PATH: "" or
 * "/...". */
static const char *rest_after(const char *path, size_t plen)
{
    return plen == 1 ? path : path + plen;
}

/* BASE joined with REST ("" or "/..."; RLEN bytes) into OUT; the length. */
static size_t join(const char *base, const char *rest, size_t rlen, char *out, size_t outlen)
{
    if (strcmp(base, "/") == 0 && rlen)
        base = "";
    int n = snprintf(out, outlen, "%s%.*s", base, (int)rlen, rest);
    if (n < 0)
        return 0;
    return (size_t)n < outlen ? (size_t)n : outlen - 1;
}

/* The mount of T under which PATH lies with the longest point (the later
 * of equals: it covers the other). */
static const struct mount_entry *mount_of(const struct mount_table *t, const char *path, size_t len)
{
    const struct mount_entry *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < t->n; i++) {
        size_t l = strlen(t->v[i].point);
        if ((!best || l >= best_len) && mounts_path_under(path, len, t->v[i].point, l)) {
            best = &t->v[i];
            best_len = l;
        }
    }
    return best;
}

/* Through the file system: PATH's place in its file system (from HOST),
 * shown by a mount of V of that file system whose root holds it. */
static size_t by_filesystem(const struct mount_table *host, const struct nspath_view *v,
                            const char *path, size_t len, char *out, size_t outlen)
{
    const struct mount_entry *hm = mount_of(host, path, len);
    if (!hm)
        return 0;
    char fsrel[PATH_MAX + 1];
    const char *rest = rest_after(path, strlen(hm->point));
    size_t flen = join(hm->root, rest, (size_t)(path + len - rest), fsrel, sizeof fsrel);
    const struct mount_entry *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < v->mounts.n; i++) {
        const struct mount_entry *m = &v->mounts.v[i];
        size_t l = strlen(m->root);
        if (m->major == hm->major && m->minor == hm->minor && (!best || l >= best_len) &&
            mounts_path_under(fsrel, flen, m->root, l)) {
            best = m;
            best_len = l;
        }
    }
    if (!best)
        return 0;
    const char *r = rest_after(fsrel, best_len);
    return join(best->point, r, (size_t)(fsrel + flen - r), out, outlen);
}

size_t nspath_translate(const struct mount_table *host, const struct nspath_view *v,
                        const char *path, size_t len, char *out, size_t outlen)
{
    if (!outlen)
        return 0;
    out[0] = '\0';
    if (len == 0 || path[0] != '/')
        return 0;
    if (v->root) {
        size_t rl = strlen(v->root);
        if (!mounts_path_under(path, len, v->root, rl))
            return 0;
        const char *r = rest_after(path, rl);
        return join("/", r, (size_t)(path + len - r), out, outlen);
    }
    /* A container's root: its overlay's layers, the longest that holds it. */
    const struct nspath_layer *best = NULL;
    for (size_t i = 0; i < v->nlayers; i++) {
        const struct nspath_layer *l = &v->layers[i];
        if ((!best || l->dir_len > best->dir_len) &&
            mounts_path_under(path, len, l->dir, l->dir_len))
            best = l;
    }
    if (best) {
        const char *r = rest_after(path, best->dir_len);
        return join(best->point, r, (size_t)(path + len - r), out, outlen);
    }
    return by_filesystem(host, v, path, len, out, outlen);
}

/* ---- the views of the system --------------------------------------------------- */

struct key {
    uint64_t mnt; /* the mount namespace's inode */
    uint64_t root_dev, root_ino;
};

struct slot {
    struct key key;
    uint16_t gen; /* bumped when the slot is reused: old handles go stale */
    bool used;
    pid_t pid;     /* a process of the view, to read it again */
    uint64_t last; /* use counter, for eviction */
    int64_t built; /* monotonic time it was read */
    struct nspath_view view;
};

struct nspath {
    struct key self;
    struct mount_table host;
    int64_t host_read;
    struct slot slots[MAX_VIEWS];
    uint64_t clock; /* use counter */
};

static bool key_of(pid_t pid, struct key *k)
{
    char path[64];
    struct stat ns, root;
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)pid);
    if (stat(path, &ns) < 0)
        return false;
    snprintf(path, sizeof path, "/proc/%d/root", (int)pid);
    if (stat(path, &root) < 0)
        return false;
    *k = (struct key){(uint64_t)ns.st_ino, (uint64_t)root.st_dev, (uint64_t)root.st_ino};
    return true;
}

static bool key_eq(const struct key *a, const struct key *b)
{
    return a->mnt == b->mnt && a->root_dev == b->root_dev && a->root_ino == b->root_ino;
}

static void host_refresh(struct nspath *n, int64_t now)
{
    if (n->host_read && now - n->host_read < HOST_REREAD_NS)
        return;
    struct mount_table t;
    if (mounts_read(&t) == 0) {
        mounts_free(&n->host);
        n->host = t;
    }
    n->host_read = now;
}

/* Read the view of PID (whose key is K) into S. */
static bool build(struct nspath *n, struct slot *s, pid_t pid, const struct key *k)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mountinfo", (int)pid);
    struct mount_table mounts;
    if (mounts_read_file(path, &mounts) < 0)
        return false;
    /* In our own namespace a chroot's root has a host path: check that it
     * names that very directory. */
    char root[PATH_MAX + 1];
    bool has_root = false;
    if (k->mnt == n->self.mnt) {
        snprintf(path, sizeof path, "/proc/%d/root", (int)pid);
        ssize_t l = readlink(path, root, sizeof root - 1);
        struct stat st;
        if (l > 0) {
            root[l] = '\0';
            has_root = root[0] == '/' && stat(root, &st) == 0 &&
                       (uint64_t)st.st_dev == k->root_dev && (uint64_t)st.st_ino == k->root_ino;
        }
    }
    struct nspath_view v;
    if (nspath_view_init(&v, &mounts, has_root ? root : NULL) < 0)
        return false;
    /* Layers are named as the mounter wrote them: docker's are links. */
    for (size_t i = 0; i < v.nlayers; i++) {
        char *canon = realpath(v.layers[i].dir, NULL);
        if (canon) {
            free(v.layers[i].dir);
            v.layers[i].dir = canon;
            v.layers[i].dir_len = strlen(canon);
        }
    }
    if (s->used)
        nspath_view_free(&s->view);
    s->view = v;
    s->built = clock_mono_ns();
    s->pid = pid;
    host_refresh(n, s->built);
    return true;
}

static uint32_t handle(const struct nspath *n, const struct slot *s)
{
    return (uint32_t)(s - n->slots + 1) | (uint32_t)s->gen << 16;
}

static struct slot *slot_of(const struct nspath *n, uint32_t view)
{
    uint32_t i = (view & 0xffff) - 1;
    if (!view || i >= MAX_VIEWS || !n->slots[i].used || n->slots[i].gen != view >> 16)
        return NULL;
    return (struct slot *)&n->slots[i];
}

/* nspath_of; *GONE tells a process that could not be read (gone, or a
 * zombie: it has no namespaces left) from one that sees what we see. */
static uint32_t view_of(struct nspath *n, pid_t pid, bool *gone)
{
    struct key k;
    *gone = !key_of(pid, &k);
    if (*gone || key_eq(&k, &n->self))
        return 0;
    struct slot *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < MAX_VIEWS; i++) {
        struct slot *s = &n->slots[i];
        if (s->used && key_eq(&s->key, &k)) {
            s->last = ++n->clock;
            s->pid = pid;
            return handle(n, s);
        }
        if (!s->used && !free_slot)
            free_slot = s;
        if (s->used && (!oldest || s->last < oldest->last))
            oldest = s;
    }
    struct slot *s = free_slot ? free_slot : oldest;
    if (!build(n, s, pid, &k)) {
        *gone = true;
        return 0;
    }
    s->gen++;
    s->used = true;
    s->key = k;
    s->last = ++n->clock;
    return handle(n, s);
}

uint32_t nspath_of(struct nspath *n, pid_t pid)
{
    bool gone;
    return view_of(n, pid, &gone);
}

bool nspath_known(const struct nspath *n, uint32_t view)
{
    return slot_of(n, view) != NULL;
}

size_t nspath_map(struct nspath *n, uint32_t view, const char *path, size_t len, char *out,
                  size_t outlen)
{
    struct slot *s = slot_of(n, view);
    if (!s || outlen < 2)
        return 0;
    s->last = ++n->clock;
    size_t l = nspath_translate(&n->host, &s->view, path, len, out, outlen);
    if (!l) {
        /* Mounts come and go in a container too: read it again, now and then. */
        struct key k;
        int64_t now = clock_mono_ns();
        if (now - s->built >= VIEW_REREAD_NS && key_of(s->pid, &k) && key_eq(&k, &s->key) &&
            build(n, s, s->pid, &k))
            l = nspath_translate(&n->host, &s->view, path, len, out, outlen);
        else if (now - s->built >= VIEW_REREAD_NS)
            s->built = now; /* its process is gone: not again for a while */
    }
    if (!l) {
        memcpy(out, "?", 2);
        return 1;
    }
    return l == len && memcmp(out, path, len) == 0 ? 0 : l;
}

size_t nspath_event(struct nspath *n, uint32_t *view, bool renew, pid_t pid, pid_t ppid,
                    const char *path, size_t len, char *out, size_t outlen)
{
    if (renew || (*view && !nspath_known(n, *view))) {
        bool gone;
        *view = view_of(n, pid, &gone);
        if (gone && ppid > 1)
            *view = view_of(n, ppid, &gone);
    }
    return nspath_map(n, *view, path, len, out, outlen);
}

struct nspath *nspath_create(void)
{
    struct nspath *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    if (!key_of(getpid(), &n->self))
        n->self = (struct key){0, 0, 0};
    host_refresh(n, clock_mono_ns());
    return n;
}

void nspath_destroy(struct nspath *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < MAX_VIEWS; i++)
        if (n->slots[i].used)
            nspath_view_free(&n->slots[i].view);
    mounts_free(&n->host);
    free(n);
}
