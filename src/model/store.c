/* The store: interned paths, (path, process) pairs, directory nodes, the
 * recent-events log and the rate intervals. See store.h and store_internal.h.
 *
 * Every table is a dense array of slots with a free list, indexed by a
 * u64multi from the record's 64-bit hash to its slot number (hashes may
 * collide: a lookup compares the records it is given). Paths are also on an
 * LRU list, which is what eviction takes from. */
#include "config.h"

#include "model/store_internal.h"

#include "base/hashmap.h"
#include "pipe/proctab.h"

#include <stdlib.h>
#include <string.h>

/* A pair table may hold this many pairs per allowed path before the least
 * recently seen paths go too: bounds memory when few paths see many
 * processes (every new process opens ld.so.cache). */
#define PAIRS_PER_PATH 4
/* The log arena holds at most this many path bytes per log entry on
 * average; longer paths make the log hold fewer events, never more memory. */
#define LOG_BYTES_PER_ENTRY 256
#define LOG_ARENA_MIN       65536

struct log_entry {
    int64_t time_ns;
    const struct fa_proc *proc;
    uint32_t off, len; /* path bytes in the arena; the cpath's follow its NUL */
    int32_t tid;
    uint32_t types;
    uint32_t flags;
    uint32_t clen; /* cpath bytes, 0 for none */
};

struct store {
    size_t max_rows, max_pairs, log_depth;

    struct store_path *paths;
    size_t path_cap, path_slots, npaths;
    uint32_t path_free; /* free list through lru_next */
    struct u64multi path_ix;
    uint32_t lru_head, lru_tail;

    struct store_pair *pairs;
    size_t pair_cap, pair_slots, npairs;
    uint32_t pair_free; /* free list through next */
    struct u64multi pair_ix;
    size_t wide_count;

    struct store_dir *dirs;
    size_t dir_cap, dir_slots, ndirs;
    uint32_t dir_free; /* free list through parent */
    struct u64multi dir_ix;
    size_t string_bytes; /* heap held by path and directory names */

    struct log_entry *log;
    size_t log_head, log_count; /* oldest entry at log_head */
    uint64_t log_seq;           /* sequence number of the oldest entry */
    char *arena;
    size_t arena_cap, arena_head, arena_max;

    struct store_totals tot;
    uint32_t epoch;
    int64_t interval_start;
    uint64_t interval_events;
    uint64_t type_cur[STORE_NCOUNTS];
    uint64_t type_rate[STORE_NCOUNTS];
    double interval_s;
    double history[STORE_RATE_HISTORY];
    size_t hist_head, hist_count;

    struct store_listener *listeners;
};

/* ---- hashing and the index ------------------------------------------------ */

uint64_t store_hash(const char *s, size_t len)
{
    return hash_bytes(s, len);
}

/* Not unique (a pointer has more than 32 bits): the index compares pairs. */
static uint64_t pair_key(uint32_t path, const struct fa_proc *proc)
{
    return (uint64_t)path << 32 ^ (uint64_t)(uintptr_t)proc;
}

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 1024;
    while (ncap < need)
        ncap *= 2;
    void *n = realloc(*arr, ncap * elem);
    if (!n)
        return false;
    *arr = n;
    *cap = ncap;
    return true;
}

/* The slot a table's next record takes: FREE_HEAD, the head of its free
 * list, or slot NSLOTS past the end, its array grown for it; STORE_NONE when
 * out of memory. */
static uint32_t slot_next(void **arr, size_t *cap, size_t nslots, uint32_t free_head, size_t elem)
{
    if (free_head != STORE_NONE)
        return free_head;
    return grow(arr, cap, nslots + 1, elem) ? (uint32_t)nslots : STORE_NONE;
}

/* The gen a reused slot gets from the one it had (0 marks a free slot). */
static uint32_t gen_after(uint32_t old)
{
    return old + 1 ? old + 1 : 1;
}

