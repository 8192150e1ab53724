/* The refresh scan: one walk over the store's path slots in order and, for
 * each path, its pairs, summing into the rows the view kind asks for. Path
 * rows live in an array indexed by path slot beside the store's, so nothing
 * is hashed per path. Filter results are cached per path slot (a path-only
 * filter) or per pair slot (one with process terms), tagged with the slot's
 * gen, for as long as the filter stays the same: a refresh with an
 * unchanged filter runs no regex on paths it has judged before. */
#include "config.h"

#include "model/view_kind.h"

#include <stdlib.h>
#include <string.h>

struct view_type_sel view_type_sel(const struct view *v)
{
    struct view_type_sel sel;
    sel.mask = v->filter ? filter_type_mask(v->filter) : FA_ALL_TYPES;
    sel.mask &= FA_BIT(STORE_NCOUNTS) - 1;
    sel.all = sel.mask == FA_BIT(STORE_NCOUNTS) - 1;
    sel.single = __builtin_popcount(sel.mask) == 1 ? __builtin_ctz(sel.mask) : -1;
    return sel;
}

/* Reset the caches when the filter changed; size them to the store. */
static bool cache_prepare(struct view *v, const struct store_view *sv, bool path_only)
{
    if (v->cache_gen != v->filter_gen) {
        if (v->pcache)
            memset(v->pcache, 0, v->pcache_cap * sizeof *v->pcache);
        if (v->qcache)
            memset(v->qcache, 0, v->qcache_cap * sizeof *v->qcache);
        v->cache_gen = v->filter_gen;
    }
    if (path_only)
        return buf_reserve(&v->pcache, &v->pcache_cap, sv->npath_slots, sizeof *v->pcache, true);
    return buf_reserve(&v->qcache, &v->qcache_cap, sv->npair_slots, sizeof *v->qcache, true);
}

/* A cached yes/no tagged with the slot's gen (31 bits: a stale hit needs one
 * slot reused 2^31 times under one filter). */
static inline bool cached(uint32_t *cache, uint32_t gen, int *hit)
{
    uint32_t c = *cache;
    *hit = c && (c >> 1) == (gen & 0x7fffffffu);
    return c & 1;
}

static inline void cache_put(uint32_t *cache, uint32_t gen, bool m)
{
    *cache = (gen & 0x7fffffffu) << 1 | (uint32_t)m;
}

/* The row of PROC, made when new; with WANT_UNITS, its unit row (of the
 * field GROUP names) too. */
static uint32_t proc_row(struct view *v, const struct fa_proc *proc, bool want_units, int group)
{
    bool added;
    uint64_t *slot = u64map_slot(&v->procmap, (uint64_t)(uintptr_t)proc, v->nprocs, &added);
    if (!slot)
        return STORE_NONE;
    if (!added)
        return (uint32_t)*slot;
    if (!buf_reserve(&v->procs, &v->procs_cap, v->nprocs + 1, sizeof *v->procs, false)) {
        *slot = STORE_NONE; /* never looked up as a row */
        return STORE_NONE;
    }
    struct view_proc_row *r = &v->procs[v->nprocs];
    *r = (struct view_proc_row){.proc = proc, .unit = STORE_NONE};
    if (want_units) {
        const char *key = view_group_key(proc, group);
        uint64_t h = store_hash(key, strlen(key));
        uint64_t *u = u64map_slot(&v->unitmap, h, v->nunits, &added);
        if (u && added) {
            if (buf_reserve(&v->units, &v->units_cap, v->nunits + 1, sizeof *v->units, false)) {
                v->units[v->nunits] = (struct view_unit_row){
                    .unit = key,
                    /* a unit's container; comm and exe rows have none */
                    .container = group == VIEW_GROUP_COMM || group == VIEW_GROUP_EXE
                                     ? ""
                                     : fa_proc_container(proc),
                    .hash = h};
                v->nunits++;
            } else {
                *u = STORE_NONE;
            }
        }
        if (u)
            r->unit = (uint32_t)*u;
    }
    return (uint32_t)v->nprocs++;
}

static void path_row_start(struct view_path_row *row, const struct store_path *path, bool counts)
{
    row->sum = (struct view_sums){0};
    row->hash = path->hash;
    row->gen = path->gen;
    row->procs = 0;
    if (counts)
        memset(row->count, 0, sizeof row->count);
}

/* A unit counts a path once however many of its processes touched it:
 * UNITS holds the units seen on this path so far. */
