/* The recent-events log. See evlog.h. */
#include "config.h"

#include "model/evlog.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The arena holds at most this many path bytes per entry on average; longer
 * paths make the log hold fewer events, never more memory. */
#define LOG_BYTES_PER_ENTRY 256
#define LOG_ARENA_MIN       65536

void evlog_init(struct evlog *l, size_t depth)
{
    memset(l, 0, sizeof *l);
    l->depth = depth;
    l->arena_max = depth * LOG_BYTES_PER_ENTRY;
    if (l->arena_max < LOG_ARENA_MIN)
        l->arena_max = LOG_ARENA_MIN;
}

void evlog_free(struct evlog *l)
{
    free(l->e);
    free(l->arena);
    l->e = NULL;
    l->arena = NULL;
}

static size_t log_index(const struct evlog *l, size_t i)
{
    size_t j = l->head + i;
    return j >= l->depth ? j - l->depth : j;
}

/* Arena bytes of entry E: its path and cpath, each with its NUL. */
static size_t log_bytes(const struct evlog_entry *e)
{
    return (size_t)e->len + 1 + (e->clen ? (size_t)e->clen + 1 : 0);
}

static void log_drop_oldest(struct evlog *l)
{
    l->head = log_index(l, 1);
    l->count--;
    l->seq++;
}

/* Repack the live paths, oldest first from offset 0, into an arena with
 * room for N more bytes; false when that would pass the arena's cap. */
static bool arena_grow(struct evlog *l, size_t n)
{
    size_t used = 0;
    for (size_t i = 0; i < l->count; i++)
        used += log_bytes(&l->e[log_index(l, i)]);
    size_t ncap = l->arena_cap ? l->arena_cap * 2 : LOG_ARENA_MIN;
    while (ncap < used + n)
        ncap *= 2;
    if (ncap > l->arena_max)
        ncap = used + n > l->arena_max ? used + n : l->arena_max;
    if (ncap <= l->arena_cap || (l->count && used + n > l->arena_max))
        return false;
    char *a = malloc(ncap);
    if (!a)
        return false;
    size_t at = 0;
    for (size_t i = 0; i < l->count; i++) {
        struct evlog_entry *e = &l->e[log_index(l, i)];
        memcpy(a + at, l->arena + e->off, log_bytes(e));
        e->off = (uint32_t)at;
        at += log_bytes(e);
    }
    free(l->arena);
    l->arena = a;
    l->arena_cap = ncap;
    l->arena_head = at;
    return true;
}

/* Contiguous room for N bytes at the arena head, dropping the oldest
 * entries (or growing the arena) as needed; the offset, or -1. */
static long arena_alloc(struct evlog *l, size_t n)
{
    for (;;) {
        if (l->count == 0) {
            l->arena_head = 0;
            if (n <= l->arena_cap)
                return 0;
        } else {
            /* Entries are in arena order from the oldest (at TAIL) round to
             * the newest, which ends at the head. */
            size_t tail = l->e[l->head].off;
            size_t newest = l->e[log_index(l, l->count - 1)].off;
            if (newest >= tail) { /* used [tail, head): free [head, cap) and [0, tail) */
                if (l->arena_head + n <= l->arena_cap)
                    return (long)l->arena_head;
                if (n <= tail)
                    return 0;
            } else if (l->arena_head + n <= tail) { /* wrapped: free [head, tail) */
                return (long)l->arena_head;
            }
        }
        if ((l->count < l->depth || l->count == 0) && arena_grow(l, n))
            continue;
        if (l->count == 0)
            return -1;
        log_drop_oldest(l);
    }
}

void evlog_add(struct evlog *l, const struct fa_event *ev, const struct fa_proc *proc)
{
    if (!l->e) {
        l->e = malloc(l->depth * sizeof *l->e);
        if (!l->e)
            return;
    }
    if (l->count == l->depth)
        log_drop_oldest(l);
    struct evlog_entry n = {.time_ns = ev->time_ns,
                            .proc = proc,
                            .len = (uint32_t)ev->path_len,
                            .tid = ev->tid,
                            .types = ev->types,
                            .flags = ev->flags,
                            .clen = ev->cpath ? (uint32_t)ev->cpath_len : 0};
    long off = arena_alloc(l, log_bytes(&n));
    if (off < 0)
        return;
    char *a = l->arena + off;
    memcpy(a, ev->path, ev->path_len);
    a[ev->path_len] = '\0';
    if (n.clen) {
        memcpy(a + n.len + 1, ev->cpath, n.clen);
        a[n.len + 1 + n.clen] = '\0';
    }
    l->arena_head = (size_t)off + log_bytes(&n);
    n.off = (uint32_t)off;
    l->e[log_index(l, l->count)] = n;
    l->count++;
}

void evlog_clear(struct evlog *l)
{
    l->seq += l->count;
    l->count = 0;
    l->head = 0;
    l->arena_head = 0;
}

void evlog_get(const struct evlog *l, size_t i, struct fa_event *out)
{
    const struct evlog_entry *e = &l->e[log_index(l, i)];
    *out = (struct fa_event){.time_ns = e->time_ns,
                             .tid = e->tid,
                             .types = e->types,
                             .flags = e->flags,
                             .proc = e->proc,
                             .path = l->arena + e->off,
                             .path_len = e->len,
                             .cpath = e->clen ? l->arena + e->off + e->len + 1 : NULL,
                             .cpath_len = e->clen};
}

size_t evlog_memory(const struct evlog *l)
{
    return (l->e ? l->depth * sizeof *l->e : 0) + l->arena_cap;
}