/* glibc's chunk for a malloc of N bytes (what store_memory charges). */
static size_t heap_cost(size_t n)
{
    size_t c = (n + 8 + 15) & ~(size_t)15;
    return c < 32 ? 32 : c;
}

static void notify_path(struct store *st, uint32_t slot)
{
    for (struct store_listener *l = st->listeners; l; l = l->next)
        if (l->path_gone)
            l->path_gone(l->ctx, slot);
}

static void notify_dir(struct store *st, uint32_t d)
{
    for (struct store_listener *l = st->listeners; l; l = l->next)
        if (l->dir_gone)
            l->dir_gone(l->ctx, d);
}

/* ---- paths ---------------------------------------------------------------- */

/* Slot of PATH, whose hash is H, or STORE_NONE. */
static uint32_t path_find(const struct store *st, const char *path, size_t len, uint64_t h)
{
    for (uint64_t s = u64multi_first(&st->path_ix, h); s != U64MULTI_END;
         s = u64multi_next(&st->path_ix, s)) {
        const struct store_path *p = &st->paths[s];
        if (p->hash == h && p->len == len && memcmp(p->str, path, len) == 0)
            return (uint32_t)s;
    }
    return STORE_NONE;
}

uint32_t store_find_path(const struct store *st, const char *path, size_t len)
{
    return path_find(st, path, len, store_hash(path, len));
}

static void lru_unlink(struct store *st, uint32_t s)
{
    struct store_path *p = &st->paths[s];
    if (p->lru_prev != STORE_NONE)
        st->paths[p->lru_prev].lru_next = p->lru_next;
    else
        st->lru_head = p->lru_next;
    if (p->lru_next != STORE_NONE)
        st->paths[p->lru_next].lru_prev = p->lru_prev;
    else
        st->lru_tail = p->lru_prev;
}

static void lru_push_head(struct store *st, uint32_t s)
{
    struct store_path *p = &st->paths[s];
    p->lru_prev = STORE_NONE;
    p->lru_next = st->lru_head;
    if (st->lru_head != STORE_NONE)
        st->paths[st->lru_head].lru_prev = s;
    else
        st->lru_tail = s;
    st->lru_head = s;
}

/* ---- directories ---------------------------------------------------------- */

static void dir_release(struct store *st, uint32_t d)
{
    while (d != STORE_NONE) {
        struct store_dir *dir = &st->dirs[d];
        if (--dir->refs)
            return;
        notify_dir(st, d);
        uint32_t parent = dir->parent;
        if (dir->as_path != STORE_NONE)
            st->paths[dir->as_path].as_dir = STORE_NONE;
        u64multi_del(&st->dir_ix, dir->hash, d);
        st->string_bytes -= heap_cost(dir->name_len + 1);
        free(dir->name);
        dir->name = NULL;
        dir->depth = dir->gen; /* kept so the slot's next gen differs */
        dir->gen = 0;
        dir->parent = st->dir_free;
        st->dir_free = d;
        st->ndirs--;
        d = parent;
    }
}

/* The directory NAME under PARENT whose full path hashes to H, or STORE_NONE. */
static uint32_t dir_same_as(const struct store *st, uint32_t parent, uint64_t h, const char *name,
                            size_t nlen)
{
    for (uint64_t s = u64multi_first(&st->dir_ix, h); s != U64MULTI_END;
         s = u64multi_next(&st->dir_ix, s)) {
        const struct store_dir *d = &st->dirs[s];
        if (d->hash == h && d->parent == parent && d->name_len == nlen &&
            memcmp(d->name, name, nlen) == 0)
            return (uint32_t)s;
    }
    return STORE_NONE;
}

/* N bytes of S and a NUL (S may hold NULs: a replayed name can); NULL when
 * out of memory. */
static char *copy_bytes(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, s, n);
        copy[n] = '\0';
    }
    return copy;
}

