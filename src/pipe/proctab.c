#include "config.h"

#include "pipe/proctab.h"

#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

/* Entries and their strings are allocated once and never moved, so pointers
 * handed out stay valid for the table's lifetime. */
struct entry {
    struct fa_proc proc;
    char strings[];
};

struct slot {
    uint32_t key;
    struct entry *e;
};

struct map {
    struct slot *slots;
    size_t cap; /* power of two */
    size_t used;
};

struct proctab {
    struct map by_id;
    struct map placeholder_by_pid;
};

static const struct fa_proc unknown_proc = {
    .id = 0, .pid = 0, .ppid = 0, .uid = 0, .user = "", .comm = "?", .exe = "", .cmdline = "",
    .unit = ""};

static struct slot *map_find(const struct map *m, uint32_t key)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash_u32(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->slots[i].e)
            return &m->slots[i];
        if (m->slots[i].key == key)
            return &m->slots[i];
    }
}

static bool map_grow(struct map *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 256;
    struct slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->slots[i].e)
            continue;
        size_t j = hash_u32(m->slots[i].key) & (ncap - 1);
        while (ns[j].e)
            j = (j + 1) & (ncap - 1);
        ns[j] = m->slots[i];
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return true;
}

static const struct fa_proc *map_insert(struct map *m, uint32_t key, const struct fa_proc *p)
{
    if ((m->used + 1) * 4 > m->cap * 3 && !map_grow(m))
        return NULL;
    struct slot *s = map_find(m, key);
    if (s->e)
        return &s->e->proc;
    const char *src[5] = {p->user, p->comm, p->exe, p->cmdline, p->unit};
    size_t len[5], total = 0;
    for (int i = 0; i < 5; i++) {
        len[i] = src[i] ? strlen(src[i]) : 0;
        total += len[i] + 1;
    }
    struct entry *e = malloc(sizeof *e + total);
    if (!e)
        return NULL;
    e->proc = *p;
    const char **dst[5] = {&e->proc.user, &e->proc.comm, &e->proc.exe, &e->proc.cmdline,
                           &e->proc.unit};
    char *q = e->strings;
    for (int i = 0; i < 5; i++) {
        if (len[i])
            memcpy(q, src[i], len[i]);
        q[len[i]] = '\0';
        *dst[i] = q;
        q += len[i] + 1;
    }
    s->key = key;
    s->e = e;
    m->used++;
    return &e->proc;
}

static void map_free(struct map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->slots[i].e);
    free(m->slots);
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
    struct slot *s = map_find(&t->by_id, id);
    return s && s->e ? &s->e->proc : NULL;
}

const struct fa_proc *proctab_placeholder(struct proctab *t, int32_t pid)
{
    struct slot *s = map_find(&t->placeholder_by_pid, (uint32_t)pid);
    if (s && s->e)
        return &s->e->proc;
    struct fa_proc p = unknown_proc;
    p.pid = pid;
    const struct fa_proc *e = map_insert(&t->placeholder_by_pid, (uint32_t)pid, &p);
    return e ? e : &unknown_proc;
}

size_t proctab_count(const struct proctab *t)
{
    return t->by_id.used;
}
