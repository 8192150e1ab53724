#include "config.h"

#include "capture/follow_tree.h"
#include "base/hashmap.h"
#include "base/procstat.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FOLLOW_MAX_DEPTH 64

struct follow_tree {
    pid_t self;
    pid_t child;               /* the COMMAND, 0 with --pid */
    _Atomic pid_t child_alive; /* cleared when reaped, so a reused pid is not a root */
    pid_t *roots;              /* --pid roots */
    size_t nroots;
    /* Capture thread only: pid -> ppid << 1 | member. */
    struct u64map cache;
};

struct follow_tree *follow_tree_create(pid_t self, pid_t child, const pid_t *roots, size_t nroots)
{
    struct follow_tree *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->self = self;
    t->child = child;
    atomic_init(&t->child_alive, child);
    if (nroots) {
        t->roots = malloc(nroots * sizeof *t->roots);
        if (!t->roots) {
            free(t);
            return NULL;
        }
        memcpy(t->roots, roots, nroots * sizeof *t->roots);
        t->nroots = nroots;
    }
    return t;
}

void follow_tree_child_gone(struct follow_tree *t)
{
    atomic_store(&t->child_alive, 0);
}

pid_t follow_tree_child(const struct follow_tree *t)
{
    return t ? t->child : 0;
}

static void cache_put(struct follow_tree *t, pid_t pid, pid_t ppid, bool member)
{
    bool added;
    uint64_t *v = u64map_slot(&t->cache, (uint64_t)pid, 0, &added);
    if (v) /* else no cache: answers are recomputed, never wrong */
        *v = (uint64_t)(uint32_t)ppid << 1 | member;
}

/* PID's cached entry: the parent it had then in *PPID, the answer in *MEMBER. */
static bool cache_get(const struct follow_tree *t, pid_t pid, pid_t *ppid, bool *member)
{
    uint64_t v;
    if (!u64map_get(&t->cache, (uint64_t)pid, &v))
        return false;
    *ppid = (pid_t)(uint32_t)(v >> 1);
    *member = v & 1;
    return true;
}

/* Parent pid from /proc/PID/stat, or -1 when the process is gone. */
static pid_t read_ppid(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    struct procstat ps;
    if (n <= 0 || !procstat_parse(buf, (size_t)n, &ps))
        return -1;
    return ps.ppid;
}

static bool is_root(const struct follow_tree *t, pid_t pid)
{
    if (t->child)
        return pid == atomic_load_explicit(&t->child_alive, memory_order_relaxed);
    for (size_t i = 0; i < t->nroots; i++)
        if (t->roots[i] == pid)
            return true;
    return false;
}

static bool membership(struct follow_tree *t, pid_t pid, pid_t ppid, int depth)
{
    if (pid == t->self || pid <= 0)
        return false;
    /* Kept in the cache too: their children's events may come when they
     * are gone from /proc. */
    if (is_root(t, pid) || (t->child && ppid == t->self)) {
        /* our child or an orphan of the tree re-parented to us */
        cache_put(t, pid, ppid, true);
        return true;
    }
    if (ppid <= 1 || depth > FOLLOW_MAX_DEPTH)
        return false;
    pid_t cached_ppid;
    bool member;
    if (cache_get(t, pid, &cached_ppid, &member) && cached_ppid == ppid)
        return member;
    if (!cache_get(t, ppid, &cached_ppid, &member))
        member = membership(t, ppid, read_ppid(ppid), depth + 1);
    cache_put(t, pid, ppid, member);
    return member;
}

bool follow_tree_match(struct follow_tree *t, pid_t pid, pid_t ppid)
{
    /* A pid's entry is trusted only while its parent is unchanged: a reused
     * pid almost always has another parent, and one with the same parent
     * belongs to the same tree anyway. */
    return membership(t, pid, ppid, 0);
}

void follow_tree_destroy(struct follow_tree *t)
{
    if (!t)
        return;
    u64map_free(&t->cache);
    free(t->roots);
    free(t);
}
