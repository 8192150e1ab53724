/* Views: the store's fine rows rolled up through the filter into the rows of
 * one table, sorted. See view.h.
 *
 * This file is what every kind shares: the table of kinds, the column
 * catalogue, the life cycle, sorting, cells and keys, and the name rescue.
 * Each kind (view_paths.c, view_procs.c, ...) is a struct view_kind_ops;
 * the scan over the store that most of them refresh with is view_scan.c.
 *
 * Rows are a snapshot: numbers are copied at refresh. Names are not: a row
 * points at the store's string, and the store tells us (store_listener)
 * before it frees one, so we copy exactly the names we still show. */
#include "config.h"

#include "model/view_kind.h"

#include "base/buf.h"
#include "base/iso8601.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- kinds ---------------------------------------------------------------- */

static const struct view_kind_ops *const kind_ops[VIEW_KINDS_ALL] = {
    [VIEW_PATHS] = &view_paths_ops,         [VIEW_PROCS] = &view_procs_ops,
    [VIEW_TYPES] = &view_types_ops,         [VIEW_UNITS] = &view_units_ops,
    [VIEW_EVENTS] = &view_events_ops,       [VIEW_TREE] = &view_tree_ops,
    [VIEW_PROCTREE] = &view_proctree_ops,   [VIEW_CONTAINERS] = &view_containers_ops,
    [VIEW_DETAIL_PATH] = &view_dpath_ops,   [VIEW_DETAIL_PROC] = &view_dproc_ops,
    [VIEW_DETAIL_EVENT] = &view_devent_ops,
};

const char *view_kind_name(enum view_kind k)
{
    return kind_ops[k < VIEW_KINDS_ALL ? k : VIEW_DETAIL_PROC]->name;
}

int view_kind_by_name(const char *name)
{
    if (!name || !*name)
        return -1;
    for (int k = 0; k < VIEW_NKINDS; k++)
        if (strcasecmp(kind_ops[k]->name, name) == 0)
            return k;
    for (int k = 0; k < VIEW_NKINDS; k++) {
        const char *const *a = kind_ops[k]->aliases;
        for (size_t i = 0; i < VIEW_MAX_ALIASES && a[i]; i++)
            if (strcasecmp(a[i], name) == 0)
                return k;
    }
    int found = -1;
    size_t len = strlen(name);
    for (int k = 0; k < VIEW_NKINDS; k++)
        if (!kind_ops[k]->whole_name && strncasecmp(kind_ops[k]->name, name, len) == 0) {
            if (found >= 0)
                return -1; /* ambiguous prefix */
            found = k;
        }
    return found;
}

/* ---- the column catalogue ------------------------------------------------- */

static bool col_numeric(enum view_col c)
{
    switch (c) {
    case COL_PATH:
    case COL_COMM:
    case COL_USER:
    case COL_UNIT:
    case COL_EXE:
    case COL_TYPE:
    case COL_EVENT:
    case COL_TYPES:
    case COL_PARENT:
    case COL_CMDLINE:
    case COL_CONTAINER:
    case COL_CPATH:
    case COL_FIELD:
    case COL_VALUE:
        return false;
    default:
        return true;
    }
}

/* Time columns widen by this much to show the date ("2026-11-22 "). */
#define DATE_WIDTH 11

static bool col_is_time(enum view_col c)
{
    return c == COL_LAST || c == COL_FIRST || c == COL_TIME || c == COL_START;
}

