/* Views: the store's fine rows rolled up through the filter into the rows of
 * one table, sorted. See view.h.
 *
 * A refresh walks the store's path slots in order and, for each path, its
 * pairs; path rows live in an array indexed by path slot beside the store's,
 * so nothing is hashed per path. Filter results are cached per path slot (a
 * path-only filter) or per pair slot (one with process terms), tagged with
 * the slot's gen, for as long as the filter stays the same: a refresh with
 * an unchanged filter runs no regex on paths it has judged before.
 *
 * Rows are a snapshot: numbers are copied at refresh. Names are not: a row
 * points at the store's string, and the store tells us (store_listener)
 * before it frees one, so we copy exactly the names we still show. */
#include "config.h"

#include "model/view.h"
#include "base/buf.h"
#include "base/hash.h"
#include "base/hashmap.h"

#include "record/export.h"
#include "model/store_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- columns -------------------------------------------------------------- */

enum colid {
    C_PATH,
    C_EVENTS,
    C_T0, /* C_T0 + t: count of type t */
    C_PROCS = C_T0 + STORE_NCOUNTS,
    C_LAST,
    C_RATE,
    C_PID,
    C_COMM,
    C_USER,
    C_UNIT,
    C_EXE,
    C_FILES,
    C_TYPE,
    C_SHARE,
    C_TIME,
    C_TID,
    C_EVENT,
    C_TYPES,
    C_FIRST,
};

#define MAX_COLS   24
#define NKINDS_ALL (VIEW_DETAIL_PROC + 1)
#define FILE_BIT   (UINT32_C(1) << 31) /* tree refs: set for a path slot, clear for a dir */
#define TOP        STORE_NONE          /* tree: the parent of top-level nodes */

static const uint8_t kind_cols_paths[] = {
    C_PATH,   C_EVENTS, C_T0 + 0, C_T0 + 1,  C_T0 + 2,  C_T0 + 3,  C_T0 + 4, C_T0 + 5, C_T0 + 6,
    C_T0 + 7, C_T0 + 8, C_T0 + 9, C_T0 + 10, C_T0 + 11, C_T0 + 12, C_PROCS,  C_LAST,   C_RATE};
static const uint8_t kind_cols_procs[] = {C_PID,    C_COMM,  C_USER, C_UNIT, C_EXE,
                                          C_EVENTS, C_FILES, C_LAST, C_RATE};
static const uint8_t kind_cols_types[] = {C_TYPE, C_EVENTS, C_SHARE, C_RATE};
static const uint8_t kind_cols_units[] = {C_UNIT, C_EVENTS, C_PROCS, C_FILES, C_LAST};
static const uint8_t kind_cols_events[] = {C_TIME, C_PID,  C_TID,   C_COMM,
                                           C_USER, C_UNIT, C_EVENT, C_PATH};
static const uint8_t kind_cols_tree[] = {C_PATH, C_EVENTS, C_FILES, C_LAST};
static const uint8_t kind_cols_dpath[] = {C_PID,   C_COMM,  C_USER, C_EVENTS,
                                          C_TYPES, C_FIRST, C_LAST};
static const uint8_t kind_cols_dproc[] = {C_PATH, C_EVENTS, C_TYPES, C_FIRST, C_LAST};

static const struct {
    const uint8_t *cols;
    size_t n;
    enum colid sort;
    bool desc;
} kinds[NKINDS_ALL] = {
#define K(a, s, d)                                                                                 \
    {                                                                                              \
        a, sizeof a, s, d                                                                          \
    }
    [VIEW_PATHS] = K(kind_cols_paths, C_EVENTS, true),
    [VIEW_PROCS] = K(kind_cols_procs, C_EVENTS, true),
    [VIEW_TYPES] = K(kind_cols_types, C_EVENTS, true),
    [VIEW_UNITS] = K(kind_cols_units, C_EVENTS, true),
    [VIEW_EVENTS] = K(kind_cols_events, C_TIME, false),
    [VIEW_TREE] = K(kind_cols_tree, C_EVENTS, true),
    [VIEW_DETAIL_PATH] = K(kind_cols_dpath, C_EVENTS, true),
    [VIEW_DETAIL_PROC] = K(kind_cols_dproc, C_EVENTS, true),
#undef K
};

static bool col_numeric(enum colid c)
{
    switch (c) {
    case C_PATH:
    case C_COMM:
    case C_USER:
    case C_UNIT:
    case C_EXE:
    case C_TYPE:
    case C_EVENT:
    case C_TYPES:
        return false;
    default:
        return true;
    }
}

static struct view_column col_def(enum view_kind k, enum colid c)
{
    static const struct {
        const char *name;
        int width;
    } fixed[] = {
        [C_PATH] = {"path", 0},    [C_EVENTS] = {"events", 8}, [C_PROCS] = {"procs", 6},
        [C_LAST] = {"last", 8},    [C_RATE] = {"rate", 7},     [C_PID] = {"pid", 7},
        [C_COMM] = {"comm", 15},   [C_USER] = {"user", 9},     [C_UNIT] = {"unit", 20},
        [C_EXE] = {"exe", 0},      [C_FILES] = {"files", 7},   [C_TYPE] = {"type", 13},
        [C_SHARE] = {"share", 6},  [C_TIME] = {"time", 12},    [C_TID] = {"tid", 7},
        [C_EVENT] = {"event", 14}, [C_TYPES] = {"types", 6},   [C_FIRST] = {"first", 8},
    };
    struct view_column col;
    if (c >= C_T0 && c < C_T0 + STORE_NCOUNTS) {
        col.name = fa_types[c - C_T0].name;
        int len = (int)strlen(col.name);
        col.width = len > 6 ? len : 6;
    } else {
        col.name = fixed[c].name;
        col.width = fixed[c].width;
    }
    /* The column that takes the remaining width differs per kind. */
    if (c == C_UNIT && k == VIEW_UNITS)
        col.width = 0;
    if (c == C_USER && k == VIEW_DETAIL_PATH)
        col.width = 0;
    col.numeric = col_numeric(c);
    col.align = col.numeric ? VIEW_RIGHT : VIEW_LEFT;
    return col;
}

/* ---- small containers ----------------------------------------------------- */

/* ---- rows ----------------------------------------------------------------- */

struct prow { /* a path (paths view, tree files), indexed by path slot */
    uint64_t events;
    uint64_t hash;
    int64_t last;
    double rate;
    uint32_t gen;
    uint32_t procs;
    uint64_t count[STORE_NCOUNTS];
};

struct procrow {
    const struct fa_proc *proc;
    uint64_t events;
    int64_t last;
    double rate;
    uint32_t files;
    uint32_t unit; /* unit row */
};

struct unitrow {
    const char *unit; /* a proctab string */
    uint64_t hash;
    uint64_t events;
    int64_t last;
    double rate;
    uint32_t procs, files;
};

struct typerow {
    uint64_t events;
    double share;
    double rate;
};

struct evrow {
    int64_t time_ns;
    const struct fa_proc *proc;
    uint64_t seq;
    uint32_t off, len; /* path in v->names */
    int32_t tid;
    uint32_t types;
};

