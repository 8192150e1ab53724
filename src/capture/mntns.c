#include "config.h"

#include "capture/mntns.h"

#include "base/procstat.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct mntns {
    uint64_t self; /* our own namespace */
    struct mntns_entry *v;
    size_t n, cap;
};

uint64_t mntns_of(pid_t pid)
{
    char path[64];
    struct stat st;
    snprintf(path, sizeof path, "/proc/%d/ns/mnt", (int)pid);
    return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

struct mntns *mntns_create(void)
{
    struct mntns *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->self = mntns_of(getpid());
    if (!n->self) {
        free(n);
        return NULL;
    }
    return n;
}

void mntns_destroy(struct mntns *n)
{
    if (!n)
        return;
    free(n->v);
    free(n);
}

static struct mntns_entry *find(struct mntns *n, uint64_t ino)
{
    for (size_t i = 0; i < n->n; i++)
        if (n->v[i].ino == ino)
            return &n->v[i];
    return NULL;
}

static struct mntns_entry *add(struct mntns *n, uint64_t ino)
{
    if (n->n == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 16;
        struct mntns_entry *v = realloc(n->v, cap * sizeof *v);
        if (!v)
            return NULL; /* found again by the next scan */
        n->v = v;
        n->cap = cap;
    }
    struct mntns_entry *e = &n->v[n->n++];
    *e = (struct mntns_entry){.ino = ino, .fresh = true};
    return e;
}

/* When PID started (clock ticks since boot), or UINT64_MAX. */
static uint64_t started(int proc, long pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "%ld/stat", pid);
    int fd = openat(proc, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return UINT64_MAX;
    ssize_t len = read(fd, buf, sizeof buf);
    close(fd);
    struct procstat ps;
    return len > 0 && procstat_parse(buf, (size_t)len, &ps) ? ps.start : UINT64_MAX;
}

long mntns_scan(struct mntns *n)
{
    DIR *d = opendir("/proc");
    if (!d)
        return -1;
    /* A namespace is reached through one of its processes for as long as
     * that one lives; a new one, through its oldest (the one that made it,
     * or its init), not a short-lived child that would take the way with it. */
    size_t before = n->n;
    unsigned char *alive = calloc(before + 1, 1);
    for (size_t i = 0; i < n->n; i++) {
        n->v[i].fresh = false;
        if (alive)
            alive[i] = mntns_of(n->v[i].pid) == n->v[i].ino;
    }
    uint64_t *oldest = NULL;
    size_t noldest = 0;
    char path[64];
    for (struct dirent *de; (de = readdir(d));) {
        char *end;
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        struct stat st;
        snprintf(path, sizeof path, "%ld/ns/mnt", pid);
        if (fstatat(dirfd(d), path, &st, 0) < 0 || (uint64_t)st.st_ino == n->self)
            continue;
        struct mntns_entry *e = find(n, (uint64_t)st.st_ino);
        size_t i = e ? (size_t)(e - n->v) : n->n;
        if (e && i < before && alive && alive[i])
            continue;
        if (!e && !(e = add(n, (uint64_t)st.st_ino)))
            continue;
        if (i >= noldest) {
            uint64_t *o = realloc(oldest, n->cap * sizeof *o);
            if (!o)
                continue;
            for (size_t k = noldest; k < n->cap; k++)
                o[k] = UINT64_MAX;
            oldest = o;
            noldest = n->cap;
        }
        uint64_t start = started(dirfd(d), pid);
        if (!e->pid || start < oldest[i]) {
            oldest[i] = start;
            e->pid = (pid_t)pid;
        }
    }
    closedir(d);
    /* Gone: a namespace whose process was gone and none other was found. */
    size_t w = 0;
    for (size_t i = 0; i < n->n; i++) {
        bool kept = i < before && alive && alive[i];
        bool found = i < noldest && oldest[i] != UINT64_MAX;
        if (kept || found || n->v[i].fresh)
            n->v[w++] = n->v[i];
    }
    n->n = w;
    free(alive);
    free(oldest);
    return (long)n->n;
}

const struct mntns_entry *mntns_get(const struct mntns *n, size_t i)
{
    return &n->v[i];
}