static struct view_column col_def(const struct view_kind_ops *ops, enum view_col c)
{
    /* Width, and what a narrow screen keeps longest: the event, the path
     * and the process; per-type counts go first (an "other" column on
     * screen sums them). */
    static const struct {
        const char *name;
        int width, prio;
    } fixed[] = {
        [COL_PATH] = {"path", 0, 100},      [COL_EVENTS] = {"events", 8, 95},
        [COL_PROCS] = {"procs", 6, 60},     [COL_LAST] = {"last", 8, 55},
        [COL_RATE] = {"rate", 7, 50},       [COL_PID] = {"pid", 7, 85},
        [COL_COMM] = {"comm", 15, 88},      [COL_USER] = {"user", 9, 45},
        [COL_UNIT] = {"unit", 20, 30},      [COL_EXE] = {"exe", 0, 35},
        [COL_FILES] = {"files", 7, 60},     [COL_TYPE] = {"type", 13, 100},
        [COL_SHARE] = {"share", 6, 60},     [COL_TIME] = {"time", 12, 80},
        [COL_TID] = {"tid", 7, 20},         [COL_EVENT] = {"event", 14, 90},
        [COL_TYPES] = {"types", 26, 70},    [COL_FIRST] = {"first", 8, 40},
        [COL_FIELD] = {"field", 10, 100},   [COL_VALUE] = {"value", 0, 100},
        [COL_PPID] = {"ppid", 7, 25},       [COL_PARENT] = {"parent", 15, 28},
        [COL_CMDLINE] = {"cmdline", 0, 32}, [COL_START] = {"start", 8, 40},
        [COL_SUBTREE] = {"subtree", 8, 92}, [COL_CONTAINER] = {"container", 20, 30},
        [COL_CPATH] = {"cpath", 24, 25},
    };
    struct view_column col = {.type = -1};
    if (c >= COL_T0 && c < COL_T0 + STORE_NCOUNTS) {
        col.name = fa_types[c - COL_T0].name;
        int len = (int)strlen(col.name) + 1; /* room for the sort mark */
        col.width = len > 6 ? len : 6;
        col.prio = 10;
        col.type = (int)(c - COL_T0);
    } else {
        col.name = fixed[c].name;
        col.width = fixed[c].width;
        col.prio = fixed[c].prio;
    }
    if (c == ops->columns.fill_col)
        col.width = 0;
    col.sparse = c == COL_UNIT;
    col.numeric = col_numeric(c);
    col.align = col.numeric ? VIEW_RIGHT : VIEW_LEFT;
    return col;
}

size_t view_kind_ncolumns(enum view_kind k)
{
    return k < VIEW_KINDS_ALL ? kind_ops[k]->columns.ncols : 0;
}

struct view_column view_kind_column(enum view_kind k, size_t col)
{
    if (col >= view_kind_ncolumns(k))
        return (struct view_column){.name = NULL};
    return col_def(kind_ops[k], kind_ops[k]->columns.cols[col]);
}

size_t view_kind_nextra(enum view_kind k)
{
    return k < VIEW_KINDS_ALL ? kind_ops[k]->nextra : 0;
}

struct view_column view_kind_extra(enum view_kind k, size_t i)
{
    if (i >= view_kind_nextra(k))
        return (struct view_column){.name = NULL};
    return col_def(kind_ops[k], kind_ops[k]->extra[i]);
}

/* ---- names of rows the store freed ---------------------------------------- */

void view_rescue(struct view *v, struct u64map *map, uint32_t s, const char *name, size_t len)
{
    uint32_t off = buf_add_name(&v->rescue, name, len);
    bool added;
    uint64_t *slot = off != UINT32_MAX ? u64map_slot(map, s, off, &added) : NULL;
    if (slot)
        *slot = off;
}

const char *view_rescued(const struct view *v, const struct u64map *map, uint32_t s)
{
    uint64_t off;
    return u64map_get(map, s, &off) ? v->rescue.p + off : NULL;
}

static struct store_view sview(const struct view *v)
{
    struct store_view sv;
    store_internal_view(v->st, &sv);
    return sv;
}

const char *view_row_path(const struct view *v, const struct store_view *sv, uint32_t s,
                          uint32_t gen, size_t *len)
{
    if (s < sv->npath_slots && sv->paths[s].gen == gen) {
        *len = sv->paths[s].len;
        return sv->paths[s].str;
    }
    const char *p = view_rescued(v, &v->rescued_path, s);
    *len = p ? strlen(p) : 0;
    return p ? p : "";
}

