/* The store: interned paths, (path, process) pairs, directory nodes, the
 * recent-events log (evlog.c) and the rate intervals. See store.h and
 * store_internal.h.
 *
 * Every table is a dense array of slots with a free list, indexed by a
 * u64multi from the record's 64-bit hash to its slot number (hashes may
 * collide: a lookup compares the records it is given). Paths are on an LRU
 * list, which eviction takes from; pairs on another, which folding takes from:
 * every new process opens ld.so.cache, so a few paths can see a pair per
 * process ever run, and the pair cap must not cost paths. */
#include "config.h"

#include "model/store_internal.h"
#include "base/buf.h"

#include "model/evlog.h"

#include "base/hashmap.h"
#include "pipe/proctab.h"

#include <stdlib.h>
#include <string.h>

struct store {
    size_t max_rows, max_pairs;
    bool event_clock;

    struct store_path *paths;
    size_t path_cap, path_slots, npaths;
    uint32_t path_free; /* free list through lru_next */
    struct u64multi path_ix;
    uint32_t lru_head, lru_tail;

    struct store_pair *pairs;
    size_t pair_cap, pair_slots, npairs;
    uint32_t pair_free; /* free list through next */
    struct u64multi pair_ix;
    uint32_t pair_lru_head, pair_lru_tail;
    size_t wide_count;

    struct store_dir *dirs;
    size_t dir_cap, dir_slots, ndirs;
    uint32_t dir_free; /* free list through parent */
    struct u64multi dir_ix;
    size_t string_bytes; /* heap held by path and directory names */

