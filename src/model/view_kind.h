/* View kinds behind one table: what view.c and the view_<kind>.c files
 * share. Only src/model/view*.c include this; everyone else goes through
 * view.h.
 *
 * A kind is a struct view_kind_ops in its own file (its name, its column
 * catalogue, how it refreshes, values, keys and opens the details of its
 * rows) plus one entry in view.c's table. Tree kinds lay their rows out
 * through view_fold.h. A displayed row is a storage
 * index in v->order; what the index means (a path slot, a row of the
 * kind's own array, a tree reference) is the kind's business. */
#ifndef FANOTOP_VIEW_KIND_H
#define FANOTOP_VIEW_KIND_H

#include "base/buf.h"
#include "base/hashmap.h"
#include "model/sort.h"
#include "model/store_internal.h"
#include "model/view.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIEW_KINDS_ALL   (VIEW_DETAIL_EVENT + 1)
#define VIEW_MAX_COLUMNS 24
#define VIEW_MAX_ALIASES 4

/* Column identities: one per distinct column, shared by the kinds showing it. */
enum view_col {
    COL_PATH,
    COL_EVENTS,
    COL_T0, /* COL_T0 + t: count of type t */
    COL_PROCS = COL_T0 + STORE_NCOUNTS,
    COL_LAST,
    COL_RATE,
    COL_PID,
    COL_COMM,
    COL_USER,
    COL_UNIT,
    COL_EXE,
    COL_FILES,
    COL_TYPE,
    COL_SHARE,
    COL_TIME,
    COL_TID,
    COL_EVENT,
    COL_TYPES,
    COL_FIRST,
    COL_PPID,
    COL_PARENT, /* the parent's comm */
    COL_CMDLINE,
    COL_START,   /* when the process started */
    COL_SUBTREE, /* events of a process and its descendants */
    COL_CONTAINER,
    COL_CPATH,
    COL_FIELD,
    COL_VALUE,
    COL_NONE,
};

/* ---- cell values ---------------------------------------------------------- */

enum view_vtype {
    VAL_NONE,
    VAL_COUNT,   /* u */
    VAL_INT,     /* i: pid, tid */
    VAL_TIME,    /* i: ns since the epoch, 0 = never */
    VAL_TIME_MS, /* i: like VAL_TIME, milliseconds on screen */
    VAL_DOUBLE,  /* d: rate, share */
    VAL_STR,     /* s, len */
    VAL_UNIT,    /* s, len: "-" when empty */
    VAL_USER,    /* s, len; i = uid shown when the name is empty */
    VAL_NAMES,   /* u = type mask, names joined by '|' */
};

/* A cell before formatting: what view_cell prints and the sort compares. */
struct view_value {
    enum view_vtype t;
    uint64_t u;
    int64_t i;
    double d;
    const char *s;
    size_t len;
};

static inline void view_val_count(struct view_value *val, uint64_t u)
{
    val->t = VAL_COUNT, val->u = u;
}

static inline void view_val_time(struct view_value *val, int64_t ns)
{
    val->t = VAL_TIME, val->i = ns;
}

static inline void view_val_str(struct view_value *val, const char *s, size_t len)
{
    val->t = VAL_STR, val->s = s, val->len = len;
}

/* ---- rows ----------------------------------------------------------------- */

/* What an aggregate row sums over the pairs it stands for. */
struct view_sums {
    uint64_t events;
    int64_t last;
    double rate;
};

static inline void view_sums_add(struct view_sums *s, uint64_t events, int64_t last, double rate)
{
    s->events += events;
    if (last > s->last)
        s->last = last;
    s->rate += rate;
}

/* The columns an aggregate row may have: the sums, and the counts of
 * processes and files (pass 0 for a count the kind does not show). False
 * when C is none of them. */