struct view_target view_path_target(const struct view *v, uint32_t s)
{
    struct store_view sv = sview(v);
    struct view_target t = {0};
    t.path = view_row_path(v, &sv, s, v->prows[s].gen, &t.path_len);
    return t;
}

static void on_path_gone(void *ctx, uint32_t s)
{
    struct view *v = ctx;
    if (!v->ops->path_rows || s >= v->prows_n || !v->prows[s].sum.events)
        return;
    struct store_view sv = sview(v);
    if (sv.paths[s].gen == v->prows[s].gen)
        view_rescue(v, &v->rescued_path, s, sv.paths[s].str, sv.paths[s].len);
}

static void on_dir_gone(void *ctx, uint32_t d)
{
    struct view *v = ctx;
    if (v->ops->dir_gone)
        v->ops->dir_gone(v, d);
}

/* ---- values shared by kinds ----------------------------------------------- */

void view_proc_value(const struct fa_proc *p, enum view_col c, struct view_value *val)
{
    switch (c) {
    case COL_PPID:
        val->t = VAL_INT, val->i = p->ppid;
        break;
    case COL_PARENT:
        if (p->parent)
            view_val_str(val, p->parent->comm, strlen(p->parent->comm));
        else
            view_val_str(val, "", 0);
        break;
    case COL_CMDLINE:
        view_val_str(val, p->cmdline, strlen(p->cmdline));
        break;
    case COL_START:
        view_val_time(val, p->start_ns);
        break;
    case COL_PID:
        val->t = VAL_INT, val->i = p->pid;
        break;
    case COL_COMM:
        view_val_str(val, p->comm, strlen(p->comm));
        break;
    case COL_USER: /* the uid when the name is unknown, nothing for no process */
        val->t = (p->id || p->pid) && p != &store_others ? VAL_USER : VAL_STR;
        val->s = p->user, val->len = strlen(p->user), val->i = p->uid;
        break;
    case COL_UNIT:
        val->t = VAL_UNIT, val->s = p->unit, val->len = strlen(p->unit);
        break;
    case COL_EXE:
        view_val_str(val, p->exe, strlen(p->exe));
        break;
    case COL_CONTAINER: /* "-" outside containers, like the unit */
        val->t = VAL_UNIT, val->s = fa_proc_container(p), val->len = strlen(val->s);
        break;
    default:
        break;
    }
}

uint64_t view_proc_key(const struct fa_proc *p)
{
    return UINT64_C(1) << 63 | (uint64_t)p->id << 32 | (uint32_t)p->pid;
}

const char *view_group_key(const struct fa_proc *p, int g)
{
    return g == VIEW_GROUP_COMM ? p->comm : g == VIEW_GROUP_EXE ? p->exe : p->unit;
}

void view_procs_add(const struct fa_proc **out, size_t max, size_t *n, const struct fa_proc *p)
{
    for (size_t j = 0; j < *n && j < max; j++)
        if (out[j]->pid == p->pid && out[j]->start_ns == p->start_ns)
            return;
    if (*n < max)
        out[*n] = p;
    (*n)++;
}

const struct filter *view_filter_active(const struct view *v)
{
    return v->filter && !filter_is_empty(v->filter) ? v->filter : NULL;
}

/* Value of column C for storage index I (what order[] holds). */
static void get_value(const struct view *v, const struct store_view *sv, uint32_t i,
                      enum view_col c, struct view_value *val)
{
    memset(val, 0, sizeof *val);
    v->ops->rows.value(v, sv, i, c, val);
}

/* ---- sorting -------------------------------------------------------------- */