static void unit_file(struct view *v, uint32_t unit, uint32_t *units, size_t *nunits, size_t max)
{
    size_t j = 0;
    while (j < *nunits && units[j] != unit)
        j++;
    if (j == *nunits) {
        if (*nunits < max)
            units[(*nunits)++] = unit;
        v->units[unit].files++;
    }
}

static void scan_reset(struct view *v, struct view_scan_want w)
{
    if (w.procs) {
        v->nprocs = v->nunits = 0;
        u64map_clear(&v->procmap);
        u64map_clear(&v->unitmap);
    }
    if (w.types)
        memset(w.types, 0, STORE_NCOUNTS * sizeof *w.types);
}

bool view_scan(struct view *v, const struct store_view *sv, struct view_scan_want w)
{
    const struct filter *f = view_filter_active(v);
    struct view_type_sel sel = view_type_sel(v);
    bool path_only = f && filter_path_only(f);
    double per_s = sv->interval_s > 0 ? 1.0 / sv->interval_s : 0;
    scan_reset(v, w);
    v->match_events = 0;
    v->match_rate = 0;
    if (f && !cache_prepare(v, sv, path_only))
        return false;
    if (w.prow && !buf_reserve(&v->prows, &v->prows_cap, sv->npath_slots, sizeof *v->prows, false))
        return false;
    if (w.prow)
        v->prows_n = sv->npath_slots;
    uint32_t unit_list[16];
    size_t nunit_list = 0;

    for (uint32_t s = 0; s < sv->npath_slots; s++) {
        const struct store_path *path = &sv->paths[s];
        if (!path->gen)
            continue;
        bool pm = true;
        if (path_only) {
            int hit;
            pm = cached(&v->pcache[s], path->gen, &hit);
            if (!hit) {
                pm = filter_match_subject(f, path->str, path->len, NULL);
                cache_put(&v->pcache[s], path->gen, pm);
            }
            if (!pm && !w.procs)
                continue;
        }
        struct view_path_row *row = w.prow ? &v->prows[s] : NULL;
        uint64_t pev = 0;
        nunit_list = 0;
        for (uint32_t q = path->pairs; q != STORE_NONE; q = sv->pairs[q].next) {
            const struct store_pair *p = &sv->pairs[q];
            uint32_t pr = w.procs ? proc_row(v, p->proc, w.units, w.group) : STORE_NONE;
            if (!pm)
                continue;
            if (f && !path_only) {
                int hit;
                bool m = cached(&v->qcache[q], p->gen, &hit);
                if (!hit) {
                    m = filter_match_subject(f, path->str, path->len, p->proc);
                    /* a name and command line read late (proctab.h) may change it */
                    if (p->proc->cmdline[0])
                        cache_put(&v->qcache[q], p->gen, m);
                }
                if (!m)
                    continue;
            }
            uint64_t n = view_counted_events(p, sel);
            if (!n)
                continue;
            double rc = store_pair_rate_count(p, sv->epoch);
            if (rc && !sel.all)
                rc = rc * (double)n / (double)p->events;
            v->match_events += n;
            v->match_rate += rc * per_s;
            if (row) {
                if (!pev)
                    path_row_start(row, path, w.counts);
                view_sums_add(&row->sum, n, p->last_ns, rc * per_s);
                row->procs++;
                if (w.counts)
                    for (int t = 0; t < STORE_NCOUNTS; t++)
                        if (sel.mask & FA_BIT(t)) {
                            uint64_t c = store_pair_count(p, t);
                            row->count[t] += c;
                            v->type_sum[t] += c;
                        }
            }
            pev += n;
            if (pr != STORE_NONE) {
                struct view_proc_row *r = &v->procs[pr];
                view_sums_add(&r->sum, n, p->last_ns, rc * per_s);
                r->files++;
                if (w.units && r->unit != STORE_NONE)
                    unit_file(v, r->unit, unit_list, &nunit_list,
                              sizeof unit_list / sizeof unit_list[0]);
            }
            if (w.types) {
                for (uint32_t m = sel.mask; m; m &= m - 1) {
                    int t = __builtin_ctz(m);
                    uint64_t c = store_pair_count(p, t);
                    w.types[t].sum.events += c;
                    if (rc)
                        w.types[t].sum.rate += rc * per_s * (double)c / (double)n;
                }
            }
        }
        if (row && pev && !view_push(v, s))
            return false;
    }
    v->match_valid = true;
    return true;
}

void view_scan_free(struct view *v)
{
    free(v->pcache);
    free(v->qcache);
    free(v->prows);
    u64map_free(&v->procmap);
    free(v->procs);
    u64map_free(&v->unitmap);
    free(v->units);
}
