#include "config.h"

#include "pipe/proctab.h"

#include "base/hashmap.h"

#include <stdlib.h>
#include <string.h>

/* Entries and their strings are allocated once and never moved, so pointers
 * handed out stay valid for the table's lifetime. */
struct entry {
    struct fa_proc proc;
    char strings[];
};

/* Both maps hold struct entry pointers. */
struct proctab {
    struct u64map by_id;
    struct u64map placeholder_by_pid;
};

const struct fa_proc proctab_unknown = {.id = 0,
                                        .pid = 0,
                                        .ppid = 0,
                                        .uid = 0,
                                        .user = "",
                                        .comm = "?",
                                        .exe = "",
                                        .cmdline = "",
                                        .unit = "",
                                        .container = ""};

static const struct fa_proc *map_get(const struct u64map *m, uint32_t key)
{
    uint64_t e;
    return u64map_get(m, key, &e) ? &((const struct entry *)(uintptr_t)e)->proc : NULL;
}

/* A copy of P with its strings in one block; NULL when out of memory. */
static struct entry *entry_new(const struct fa_proc *p)
{
    const char *src[] = {p->user, p->comm, p->exe, p->cmdline, p->unit, p->container};
    enum { N = sizeof src / sizeof src[0] };
    size_t len[N], total = 0;
    for (int i = 0; i < N; i++) {
        len[i] = src[i] ? strlen(src[i]) : 0;
        total += len[i] + 1;
    }
    struct entry *e = malloc(sizeof *e + total);
    if (!e)
        return NULL;
    e->proc = *p;
    const char **dst[N] = {&e->proc.user,    &e->proc.comm, &e->proc.exe,
                           &e->proc.cmdline, &e->proc.unit, &e->proc.container};
    char *q = e->strings;
    for (int i = 0; i < N; i++) {
        if (len[i])
            memcpy(q, src[i], len[i]);
        q[len[i]] = '\0';
        *dst[i] = q;
        q += len[i] + 1;
    }
    return e;
}

static const struct fa_proc *map_insert(struct u64map *m, uint32_t key, const struct fa_proc *p)
{
    bool added;
    uint64_t *slot = u64map_slot(m, key, 0, &added);
    if (!slot)
        return NULL;
    if (!added)
        return &((struct entry *)(uintptr_t)*slot)->proc;
    struct entry *e = entry_new(p);
    if (!e) {
        u64map_del(m, key);
        return NULL;
    }
    *slot = (uintptr_t)e;
    return &e->proc;
}

static void map_free(struct u64map *m)
{
    size_t pos = 0;
    uint64_t key, e;
    while (u64map_next(m, &pos, &key, &e))
        free((struct entry *)(uintptr_t)e);
    u64map_free(m);
}

struct proctab *proctab_create(void)
{
    return calloc(1, sizeof(struct proctab));
}

void proctab_destroy(struct proctab *t)
{
    if (!t)
        return;
    map_free(&t->by_id);
    map_free(&t->placeholder_by_pid);
    free(t);
}

const struct fa_proc *proctab_add(struct proctab *t, const struct fa_proc *p)
{
    return map_insert(&t->by_id, p->id, p);
}

const struct fa_proc *proctab_get(const struct proctab *t, uint32_t id)
{
    return map_get(&t->by_id, id);
}

const struct fa_proc *proctab_placeholder(struct proctab *t, int32_t pid)
{
    const struct fa_proc *e = map_get(&t->placeholder_by_pid, (uint32_t)pid);
    if (e)
        return e;
    struct fa_proc p = proctab_unknown;
    p.pid = pid;
    e = map_insert(&t->placeholder_by_pid, (uint32_t)pid, &p);
    return e ? e : &proctab_unknown;
}

size_t proctab_count(const struct proctab *t)
{
    return u64map_count(&t->by_id);
}