static inline bool view_agg_value(const struct view_sums *s, uint64_t procs, uint64_t files,
                                  enum view_col c, struct view_value *val)
{
    if (c == COL_EVENTS)
        view_val_count(val, s->events);
    else if (c == COL_LAST)
        view_val_time(val, s->last);
    else if (c == COL_RATE)
        val->t = VAL_DOUBLE, val->d = s->rate;
    else if (c == COL_PROCS)
        view_val_count(val, procs);
    else if (c == COL_FILES)
        view_val_count(val, files);
    else
        return false;
    return true;
}

struct view_path_row { /* a path (paths view, tree files), indexed by path slot */
    struct view_sums sum;
    uint64_t hash;
    uint32_t gen;
    uint32_t procs;
    uint64_t count[STORE_NCOUNTS];
};

struct view_proc_row { /* a process identity (processes and units views) */
    const struct fa_proc *proc;
    struct view_sums sum;
    uint32_t files;
    uint32_t unit; /* its unit row, or STORE_NONE */
};

struct view_unit_row {
    const char *unit;      /* a proctab string */
    const char *container; /* the name of the unit's container, "" for none (proctab) */
    uint64_t hash;
    struct view_sums sum;
    uint32_t procs, files;
};

struct view_type_row {
    struct view_sums sum; /* last unused */
    double share;
};

/* ---- the view ------------------------------------------------------------- */

struct view_kind_ops;

struct view {
    struct store *st;
    enum view_kind kind;
    const struct view_kind_ops *ops;
    struct view_column cols[VIEW_MAX_COLUMNS];
    uint8_t colid[VIEW_MAX_COLUMNS]; /* enum view_col of each column */
    size_t ncols;
    size_t sort_col;
    bool sort_desc;

    const struct filter *filter;
    uint64_t filter_gen;
    uint64_t cache_gen; /* filter_gen the caches hold results for */
    uint32_t *pcache, *qcache;
    size_t pcache_cap, qcache_cap;

    int64_t now_ns;
    bool dates; /* the store's events span more than a day: times show it */

    /* What the filter selects in the whole store (view_matching), summed
     * by view_scan; match_valid once this refresh has them. */
    uint64_t match_events;
    double match_rate;
    bool match_valid;
    uint64_t type_sum[STORE_NCOUNTS]; /* per-type counts over the rows */

    uint32_t *order; /* displayed rows: storage indices */
    size_t nrows, order_cap, total;
    bool short_of_memory; /* the last refresh could not hold every row */

    /* Rows the scan fills, shared by the kinds that show them: path rows
     * (paths, tree), process and unit rows (processes, units). Kept across
     * kind switches: see view_set_kind. */
    struct view_path_row *prows;
    size_t prows_cap, prows_n;
    struct view_proc_row *procs;
    size_t nprocs, procs_cap;
    struct u64map procmap;
    struct view_unit_row *units;
    size_t nunits, units_cap;
    struct u64map unitmap;

    /* names of rows whose store slot was freed since the refresh */
    struct u64map rescued_path, rescued_dir;
    struct buf rescue;

    /* what a details view is about (view_details) */
    char *target; /* a path */
    size_t target_len;
    const struct fa_proc *target_proc;
    struct fa_event target_ev; /* an event (its path is target) */
    char *unit_only; /* a processes view limited to one unit (or comm, exe) */
    uint8_t only_by; /* the field unit_only names: VIEW_GROUP_* (NONE: unit) */

    bool extra_cols; /* view_show_extra_columns */
    uint8_t group;   /* VIEW_GROUP_*: the processes view folds rows by it */

    struct sort_scratch sort;

    struct store_listener listener;

    void *data[VIEW_KINDS_ALL]; /* each kind's own state, made at first use */
};

/* The state of V's current kind (ops->data_size bytes, zeroed at first use). */
static inline void *view_data(const struct view *v)
{
    return v->data[v->kind];
}

/* Append storage index I to the displayed rows; false when out of memory. */
static inline bool view_push(struct view *v, uint32_t i)
{
    if (!buf_reserve(&v->order, &v->order_cap, v->nrows + 1, sizeof *v->order, false))
        return false;
    v->order[v->nrows++] = i;
    return true;
}

/* ---- the ops table -------------------------------------------------------- */