/* The directory called NAME under PARENT whose full path PREFIX hashes to H;
 * created (with a reference on PARENT) when missing. STORE_NONE when out of
 * memory. */
static uint32_t dir_get(struct store *st, uint32_t parent, uint64_t h, const char *name,
                        size_t nlen, const char *prefix, size_t plen)
{
    uint32_t found = dir_same_as(st, parent, h, name, nlen);
    if (found != STORE_NONE)
        return found;
    char *copy = copy_bytes(name, nlen);
    if (!copy)
        return STORE_NONE;
    uint32_t s =
        slot_next((void **)&st->dirs, &st->dir_cap, st->dir_slots, st->dir_free, sizeof *st->dirs);
    if (s == STORE_NONE || !u64multi_add(&st->dir_ix, h, s)) {
        free(copy);
        return STORE_NONE;
    }
    uint32_t gen = 1;
    if (s == st->dir_slots) {
        st->dir_slots++;
    } else {
        st->dir_free = st->dirs[s].parent;
        gen = gen_after(st->dirs[s].depth);
    }
    struct store_dir *d = &st->dirs[s];
    d->name = copy;
    d->name_len = (uint32_t)nlen;
    d->hash = h;
    d->parent = parent;
    d->refs = 0;
    d->gen = gen;
    d->depth = parent == STORE_NONE ? 0 : st->dirs[parent].depth + 1;
    d->as_path = store_find_path(st, prefix, plen);
    if (d->as_path != STORE_NONE)
        st->paths[d->as_path].as_dir = s;
    if (parent != STORE_NONE)
        st->dirs[parent].refs++;
    st->ndirs++;
    st->string_bytes += heap_cost(nlen + 1);
    return s;
}

/* Create the directory chain of PATH; returns the directory that holds it
 * (with a reference taken for it) and where its last component starts. */
static uint32_t dir_chain(struct store *st, const char *path, size_t len, size_t *base)
{
    uint64_t h = HASH_FNV_INIT;
    uint32_t parent = STORE_NONE;
    size_t i = 0, start = 0;
    if (len > 1 && path[0] == '/') {
        h = hash_fnv_step(h, '/');
        parent = dir_get(st, STORE_NONE, h, "/", 1, "/", 1);
        if (parent == STORE_NONE)
            return STORE_NONE;
        i = start = 1;
    }
    for (; i < len; i++) {
        if (path[i] == '/' && i > start) {
            uint32_t d = dir_get(st, parent, h, path + start, i - start, path, i);
            if (d == STORE_NONE)
                break; /* out of memory: keep the path where we got */
            parent = d;
        }
        if (path[i] == '/')
            start = i + 1;
        h = hash_fnv_step(h, (unsigned char)path[i]);
    }
    *base = start;
    if (parent != STORE_NONE)
        st->dirs[parent].refs++;
    return parent;
}

/* ---- pairs ---------------------------------------------------------------- */

/* A path's pairs are found by walking its list while it has at most this
 * many (a record or two: cheaper than an index probe, and most paths see
 * one or two processes); the pairs of a more crowded path (ld.so.cache
 * under every new process) are in pair_ix as well. */
#define PAIRS_LISTED 2

static bool pairs_indexed(const struct store *st, uint32_t path)
{
    return st->paths[path].npairs > PAIRS_LISTED;
}

static void pairs_unindex(struct store *st, uint32_t path)
{
    for (uint32_t q = st->paths[path].pairs; q != STORE_NONE; q = st->pairs[q].next)
        u64multi_del(&st->pair_ix, pair_key(path, st->pairs[q].proc), q);
}

/* Index new pair Q of PATH for PROC if PATH now becomes or is crowded; false
 * (and the index as it was) when out of memory. */
