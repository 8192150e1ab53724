/* The recent-events log: the newest events, up to a depth, oldest first,
 * their paths (and container paths) copied into one arena that wraps round, so that a long path
 * costs the log events, never memory. The store keeps one (store.c);
 * single-threaded as the store is. */
#ifndef FANOTOP_EVLOG_H
#define FANOTOP_EVLOG_H

#include "base/event.h"

#include <stddef.h>
#include <stdint.h>

struct evlog_entry {
    int64_t time_ns;
    const struct fa_proc *proc;
    uint32_t off, len; /* path bytes in the arena; the cpath's follow its NUL */
    int32_t tid;
    uint32_t types;
    uint32_t flags;
    uint32_t clen; /* cpath bytes, 0 for none */
};

struct evlog {
    struct evlog_entry *e;     /* DEPTH entries, allocated at the first event */
    size_t depth, head, count; /* the oldest entry at HEAD */
    uint64_t seq;              /* sequence number of the oldest entry */
    char *arena;
    size_t arena_cap, arena_head, arena_max;
};

/* An empty log of DEPTH entries (nothing allocated yet). */
void evlog_init(struct evlog *l, size_t depth);
void evlog_free(struct evlog *l);
/* Append EV, done by PROC (which must outlive the log); the oldest go as
 * needed. Out of memory: the event is not logged. */
void evlog_add(struct evlog *l, const struct fa_event *ev, const struct fa_proc *proc);
/* Forget every entry; sequence numbers go on from where they were. */
void evlog_clear(struct evlog *l);
/* Entry I (0: the oldest) into OUT; its path and cpath stay valid until the next
 * evlog_add or evlog_clear. */
void evlog_get(const struct evlog *l, size_t i, struct fa_event *out);
/* Heap bytes the log holds. */
size_t evlog_memory(const struct evlog *l);

#endif