struct detrow { /* details: one process of a path, or one path of a process */
    const struct fa_proc *proc;
    uint64_t hash;
    uint64_t events;
    int64_t first, last;
    uint32_t types;
    uint32_t off, len; /* the path in v->names (paths of a process) */
};

struct dacc { /* a tree directory, indexed by dir slot */
    uint64_t events, files;
    uint64_t hash;
    int64_t last;
    uint32_t gen;
    uint32_t first_child, nchild;
};

struct skey {
    uint64_t k;
    uint32_t i;
};

struct sstr {
    const char *s;
    size_t len;
    uint32_t i;
};

enum { TREE_DEFAULT, TREE_ALL_EXPANDED, TREE_ALL_COLLAPSED };
enum { EXPLICIT_COLLAPSED = 1, EXPLICIT_EXPANDED = 2 };
enum { ROW_DIR = 1, ROW_EXPANDED = 2 };

struct view {
    struct store *st;
    enum view_kind kind;
    struct view_column cols[MAX_COLS];
    uint8_t colid[MAX_COLS];
    size_t ncols;
    size_t sort_col;
    bool sort_desc;

    const struct filter *filter;
    uint64_t filter_gen;
    uint64_t cache_gen; /* filter_gen the caches hold results for */
    uint32_t *pcache, *qcache;
    size_t pcache_cap, qcache_cap;

    int64_t now_ns;
    uint32_t epoch;
    double interval_s;

    uint32_t *order; /* displayed rows: storage indices (slots, row numbers, tree refs) */
    size_t nrows, order_cap, total;

    struct prow *prows;
    size_t prows_cap, prows_n;
    struct procrow *procs;
    size_t nprocs, procs_cap;
    struct u64map procmap;
    struct unitrow *units;
    size_t nunits, units_cap;
    struct u64map unitmap;
    struct typerow types[STORE_NCOUNTS];
    struct evrow *evs;
    size_t nevs, evs_cap;
    struct detrow *det;
    size_t ndet, det_cap;
    struct buf names; /* copied paths of events and details rows */

    /* tree */
    struct dacc *dacc;
    size_t dacc_cap, dacc_n;
    uint32_t *children, *top;
    size_t children_cap, ntop, top_cap;
    uint32_t *depth;
    uint8_t *rowflags;
    size_t depth_cap, flags_cap;
    struct u64map expand; /* dir hash -> EXPLICIT_* */
    int tree_all;

    /* names of rows whose store slot was freed since the refresh */
    struct u64map rescued_path, rescued_dir;
    struct buf rescue;

    /* details target */
    char *target;
    size_t target_len;
    const struct fa_proc *target_proc;
    char *unit_only; /* a processes view limited to one unit */

    struct skey *skeys, *stmp;
    struct sstr *sstrs;
    size_t skeys_cap, stmp_cap, sstrs_cap;

    struct store_listener listener;
};

/* ---- kinds and names ------------------------------------------------------ */

static const char *const kind_names[VIEW_NKINDS] = {"paths", "processes", "types",
                                                    "units", "events",    "tree"};

const char *view_kind_name(enum view_kind k)
{
    if (k < VIEW_NKINDS)
        return kind_names[k];
    return k == VIEW_DETAIL_PATH ? "path details" : "process details";
}

int view_kind_by_name(const char *name)
{
    static const struct {
        const char *alias;
        enum view_kind k;
    } aliases[] = {{"path", VIEW_PATHS},       {"process", VIEW_PROCS},   {"procs", VIEW_PROCS},
                   {"proc", VIEW_PROCS},       {"type", VIEW_TYPES},      {"unit", VIEW_UNITS},
                   {"containers", VIEW_UNITS}, {"container", VIEW_UNITS}, {"event", VIEW_EVENTS},
                   {"log", VIEW_EVENTS},       {"dirs", VIEW_TREE}};
    if (!name || !*name)
        return -1;
    for (int k = 0; k < VIEW_NKINDS; k++)
        if (strcasecmp(kind_names[k], name) == 0)
            return k;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(aliases[i].alias, name) == 0)
            return aliases[i].k;
    int found = -1;
    size_t len = strlen(name);
    for (int k = 0; k < VIEW_NKINDS; k++)
        if (strncasecmp(kind_names[k], name, len) == 0) {
            if (found >= 0)
                return -1; /* ambiguous prefix */
            found = k;
        }
    return found;
}

/* ---- store access --------------------------------------------------------- */

static struct store_view sview(const struct view *v)
{
    struct store_view sv;
    store_internal_view(v->st, &sv);
    return sv;
}

/* The path of a row that was PATH slot S with gen GEN at refresh. */
static const char *row_path(const struct view *v, const struct store_view *sv, uint32_t s,
                            uint32_t gen, size_t *len)
{
    if (s < sv->npath_slots && sv->paths[s].gen == gen) {
        *len = sv->paths[s].len;
        return sv->paths[s].str;
    }
    uint64_t off;
    if (u64map_get(&v->rescued_path, s, &off)) {
        *len = strlen(v->rescue.p + off);
        return v->rescue.p + off;
    }
    *len = 0;
    return "";
}

/* The last component of a rescued directory path ("/" stays "/"). */
static const char *base_name(const char *p, size_t *len)
{
    size_t n = strlen(p);
    const char *slash = n > 1 ? memrchr(p, '/', n) : NULL;
    if (slash && slash + 1 < p + n) {
        *len = n - (size_t)(slash + 1 - p);
        return slash + 1;
    }
    *len = n;
    return p;
}

/* The name of tree directory D. */
static const char *row_dir_name(const struct view *v, const struct store_view *sv, uint32_t d,
                                size_t *len)
{
    if (d < sv->ndir_slots && d < v->dacc_n && sv->dirs[d].gen == v->dacc[d].gen) {
        *len = sv->dirs[d].name_len;
        return sv->dirs[d].name;
    }
    uint64_t off;
    if (u64map_get(&v->rescued_dir, d, &off))
        return base_name(v->rescue.p + off, len);
    *len = 0;
    return "";
}

static void on_path_gone(void *ctx, uint32_t s)
{
    struct view *v = ctx;
    if ((v->kind != VIEW_PATHS && v->kind != VIEW_TREE) || s >= v->prows_n || !v->prows[s].events)
        return;
    struct store_view sv = sview(v);
    if (sv.paths[s].gen != v->prows[s].gen)
        return;
    uint32_t off = buf_add_name(&v->rescue, sv.paths[s].str, sv.paths[s].len);
    bool added;
    uint64_t *slot = off != UINT32_MAX ? u64map_slot(&v->rescued_path, s, off, &added) : NULL;
    if (slot)
        *slot = off;
}

static void put_bytes(char *out, size_t len, size_t *at, const char *s, size_t n)
{
    for (size_t c = 0; c < n; c++, (*at)++)
        if (*at + 1 < len)
            out[*at] = s[c];
}

/* Join NAMES (top first) into a path: "/" then "etc" gives "/etc". */
static size_t join_path(const char *const *names, const size_t *lens, size_t n, char *out,
                        size_t len)
{
    size_t at = 0;
    bool slash_end = false;
    for (size_t j = 0; j < n; j++) {
        if (j && !slash_end)
            put_bytes(out, len, &at, "/", 1);
        put_bytes(out, len, &at, names[j], lens[j]);
        slash_end = lens[j] && names[j][lens[j] - 1] == '/';
    }
    if (len)
        out[at < len ? at : len - 1] = '\0';
    return at;
}

