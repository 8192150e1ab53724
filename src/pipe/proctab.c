#include "config.h"

#include "pipe/proctab.h"

#include "base/hashmap.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Entries and their strings are allocated once and never moved, so pointers
 * handed out stay valid for the table's lifetime. */
struct entry {
    struct fa_proc proc;
    char strings[];
};

/* A parent chain is followed this far when checking for a loop: a deeper
 * one is not linked further (real trees are a few dozen deep). */
#define MAX_DEPTH 256

#define COMM_MAX 15 /* the kernel's names: TASK_COMM_LEN - 1 bytes */

/* An identity that only completed an earlier one (its name and command
 * line): its id names that one from then on, which shows them (kept here). */
struct completion {
    struct entry *to;
    char strings[]; /* comm, then cmdline */
};

/* The maps hold struct entry pointers, but completed (struct completion). */
struct proctab {
    struct u64map by_id;
    struct u64map placeholder_by_pid;
    struct u64multi by_pid;  /* pid -> its identities, latest first */
    struct u64multi waiting; /* ppid -> identities with no parent yet */
    struct u64map completed; /* id -> the identity it completed */
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
    e->proc.parent = NULL;
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

/* ---- parent links ---- */

/* Can P be the parent of C: a process with C's ppid that started at or
 * before C (a start time unknown on either side does not tell)? */
static bool may_parent(const struct fa_proc *p, const struct fa_proc *c)
{
    return p != c && p->pid == c->ppid &&
           (!p->start_ns || !c->start_ns || p->start_ns <= c->start_ns);
}

/* Would C as P's parent close a loop (or pass MAX_DEPTH)? */
static bool loops(const struct fa_proc *p, const struct fa_proc *c)
{
    int depth = 0;
    for (const struct fa_proc *a = p; a; a = a->parent)
        if (a == c || ++depth > MAX_DEPTH)
            return true;
    return false;
}

/* The best parent of C among the identities held: the one that started
 * last (pid reuse makes later processes with the same pid), latest added
 * among equals (a process that exec'd has several). */
static struct fa_proc *find_parent(const struct proctab *t, const struct fa_proc *c)
{
    struct fa_proc *best = NULL;
    for (uint64_t v = u64multi_first(&t->by_pid, (uint32_t)c->ppid); v != U64MULTI_END;
         v = u64multi_next(&t->by_pid, v)) {
        struct fa_proc *p = &((struct entry *)(uintptr_t)v)->proc;
        if (may_parent(p, c) && (!best || p->start_ns > best->start_ns))
            best = p;
    }
    return best && !loops(best, c) ? best : NULL;
}

/* Index new entry E; give it a parent, or a place among those waiting for
 * one; give it to those waiting for it. Out of memory, a link is missed. */
static void link_new(struct proctab *t, struct entry *e)
{
    struct fa_proc *p = &e->proc;
    uint64_t self = (uintptr_t)e;
    for (uint64_t v = u64multi_first(&t->waiting, (uint32_t)p->pid); v != U64MULTI_END;) {
        uint64_t next = u64multi_next(&t->waiting, v);
        struct fa_proc *c = &((struct entry *)(uintptr_t)v)->proc;
        if (may_parent(p, c) && !loops(p, c)) {
            c->parent = p;
            u64multi_del(&t->waiting, (uint32_t)p->pid, v);
        }
        v = next;
    }
    u64multi_add(&t->by_pid, (uint32_t)p->pid, self);
    p->parent = p->ppid > 0 ? find_parent(t, p) : NULL;
    if (!p->parent && p->ppid > 0)
        u64multi_add(&t->waiting, (uint32_t)p->ppid, self);
}

/* ---- identities completed late ---- */

static bool same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Is COMM what a capture names a program after at the open of its file
 * EXE: the file's name, cut as the kernel cuts a name? */
static bool named_from_file(const char *comm, const char *exe)
{
    const char *base = strrchr(exe, '/');
    base = base ? base + 1 : exe;
    size_t n = strlen(comm);
    return n && strncmp(comm, base, n) == 0 && (base[n] == '\0' || n == COMM_MAX);
}

/* The identity held that P only completes, or NULL: the latest of P's
 * process (same pid and start), which lacks the command line P has, and is
 * alike in all else but a name taken from the file it runs. A capture
 * names an exec at the open of its file, before the new program's
 * arguments (and the name the kernel gives it: sh for dash run as sh) can
 * be read: the same program, told in full a moment later, is one identity,
 * as a replay (which has no command lines) makes it. */
static struct entry *completes(const struct proctab *t, const struct fa_proc *p)
{
    if (!p->cmdline || !p->cmdline[0])
        return NULL;
    uint64_t v = u64multi_first(&t->by_pid, (uint32_t)p->pid);
    if (v == U64MULTI_END)
        return NULL;
    struct entry *e = (struct entry *)(uintptr_t)v;
    const struct fa_proc *q = &e->proc;
    bool alike = q->start_ns == p->start_ns && q->ppid == p->ppid && q->uid == p->uid &&
                 same_str(q->user, p->user) && same_str(q->exe, p->exe) &&
                 same_str(q->unit, p->unit) && same_str(q->container, p->container) &&
                 (same_str(q->comm, p->comm) || named_from_file(q->comm, q->exe));
    return alike && !q->cmdline[0] ? e : NULL;
}

/* File P's id under E, which takes P's name and command line; false when
 * out of memory. */
static bool complete(struct proctab *t, struct entry *e, const struct fa_proc *p)
{
    size_t cl = strlen(p->comm ? p->comm : ""), ml = strlen(p->cmdline);
    struct completion *l = malloc(sizeof *l + cl + ml + 2);
    bool added;
    uint64_t *slot = l ? u64map_slot(&t->completed, p->id, 0, &added) : NULL;
    if (!slot) {
        free(l);
        return false;
    }
    l->to = e;
    memcpy(l->strings, p->comm ? p->comm : "", cl + 1);
    memcpy(l->strings + cl + 1, p->cmdline, ml + 1);
    *slot = (uintptr_t)l;
    e->proc.comm = l->strings;
    e->proc.cmdline = l->strings + cl + 1;
    return true;
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
    size_t pos = 0;
    uint64_t key, l;
    while (u64map_next(&t->completed, &pos, &key, &l))
        free((struct completion *)(uintptr_t)l);
    u64map_free(&t->completed);
    u64multi_free(&t->by_pid);
    u64multi_free(&t->waiting);
    free(t);
}

const struct fa_proc *proctab_add(struct proctab *t, const struct fa_proc *p)
{
    const struct fa_proc *known = proctab_get(t, p->id);
    if (known)
        return known;
    struct entry *q = completes(t, p);
    if (q && complete(t, q, p))
        return &q->proc;
    size_t before = u64map_count(&t->by_id);
    const struct fa_proc *e = map_insert(&t->by_id, p->id, p);
    if (e && u64map_count(&t->by_id) != before)
        link_new(t, (struct entry *)((char *)e - offsetof(struct entry, proc)));
    return e;
}

const struct fa_proc *proctab_get(const struct proctab *t, uint32_t id)
{
    const struct fa_proc *e = map_get(&t->by_id, id);
    uint64_t l;
    if (!e && u64map_get(&t->completed, id, &l))
        e = &((const struct completion *)(uintptr_t)l)->to->proc;
    return e;
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