static uint64_t sort_key(const struct view_value *val)
{
    switch (val->t) {
    case VAL_COUNT:
    case VAL_NAMES:
        return val->u;
    case VAL_INT:
    case VAL_TIME:
    case VAL_TIME_MS:
        return (uint64_t)val->i ^ (UINT64_C(1) << 63);
    case VAL_DOUBLE: {
        uint64_t b;
        memcpy(&b, &val->d, sizeof b);
        return b >> 63 ? ~b : b | (UINT64_C(1) << 63);
    }
    default:
        return 0;
    }
}

/* Ties keep ascending index order, so the result never depends on the
 * order rows came in. */
void view_sort_indices(struct view *v, uint32_t *idx, size_t n)
{
    enum view_col c = v->colid[v->sort_col];
    bool desc = v->sort_desc;
    struct sort_scratch *s = &v->sort;
    if (n < 2 || !buf_reserve(&s->keys, &s->keys_cap, n, sizeof *s->keys, false) ||
        !buf_reserve(&s->tmp, &s->tmp_cap, n, sizeof *s->tmp, false))
        return;
    struct store_view sv = sview(v);
    struct view_value val;
    bool ascending = true;
    for (size_t j = 1; j < n && ascending; j++)
        ascending = idx[j - 1] < idx[j];
    if (!ascending) {
        for (size_t j = 0; j < n; j++)
            s->keys[j] = (struct sort_key){idx[j], idx[j]};
        sort_radix(s->keys, s->tmp, n);
        for (size_t j = 0; j < n; j++)
            idx[j] = s->keys[j].i;
    }
    if (!col_numeric(c) && c != COL_TYPES && c != COL_EVENT) {
        if (!buf_reserve(&s->strs, &s->strs_cap, n, sizeof *s->strs, false))
            return;
        for (size_t j = 0; j < n; j++) {
            get_value(v, &sv, idx[j], c, &val);
            if (val.t == VAL_UNIT && val.len == 0)
                val.s = "-", val.len = 1;
            s->strs[j] = (struct sort_str){.s = val.s, .len = val.len, .i = idx[j]};
            s->keys[j].i = (uint32_t)j;
        }
        sort_strings(s->keys, s->tmp, n, s->strs, desc);
        for (size_t j = 0; j < n; j++)
            idx[j] = s->strs[s->keys[j].i].i;
        return;
    }
    for (size_t j = 0; j < n; j++) {
        get_value(v, &sv, idx[j], c, &val);
        uint64_t k = sort_key(&val);
        s->keys[j] = (struct sort_key){desc ? ~k : k, idx[j]};
    }
    sort_radix(s->keys, s->tmp, n);
    for (size_t j = 0; j < n; j++)
        idx[j] = s->keys[j].i;
}

static void sort_rows(struct view *v)
{
    if (v->ops->arrange)
        v->ops->arrange(v);
    else
        view_sort_indices(v, v->order, v->nrows);
}

/* ---- life cycle ----------------------------------------------------------- */

static void clear_rows(struct view *v)
{
    v->nrows = 0;
    v->total = 0;
    u64map_clear(&v->rescued_path);
    u64map_clear(&v->rescued_dir);
    v->rescue.len = 0;
}

/* The columns of V's kind (folded by its group, with its extras), the sort
 * going to their default. */
static void set_columns(struct view *v)
{
    const struct view_kind_ops *ops = v->ops;
    bool grouped = v->group && ops->group_columns;
    const struct view_kind_columns *cc = grouped ? &ops->group_columns[v->group] : &ops->columns;
    size_t nextra = v->extra_cols && !grouped ? ops->nextra : 0;
    v->dates = false; /* the widths below are without: set_dates widens them */
    v->ncols = 0;
    v->sort_col = 0;
    for (size_t i = 0; i < cc->ncols + nextra && v->ncols < VIEW_MAX_COLUMNS; i++) {
        uint8_t c = i < cc->ncols ? cc->cols[i] : ops->extra[i - cc->ncols];
        v->colid[v->ncols] = c;
        v->cols[v->ncols] = col_def(ops, c);
        if (c == cc->sort_col)
            v->sort_col = v->ncols;
        v->ncols++;
    }
    v->sort_desc = cc->sort_desc;
}