    struct evlog log;

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

const struct fa_proc store_others = {.id = UINT32_MAX,
                                     .pid = 0,
                                     .ppid = 0,
                                     .uid = 0,
                                     .user = "",
                                     .comm = "(others)",
                                     .exe = "",
                                     .cmdline = "",
                                     .unit = ""};

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

/* The slot a table's next record takes: FREE_HEAD, the head of its free
 * list, or slot NSLOTS past the end, its array grown for it; STORE_NONE when
 * out of memory. */
static uint32_t slot_next(void **arr, size_t *cap, size_t nslots, uint32_t free_head, size_t elem)
{
    if (free_head != STORE_NONE)
        return free_head;
    return buf_reserve(arr, cap, nslots + 1, elem, false) ? (uint32_t)nslots : STORE_NONE;
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

/* ---- the pairs' LRU list: store_others pairs are not on it ---------------- */

static void pair_lru_unlink(struct store *st, uint32_t q)
{
    struct store_pair *p = &st->pairs[q];
    if (p->proc == &store_others)
        return;
    if (p->lru_prev != STORE_NONE)
        st->pairs[p->lru_prev].lru_next = p->lru_next;
    else
        st->pair_lru_head = p->lru_next;
    if (p->lru_next != STORE_NONE)
        st->pairs[p->lru_next].lru_prev = p->lru_prev;
    else
        st->pair_lru_tail = p->lru_prev;
}

static void pair_lru_push_head(struct store *st, uint32_t q)
{
    struct store_pair *p = &st->pairs[q];
    p->lru_prev = STORE_NONE;
    p->lru_next = st->pair_lru_head;
    if (st->pair_lru_head != STORE_NONE)
        st->pairs[st->pair_lru_head].lru_prev = q;
    else
        st->pair_lru_tail = q;
    st->pair_lru_head = q;
}

static void pair_free(struct store *st, uint32_t q)
{
    struct store_pair *p = &st->pairs[q];
    if (pairs_indexed(st, p->path))
        u64multi_del(&st->pair_ix, pair_key(p->path, p->proc), q);
    pair_lru_unlink(st, q);
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

/* Evict the least recently seen path; false when there is none. */
static bool evict_lru(struct store *st)
{
    uint32_t s = st->lru_tail;
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
    while (st->npaths >= st->max_rows && evict_lru(st))
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

/* ---- folding: the pair cap ------------------------------------------------ */

/* Q's rate counts as of epoch E: the events of E and of E - 1. */
static void pair_rates_at(const struct store_pair *q, uint32_t e, uint64_t *cur, uint64_t *prev)
{
    *cur = q->rate_epoch == e ? q->rate_cur : 0;
    *prev = q->rate_epoch == e ? q->rate_prev : q->rate_epoch + 1 == e ? q->rate_cur : 0;
}

static uint32_t sat32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

static void pair_count_n(struct store *st, struct store_pair *p, int t, uint64_t n);

/* Add Q's counts into F (both pairs of one path). */
static void pair_merge(struct store *st, struct store_pair *f, const struct store_pair *q)
{
    for (int t = 0; t < STORE_NCOUNTS; t++)
        pair_count_n(st, f, t, store_pair_count(q, t));
    if (f->events == 0 || (q->events && q->first_ns < f->first_ns))
        f->first_ns = q->first_ns;
    if (q->last_ns > f->last_ns)
        f->last_ns = q->last_ns;
    f->events += q->events;
    uint64_t fc, fp, qc, qp;
    pair_rates_at(f, st->epoch, &fc, &fp);
    pair_rates_at(q, st->epoch, &qc, &qp);
    f->rate_epoch = st->epoch;
    f->rate_cur = sat32(fc + qc);
    f->rate_prev = sat32(fp + qp);
}

/* Take pair Q out of its path's list and free it. */
static void pair_remove(struct store *st, uint32_t q)
{
    struct store_pair *p = &st->pairs[q];
    struct store_path *path = &st->paths[p->path];
    uint32_t s = p->path;
    if (p->prev != STORE_NONE)
        st->pairs[p->prev].next = p->next;
    else
        path->pairs = p->next;
    if (p->next != STORE_NONE)
        st->pairs[p->next].prev = p->prev;
    pair_free(st, q); /* out of the index while the path still counts it */
    path->npairs--;
    if (path->npairs == PAIRS_LISTED) /* found by walking again */
        pairs_unindex(st, s);
}

/* Make Q its path's store_others pair; false (nothing changed) when out of
 * memory. */
static bool pair_become_others(struct store *st, uint32_t q)
{
    struct store_pair *p = &st->pairs[q];
    if (pairs_indexed(st, p->path)) {
        if (!u64multi_add(&st->pair_ix, pair_key(p->path, &store_others), q))
            return false;
        u64multi_del(&st->pair_ix, pair_key(p->path, p->proc), q);
    }
    pair_lru_unlink(st, q);
    p->proc = &store_others;
    return true;
}

/* Fold the least recently seen pair into its path's store_others pair,
 * which it becomes when the path has none. True when that freed a slot;
 * false when nothing is left to fold. Each pair folds once, so over time
 * this costs O(1) a pair. */
static bool fold_lru(struct store *st, bool *progress)
{
    uint32_t q = st->pair_lru_tail;
    *progress = q != STORE_NONE;
    if (q == STORE_NONE)
        return false;
    st->tot.folded++;
    uint32_t f = pair_find(st, st->pairs[q].path, &store_others);
    if (f == STORE_NONE) {
        *progress = pair_become_others(st, q);
        return false;
    }
    pair_merge(st, &st->pairs[f], &st->pairs[q]);
    pair_remove(st, q);
    return true;
}

/* Room for one more pair under the cap; false when every pair is a
 * store_others pair already. */
static bool pair_room(struct store *st)
{
    bool progress = true;
    while (st->npairs >= st->max_pairs && progress)
        if (fold_lru(st, &progress))
            return true;
    return st->npairs < st->max_pairs;
}

static uint32_t pair_get(struct store *st, uint32_t path, const struct fa_proc *proc)
{
    uint32_t found = pair_find(st, path, proc);
    if (found != STORE_NONE)
        return found;
    if (!pair_room(st)) {
        /* Every pair is a path's others (max_pairs >= max_rows makes sure
         * this path has one): its events go there. */
        found = pair_find(st, path, &store_others);
        if (found != STORE_NONE)
            return found;
    }
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
    p->prev = STORE_NONE;
    p->next = st->paths[path].pairs;
    if (p->next != STORE_NONE)
        st->pairs[p->next].prev = q;
    st->paths[path].pairs = q;
    st->paths[path].npairs++;
    st->npairs++;
    if (proc == &store_others)
        p->lru_prev = p->lru_next = STORE_NONE;
    else
        pair_lru_push_head(st, q);
    return q;
}

/* ---- the log (evlog.c) ----------------------------------------------------- */

size_t store_log_count(const struct store *st)
{
    return st->log.count;
}

void store_log_get(const struct store *st, size_t i, struct fa_event *out)
{
    evlog_get(&st->log, i, out);
}

uint64_t store_log_seq(const struct store *st, size_t i)
{
    return st->log.seq + i;
}

/* ---- life cycle ----------------------------------------------------------- */

static void store_init_tables(struct store *st)
{
    st->path_free = st->pair_free = st->dir_free = STORE_NONE;
    st->lru_head = st->lru_tail = STORE_NONE;
    st->pair_lru_head = st->pair_lru_tail = STORE_NONE;
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
    evlog_free(&st->log);
}

struct store *store_create(const struct store_config *cfg)
{
    struct store *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->max_rows = cfg && cfg->max_rows ? cfg->max_rows : STORE_DEFAULT_MAX_ROWS;
    if (st->max_rows > STORE_MAX_SLOTS / STORE_PAIRS_PER_PATH)
        st->max_rows = STORE_MAX_SLOTS / STORE_PAIRS_PER_PATH;
    st->max_pairs = cfg && cfg->max_pairs ? cfg->max_pairs : st->max_rows * STORE_PAIRS_PER_PATH;
    if (st->max_pairs < st->max_rows) /* room for every path's others pair */
        st->max_pairs = st->max_rows;
    if (st->max_pairs > STORE_MAX_SLOTS)
        st->max_pairs = STORE_MAX_SLOTS;
    st->event_clock = cfg && cfg->event_clock;
    evlog_init(&st->log, cfg && cfg->log_depth ? cfg->log_depth : STORE_DEFAULT_LOG_DEPTH);
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
    evlog_clear(&st->log);
    memset(&st->tot, 0, sizeof st->tot);
    st->interval_events = 0;
    memset(st->type_cur, 0, sizeof st->type_cur);
    memset(st->type_rate, 0, sizeof st->type_rate);
    st->hist_head = st->hist_count = 0;
    st->interval_s = 0;
    st->epoch += 2; /* no pair's rate survives */
}

/* ---- rate intervals ------------------------------------------------------- */

/* Close the rate interval: it lasted SECS, and WHOLE seconds of history
 * (at most the history's length) get its rate. */
static void interval_close(struct store *st, double secs, long whole)
{
    double rate = (double)st->interval_events / secs;
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
}

void store_tick(struct store *st, int64_t now_ns)
{
    if (st->event_clock)
        return;
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
    interval_close(st, secs, (long)(secs + 0.5));
    st->interval_start = now_ns;
}

/* The event clock: an event at T closes the recorded seconds before T's;
 * a stretch of seconds without events closes as one empty interval. */
static void clock_advance(struct store *st, int64_t t)
{
    const int64_t sec = 1000000000;
    if (!st->interval_start) {
        st->interval_start = t - (t % sec + sec) % sec; /* the second T falls in */
        return;
    }
    if (t - st->interval_start < sec)
        return;
    interval_close(st, 1.0, 1);
    st->interval_start += sec;
    int64_t gap = (t - st->interval_start) / sec;
    if (gap > 0) {
        interval_close(st, (double)gap, (long)gap);
        st->interval_start += gap * sec;
    }
}

void store_clock_end(struct store *st)
{
    if (st->event_clock && st->interval_start && st->interval_events) {
        interval_close(st, 1.0, 1);
        st->interval_start += 1000000000;
    }
}

/* ---- accounting ----------------------------------------------------------- */

/* Add N to count T of P, its high word allocated once it wraps. */
static void pair_count_n(struct store *st, struct store_pair *p, int t, uint64_t n)
{
    uint64_t v = store_pair_count(p, t) + n;
    if (v >> 32 && !p->wide) {
        p->wide = calloc(STORE_NCOUNTS, sizeof *p->wide);
        if (!p->wide) {
            p->count[t] = UINT32_MAX; /* out of memory: saturate */
            return;
        }
        st->wide_count++;
    }
    p->count[t] = (uint32_t)v;
    if (p->wide)
        p->wide[t] = (uint32_t)(v >> 32);
}

static void pair_count(struct store *st, struct store_pair *p, int t)
{
    if (++p->count[t] == 0)
        pair_count_n(st, p, t, (uint64_t)1 << 32); /* undo the wrap into the high word */
}

void store_add(struct store *st, const struct fa_event *event)
{
    struct fa_event e = *event;
    if (!e.path) /* a marker may carry no path at all */
        e.path = "", e.path_len = 0;
    const struct fa_event *ev = &e;
    const struct fa_proc *proc = ev->proc ? ev->proc : &proctab_unknown;
    if (st->event_clock)
        clock_advance(st, ev->time_ns);
    if (ev->time_ns && (!st->tot.first_ns || ev->time_ns < st->tot.first_ns))
        st->tot.first_ns = ev->time_ns;
    if (ev->time_ns > st->tot.last_ns)
        st->tot.last_ns = ev->time_ns;
    if (ev->types & FA_BIT(FA_OVERFLOW)) {
        /* A marker of lost events: counted and logged where it happened, no row. */
        st->tot.overflows++;
        st->tot.per_type[FA_OVERFLOW]++;
        evlog_add(&st->log, ev, proc);
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
    evlog_add(&st->log, ev, proc);

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
    if (st->pair_lru_head != q && p->proc != &store_others) {
        pair_lru_unlink(st, q);
        pair_lru_push_head(st, q);
    }
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
    m += evlog_memory(&st->log);
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