/* What a row's details show (view_details): one of the four, or none. */
struct view_target {
    const struct fa_event *event; /* an event: a VIEW_DETAIL_EVENT view */
    const char *path;             /* a path: a VIEW_DETAIL_PATH view */
    size_t path_len;
    const struct fa_proc *proc; /* a process: a VIEW_DETAIL_PROC view */
    const char *unit;           /* a unit: a VIEW_PROCS view of that unit */
    uint8_t by;                 /* or of that comm, exe (VIEW_GROUP_*; NONE: unit) */
    const char *container;      /* the unit's container name, for the title; or NULL */
};

/* A kind's column catalogue: enum view_col in order (at most
 * VIEW_MAX_COLUMNS), the default sort, and a column that takes the
 * remaining width (besides path and exe, which always do), or COL_NONE. */
struct view_kind_columns {
    const uint8_t *cols;
    size_t ncols;
    uint8_t sort_col;
    bool sort_desc;
    uint8_t fill_col;
};

#define VIEW_COLUMNS(a, sort, desc, fill)                                                          \
    {                                                                                              \
        (a), sizeof(a) / sizeof(a)[0], sort, desc, fill                                            \
    }
/* A kind's extra columns (view_show_extra_columns), in ops. */
#define VIEW_EXTRA(a) .extra = (a), .nextra = sizeof(a) / sizeof(a)[0]

/* What every kind does with its rows. */
struct view_kind_rows {
    /* Fill v->order and v->total from SV; the rows were cleared before. */
    void (*refresh)(struct view *v, const struct store_view *sv);
    /* Value of column C for storage index I; VAL was zeroed before. */
    void (*value)(const struct view *v, const struct store_view *sv, uint32_t i, enum view_col c,
                  struct view_value *val);
    /* A stable identity of storage index I (0 is read as 1). */
    uint64_t (*row_key)(const struct view *v, uint32_t i);
    /* What the details of storage index I show (all NULL: none). NULL:
     * rows of this kind have no details. */
    struct view_target (*details)(const struct view *v, uint32_t i);
};

struct view_fold;

struct view_kind_ops {
    const char *name;                      /* view_kind_name */
    const char *aliases[VIEW_MAX_ALIASES]; /* other names view_kind_by_name takes */
    struct view_kind_columns columns;
    struct view_kind_rows rows;

    /* Optional (zero). */
    bool whole_name;      /* view_kind_by_name takes no prefix of the name */
    const uint8_t *extra; /* extra columns (VIEW_EXTRA) */
    size_t nextra;
    /* The columns of rows folded by group G (VIEW_GROUP_COMM ...), indexed by G. */
    const struct view_kind_columns *group_columns;
    /* The processes behind storage index I (see view_row_procs). */
    size_t (*procs)(const struct view *v, uint32_t i, const struct fa_proc **out, size_t max);
    /* A tree kind's fold state (view_fold.h). */
    struct view_fold *(*fold)(const struct view *v);
    size_t data_size; /* the kind's own state, see view_data */
    bool path_rows;   /* rows are path slots of v->prows: rescue their names */
    /* Order the displayed rows after a refresh or a sort change (default:
     * sort v->order by the sort column). */
    void (*arrange)(struct view *v);
    /* Cell text where the generic formatting does not apply: its full
     * length, as view_cell; SIZE_MAX to format the value as usual. */
    size_t (*cell)(const struct view *v, const struct store_view *sv, uint32_t i, enum view_col c,
                   enum view_format fmt, char *buf, size_t len);
    /* The store is about to free directory slot D. */
    void (*dir_gone)(struct view *v, uint32_t d);
    /* The view switches from this kind to another: give back large arrays
     * of DATA (the kind's state), keeping what should outlive the switch. */
    void (*leave)(void *data);
    /* Free what DATA holds (not DATA itself). */
    void (*free_data)(void *data);
};