static bool pair_index_new(struct store *st, uint32_t path, const struct fa_proc *proc, uint32_t q)
{
    uint32_t n = st->paths[path].npairs; /* before Q */
    if (n < PAIRS_LISTED)
        return true;
    if (n == PAIRS_LISTED)
        for (uint32_t r = st->paths[path].pairs; r != STORE_NONE; r = st->pairs[r].next)
            if (!u64multi_add(&st->pair_ix, pair_key(path, st->pairs[r].proc), r)) {
                pairs_unindex(st, path); /* taking out what was never put in is a no-op */
                return false;
            }
    if (u64multi_add(&st->pair_ix, pair_key(path, proc), q))
        return true;
    if (n == PAIRS_LISTED)
        pairs_unindex(st, path);
    return false;
}

static uint32_t pair_find(const struct store *st, uint32_t path, const struct fa_proc *proc)
{
    if (!pairs_indexed(st, path)) {
        for (uint32_t q = st->paths[path].pairs; q != STORE_NONE; q = st->pairs[q].next)
            if (st->pairs[q].proc == proc)
                return q;
        return STORE_NONE;
    }
    uint64_t k = pair_key(path, proc);
    for (uint64_t q = u64multi_first(&st->pair_ix, k); q != U64MULTI_END;
         q = u64multi_next(&st->pair_ix, q))
        if (st->pairs[q].path == path && st->pairs[q].proc == proc)
            return (uint32_t)q;
    return STORE_NONE;
}

static void pair_free(struct store *st, uint32_t q)
{
    struct store_pair *p = &st->pairs[q];
    if (pairs_indexed(st, p->path))
        u64multi_del(&st->pair_ix, pair_key(p->path, p->proc), q);
    if (p->wide) {
        free(p->wide);
        st->wide_count--;
    }
    p->wide = NULL;
    p->rate_epoch = p->gen; /* kept so the slot's next gen differs */
    p->gen = 0;
    p->path = STORE_NONE;
    p->next = st->pair_free;
    st->pair_free = q;
    st->npairs--;
}

static void path_evict(struct store *st, uint32_t s)
{
    notify_path(st, s);
    struct store_path *p = &st->paths[s];
    for (uint32_t q = p->pairs; q != STORE_NONE;) {
        uint32_t next = st->pairs[q].next;
        pair_free(st, q);
        q = next;
    }
    lru_unlink(st, s);
    u64multi_del(&st->path_ix, p->hash, s);
    if (p->as_dir != STORE_NONE)
        st->dirs[p->as_dir].as_path = STORE_NONE;
    uint32_t dir = p->dir;
    st->string_bytes -= heap_cost(p->len + 1);
    free(p->str);
    p->str = NULL;
    p->lru_prev = p->gen; /* kept so the slot's next gen differs */
    p->gen = 0;
    p->lru_next = st->path_free;
    st->path_free = s;
    st->npaths--;
    dir_release(st, dir);
}

/* Evict the least recently seen path but KEEP; false when there is none. */
static bool evict_lru(struct store *st, uint32_t keep)
{
    uint32_t s = st->lru_tail;
    if (s != STORE_NONE && s == keep)
        s = st->paths[s].lru_prev;
    if (s == STORE_NONE)
        return false;
    path_evict(st, s);
    st->tot.evictions++;
    return true;
}