/* Make K the view's kind; false (nothing changed) when out of memory. */
static bool set_kind(struct view *v, enum view_kind k)
{
    const struct view_kind_ops *ops = kind_ops[k];
    if (!v->data[k] && ops->data_size && !(v->data[k] = calloc(1, ops->data_size)))
        return false;
    v->kind = k;
    v->ops = ops;
    set_columns(v);
    return true;
}

static struct view *view_new(struct store *st, enum view_kind k)
{
    struct view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    if (!set_kind(v, k)) {
        free(v);
        return NULL;
    }
    v->st = st;
    v->listener =
        (struct store_listener){.path_gone = on_path_gone, .dir_gone = on_dir_gone, .ctx = v};
    store_listen(st, &v->listener);
    return v;
}

struct view *view_create(struct store *st, enum view_kind k)
{
    if (!st || k >= VIEW_NKINDS)
        return NULL;
    return view_new(st, k);
}

void view_destroy(struct view *v)
{
    if (!v)
        return;
    store_unlisten(v->st, &v->listener);
    for (int k = 0; k < VIEW_KINDS_ALL; k++) {
        if (v->data[k] && kind_ops[k]->free_data)
            kind_ops[k]->free_data(v->data[k]);
        free(v->data[k]);
    }
    view_scan_free(v);
    free(v->order);
    u64map_free(&v->rescued_path);
    u64map_free(&v->rescued_dir);
    free(v->rescue.p);
    free(v->target);
    free(v->unit_only);
    sort_scratch_free(&v->sort);
    free(v);
}

enum view_kind view_kind(const struct view *v)
{
    return v->kind;
}

void view_set_kind(struct view *v, enum view_kind k)
{
    if (k >= VIEW_NKINDS || v->kind >= VIEW_NKINDS || k == v->kind)
        return;
    enum view_kind old = v->kind;
    if (!set_kind(v, k))
        return;
    clear_rows(v);
    /* The old kind gives back its large arrays, but the path rows stay,
     * which the paths and tree views share. Freeing them would make every
     * switch back fault in fresh pages (150 bytes a path), the bulk of a
     * view switch with a million paths; peak memory is the same either way. */
    if (kind_ops[old]->leave && v->data[old])
        kind_ops[old]->leave(v->data[old]);
}

void view_show_extra_columns(struct view *v, bool on)
{
    if (v->extra_cols == on)
        return;
    uint8_t sorted = v->colid[v->sort_col];
    bool desc = v->sort_desc;
    v->extra_cols = on;
    set_columns(v);
    for (size_t i = 0; i < v->ncols; i++)
        if (v->colid[i] == sorted) {
            v->sort_col = i;
            v->sort_desc = desc;
        }
}

void view_set_group(struct view *v, enum view_group g)
{
    if (g >= VIEW_NGROUPS || g == v->group)
        return;
    v->group = (uint8_t)g;
    set_columns(v);
    clear_rows(v); /* rows of the other sort: none until the next refresh */
}

enum view_group view_group(const struct view *v)
{
    return (enum view_group)v->group;
}

static const char *const group_names[VIEW_NGROUPS] = {"none", "comm", "exe", "unit"};

const char *view_group_name(enum view_group g)
{
    return g < VIEW_NGROUPS ? group_names[g] : "none";
}

int view_group_by_name(const char *name)
{
    for (int g = 0; name && g < VIEW_NGROUPS; g++)
        if (strcasecmp(group_names[g], name) == 0)
            return g;
    return -1;
}

enum view_group view_limited_to(const struct view *v)
{
    if (!v->unit_only)
        return VIEW_GROUP_NONE;
    return v->only_by ? (enum view_group)v->only_by : VIEW_GROUP_UNIT;
}