#define MAX_DEPTH 2048 /* a 4096-byte path has at most this many components */

static void on_dir_gone(void *ctx, uint32_t d)
{
    struct view *v = ctx;
    if (v->kind != VIEW_TREE || d >= v->dacc_n || !v->dacc[d].events)
        return;
    struct store_view sv = sview(v);
    if (sv.dirs[d].gen != v->dacc[d].gen)
        return;
    /* Keep the full path: the parents may go next, and exports need it. */
    const char *names[MAX_DEPTH];
    size_t lens[MAX_DEPTH];
    size_t n = 0;
    for (uint32_t x = d; x != STORE_NONE && n < MAX_DEPTH; x = sv.dirs[x].parent)
        n++;
    size_t j = n;
    for (uint32_t x = d; x != STORE_NONE && j > 0; x = sv.dirs[x].parent) {
        j--;
        names[j] = sv.dirs[x].name;
        lens[j] = sv.dirs[x].name_len;
    }
    size_t need = join_path(names, lens, n, NULL, 0);
    char *full = malloc(need + 1);
    if (!full)
        return;
    join_path(names, lens, n, full, need + 1);
    uint32_t off = buf_add_name(&v->rescue, full, need);
    free(full);
    bool added;
    uint64_t *slot = off != UINT32_MAX ? u64map_slot(&v->rescued_dir, d, off, &added) : NULL;
    if (slot)
        *slot = off;
}

/* ---- values --------------------------------------------------------------- */

enum vtype {
    V_NONE,
    V_COUNT,   /* u */
    V_INT,     /* i: pid, tid */
    V_TIME,    /* i: ns since the epoch, 0 = never */
    V_TIME_MS, /* i: like V_TIME, milliseconds on screen */
    V_DOUBLE,  /* d: rate, share */
    V_STR,     /* s, len */
    V_UNIT,    /* s, len: "-" when empty */
    V_USER,    /* s, len; i = uid shown when the name is empty */
    V_NAMES,   /* u = type mask, names joined by '|' */
    V_LETTERS, /* u = type mask, letters */
};

struct value {
    enum vtype t;
    uint64_t u;
    int64_t i;
    double d;
    const char *s;
    size_t len;
};

static void proc_value(const struct fa_proc *p, enum colid c, struct value *val)
{
    switch (c) {
    case C_PID:
        val->t = V_INT, val->i = p->pid;
        break;
    case C_COMM:
        val->t = V_STR, val->s = p->comm, val->len = strlen(p->comm);
        break;
    case C_USER: /* the uid when the name is unknown, nothing for no process */
        val->t = p->id || p->pid ? V_USER : V_STR;
        val->s = p->user, val->len = strlen(p->user), val->i = p->uid;
        break;
    case C_UNIT:
        val->t = V_UNIT, val->s = p->unit, val->len = strlen(p->unit);
        break;
    case C_EXE:
        val->t = V_STR, val->s = p->exe, val->len = strlen(p->exe);
        break;
    default:
        break;
    }
}

static bool tree_is_file(uint32_t ref)
{
    return ref & FILE_BIT;
}

/* Value of column C for storage index I (what order[] holds). */
static void get_value(const struct view *v, const struct store_view *sv, uint32_t i, enum colid c,
                      struct value *val)
{
    memset(val, 0, sizeof *val);
    switch (v->kind) {
    case VIEW_PATHS: {
        const struct prow *r = &v->prows[i];
        if (c == C_PATH)
            val->t = V_STR, val->s = row_path(v, sv, i, r->gen, &val->len);
        else if (c == C_EVENTS)
            val->t = V_COUNT, val->u = r->events;
        else if (c >= C_T0 && c < C_T0 + STORE_NCOUNTS)
            val->t = V_COUNT, val->u = r->count[c - C_T0];
        else if (c == C_PROCS)
            val->t = V_COUNT, val->u = r->procs;
        else if (c == C_LAST)
            val->t = V_TIME, val->i = r->last;
        else if (c == C_RATE)
            val->t = V_DOUBLE, val->d = r->rate;
        break;
    }
    case VIEW_PROCS: {
        const struct procrow *r = &v->procs[i];
        if (c == C_EVENTS)
            val->t = V_COUNT, val->u = r->events;
        else if (c == C_FILES)
            val->t = V_COUNT, val->u = r->files;
        else if (c == C_LAST)
            val->t = V_TIME, val->i = r->last;
        else if (c == C_RATE)
            val->t = V_DOUBLE, val->d = r->rate;
        else
            proc_value(r->proc, c, val);
        break;
    }
    case VIEW_TYPES: {
        const struct typerow *r = &v->types[i];
        if (c == C_TYPE)
            val->t = V_STR, val->s = fa_types[i].name, val->len = strlen(val->s);
        else if (c == C_EVENTS)
            val->t = V_COUNT, val->u = r->events;
        else if (c == C_SHARE)
            val->t = V_DOUBLE, val->d = r->share;
        else if (c == C_RATE)
            val->t = V_DOUBLE, val->d = r->rate;
        break;
    }
    case VIEW_UNITS: {
        const struct unitrow *r = &v->units[i];
        if (c == C_UNIT)
            val->t = V_UNIT, val->s = r->unit, val->len = strlen(r->unit);
        else if (c == C_EVENTS)
            val->t = V_COUNT, val->u = r->events;
        else if (c == C_PROCS)
            val->t = V_COUNT, val->u = r->procs;
        else if (c == C_FILES)
            val->t = V_COUNT, val->u = r->files;
        else if (c == C_LAST)
            val->t = V_TIME, val->i = r->last;
        break;
    }
    case VIEW_EVENTS: {
        const struct evrow *r = &v->evs[i];
        if (c == C_TIME)
            val->t = V_TIME_MS, val->i = r->time_ns;
        else if (c == C_TID)
            val->t = V_INT, val->i = r->tid;
        else if (c == C_EVENT)
            val->t = V_NAMES, val->u = r->types;
        else if (c == C_PATH)
            val->t = V_STR, val->s = v->names.p + r->off, val->len = r->len;
        else
            proc_value(r->proc, c, val);
        break;
    }
    case VIEW_TREE: {
        if (tree_is_file(i)) {
            uint32_t s = i & ~FILE_BIT;
            const struct prow *r = &v->prows[s];
            if (c == C_PATH) {
                size_t len;
                const char *p = row_path(v, sv, s, r->gen, &len);
                const char *slash = memrchr(p, '/', len);
                size_t base = slash && len > 1 ? (size_t)(slash - p) + 1 : 0;
                val->t = V_STR, val->s = p + base, val->len = len - base;
            } else if (c == C_EVENTS) {
                val->t = V_COUNT, val->u = r->events;
            } else if (c == C_FILES) {
                val->t = V_COUNT, val->u = 1;
            } else if (c == C_LAST) {
                val->t = V_TIME, val->i = r->last;
            }
        } else {
            const struct dacc *r = &v->dacc[i];
            if (c == C_PATH)
                val->t = V_STR, val->s = row_dir_name(v, sv, i, &val->len);
            else if (c == C_EVENTS)
                val->t = V_COUNT, val->u = r->events;
            else if (c == C_FILES)
                val->t = V_COUNT, val->u = r->files;
            else if (c == C_LAST)
                val->t = V_TIME, val->i = r->last;
        }
        break;
    }
    case VIEW_DETAIL_PATH:
    case VIEW_DETAIL_PROC: {
        const struct detrow *r = &v->det[i];
        if (c == C_PATH)
            val->t = V_STR, val->s = v->names.p + r->off, val->len = r->len;
        else if (c == C_EVENTS)
            val->t = V_COUNT, val->u = r->events;
        else if (c == C_TYPES)
            val->t = V_LETTERS, val->u = r->types;
        else if (c == C_FIRST)
            val->t = V_TIME, val->i = r->first;
        else if (c == C_LAST)
            val->t = V_TIME, val->i = r->last;
        else
            proc_value(r->proc, c, val);
        break;
    }
    default:
        break;
    }
}