/* The slot of PATH (hash H), created when new; STORE_NONE when out of memory. */
static uint32_t path_get(struct store *st, const char *path, size_t len, uint64_t h)
{
    uint32_t found = path_find(st, path, len, h);
    if (found != STORE_NONE)
        return found;
    while (st->npaths >= st->max_rows && evict_lru(st, STORE_NONE))
        ;
    char *copy = copy_bytes(path, len);
    if (!copy)
        return STORE_NONE;
    uint32_t s = slot_next((void **)&st->paths, &st->path_cap, st->path_slots, st->path_free,
                           sizeof *st->paths);
    if (s == STORE_NONE || !u64multi_add(&st->path_ix, h, s)) {
        free(copy);
        return STORE_NONE;
    }
    uint32_t gen = 1;
    if (s == st->path_slots) {
        st->path_slots++;
    } else {
        st->path_free = st->paths[s].lru_next;
        gen = gen_after(st->paths[s].lru_prev);
    }
    struct store_path *p = &st->paths[s];
    *p = (struct store_path){.str = copy,
                             .hash = h,
                             .len = (uint32_t)len,
                             .gen = gen,
                             .pairs = STORE_NONE,
                             .dir = STORE_NONE,
                             .as_dir = STORE_NONE};
    lru_push_head(st, s);
    st->npaths++;
    st->string_bytes += heap_cost(len + 1);

    size_t base = 0;
    if (len == 1 && path[0] == '/') {
        p->as_dir = dir_same_as(st, STORE_NONE, h, "/", 1);
    } else {
        uint32_t d = dir_chain(st, path, len, &base);
        p = &st->paths[s];
        p->dir = d;
        p->as_dir = dir_same_as(st, d, h, path + base, len - base);
    }
    if (p->as_dir != STORE_NONE)
        st->dirs[p->as_dir].as_path = s;
    return s;
}

static uint32_t pair_get(struct store *st, uint32_t path, const struct fa_proc *proc)
{
    uint32_t found = pair_find(st, path, proc);
    if (found != STORE_NONE)
        return found;
    while (st->npairs >= st->max_pairs && evict_lru(st, path))
        ;
    uint32_t q = slot_next((void **)&st->pairs, &st->pair_cap, st->pair_slots, st->pair_free,
                           sizeof *st->pairs);
    if (q == STORE_NONE || !pair_index_new(st, path, proc, q))
        return STORE_NONE;
    uint32_t gen = 1;
    if (q == st->pair_slots) {
        st->pair_slots++;
    } else {
        st->pair_free = st->pairs[q].next;
        gen = gen_after(st->pairs[q].rate_epoch);
    }
    struct store_pair *p = &st->pairs[q];
    memset(p, 0, sizeof *p);
    p->proc = proc;
    p->path = path;
    p->gen = gen;
    p->next = st->paths[path].pairs;
    st->paths[path].pairs = q;
    st->paths[path].npairs++;
    st->npairs++;
    return q;
}

/* ---- the log -------------------------------------------------------------- */

static size_t log_index(const struct store *st, size_t i)
{
    size_t j = st->log_head + i;
    return j >= st->log_depth ? j - st->log_depth : j;
}

/* Arena bytes of entry E: its path and cpath, each with its NUL. */
static size_t log_bytes(const struct log_entry *e)
{
    return (size_t)e->len + 1 + (e->clen ? (size_t)e->clen + 1 : 0);
}

static void log_drop_oldest(struct store *st)
{
    st->log_head = log_index(st, 1);
    st->log_count--;
    st->log_seq++;
}

/* Repack the live paths, oldest first from offset 0, into an arena with
 * room for N more bytes; false when that would pass the arena's cap. */
static bool arena_grow(struct store *st, size_t n)
{
    size_t used = 0;
    for (size_t i = 0; i < st->log_count; i++)
        used += log_bytes(&st->log[log_index(st, i)]);
    size_t ncap = st->arena_cap ? st->arena_cap * 2 : LOG_ARENA_MIN;
    while (ncap < used + n)
        ncap *= 2;
    if (ncap > st->arena_max)
        ncap = used + n > st->arena_max ? used + n : st->arena_max;
    if (ncap <= st->arena_cap || (st->log_count && used + n > st->arena_max))
        return false;
    char *a = malloc(ncap);
    if (!a)
        return false;
    size_t at = 0;
    for (size_t i = 0; i < st->log_count; i++) {
        struct log_entry *e = &st->log[log_index(st, i)];
        memcpy(a + at, st->arena + e->off, log_bytes(e));
        e->off = (uint32_t)at;
        at += log_bytes(e);
    }
    free(st->arena);
    st->arena = a;
    st->arena_cap = ncap;
    st->arena_head = at;
    return true;
}