extern const struct view_kind_ops view_paths_ops;
extern const struct view_kind_ops view_procs_ops;
extern const struct view_kind_ops view_types_ops;
extern const struct view_kind_ops view_units_ops;
extern const struct view_kind_ops view_containers_ops;
extern const struct view_kind_ops view_events_ops;
extern const struct view_kind_ops view_tree_ops;
extern const struct view_kind_ops view_proctree_ops;
extern const struct view_kind_ops view_dpath_ops;
extern const struct view_kind_ops view_dproc_ops;
extern const struct view_kind_ops view_devent_ops;

/* ---- shared by the kinds (view.c) ----------------------------------------- */

/* The filter when it selects anything (not NULL, not empty), else NULL. */
const struct filter *view_filter_active(const struct view *v);

/* Sort storage indices IDX[0..N) by V's sort column and direction; ties
 * keep ascending index order. */
void view_sort_indices(struct view *v, uint32_t *idx, size_t n);

/* The path of a row that was path slot S with gen GEN at refresh (its
 * rescued copy if the store freed it since). */
const char *view_row_path(const struct view *v, const struct store_view *sv, uint32_t s,
                          uint32_t gen, size_t *len);
/* Details of a path row (path slot S): that path. */
struct view_target view_path_target(const struct view *v, uint32_t s);

/* Keep a copy of NAME for slot S in MAP (rescued_path or rescued_dir) until
 * the next refresh; the name kept for S, or NULL. */
void view_rescue(struct view *v, struct u64map *map, uint32_t s, const char *name, size_t len);
const char *view_rescued(const struct view *v, const struct u64map *map, uint32_t s);

/* Columns of a process identity (pid, comm, user, unit, exe, ppid, parent,
 * cmdline, start, container), and its row key. */
void view_proc_value(const struct fa_proc *p, enum view_col c, struct view_value *val);
uint64_t view_proc_key(const struct fa_proc *p);
/* The field of P that group G folds by (VIEW_GROUP_NONE: the unit). */
const char *view_group_key(const struct fa_proc *p, int g);
/* Put P into OUT[*N] (when below MAX) unless the same process (pid and
 * start) is there already; *N counts it either way. */
void view_procs_add(const struct fa_proc **out, size_t max, size_t *n, const struct fa_proc *p);

/* ---- the scan over paths and pairs (view_scan.c) --------------------------- */

/* The event types the filter counts, and how to count them fast. */
struct view_type_sel {
    uint32_t mask;
    bool all;   /* every countable type */
    int single; /* the only type, or -1 */
};

struct view_type_sel view_type_sel(const struct view *v);

/* Events of pair P that SEL counts. An event may carry several types; with
 * more than one type selected but not all, the sum of the selected types'
 * counts (capped at the pair's events) stands in for it. */
static inline uint64_t view_counted_events(const struct store_pair *p, struct view_type_sel sel)
{
    if (sel.all)
        return p->events;
    if (sel.single >= 0)
        return store_pair_count(p, sel.single);
    uint64_t n = 0;
    for (uint32_t m = sel.mask; m; m &= m - 1)
        n += store_pair_count(p, __builtin_ctz(m));
    return n < p->events ? n : p->events;
}

struct view_scan_want {
    bool prow;                   /* path rows, pushed to v->order */
    bool counts;                 /* with per-type counts */
    bool procs;                  /* process rows (cleared first) */
    bool units;                  /* with unit rows */
    uint8_t group;               /* unit rows per this field (VIEW_GROUP_*; NONE: unit) */
    struct view_type_row *types; /* per-type sums (cleared first), or NULL */
};

/* One pass over the store's paths and their pairs through the filter,
 * summing into what W asks for; false when out of memory. */
bool view_scan(struct view *v, const struct store_view *sv, struct view_scan_want w);
/* Free the rows and filter caches the scan fills. */
void view_scan_free(struct view *v);

/* The units view's rows (view_units.c), one per value of the field GROUP
 * names (VIEW_GROUP_*), with CONTAINERS only the units that are containers:
 * in v->order and v->total, with the processes and files of each. */
void view_unit_rows(struct view *v, const struct store_view *sv, int group, bool containers);

#endif