/* ---- sorting -------------------------------------------------------------- */

/* Stable LSD radix sort of A by k (8 bits a pass; passes where every key has
 * the same byte are skipped, which is most of them for small counts). */
static void radix_sort(struct skey *a, struct skey *tmp, size_t n)
{
    static const int passes = 8;
    if (n < 48) { /* small (most tree directories): insertion sort, also stable */
        for (size_t j = 1; j < n; j++) {
            struct skey x = a[j];
            size_t k = j;
            for (; k > 0 && a[k - 1].k > x.k; k--)
                a[k] = a[k - 1];
            a[k] = x;
        }
        return;
    }
    size_t(*cnt)[256] = calloc(passes, sizeof *cnt);
    if (!cnt)
        return;
    for (size_t j = 0; j < n; j++)
        for (int p = 0; p < passes; p++)
            cnt[p][(a[j].k >> (8 * p)) & 255]++;
    struct skey *src = a, *dst = tmp;
    for (int p = 0; p < passes; p++) {
        if (cnt[p][(src[0].k >> (8 * p)) & 255] == n)
            continue;
        size_t pos = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = cnt[p][b];
            cnt[p][b] = pos;
            pos += c;
        }
        for (size_t j = 0; j < n; j++)
            dst[cnt[p][(src[j].k >> (8 * p)) & 255]++] = src[j];
        struct skey *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    free(cnt);
}

/* Bytes OFF..OFF+7 of S as a big-endian number, zero past the end: a shorter
 * string sorts before a longer one with the same start (paths hold no NUL). */
static uint64_t str_chunk(const struct sstr *x, size_t off)
{
    uint64_t k = 0;
    for (size_t b = off; b < off + 8; b++)
        k = k << 8 | (b < x->len ? (unsigned char)x->s[b] : 0);
    return k;
}

/* Sort K[0..N) (indices into STRS) by the strings from byte OFF on: one
 * stable radix sort per 8-byte chunk, then each run of equal chunks by the
 * next chunk. Paths share long prefixes, which a comparison sort re-reads
 * on every comparison; this reads each byte about once. */
static void sort_strings(struct skey *k, struct skey *tmp, size_t n, const struct sstr *strs,
                         size_t off, bool desc)
{
    for (size_t j = 0; j < n; j++) {
        uint64_t c = str_chunk(&strs[k[j].i], off);
        k[j].k = desc ? ~c : c;
    }
    radix_sort(k, tmp, n);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        bool longer = strs[k[a].i].len > off + 8;
        for (; b < n && k[b].k == k[a].k; b++)
            longer = longer || strs[k[b].i].len > off + 8;
        if (b - a > 1 && longer)
            sort_strings(k + a, tmp, b - a, strs, off + 8, desc);
        a = b;
    }
}

static uint64_t sort_key(const struct value *val)
{
    switch (val->t) {
    case V_COUNT:
    case V_NAMES:
    case V_LETTERS:
        return val->u;
    case V_INT:
    case V_TIME:
    case V_TIME_MS:
        return (uint64_t)val->i ^ (UINT64_C(1) << 63);
    case V_DOUBLE: {
        uint64_t b;
        memcpy(&b, &val->d, sizeof b);
        return b >> 63 ? ~b : b | (UINT64_C(1) << 63);
    }
    default:
        return 0;
    }
}

/* Sort storage indices IDX by column C; ties keep ascending index order, so
 * the result never depends on the order rows came in. */
static bool sort_indices(struct view *v, uint32_t *idx, size_t n, enum colid c, bool desc)
{
    if (n < 2)
        return true;
    struct store_view sv = sview(v);
    struct value val;
    if (!buf_reserve(&v->skeys, &v->skeys_cap, n, sizeof *v->skeys, false) ||
        !buf_reserve(&v->stmp, &v->stmp_cap, n, sizeof *v->stmp, false))
        return false;
    bool ascending = true;
    for (size_t j = 1; j < n && ascending; j++)
        ascending = idx[j - 1] < idx[j];
    if (!ascending) {
        for (size_t j = 0; j < n; j++)
            v->skeys[j] = (struct skey){idx[j], idx[j]};
        radix_sort(v->skeys, v->stmp, n);
        for (size_t j = 0; j < n; j++)
            idx[j] = v->skeys[j].i;
    }
    if (!col_numeric(c) && c != C_TYPES && c != C_EVENT) {
        if (!buf_reserve(&v->sstrs, &v->sstrs_cap, n, sizeof *v->sstrs, false))
            return false;
        for (size_t j = 0; j < n; j++) {
            get_value(v, &sv, idx[j], c, &val);
            if (val.t == V_UNIT && val.len == 0)
                val.s = "-", val.len = 1;
            v->sstrs[j] = (struct sstr){val.s, val.len, idx[j]};
            v->skeys[j].i = (uint32_t)j;
        }
        sort_strings(v->skeys, v->stmp, n, v->sstrs, 0, desc);
        for (size_t j = 0; j < n; j++)
            idx[j] = v->sstrs[v->skeys[j].i].i;
        return true;
    }
    for (size_t j = 0; j < n; j++) {
        get_value(v, &sv, idx[j], c, &val);
        uint64_t k = sort_key(&val);
        v->skeys[j] = (struct skey){desc ? ~k : k, idx[j]};
    }
    radix_sort(v->skeys, v->stmp, n);
    for (size_t j = 0; j < n; j++)
        idx[j] = v->skeys[j].i;
    return true;
}

static void tree_build_rows(struct view *v);