/* Contiguous room for N bytes at the arena head, dropping the oldest
 * entries (or growing the arena) as needed; the offset, or -1. */
static long arena_alloc(struct store *st, size_t n)
{
    for (;;) {
        if (st->log_count == 0) {
            st->arena_head = 0;
            if (n <= st->arena_cap)
                return 0;
        } else {
            /* Entries are in arena order from the oldest (at TAIL) round to
             * the newest, which ends at the head. */
            size_t tail = st->log[st->log_head].off;
            size_t newest = st->log[log_index(st, st->log_count - 1)].off;
            if (newest >= tail) { /* used [tail, head): free [head, cap) and [0, tail) */
                if (st->arena_head + n <= st->arena_cap)
                    return (long)st->arena_head;
                if (n <= tail)
                    return 0;
            } else if (st->arena_head + n <= tail) { /* wrapped: free [head, tail) */
                return (long)st->arena_head;
            }
        }
        if ((st->log_count < st->log_depth || st->log_count == 0) && arena_grow(st, n))
            continue;
        if (st->log_count == 0)
            return -1;
        log_drop_oldest(st);
    }
}

static void log_add(struct store *st, const struct fa_event *ev, const struct fa_proc *proc)
{
    if (!st->log) {
        st->log = malloc(st->log_depth * sizeof *st->log);
        if (!st->log)
            return;
    }
    if (st->log_count == st->log_depth)
        log_drop_oldest(st);
    struct log_entry n = {.time_ns = ev->time_ns,
                          .proc = proc,
                          .len = (uint32_t)ev->path_len,
                          .tid = ev->tid,
                          .types = ev->types,
                          .flags = ev->flags,
                          .clen = ev->cpath ? (uint32_t)ev->cpath_len : 0};
    long off = arena_alloc(st, log_bytes(&n));
    if (off < 0)
        return;
    char *a = st->arena + off;
    memcpy(a, ev->path, ev->path_len);
    a[ev->path_len] = '\0';
    if (n.clen) {
        memcpy(a + n.len + 1, ev->cpath, n.clen);
        a[n.len + 1 + n.clen] = '\0';
    }
    st->arena_head = (size_t)off + log_bytes(&n);
    n.off = (uint32_t)off;
    st->log[log_index(st, st->log_count)] = n;
    st->log_count++;
}

size_t store_log_count(const struct store *st)
{
    return st->log_count;
}

void store_log_get(const struct store *st, size_t i, struct fa_event *out)
{
    const struct log_entry *e = &st->log[log_index(st, i)];
    *out = (struct fa_event){.time_ns = e->time_ns,
                             .tid = e->tid,
                             .types = e->types,
                             .flags = e->flags,
                             .proc = e->proc,
                             .path = st->arena + e->off,
                             .path_len = e->len,
                             .cpath = e->clen ? st->arena + e->off + e->len + 1 : NULL,
                             .cpath_len = e->clen};
}

uint64_t store_log_seq(const struct store *st, size_t i)
{
    return st->log_seq + i;
}

/* ---- life cycle ----------------------------------------------------------- */

static void store_init_tables(struct store *st)
{
    st->path_free = st->pair_free = st->dir_free = STORE_NONE;
    st->lru_head = st->lru_tail = STORE_NONE;
}

static void store_free_tables(struct store *st)
{
    for (size_t s = 0; s < st->path_slots; s++)
        free(st->paths[s].str);
    for (size_t q = 0; q < st->pair_slots; q++)
        if (st->pairs[q].gen)
            free(st->pairs[q].wide);
    for (size_t d = 0; d < st->dir_slots; d++)
        free(st->dirs[d].name);
    free(st->paths);
    free(st->pairs);
    free(st->dirs);
    u64multi_free(&st->path_ix);
    u64multi_free(&st->pair_ix);
    u64multi_free(&st->dir_ix);
    free(st->log);
    free(st->arena);
}