void view_set_filter(struct view *v, const struct filter *f)
{
    v->filter = f;
    v->filter_gen++;
}

void view_set_sort(struct view *v, size_t col, bool descending)
{
    if (col >= v->ncols)
        return;
    v->sort_col = col;
    v->sort_desc = descending;
    sort_rows(v);
}

size_t view_sort_column(const struct view *v)
{
    return v->sort_col;
}

bool view_sort_descending(const struct view *v)
{
    return v->sort_desc;
}

int view_column_by_name(const struct view *v, const char *name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < v->ncols; i++)
        if (strcasecmp(v->cols[i].name, name) == 0)
            return (int)i;
    int found = -1;
    size_t len = strlen(name);
    for (size_t i = 0; len && i < v->ncols; i++)
        if (strncasecmp(v->cols[i].name, name, len) == 0) {
            if (found >= 0)
                return -1;
            found = (int)i;
        }
    return found;
}

size_t view_ncolumns(const struct view *v)
{
    return v->ncols;
}

const struct view_column *view_column(const struct view *v, size_t col)
{
    return col < v->ncols ? &v->cols[col] : NULL;
}

size_t view_nrows(const struct view *v)
{
    return v->nrows;
}

size_t view_total_rows(const struct view *v)
{
    return v->total;
}

/* ---- refresh and details -------------------------------------------------- */

/* Times show their date when the store's events span more than a day. */
static void set_dates(struct view *v)
{
    struct store_totals tot;
    store_get_totals(v->st, &tot);
    bool dates = tot.last_ns - tot.first_ns > INT64_C(86400000000000);
    if (dates == v->dates)
        return;
    v->dates = dates;
    for (size_t i = 0; i < v->ncols; i++)
        if (col_is_time(v->colid[i]) && v->cols[i].width)
            v->cols[i].width += dates ? DATE_WIDTH : -DATE_WIDTH;
}

/* What the filter selects (summed by the kind's scan, else by one here);
 * without a filter, the store's totals, evicted paths and all. */
static void set_matching(struct view *v, const struct store_view *sv)
{
    if (view_filter_active(v) && (v->match_valid || view_scan(v, sv, (struct view_scan_want){0})))
        return;
    struct store_totals tot;
    store_get_totals(v->st, &tot);
    v->match_events = tot.events;
    v->match_rate = tot.rate;
}

void view_refresh(struct view *v, int64_t now_ns)
{
    struct store_view sv = sview(v);
    v->now_ns = now_ns;
    clear_rows(v);
    v->match_valid = false;
    memset(v->type_sum, 0, sizeof v->type_sum);
    set_dates(v);
    uint64_t failed = buf_alloc_failures();
    v->ops->rows.refresh(v, &sv);
    set_matching(v, &sv);
    sort_rows(v);
    v->short_of_memory = buf_alloc_failures() != failed;
}

bool view_short_of_memory(const struct view *v)
{
    return v->short_of_memory;
}

void view_matching(const struct view *v, uint64_t *events, double *rate)
{
    *events = v->match_events;
    *rate = v->match_rate;
}

uint32_t view_types_present(const struct view *v)
{
    uint32_t m = 0;
    for (int t = 0; t < STORE_NCOUNTS; t++)
        if (v->type_sum[t])
            m |= FA_BIT(t);
    return m;
}

uint64_t view_row_type_count(const struct view *v, size_t row, uint32_t types)
{
    if (row >= v->nrows)
        return 0;
    struct store_view sv = sview(v);
    struct view_value val;
    uint64_t n = 0;
    for (uint32_t m = types & (FA_BIT(STORE_NCOUNTS) - 1); m; m &= m - 1) {
        get_value(v, &sv, v->order[row], (enum view_col)(COL_T0 + __builtin_ctz(m)), &val);
        if (val.t == VAL_COUNT)
            n += val.u;
    }
    return n;
}

