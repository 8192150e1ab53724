/* The two details views behind a row (view_details): the processes that
 * touched one path, and the paths one process touched, one row per pair. */
#include "config.h"

#include "model/view_kind.h"

#include <stdlib.h>

static const uint8_t dpath_cols[] = {COL_PID,   COL_COMM,  COL_USER, COL_EVENTS,
                                     COL_TYPES, COL_FIRST, COL_LAST};
static const uint8_t dproc_cols[] = {COL_PATH, COL_EVENTS, COL_TYPES, COL_FIRST, COL_LAST};

struct detrow { /* one process of a path, or one path of a process */
    const struct fa_proc *proc;
    uint64_t hash;
    struct view_sums sum; /* rate unused */
    int64_t first;
    uint32_t types;
    uint32_t off, len; /* the path in names (paths of a process) */
};

struct details_data {
    struct detrow *det;
    size_t ndet, det_cap;
    struct buf names;
};

static struct details_data *details_start(struct view *v)
{
    struct details_data *d = view_data(v);
    d->ndet = 0;
    d->names.len = 0;
    return d;
}

/* A row for pair P, counting N of its events; NULL when out of memory. */
static struct detrow *details_add(struct details_data *d, const struct store_pair *p, uint64_t n,
                                  uint32_t mask)
{
    if (!buf_reserve(&d->det, &d->det_cap, d->ndet + 1, sizeof *d->det, false))
        return NULL;
    uint32_t types = 0;
    for (int t = 0; t < STORE_NCOUNTS; t++)
        if ((mask & FA_BIT(t)) && p->count[t] | (p->wide ? p->wide[t] : 0))
            types |= FA_BIT(t);
    struct detrow *r = &d->det[d->ndet++];
    *r = (struct detrow){.proc = p->proc,
                         .sum = {.events = n, .last = p->last_ns},
                         .first = p->first_ns,
                         .types = types};
    return r;
}

static void details_finish(struct view *v, const struct details_data *d, size_t total)
{
    v->total = total;
    if (!buf_reserve(&v->order, &v->order_cap, d->ndet, sizeof *v->order, false))
        return;
    for (size_t i = 0; i < d->ndet; i++)
        v->order[v->nrows++] = (uint32_t)i;
}

static void dpath_refresh(struct view *v, const struct store_view *sv)
{
    struct details_data *d = details_start(v);
    const struct filter *f = view_filter_active(v);
    struct view_type_sel sel = view_type_sel(v);
    uint32_t s = store_find_path(v->st, v->target, v->target_len);
    if (s == STORE_NONE)
        return;
    const struct store_path *path = &sv->paths[s];
    size_t total = 0;
    for (uint32_t q = path->pairs; q != STORE_NONE; q = sv->pairs[q].next) {
        const struct store_pair *p = &sv->pairs[q];
        total++;
        if (f && !filter_match_subject(f, path->str, path->len, p->proc))
            continue;
        uint64_t n = view_counted_events(p, sel);
        if (n)
            details_add(d, p, n, sel.mask);
    }
    details_finish(v, d, total);
}

static void dproc_refresh(struct view *v, const struct store_view *sv)
{
    struct details_data *d = details_start(v);
    const struct filter *f = view_filter_active(v);
    struct view_type_sel sel = view_type_sel(v);
    size_t total = 0;
    for (size_t q = 0; q < sv->npair_slots; q++) {
        const struct store_pair *p = &sv->pairs[q];
        if (!p->gen || p->proc != v->target_proc)
            continue;
        total++;
        const struct store_path *path = &sv->paths[p->path];
        if (f && !filter_match_subject(f, path->str, path->len, p->proc))
            continue;
        uint64_t n = view_counted_events(p, sel);
        if (!n)
            continue;
        size_t at = d->ndet;
        struct detrow *r = details_add(d, p, n, sel.mask);
        if (!r)
            continue;
        uint32_t off = buf_add_name(&d->names, path->str, path->len);
        if (off == UINT32_MAX) {
            d->ndet = at;
            break;
        }
        r->hash = path->hash;
        r->off = off;
        r->len = path->len;
    }
    details_finish(v, d, total);
}

static const struct detrow *detail_row(const struct view *v, uint32_t i)
{
    return &((const struct details_data *)view_data(v))->det[i];
}

static void details_value(const struct view *v, const struct store_view *sv, uint32_t i,
                          enum view_col c, struct view_value *val)
{
    const struct detrow *r = detail_row(v, i);
    const struct details_data *d = view_data(v);
    (void)sv;
    if (c == COL_PATH)
        view_val_str(val, d->names.p + r->off, r->len);
    else if (c == COL_TYPES) /* every type named in full */
        val->t = VAL_NAMES, val->u = r->types;
    else if (c == COL_FIRST)
        view_val_time(val, r->first);
    else if (!view_agg_value(&r->sum, 0, 0, c, val))
        view_proc_value(r->proc, c, val);
}

static uint64_t dpath_row_key(const struct view *v, uint32_t i)
{
    return view_proc_key(detail_row(v, i)->proc);
}

/* A path's process: that process's paths. */
static struct view_target dpath_details(const struct view *v, uint32_t i)
{
    return (struct view_target){.proc = detail_row(v, i)->proc};
}

static uint64_t dproc_row_key(const struct view *v, uint32_t i)
{
    return detail_row(v, i)->hash;
}

/* A process's path: that path's processes. */
static struct view_target dproc_details(const struct view *v, uint32_t i)
{
    const struct detrow *r = detail_row(v, i);
    const struct details_data *d = view_data(v);
    return (struct view_target){.path = d->names.p + r->off, .path_len = r->len};
}

static void details_free(void *data)
{
    struct details_data *d = data;
    free(d->det);
    buf_free(&d->names);
}

/* Both details kinds keep their rows in a struct details_data. */
#define DETAILS_DATA .data_size = sizeof(struct details_data), .free_data = details_free

const struct view_kind_ops view_dpath_ops = {
    .name = "path details",
    .columns = VIEW_COLUMNS(dpath_cols, COL_EVENTS, true, COL_TYPES),
    .rows = {dpath_refresh, details_value, dpath_row_key, dpath_details},
    DETAILS_DATA,
};

const struct view_kind_ops view_dproc_ops = {
    .name = "process details",
    .columns = VIEW_COLUMNS(dproc_cols, COL_EVENTS, true, COL_NONE),
    .rows = {dproc_refresh, details_value, dproc_row_key, dproc_details},
    DETAILS_DATA,
};