struct store *store_create(const struct store_config *cfg)
{
    struct store *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->max_rows = cfg && cfg->max_rows ? cfg->max_rows : STORE_DEFAULT_MAX_ROWS;
    if (st->max_rows > STORE_MAX_SLOTS / PAIRS_PER_PATH)
        st->max_rows = STORE_MAX_SLOTS / PAIRS_PER_PATH;
    st->max_pairs = st->max_rows * PAIRS_PER_PATH;
    st->log_depth = cfg && cfg->log_depth ? cfg->log_depth : STORE_DEFAULT_LOG_DEPTH;
    st->arena_max = st->log_depth * LOG_BYTES_PER_ENTRY;
    if (st->arena_max < LOG_ARENA_MIN)
        st->arena_max = LOG_ARENA_MIN;
    st->epoch = 1;
    store_init_tables(st);
    return st;
}

void store_destroy(struct store *st)
{
    if (!st)
        return;
    store_free_tables(st);
    free(st);
}

void store_reset(struct store *st)
{
    /* Evicting path by path (rather than freeing the tables) keeps every
     * slot's gen moving forward, so views' (slot, gen) caches stay sound. */
    while (st->lru_tail != STORE_NONE)
        path_evict(st, st->lru_tail);
    st->log_seq += st->log_count;
    st->log_count = 0;
    st->log_head = 0;
    st->arena_head = 0;
    memset(&st->tot, 0, sizeof st->tot);
    st->interval_events = 0;
    memset(st->type_cur, 0, sizeof st->type_cur);
    memset(st->type_rate, 0, sizeof st->type_rate);
    st->hist_head = st->hist_count = 0;
    st->interval_s = 0;
    st->epoch += 2; /* no pair's rate survives */
}

/* ---- accounting ----------------------------------------------------------- */

static void pair_count(struct store *st, struct store_pair *p, int t)
{
    if (++p->count[t] == 0) {
        if (!p->wide) {
            p->wide = calloc(STORE_NCOUNTS, sizeof *p->wide);
            if (!p->wide) {
                p->count[t] = UINT32_MAX; /* out of memory: saturate */
                return;
            }
            st->wide_count++;
        }
        p->wide[t]++;
    }
}

void store_add(struct store *st, const struct fa_event *event)
{
    struct fa_event e = *event;
    if (!e.path) /* a marker may carry no path at all */
        e.path = "", e.path_len = 0;
    const struct fa_event *ev = &e;
    const struct fa_proc *proc = ev->proc ? ev->proc : &proctab_unknown;
    if (ev->types & FA_BIT(FA_OVERFLOW)) {
        /* A marker of lost events: counted and logged where it happened, no row. */
        st->tot.overflows++;
        st->tot.per_type[FA_OVERFLOW]++;
        log_add(st, ev, proc);
        return;
    }
    st->tot.events++;
    st->interval_events++;
    uint32_t types = ev->types & (FA_BIT(STORE_NCOUNTS) - 1);
    for (uint32_t m = types; m; m &= m - 1) {
        int t = __builtin_ctz(m);
        st->tot.per_type[t]++;
        st->type_cur[t]++;
    }
    log_add(st, ev, proc);

    uint32_t s = path_get(st, ev->path, ev->path_len, store_hash(ev->path, ev->path_len));
    if (s == STORE_NONE)
        return;
    if (st->lru_head != s) {
        lru_unlink(st, s);
        lru_push_head(st, s);
    }
    uint32_t q = pair_get(st, s, proc);
    if (q == STORE_NONE)
        return;
    struct store_path *path = &st->paths[s];
    struct store_pair *p = &st->pairs[q];
    path->events++;
    if (ev->time_ns > path->last_ns)
        path->last_ns = ev->time_ns;
    if (p->events == 0 || ev->time_ns < p->first_ns)
        p->first_ns = ev->time_ns;
    if (ev->time_ns > p->last_ns)
        p->last_ns = ev->time_ns;
    p->events++;
    for (uint32_t m = types; m; m &= m - 1)
        pair_count(st, p, __builtin_ctz(m));
    if (p->rate_epoch != st->epoch) {
        p->rate_prev = p->rate_epoch + 1 == st->epoch ? p->rate_cur : 0;
        p->rate_cur = 0;
        p->rate_epoch = st->epoch;
    }
    p->rate_cur++;
}