/* D's target name: a copy of S (LEN bytes), and when TAIL is not NULL one
 * of TAIL (TAIL_LEN bytes) after its NUL. False when out of memory. */
static bool copy_target(struct view *d, const char *s, size_t len, const char *tail,
                        size_t tail_len)
{
    d->target = malloc(len + 1 + (tail ? tail_len + 1 : 0));
    if (!d->target)
        return false;
    memcpy(d->target, s, len);
    d->target[len] = '\0';
    d->target_len = len;
    if (tail) {
        memcpy(d->target + len + 1, tail, tail_len);
        d->target[len + 1 + tail_len] = '\0';
    }
    return true;
}

/* Give D the target T; its title into TITLE. False when out of memory. */
static bool set_target(struct view *d, const struct view_target *t, char *title, size_t title_len)
{
    const char *name;
    if (t->event) {
        const struct fa_event *ev = t->event;
        /* The path, then the cpath, in one copy: the event's own go. */
        if (!copy_target(d, ev->path, ev->path_len, ev->cpath, ev->cpath_len))
            return false;
        d->target_ev = *ev;
        d->target_ev.path = d->target;
        if (ev->cpath)
            d->target_ev.cpath = d->target + ev->path_len + 1;
        d->target_proc = ev->proc;
        const struct fa_proc *p = ev->proc;
        name = !p ? "" : *p->cmdline ? p->cmdline : *p->exe ? p->exe : p->comm;
    } else if (t->path) {
        if (!copy_target(d, t->path, t->path_len, NULL, 0))
            return false;
        name = d->target;
    } else if (t->proc) {
        const struct fa_proc *p = t->proc;
        d->target_proc = p;
        name = *p->cmdline ? p->cmdline : *p->exe ? p->exe : p->comm;
    } else {
        d->unit_only = strdup(t->unit);
        if (!d->unit_only)
            return false;
        d->only_by = t->by;
        name = *t->unit ? t->unit : "-";
        /* the name beside the id, where there is one */
        if (t->container && *t->container && strcmp(t->container, t->unit) != 0 && title &&
            title_len) {
            snprintf(title, title_len, "%s (%s)", name, t->container);
            return true;
        }
    }
    if (title && title_len)
        snprintf(title, title_len, "%s", name ? name : "");
    return true;
}

struct view *view_details(const struct view *v, size_t row, char *title, size_t title_len)
{
    if (row >= v->nrows || !v->ops->rows.details)
        return NULL;
    struct view_target t = v->ops->rows.details(v, v->order[row]);
    if (!t.event && !t.path && !t.proc && !t.unit)
        return NULL;
    enum view_kind k = t.event  ? VIEW_DETAIL_EVENT
                       : t.path ? VIEW_DETAIL_PATH
                       : t.proc ? VIEW_DETAIL_PROC
                                : VIEW_PROCS;
    struct view *d = view_new(v->st, k);
    if (!d)
        return NULL;
    view_show_extra_columns(d, v->extra_cols);
    d->filter = v->filter;
    d->filter_gen = 1;
    if (!set_target(d, &t, title, title_len)) {
        view_destroy(d);
        return NULL;
    }
    view_refresh(d, v->now_ns);
    return d;
}

/* ---- cells and keys ------------------------------------------------------- */

