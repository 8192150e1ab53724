#include "config.h"

#include "capture/container.h"

#include "base/clock.h"
#include "base/hash.h"
#include "base/hashmap.h"
#include "capture/cgroup.h"
#include "capture/cstate.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RETRY_NS      (10 * CLOCK_NS_PER_S) /* a container not named yet is looked up again */
#define MAX_CACHED    4096                  /* containers remembered; the cache is dropped whole */
#define CONFIG_MAX    (4u << 20)            /* docker's config.v2.json of one container */
#define STORAGE_MAX   (64u << 20)           /* containers.json of every container of a store */
#define STORAGE_MEMOS 8                     /* containers.json files remembered */
#define POD_DIRS_MAX  65536                 /* entries of /var/log/pods looked at */
#define SHORT_ID      12                    /* as the unit and docker ps show ids */

/* A containers.json as last read: it lists every container of a store, so
 * it is parsed again only when it changes, however many ids are unknown. */
struct storage_memo {
    char path[1024]; /* "" when unused */
    struct stat st;  /* what it was when read */
    char *pairs;     /* "ID\0NAME\0" for each container */
    size_t len, cap;
    uint64_t used;
};

struct container_names {
    char root[512];        /* FANOTOP_STATE_ROOT, "" for none */
    char docker_root[512]; /* docker's data root */
    struct u64map by_key;  /* hash of the key -> struct cname * */
    char *buf;             /* a state file read */
    size_t cap;
    struct storage_memo memo[STORAGE_MEMOS];
    uint64_t clock; /* memo use counter */
};

/* ---- reading state files ---------------------------------------------------- */

/* Read the regular file ROOT+PATH, at most MAX bytes, into c->buf (NUL
 * after it); its length, or -1. Links are not followed and FIFOs not
 * waited on: a user's state files are the user's to make. ST (may be NULL)
 * gets what the file was. */
static long slurp(struct container_names *c, const char *path, size_t max, struct stat *stp)
{
    char full[1024];
    if (snprintf(full, sizeof full, "%s%s", c->root, path) >= (int)sizeof full)
        return -1;
    int fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    long len = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= max) {
        if (stp)
            *stp = st;
        size_t want = (size_t)st.st_size + 1; /* one more: the file may have grown */
        char *b = want + 1 > c->cap ? realloc(c->buf, want + 1) : c->buf;
        if (b) {
            c->buf = b;
            c->cap = want + 1 > c->cap ? want + 1 : c->cap;
            size_t got = 0;
            ssize_t n;
            while (got < want &&
                   ((n = read(fd, b + got, want - got)) > 0 || (n < 0 && errno == EINTR)))
                got += n > 0 ? (size_t)n : 0;
            if (got <= max) {
                b[got] = '\0';
                len = (long)got;
            }
        }
    }
    close(fd);
    return len;
}

/* ---- the runtimes -------------------------------------------------------------- */