void store_tick(struct store *st, int64_t now_ns)
{
    if (!st->interval_start) {
        st->interval_start = now_ns;
        return;
    }
    int64_t elapsed = now_ns - st->interval_start;
    /* Ticks come about once a second but jitter: a tick a little early
     * still closes the interval rather than stretching it to two. */
    if (elapsed < 900000000)
        return;
    double secs = (double)elapsed / 1e9;
    double rate = (double)st->interval_events / secs;
    long whole = (long)(secs + 0.5);
    if (whole > STORE_RATE_HISTORY)
        whole = STORE_RATE_HISTORY;
    for (long i = 0; i < whole; i++) {
        st->history[(st->hist_head + st->hist_count) % STORE_RATE_HISTORY] = rate;
        if (st->hist_count < STORE_RATE_HISTORY)
            st->hist_count++;
        else
            st->hist_head = (st->hist_head + 1) % STORE_RATE_HISTORY;
    }
    st->tot.rate = rate;
    st->interval_s = secs;
    st->interval_events = 0;
    memcpy(st->type_rate, st->type_cur, sizeof st->type_rate);
    memset(st->type_cur, 0, sizeof st->type_cur);
    st->epoch++;
    st->interval_start = now_ns;
}

void store_get_totals(const struct store *st, struct store_totals *out)
{
    *out = st->tot;
    out->paths = st->npaths;
    out->pairs = st->npairs;
}

size_t store_rate_history(const struct store *st, double *out, size_t n)
{
    size_t k = st->hist_count < n ? st->hist_count : n;
    size_t skip = st->hist_count - k; /* keep the newest K */
    for (size_t i = 0; i < k; i++)
        out[i] = st->history[(st->hist_head + skip + i) % STORE_RATE_HISTORY];
    return k;
}

size_t store_memory(const struct store *st)
{
    size_t m = sizeof *st;
    m += st->path_cap * sizeof *st->paths + st->pair_cap * sizeof *st->pairs +
         st->dir_cap * sizeof *st->dirs;
    m += u64multi_bytes(&st->path_ix) + u64multi_bytes(&st->pair_ix) + u64multi_bytes(&st->dir_ix);
    m += st->string_bytes + st->wide_count * heap_cost(STORE_NCOUNTS * sizeof(uint32_t));
    m += st->log ? st->log_depth * sizeof *st->log : 0;
    m += st->arena_cap;
    return m;
}

void store_internal_view(const struct store *st, struct store_view *out)
{
    *out = (struct store_view){.paths = st->paths,
                               .npath_slots = st->path_slots,
                               .pairs = st->pairs,
                               .npair_slots = st->pair_slots,
                               .dirs = st->dirs,
                               .ndir_slots = st->dir_slots,
                               .epoch = st->epoch,
                               .interval_s = st->interval_s};
}

void store_internal_type_rate(const struct store *st, uint64_t out[STORE_NCOUNTS])
{
    memcpy(out, st->type_rate, sizeof st->type_rate);
}

void store_listen(struct store *st, struct store_listener *l)
{
    l->next = st->listeners;
    st->listeners = l;
}

void store_unlisten(struct store *st, struct store_listener *l)
{
    for (struct store_listener **pp = &st->listeners; *pp; pp = &(*pp)->next)
        if (*pp == l) {
            *pp = l->next;
            return;
        }
}