static size_t format_time(int64_t ns, enum view_format fmt, bool ms, bool dates, char *out,
                          size_t len)
{
    if (ns <= 0)
        return (size_t)snprintf(out, len, "%s", fmt == VIEW_FMT_SCREEN ? "-" : "");
    if (fmt == VIEW_FMT_EXPORT)
        return iso8601_format(ns, out, len); /* the record files' format */
    time_t sec = (time_t)(ns / 1000000000);
    long frac = (long)(ns % 1000000000);
    struct tm tm;
    localtime_r(&sec, &tm);
    char date[16] = "";
    if (dates)
        strftime(date, sizeof date, "%Y-%m-%d ", &tm);
    if (ms)
        return (size_t)snprintf(out, len, "%s%02d:%02d:%02d.%03ld", date, tm.tm_hour, tm.tm_min,
                                tm.tm_sec, frac / 1000000);
    return (size_t)snprintf(out, len, "%s%02d:%02d:%02d", date, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* VAL as text: in TMP (of TMP_LEN), or pointing at the value's own bytes. */
static const char *format_value(const struct view_value *val, enum view_format fmt, bool dates,
                                char *tmp, size_t tmp_len, size_t *n)
{
    bool screen = fmt == VIEW_FMT_SCREEN;
    switch (val->t) {
    case VAL_COUNT:
        *n = (size_t)snprintf(tmp, tmp_len, "%" PRIu64, val->u);
        return tmp;
    case VAL_INT:
        *n = (size_t)snprintf(tmp, tmp_len, "%" PRId64, val->i);
        return tmp;
    case VAL_TIME:
    case VAL_TIME_MS:
        *n = format_time(val->i, fmt, val->t == VAL_TIME_MS, dates, tmp, tmp_len);
        return tmp;
    case VAL_DOUBLE:
        *n = (size_t)snprintf(tmp, tmp_len, screen ? "%.1f" : "%.3f", val->d);
        return tmp;
    case VAL_STR:
        *n = val->len;
        return val->s;
    case VAL_UNIT: /* none: "-" on screen, empty in exports */
        *n = val->len || !screen ? val->len : 1;
        return val->len || !screen ? val->s : "-";
    case VAL_USER:
        if (val->len) {
            *n = val->len;
            return val->s;
        }
        *n = (size_t)snprintf(tmp, tmp_len, "%" PRId64, val->i);
        return tmp;
    case VAL_NAMES:
        *n = fa_types_format((uint32_t)val->u, '|', tmp, tmp_len);
        return tmp;
    default:
        *n = 0;
        tmp[0] = '\0';
        return tmp;
    }
}

size_t view_cell(const struct view *v, size_t row, size_t col, enum view_format fmt, char *buf,
                 size_t len)
{
    char tmp[256];
    if (!buf)
        len = 0;
    if (row >= v->nrows || col >= v->ncols) {
        if (len)
            buf[0] = '\0';
        return 0;
    }
    struct store_view sv = sview(v);
    uint32_t i = v->order[row];
    enum view_col c = v->colid[col];
    if (v->ops->cell) {
        size_t n = v->ops->cell(v, &sv, i, c, fmt, buf, len);
        if (n != SIZE_MAX)
            return n;
    }
    struct view_value val;
    get_value(v, &sv, i, c, &val);
    size_t n;
    const char *s = format_value(&val, fmt, v->dates, tmp, sizeof tmp, &n);
    if (len) {
        size_t k = n < len - 1 ? n : len - 1;
        memcpy(buf, s, k);
        buf[k] = '\0';
    }
    return n;
}

uint64_t view_row_key(const struct view *v, size_t row)
{
    if (row >= v->nrows)
        return 0;
    uint64_t k = v->ops->rows.row_key(v, v->order[row]);
    return k ? k : 1;
}

size_t view_row_procs(const struct view *v, size_t row, const struct fa_proc **out, size_t max)
{
    if (row >= v->nrows || !v->ops->procs)
        return 0;
    return v->ops->procs(v, v->order[row], out, max);
}

const struct fa_proc *view_details_proc(const struct view *v)
{
    return v->kind == VIEW_DETAIL_PROC ? v->target_proc : NULL;
}

long view_find_key(const struct view *v, uint64_t key)
{
    if (!key)
        return -1;
    for (size_t r = 0; r < v->nrows; r++)
        if (view_row_key(v, r) == key)
            return (long)r;
    return -1;
}