/* docker: DATA/containers/ID/config.v2.json. */
static bool docker_name(struct container_names *c, const char *data, const char *id, char *out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/containers/%s/config.v2.json", data, id);
    long n = slurp(c, path, CONFIG_MAX, NULL);
    return n >= 0 && cstate_docker_name(c->buf, (size_t)n, id, out);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static bool memo_add(const char *id, const char *name, void *ctx)
{
    struct storage_memo *m = ctx;
    size_t il = strlen(id) + 1, nl = strlen(name) + 1;
    if (m->len + il + nl > m->cap) {
        size_t cap = (m->len + il + nl) * 2;
        char *p = realloc(m->pairs, cap);
        if (!p)
            return false;
        m->pairs = p;
        m->cap = cap;
    }
    memcpy(m->pairs + m->len, id, il);
    memcpy(m->pairs + m->len + il, name, nl);
    m->len += il + nl;
    return true;
}

/* The memo of containers.json PATH, read again when it changed; NULL when
 * there is no such file. */
static const struct storage_memo *storage_file(struct container_names *c, const char *path)
{
    char full[1024];
    struct stat st;
    if (snprintf(full, sizeof full, "%s%s", c->root, path) >= (int)sizeof full ||
        lstat(full, &st) < 0 || !S_ISREG(st.st_mode))
        return NULL;
    struct storage_memo *m = NULL;
    for (size_t i = 0; i < STORAGE_MEMOS; i++)
        if (strcmp(c->memo[i].path, path) == 0)
            m = &c->memo[i];
    if (m && same_file(&m->st, &st)) {
        m->used = ++c->clock;
        return m;
    }
    if (!m) { /* the least recently used memo goes */
        m = &c->memo[0];
        for (size_t i = 1; i < STORAGE_MEMOS; i++)
            if (c->memo[i].used < m->used)
                m = &c->memo[i];
    }
    m->len = 0;
    m->path[0] = '\0';
    long n = slurp(c, path, STORAGE_MAX, &m->st);
    if (n < 0)
        return NULL;
    cstate_storage_each(c->buf, (size_t)n, memo_add, m);
    snprintf(m->path, sizeof m->path, "%s", path);
    m->used = ++c->clock;
    return m;
}

/* containers-storage (podman, CRI-O) under the graph or run root DIR: each
 * driver's containers.json and volatile-containers.json. */
static bool storage_name(struct container_names *c, const char *dir, const char *id, char *out)
{
    static const char *const drivers[] = {"overlay", "vfs", "btrfs", "zfs"};
    static const char *const files[] = {"containers.json", "volatile-containers.json"};
    for (size_t d = 0; d < sizeof drivers / sizeof drivers[0]; d++)
        for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s-containers/%s", dir, drivers[d], files[f]);
            const struct storage_memo *m = storage_file(c, path);
            for (size_t at = 0; m && at < m->len;) {
                const char *mid = m->pairs + at, *name = mid + strlen(mid) + 1;
                if (strcmp(mid, id) == 0) {
                    snprintf(out, CSTATE_NAME_MAX, "%s", name);
                    return true;
                }
                at = (size_t)(name + strlen(name) + 1 - m->pairs);
            }
        }
    return false;
}

/* Kubernetes: the kubelet's /var/log/pods/NAMESPACE_NAME_UID of pod UID. */
static bool pod_name(struct container_names *c, const char *uid, char *out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/var/log/pods", c->root);
    DIR *d = opendir(path);
    if (!d)
        return false;
    bool found = false;
    struct dirent *e;
    for (size_t i = 0; !found && i < POD_DIRS_MAX && (e = readdir(d)); i++)
        found = cstate_pod_dir(e->d_name, uid, out);
    closedir(d);
    return found;
}

/* The home directory and name of user UID, for a rootless container. */
static bool user_of(long uid, char *home, size_t homelen, char *name, size_t namelen)
{
    struct passwd pw, *res = NULL;
    char buf[4096];
    if (getpwuid_r((uid_t)uid, &pw, buf, sizeof buf, &res) != 0 || !res || res->pw_dir[0] != '/')
        return false;
    snprintf(home, homelen, "%s", res->pw_dir);
    snprintf(name, namelen, "%s", res->pw_name);
    return true;
}

/* Ask the state of O's runtime for its name (into OUT); false when it has
 * none. HOME: the home of O's user (rootless), "" for none. */
static bool look_up(struct container_names *c, const struct cgroup_owner *o, const char *home,
                    char *out)
{
    const char *k = o->kind;
    bool rootless = o->user >= 0;
    char dir[1024];
    if (rootless && !home[0])
        return false;
    if (strcmp(k, "docker") == 0) {
        if (!rootless)
            return docker_name(c, c->docker_root, o->id, out);
        snprintf(dir, sizeof dir, "%s/.local/share/docker", home);
        return docker_name(c, dir, o->id, out);
    }
    if (strcmp(k, "podman") == 0 || strcmp(k, "crio") == 0) {
        if (!rootless)
            return storage_name(c, "/var/lib/containers/storage", o->id, out) ||
                   storage_name(c, "/run/containers/storage", o->id, out);
        snprintf(dir, sizeof dir, "%s/.local/share/containers/storage", home);
        if (storage_name(c, dir, o->id, out))
            return true;
        snprintf(dir, sizeof dir, "/run/user/%ld/containers", o->user);
        return storage_name(c, dir, o->id, out);
    }
    if (strcmp(k, "k8s") == 0)
        return !rootless && o->pod[0] && pod_name(c, o->pod, out);
    return false;
}

/* ---- the cache ------------------------------------------------------------------ */

/* One container: the name shown for it, and whether its runtime named it. */
struct cname {
    char *key; /* kind, user, id, pod and name, NUL-separated */
    size_t key_len;
    char *shown;
    bool named;
    int64_t retry_at;
};

static bool drop_entry(void *ctx, uint64_t key, uint64_t val)
{
    (void)ctx, (void)key;
    struct cname *e = (struct cname *)(uintptr_t)val;
    free(e->key);
    free(e->shown);
    free(e);
    return true;
}