static void sort_rows(struct view *v)
{
    if (v->kind == VIEW_TREE) {
        tree_build_rows(v);
        return;
    }
    sort_indices(v, v->order, v->nrows, v->colid[v->sort_col], v->sort_desc);
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

static void set_columns(struct view *v, enum view_kind k)
{
    v->kind = k;
    v->ncols = kinds[k].n;
    for (size_t i = 0; i < v->ncols; i++) {
        v->colid[i] = kinds[k].cols[i];
        v->cols[i] = col_def(k, kinds[k].cols[i]);
        if (v->colid[i] == kinds[k].sort)
            v->sort_col = i;
    }
    v->sort_desc = kinds[k].desc;
}

static struct view *view_new(struct store *st, enum view_kind k)
{
    struct view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->st = st;
    set_columns(v, k);
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
    free(v->pcache);
    free(v->qcache);
    free(v->order);
    free(v->prows);
    free(v->procs);
    u64map_free(&v->procmap);
    free(v->units);
    u64map_free(&v->unitmap);
    free(v->evs);
    free(v->det);
    free(v->names.p);
    free(v->dacc);
    free(v->children);
    free(v->top);
    free(v->depth);
    free(v->rowflags);
    u64map_free(&v->expand);
    u64map_free(&v->rescued_path);
    u64map_free(&v->rescued_dir);
    free(v->rescue.p);
    free(v->target);
    free(v->unit_only);
    free(v->skeys);
    free(v->stmp);
    free(v->sstrs);
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
    set_columns(v, k);
    clear_rows(v);
    /* Row arrays of the old kind are large with many paths: give them back,
     * but for the path rows, which the paths and tree views share. Freeing
     * them would make every switch back fault in fresh pages (150 bytes a
     * path), the bulk of a view switch with a million paths; peak memory is
     * the same either way. */
    free(v->dacc), v->dacc = NULL, v->dacc_cap = v->dacc_n = 0;
    free(v->evs), v->evs = NULL, v->evs_cap = v->nevs = 0;
    free(v->names.p), memset(&v->names, 0, sizeof v->names);
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

/* ---- refresh: the scan over paths and pairs -------------------------------- */

static bool filter_on(const struct view *v)
{
    return v->filter && !filter_is_empty(v->filter);
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

struct scan_want {
    bool prow;   /* path rows */
    bool counts; /* with per-type counts */
    bool procs, units, types;
};

/* Events of pair P that the type mask counts. An event may carry several
 * types; with a mask of more than one type but not all, the sum of the
 * selected types' counts (capped at the pair's events) stands in for it. */
static inline uint64_t counted_events(const struct store_pair *p, uint32_t mask, bool all,
                                      int single)
{
    if (all)
        return p->events;
    if (single >= 0)
        return store_pair_count(p, single);
    uint64_t n = 0;
    for (uint32_t m = mask; m; m &= m - 1)
        n += store_pair_count(p, __builtin_ctz(m));
    return n < p->events ? n : p->events;
}

static uint32_t proc_row(struct view *v, const struct fa_proc *proc, bool want_units)
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
    struct procrow *r = &v->procs[v->nprocs];
    *r = (struct procrow){.proc = proc, .unit = STORE_NONE};
    if (want_units) {
        uint64_t h = store_hash(proc->unit, strlen(proc->unit));
        uint64_t *u = u64map_slot(&v->unitmap, h, v->nunits, &added);
        if (u && added) {
            if (buf_reserve(&v->units, &v->units_cap, v->nunits + 1, sizeof *v->units, false)) {
                v->units[v->nunits] = (struct unitrow){.unit = proc->unit, .hash = h};
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

static bool scan(struct view *v, const struct store_view *sv, struct scan_want w)
{
    const struct filter *f = filter_on(v) ? v->filter : NULL;
    uint32_t mask = v->filter ? filter_type_mask(v->filter) : FA_ALL_TYPES;
    mask &= FA_BIT(STORE_NCOUNTS) - 1;
    bool all = mask == FA_BIT(STORE_NCOUNTS) - 1;
    int single = __builtin_popcount(mask) == 1 ? __builtin_ctz(mask) : -1;
    bool path_only = f && filter_path_only(f);
    double per_s = sv->interval_s > 0 ? 1.0 / sv->interval_s : 0;
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
        struct prow *row = w.prow ? &v->prows[s] : NULL;
        uint64_t pev = 0;
        nunit_list = 0;
        for (uint32_t q = path->pairs; q != STORE_NONE; q = sv->pairs[q].next) {
            const struct store_pair *p = &sv->pairs[q];
            uint32_t pr = w.procs ? proc_row(v, p->proc, w.units) : STORE_NONE;
            if (!pm)
                continue;
            if (f && !path_only) {
                int hit;
                bool m = cached(&v->qcache[q], p->gen, &hit);
                if (!hit) {
                    m = filter_match_subject(f, path->str, path->len, p->proc);
                    cache_put(&v->qcache[q], p->gen, m);
                }
                if (!m)
                    continue;
            }
            uint64_t n = counted_events(p, mask, all, single);
            if (!n)
                continue;
            double rc = store_pair_rate_count(p, sv->epoch);
            if (rc && !all)
                rc = rc * (double)n / (double)p->events;
            if (row) {
                if (!pev) {
                    row->events = 0;
                    row->hash = path->hash;
                    row->last = 0;
                    row->rate = 0;
                    row->gen = path->gen;
                    row->procs = 0;
                    if (w.counts)
                        memset(row->count, 0, sizeof row->count);
                }
                row->events += n;
                row->procs++;
                if (p->last_ns > row->last)
                    row->last = p->last_ns;
                row->rate += rc * per_s;
                if (w.counts)
                    for (int t = 0; t < STORE_NCOUNTS; t++)
                        if (mask & FA_BIT(t))
                            row->count[t] += store_pair_count(p, t);
            }
            pev += n;
            if (pr != STORE_NONE) {
                struct procrow *r = &v->procs[pr];
                r->events += n;
                r->files++;
                if (p->last_ns > r->last)
                    r->last = p->last_ns;
                r->rate += rc * per_s;
                if (w.units && r->unit != STORE_NONE) {
                    size_t j = 0;
                    while (j < nunit_list && unit_list[j] != r->unit)
                        j++;
                    if (j == nunit_list) {
                        if (nunit_list < sizeof unit_list / sizeof unit_list[0])
                            unit_list[nunit_list++] = r->unit;
                        v->units[r->unit].files++;
                    }
                }
            }
            if (w.types) {
                for (uint32_t m = mask; m; m &= m - 1) {
                    int t = __builtin_ctz(m);
                    uint64_t c = store_pair_count(p, t);
                    v->types[t].events += c;
                    if (rc)
                        v->types[t].rate += rc * per_s * (double)c / (double)n;
                }
            }
        }
        if (row && pev) {
            if (!buf_reserve(&v->order, &v->order_cap, v->nrows + 1, sizeof *v->order, false))
                return false;
            v->order[v->nrows++] = s;
        }
    }
    return true;
}

static void refresh_paths(struct view *v, const struct store_view *sv)
{
    struct store_totals tot;
    store_get_totals(v->st, &tot);
    scan(v, sv, (struct scan_want){.prow = true, .counts = true});
    v->total = tot.paths;
}

static void refresh_procs(struct view *v, const struct store_view *sv, bool units)
{
    v->nprocs = v->nunits = 0;
    u64map_clear(&v->procmap);
    u64map_clear(&v->unitmap);
    scan(v, sv, (struct scan_want){.procs = true, .units = units});
    if (units) {
        for (size_t i = 0; i < v->nprocs; i++) {
            const struct procrow *p = &v->procs[i];
            if (!p->events || p->unit == STORE_NONE)
                continue;
            struct unitrow *u = &v->units[p->unit];
            u->events += p->events;
            u->procs++;
            u->rate += p->rate;
            if (p->last > u->last)
                u->last = p->last;
        }
        for (size_t i = 0; i < v->nunits; i++)
            if (v->units[i].events &&
                buf_reserve(&v->order, &v->order_cap, v->nrows + 1, sizeof *v->order, false))
                v->order[v->nrows++] = (uint32_t)i;
        v->total = v->nunits;
        return;
    }
    size_t total = 0;
    for (size_t i = 0; i < v->nprocs; i++) {
        const struct procrow *p = &v->procs[i];
        if (v->unit_only && strcmp(p->proc->unit, v->unit_only) != 0)
            continue;
        total++;
        if (p->events && buf_reserve(&v->order, &v->order_cap, v->nrows + 1, sizeof *v->order, false))
            v->order[v->nrows++] = (uint32_t)i;
    }
    v->total = total;
}

static void refresh_types(struct view *v, const struct store_view *sv)
{
    memset(v->types, 0, sizeof v->types);
    scan(v, sv, (struct scan_want){.types = true});
    uint64_t sum = 0;
    for (int t = 0; t < STORE_NCOUNTS; t++)
        sum += v->types[t].events;
    if (!filter_on(v)) {
        /* Unfiltered, the store's own per-type counts give exact rates. */
        uint64_t rate[STORE_NCOUNTS];
        store_internal_type_rate(v->st, rate);
        for (int t = 0; t < STORE_NCOUNTS; t++)
            v->types[t].rate = sv->interval_s > 0 ? (double)rate[t] / sv->interval_s : 0;
    }
    struct store_totals tot;
    store_get_totals(v->st, &tot);
    v->total = 0;
    for (int t = 0; t < STORE_NCOUNTS; t++) {
        if (tot.per_type[t])
            v->total++;
        if (!v->types[t].events)
            continue;
        v->types[t].share = 100.0 * (double)v->types[t].events / (double)sum;
        if (buf_reserve(&v->order, &v->order_cap, v->nrows + 1, sizeof *v->order, false))
            v->order[v->nrows++] = (uint32_t)t;
    }
}

static void refresh_events(struct view *v)
{
    size_t n = store_log_count(v->st);
    v->nevs = 0;
    v->names.len = 0;
    v->total = n;
    const struct filter *f = filter_on(v) ? v->filter : NULL;
    if (!buf_reserve(&v->evs, &v->evs_cap, n, sizeof *v->evs, false) ||
        !buf_reserve(&v->order, &v->order_cap, n, sizeof *v->order, false))
        return;
    for (size_t i = 0; i < n; i++) {
        struct fa_event ev;
        store_log_get(v->st, i, &ev);
        /* Overflow markers always show: a filter must not hide a loss. */
        if (!(ev.types & FA_BIT(FA_OVERFLOW)) && f && !filter_match_event(f, &ev))
            continue;
        uint32_t off = buf_add_name(&v->names, ev.path, ev.path_len);
        if (off == UINT32_MAX)
            break;
        v->evs[v->nevs] = (struct evrow){.time_ns = ev.time_ns,
                                         .proc = ev.proc,
                                         .seq = store_log_seq(v->st, i),
                                         .off = off,
                                         .len = (uint32_t)ev.path_len,
                                         .tid = ev.tid,
                                         .types = ev.types};
        v->order[v->nrows++] = (uint32_t)v->nevs++;
    }
}

/* ---- the tree ------------------------------------------------------------- */

static bool tree_expanded(const struct view *v, uint32_t d, uint32_t depth, size_t siblings)
{
    uint64_t state;
    if (u64map_get(&v->expand, v->dacc[d].hash, &state))
        return state == EXPLICIT_EXPANDED;
    if (v->tree_all != TREE_DEFAULT)
        return v->tree_all == TREE_ALL_EXPANDED;
    /* Top level open, and a directory that is its parent's only child
     * opens too, so `fanotop /etc` starts showing what is in /etc. */
    return depth == 0 || siblings == 1;
}

static bool tree_push(struct view *v, uint32_t ref, uint32_t depth, uint8_t flags)
{
    if (!buf_reserve(&v->order, &v->order_cap, v->nrows + 1, sizeof *v->order, false) ||
        !buf_reserve(&v->depth, &v->depth_cap, v->nrows + 1, sizeof *v->depth, false) ||
        !buf_reserve(&v->rowflags, &v->flags_cap, v->nrows + 1, sizeof *v->rowflags, false))
        return false;
    v->order[v->nrows] = ref;
    v->depth[v->nrows] = depth;
    v->rowflags[v->nrows] = flags;
    v->nrows++;
    return true;
}

static void tree_visit(struct view *v, uint32_t *kids, size_t n, uint32_t depth)
{
    sort_indices(v, kids, n, v->colid[v->sort_col], v->sort_desc);
    for (size_t j = 0; j < n; j++) {
        uint32_t ref = kids[j];
        if (tree_is_file(ref)) {
            if (!tree_push(v, ref, depth, 0))
                return;
            continue;
        }
        bool open = tree_expanded(v, ref, depth, n);
        if (!tree_push(v, ref, depth, ROW_DIR | (open ? ROW_EXPANDED : 0)))
            return;
        if (open)
            tree_visit(v, v->children + v->dacc[ref].first_child, v->dacc[ref].nchild, depth + 1);
    }
}

/* Visible rows from the snapshot: no store access but names. */
static void tree_build_rows(struct view *v)
{
    v->nrows = 0;
    tree_visit(v, v->top, v->ntop, 0);
}

static void refresh_tree(struct view *v, const struct store_view *sv)
{
    scan(v, sv, (struct scan_want){.prow = true});
    size_t nfiles = v->nrows;
    v->nrows = 0;
    size_t nd = sv->ndir_slots;
    if (!buf_reserve(&v->dacc, &v->dacc_cap, nd, sizeof *v->dacc, false))
        return;
    v->dacc_n = nd;
    memset(v->dacc, 0, nd * sizeof *v->dacc);
    /* Roll each path's counts up its directory chain. */
    for (size_t j = 0; j < nfiles; j++) {
        uint32_t s = v->order[j];
        const struct store_path *p = &sv->paths[s];
        const struct prow *r = &v->prows[s];
        uint32_t d = p->as_dir != STORE_NONE ? p->as_dir : p->dir;
        uint64_t file = p->as_dir == STORE_NONE;
        for (; d != STORE_NONE; d = sv->dirs[d].parent) {
            struct dacc *a = &v->dacc[d];
            a->events += r->events;
            a->files += file;
            if (r->last > a->last)
                a->last = r->last;
        }
    }
    /* Children lists: count, then place. */
    size_t nkids = 0, ntop = 0;
    for (size_t d = 0; d < nd; d++) {
        struct dacc *a = &v->dacc[d];
        if (!a->events)
            continue;
        a->gen = sv->dirs[d].gen;
        a->hash = sv->dirs[d].hash;
        uint32_t parent = sv->dirs[d].parent;
        if (parent == STORE_NONE)
            ntop++;
        else
            v->dacc[parent].nchild++;
        nkids++;
    }
    for (size_t j = 0; j < nfiles; j++) {
        const struct store_path *p = &sv->paths[v->order[j]];
        if (p->as_dir != STORE_NONE)
            continue;
        if (p->dir == STORE_NONE)
            ntop++;
        else
            v->dacc[p->dir].nchild++;
        nkids++;
    }
    if (!buf_reserve(&v->children, &v->children_cap, nkids, sizeof *v->children, false) ||
        !buf_reserve(&v->top, &v->top_cap, ntop, sizeof *v->top, false))
        return;
    uint32_t pos = 0;
    for (size_t d = 0; d < nd; d++) {
        v->dacc[d].first_child = pos;
        pos += v->dacc[d].nchild;
        v->dacc[d].nchild = 0;
    }
    v->ntop = 0;
    for (size_t d = 0; d < nd; d++) {
        if (!v->dacc[d].events)
            continue;
        uint32_t parent = sv->dirs[d].parent;
        if (parent == STORE_NONE)
            v->top[v->ntop++] = (uint32_t)d;
        else
            v->children[v->dacc[parent].first_child + v->dacc[parent].nchild++] = (uint32_t)d;
    }
    for (size_t j = 0; j < nfiles; j++) {
        uint32_t s = v->order[j];
        const struct store_path *p = &sv->paths[s];
        if (p->as_dir != STORE_NONE)
            continue;
        if (p->dir == STORE_NONE)
            v->top[v->ntop++] = s | FILE_BIT;
        else
            v->children[v->dacc[p->dir].first_child + v->dacc[p->dir].nchild++] = s | FILE_BIT;
    }
    v->total = nkids;
    tree_build_rows(v);
}

static bool row_is_tree_dir(const struct view *v, size_t row)
{
    return v->kind == VIEW_TREE && row < v->nrows && (v->rowflags[row] & ROW_DIR);
}

void view_tree_set(struct view *v, size_t row, bool expanded)
{
    if (!row_is_tree_dir(v, row))
        return;
    bool added;
    uint64_t *slot = u64map_slot(&v->expand, v->dacc[v->order[row]].hash, 0, &added);
    if (slot)
        *slot = expanded ? EXPLICIT_EXPANDED : EXPLICIT_COLLAPSED;
    tree_build_rows(v);
}

void view_tree_toggle(struct view *v, size_t row)
{
    if (row_is_tree_dir(v, row))
        view_tree_set(v, row, !(v->rowflags[row] & ROW_EXPANDED));
}

void view_tree_all(struct view *v, bool expanded)
{
    if (v->kind != VIEW_TREE)
        return;
    u64map_clear(&v->expand);
    v->tree_all = expanded ? TREE_ALL_EXPANDED : TREE_ALL_COLLAPSED;
    tree_build_rows(v);
}

int view_tree_depth(const struct view *v, size_t row)
{
    return v->kind == VIEW_TREE && row < v->nrows ? (int)v->depth[row] : 0;
}

bool view_tree_is_dir(const struct view *v, size_t row, bool *expanded)
{
    bool dir = row_is_tree_dir(v, row);
    if (expanded)
        *expanded = dir && (v->rowflags[row] & ROW_EXPANDED);
    return dir;
}

/* ---- details -------------------------------------------------------------- */

static uint32_t detail_types(const struct store_pair *p, uint32_t mask)
{
    uint32_t types = 0;
    for (int t = 0; t < STORE_NCOUNTS; t++)
        if ((mask & FA_BIT(t)) && p->count[t] | (p->wide ? p->wide[t] : 0))
            types |= FA_BIT(t);
    return types;
}

static void refresh_details(struct view *v, const struct store_view *sv)
{
    const struct filter *f = filter_on(v) ? v->filter : NULL;
    uint32_t mask = v->filter ? filter_type_mask(v->filter) : FA_ALL_TYPES;
    mask &= FA_BIT(STORE_NCOUNTS) - 1;
    bool all = mask == FA_BIT(STORE_NCOUNTS) - 1;
    int single = __builtin_popcount(mask) == 1 ? __builtin_ctz(mask) : -1;
    v->ndet = 0;
    v->names.len = 0;
    size_t total = 0;
    if (v->kind == VIEW_DETAIL_PATH) {
        uint32_t s = store_find_path(v->st, v->target, v->target_len);
        if (s == STORE_NONE)
            return;
        const struct store_path *path = &sv->paths[s];
        for (uint32_t q = path->pairs; q != STORE_NONE; q = sv->pairs[q].next) {
            const struct store_pair *p = &sv->pairs[q];
            total++;
            if (f && !filter_match_subject(f, path->str, path->len, p->proc))
                continue;
            uint64_t n = counted_events(p, mask, all, single);
            if (!n || !buf_reserve(&v->det, &v->det_cap, v->ndet + 1, sizeof *v->det, false))
                continue;
            v->det[v->ndet++] = (struct detrow){.proc = p->proc,
                                                .events = n,
                                                .first = p->first_ns,
                                                .last = p->last_ns,
                                                .types = detail_types(p, mask)};
        }
    } else {
        for (size_t q = 0; q < sv->npair_slots; q++) {
            const struct store_pair *p = &sv->pairs[q];
            if (!p->gen || p->proc != v->target_proc)
                continue;
            total++;
            const struct store_path *path = &sv->paths[p->path];
            if (f && !filter_match_subject(f, path->str, path->len, p->proc))
                continue;
            uint64_t n = counted_events(p, mask, all, single);
            if (!n || !buf_reserve(&v->det, &v->det_cap, v->ndet + 1, sizeof *v->det, false))
                continue;
            uint32_t off = buf_add_name(&v->names, path->str, path->len);
            if (off == UINT32_MAX)
                break;
            v->det[v->ndet++] = (struct detrow){.proc = p->proc,
                                                .hash = path->hash,
                                                .events = n,
                                                .first = p->first_ns,
                                                .last = p->last_ns,
                                                .types = detail_types(p, mask),
                                                .off = off,
                                                .len = path->len};
        }
    }
    v->total = total;
    if (!buf_reserve(&v->order, &v->order_cap, v->ndet, sizeof *v->order, false))
        return;
    for (size_t i = 0; i < v->ndet; i++)
        v->order[v->nrows++] = (uint32_t)i;
}

void view_refresh(struct view *v, int64_t now_ns)
{
    struct store_view sv = sview(v);
    v->now_ns = now_ns;
    v->epoch = sv.epoch;
    v->interval_s = sv.interval_s;
    clear_rows(v);
    switch (v->kind) {
    case VIEW_PATHS:
        refresh_paths(v, &sv);
        break;
    case VIEW_PROCS:
        refresh_procs(v, &sv, false);
        break;
    case VIEW_UNITS:
        refresh_procs(v, &sv, true);
        break;
    case VIEW_TYPES:
        refresh_types(v, &sv);
        break;
    case VIEW_EVENTS:
        refresh_events(v);
        break;
    case VIEW_TREE:
        refresh_tree(v, &sv);
        return; /* already in order */
    default:
        refresh_details(v, &sv);
        break;
    }
    sort_rows(v);
}

struct view *view_details(const struct view *v, size_t row, char *title, size_t title_len)
{
    if (row >= v->nrows)
        return NULL;
    struct store_view sv = sview(v);
    uint32_t i = v->order[row];
    enum view_kind k;
    const char *path = NULL;
    size_t path_len = 0;
    const struct fa_proc *proc = NULL;
    const char *unit = NULL;
    switch (v->kind) {
    case VIEW_PATHS:
        path = row_path(v, &sv, i, v->prows[i].gen, &path_len);
        break;
    case VIEW_TREE:
        if (!tree_is_file(i))
            return NULL;
        path = row_path(v, &sv, i & ~FILE_BIT, v->prows[i & ~FILE_BIT].gen, &path_len);
        break;
    case VIEW_EVENTS:
        if (v->evs[i].types & FA_BIT(FA_OVERFLOW))
            return NULL;
        path = v->names.p + v->evs[i].off;
        path_len = v->evs[i].len;
        break;
    case VIEW_DETAIL_PROC:
        path = v->names.p + v->det[i].off;
        path_len = v->det[i].len;
        break;
    case VIEW_PROCS:
        proc = v->procs[i].proc;
        break;
    case VIEW_DETAIL_PATH:
        proc = v->det[i].proc;
        break;
    case VIEW_UNITS:
        unit = v->units[i].unit;
        break;
    default:
        return NULL;
    }
    k = path ? VIEW_DETAIL_PATH : proc ? VIEW_DETAIL_PROC : VIEW_PROCS;
    struct view *d = view_new(v->st, k);
    if (!d)
        return NULL;
    d->filter = v->filter;
    d->filter_gen = 1;
    const char *t;
    if (path) {
        d->target = malloc(path_len + 1);
        if (d->target) {
            memcpy(d->target, path, path_len);
            d->target[path_len] = '\0';
        }
        d->target_len = path_len;
        t = d->target;
    } else if (proc) {
        d->target_proc = proc;
        t = *proc->cmdline ? proc->cmdline : *proc->exe ? proc->exe : proc->comm;
    } else {
        d->unit_only = strdup(unit);
        t = *unit ? unit : "-";
    }
    if ((path && !d->target) || (unit && !d->unit_only)) {
        view_destroy(d);
        return NULL;
    }
    if (title && title_len)
        snprintf(title, title_len, "%s", t ? t : "");
    view_refresh(d, v->now_ns);
    return d;
}

/* ---- cells and keys ------------------------------------------------------- */

static size_t format_time(int64_t ns, enum view_format fmt, bool ms, char *out, size_t len)
{
    if (ns <= 0)
        return (size_t)snprintf(out, len, "%s", fmt == VIEW_FMT_SCREEN ? "-" : "");
    if (fmt == VIEW_FMT_EXPORT)
        return export_time_iso(ns, out, len); /* the record files' format */
    time_t sec = (time_t)(ns / 1000000000);
    long frac = (long)(ns % 1000000000);
    struct tm tm;
    localtime_r(&sec, &tm);
    if (ms)
        return (size_t)snprintf(out, len, "%02d:%02d:%02d.%03ld", tm.tm_hour, tm.tm_min, tm.tm_sec,
                                frac / 1000000);
    return (size_t)snprintf(out, len, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The full path of tree directory D, from the names up its chain (or the
 * full path kept when a directory on it was freed since the refresh). */
static size_t tree_dir_path(const struct view *v, const struct store_view *sv, uint32_t d,
                            char *out, size_t len)
{
    const char *names[MAX_DEPTH];
    size_t lens[MAX_DEPTH];
    size_t n = 0;
    for (uint32_t x = d; x != STORE_NONE && n < MAX_DEPTH; n++) {
        bool live = x < sv->ndir_slots && x < v->dacc_n && sv->dirs[x].gen == v->dacc[x].gen;
        uint64_t off;
        if (!live && u64map_get(&v->rescued_dir, x, &off)) {
            names[n] = v->rescue.p + off;
            lens[n] = strlen(names[n]);
            n++;
            break;
        }
        names[n] = live ? sv->dirs[x].name : "";
        lens[n] = live ? sv->dirs[x].name_len : 0;
        x = live ? sv->dirs[x].parent : STORE_NONE;
    }
    for (size_t j = 0; j < n / 2; j++) { /* top first */
        const char *t = names[j];
        names[j] = names[n - 1 - j];
        names[n - 1 - j] = t;
        size_t l = lens[j];
        lens[j] = lens[n - 1 - j];
        lens[n - 1 - j] = l;
    }
    return join_path(names, lens, n, out, len);
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
    enum colid c = v->colid[col];
    if (v->kind == VIEW_TREE && c == C_PATH && fmt == VIEW_FMT_EXPORT) {
        if (!tree_is_file(i))
            return tree_dir_path(v, &sv, i, buf, len);
        size_t plen;
        const char *p = row_path(v, &sv, i & ~FILE_BIT, v->prows[i & ~FILE_BIT].gen, &plen);
        if (len) {
            size_t k = plen < len - 1 ? plen : len - 1;
            memcpy(buf, p, k);
            buf[k] = '\0';
        }
        return plen;
    }
    struct value val;
    get_value(v, &sv, i, c, &val);
    const char *s = tmp;
    size_t n;
    bool screen = fmt == VIEW_FMT_SCREEN;
    switch (val.t) {
    case V_COUNT:
        n = (size_t)snprintf(tmp, sizeof tmp, "%" PRIu64, val.u);
        break;
    case V_INT:
        n = (size_t)snprintf(tmp, sizeof tmp, "%" PRId64, val.i);
        break;
    case V_TIME:
    case V_TIME_MS:
        n = format_time(val.i, fmt, val.t == V_TIME_MS, tmp, sizeof tmp);
        break;
    case V_DOUBLE:
        n = (size_t)snprintf(tmp, sizeof tmp, screen ? "%.1f" : "%.3f", val.d);
        break;
    case V_STR:
        s = val.s, n = val.len;
        break;
    case V_UNIT: /* none: "-" on screen, empty in exports */
        s = val.len || !screen ? val.s : "-", n = val.len || !screen ? val.len : 1;
        break;
    case V_USER:
        if (val.len)
            s = val.s, n = val.len;
        else
            n = (size_t)snprintf(tmp, sizeof tmp, "%" PRId64, val.i);
        break;
    case V_NAMES:
        n = fa_types_format((uint32_t)val.u, '|', tmp, sizeof tmp);
        break;
    case V_LETTERS:
        n = fa_types_letters((uint32_t)val.u, tmp, sizeof tmp);
        break;
    default:
        n = 0;
        tmp[0] = '\0';
        break;
    }
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
    uint32_t i = v->order[row];
    uint64_t k = 0;
    switch (v->kind) {
    case VIEW_PATHS:
        k = v->prows[i].hash;
        break;
    case VIEW_PROCS: {
        const struct fa_proc *p = v->procs[i].proc;
        k = UINT64_C(1) << 63 | (uint64_t)p->id << 32 | (uint32_t)p->pid;
        break;
    }
    case VIEW_TYPES:
        k = i + 1;
        break;
    case VIEW_UNITS:
        k = v->units[i].hash;
        break;
    case VIEW_EVENTS:
        k = v->evs[i].seq + 1;
        break;
    case VIEW_TREE:
        k = tree_is_file(i) ? v->prows[i & ~FILE_BIT].hash : v->dacc[i].hash;
        break;
    case VIEW_DETAIL_PATH: {
        const struct fa_proc *p = v->det[i].proc;
        k = UINT64_C(1) << 63 | (uint64_t)p->id << 32 | (uint32_t)p->pid;
        break;
    }
    case VIEW_DETAIL_PROC:
        k = v->det[i].hash;
        break;
    default:
        break;
    }
    return k ? k : 1;
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
