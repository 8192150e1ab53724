/* The store's tables as view.c reads them. Only store.c and view.c include
 * this: everyone else goes through store.h and view.h.
 *
 * Paths, pairs ("fine rows": one per (path, process identity)) and directory
 * nodes live in dense arrays indexed by slot numbers, so a view can keep
 * per-slot arrays beside them and a refresh walks memory in order. A slot's
 * gen changes whenever the slot is freed or reused; (slot, gen) names one
 * path for as long as it lives, and gen 0 marks a free slot. */
#ifndef FANOTOP_STORE_INTERNAL_H
#define FANOTOP_STORE_INTERNAL_H

#include "base/hash.h"
#include "model/store.h"

#define STORE_NONE UINT32_MAX
/* Slot numbers stay below this, so views may use the top bit as a tag. */
#define STORE_MAX_SLOTS (UINT32_C(1) << 31)
/* Types a path can be counted under: every type but the overflow marker. */
#define STORE_NCOUNTS FA_OVERFLOW

struct store_path {
    char *str;       /* the path, NUL-terminated, owned */
    uint64_t hash;   /* store_hash of the bytes: also the row key */
    uint64_t events; /* events on this path (any process, any type) */
    int64_t last_ns;
    uint32_t len;
    uint32_t gen;      /* 0 = free slot */
    uint32_t lru_prev; /* towards more recently seen */
    uint32_t lru_next; /* towards less recently seen */
    uint32_t pairs;    /* first pair of this path */
    uint32_t npairs;
    uint32_t dir;    /* directory node holding it, or STORE_NONE */
    uint32_t as_dir; /* directory node with the same path, or STORE_NONE */
};

struct store_pair {
    const struct fa_proc *proc; /* never NULL */
    uint32_t *wide;             /* high words of count[], allocated once one wraps */
    uint64_t events;            /* events of any type */
    int64_t first_ns, last_ns;
    uint32_t path;       /* slot of its path; STORE_NONE when free */
    uint32_t next;       /* next pair of the same path, or of the free list */
    uint32_t gen;        /* 0 = free */
    uint32_t rate_epoch; /* store epoch that rate_cur counts */
    uint32_t rate_cur;   /* events in interval rate_epoch */
    uint32_t rate_prev;  /* events in interval rate_epoch - 1 */
    uint32_t count[STORE_NCOUNTS];
    uint32_t prev;     /* previous pair of the same path, or STORE_NONE */
    uint32_t lru_prev; /* towards more recently seen (store_others pairs: none) */
    uint32_t lru_next; /* towards less recently seen */
};

/* A directory that holds stored paths; exists while it holds any. */
struct store_dir {
    char *name;    /* last component ("/" for the root), owned */
    uint64_t hash; /* store_hash of its full path: also the row key */
    uint32_t name_len;
    uint32_t parent;  /* STORE_NONE at top level */
    uint32_t refs;    /* child directories + paths directly in it */
    uint32_t gen;     /* 0 = free */
    uint32_t depth;   /* 0 at top level */
    uint32_t as_path; /* path slot with the same full path, or STORE_NONE */
};

/* Told before a path or directory slot is freed (eviction, reset), so that
 * a view snapshot can keep a copy of a name it still shows. */
struct store_listener {
    void (*path_gone)(void *ctx, uint32_t slot);
    void (*dir_gone)(void *ctx, uint32_t dir);
    void *ctx;
    struct store_listener *next;
};

struct store_view {
    struct store_path *paths;
    size_t npath_slots; /* slots in use or free: iterate 0..npath_slots */
    struct store_pair *pairs;
    size_t npair_slots;
    struct store_dir *dirs;
    size_t ndir_slots;
    uint32_t epoch;    /* rate interval counter: epoch - 1 is the last closed one */
    double interval_s; /* length of the last closed interval, 0 before the first */
};

/* The arrays (valid until the next store_add or store_reset). */
void store_internal_view(const struct store *st, struct store_view *out);
/* Events per type in the last closed rate interval (unfiltered). */
void store_internal_type_rate(const struct store *st, uint64_t out[STORE_NCOUNTS]);

/* Count of type T of a pair, exact past 2^32. */
static inline uint64_t store_pair_count(const struct store_pair *p, int t)
{
    return p->count[t] | (p->wide ? (uint64_t)p->wide[t] << 32 : 0);
}

/* Events of the last closed rate interval (not yet divided by its length). */
static inline uint32_t store_pair_rate_count(const struct store_pair *p, uint32_t epoch)
{
    if (p->rate_epoch + 1 == epoch)
        return p->rate_cur;
    if (p->rate_epoch == epoch)
        return p->rate_prev;
    return 0;
}

void store_listen(struct store *st, struct store_listener *l);
void store_unlisten(struct store *st, struct store_listener *l);

/* Slot of PATH, or STORE_NONE. */
uint32_t store_find_path(const struct store *st, const char *path, size_t len);

/* The hash used for path and directory keys (64-bit FNV-1a, base/hash.h:
 * extendable, so every prefix of a path gets its hash in one pass). */
uint64_t store_hash(const char *s, size_t len);

/* Sequence number of log entry I (oldest first): unique since store_create,
 * not reset by store_reset, so it keys an events-view row. */
uint64_t store_log_seq(const struct store *st, size_t i);

#endif