/* The cache entry of KEY (KLEN bytes), made when missing; NULL out of memory. */
static struct cname *entry(struct container_names *c, const char *key, size_t klen)
{
    uint64_t h = hash_mix64(hash_bytes(key, klen));
    if (h == UINT64_MAX)
        h = 0;
    uint64_t v;
    if (u64map_get(&c->by_key, h, &v)) {
        struct cname *e = (struct cname *)(uintptr_t)v;
        if (e->key_len == klen && memcmp(e->key, key, klen) == 0)
            return e;
        drop_entry(NULL, h, v); /* another key with that hash: it goes */
        u64map_del(&c->by_key, h);
    }
    if (u64map_count(&c->by_key) >= MAX_CACHED)
        u64map_sweep(&c->by_key, drop_entry, NULL);
    struct cname *e = calloc(1, sizeof *e);
    char *k = malloc(klen);
    bool added;
    if (!e || !k || !u64map_slot(&c->by_key, h, (uintptr_t)e, &added)) {
        free(e);
        free(k);
        return NULL;
    }
    memcpy(k, key, klen);
    e->key = k;
    e->key_len = klen;
    return e;
}

/* What to show for O: "KIND[@USER]:NAME", its name from its runtime's
 * state, or from the cgroup, or its short id. *NAMED: whether it has a name. */
static void describe(struct container_names *c, const struct cgroup_owner *o, char *out,
                     size_t outlen, bool *named)
{
    char home[512] = "", user[64] = "";
    if (o->user >= 0 && !user_of(o->user, home, sizeof home, user, sizeof user))
        snprintf(user, sizeof user, "%ld", o->user);
    char name[CSTATE_NAME_MAX];
    *named = !o->id[0] || look_up(c, o, home, name);
    const char *what = !o->id[0] ? o->name : *named ? name : NULL;
    snprintf(out, outlen, "%s%s%s:%.*s", o->kind, user[0] ? "@" : "", user,
             what ? (int)strlen(what) : SHORT_ID, what ? what : o->id);
}

size_t container_name(struct container_names *c, const char *text, size_t len, char *out,
                      size_t outlen)
{
    if (!outlen)
        return 0;
    out[0] = '\0';
    struct cgroup_owner o;
    if (!cgroup_owner(text, len, &o))
        return 0;
    char key[sizeof o.kind + sizeof o.id + sizeof o.pod + sizeof o.name + 24];
    int kl = snprintf(key, sizeof key, "%s%c%ld%c%s%c%s%c%s", o.kind, 0, o.user, 0, o.id, 0, o.pod,
                      0, o.name);
    struct cname *e = kl > 0 ? entry(c, key, (size_t)kl) : NULL;
    int64_t now = clock_mono_ns();
    if (e && e->shown && (e->named || now < e->retry_at)) {
        snprintf(out, outlen, "%s", e->shown);
        return strlen(out);
    }
    char shown[CONTAINER_NAME_MAX];
    bool named;
    describe(c, &o, shown, sizeof shown, &named);
    char *copy = e ? strdup(shown) : NULL;
    if (copy) {
        free(e->shown);
        e->shown = copy;
        e->named = named;
        e->retry_at = now + RETRY_NS;
    }
    snprintf(out, outlen, "%s", shown);
    return strlen(out);
}

size_t container_names_count(const struct container_names *c)
{
    return u64map_count(&c->by_key);
}

struct container_names *container_names_create(void)
{
    struct container_names *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    const char *root = getenv(CONTAINER_STATE_ROOT_ENV);
    if (root && root[0] == '/' && strlen(root) < sizeof c->root)
        snprintf(c->root, sizeof c->root, "%s", root);
    snprintf(c->docker_root, sizeof c->docker_root, "/var/lib/docker");
    long n = slurp(c, "/etc/docker/daemon.json", CONFIG_MAX, NULL);
    char dr[512];
    if (n >= 0 && cstate_docker_root(c->buf, (size_t)n, dr, sizeof dr))
        snprintf(c->docker_root, sizeof c->docker_root, "%s", dr);
    return c;
}

void container_names_destroy(struct container_names *c)
{
    if (!c)
        return;
    u64map_sweep(&c->by_key, drop_entry, NULL);
    u64map_free(&c->by_key);
    for (size_t i = 0; i < STORAGE_MEMOS; i++)
        free(c->memo[i].pairs);
    free(c->buf);
    free(c);
}
