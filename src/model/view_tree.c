/* The tree view: the paths view's rows rolled up their directory chains,
 * shown as an indented tree whose directories open and close. A storage
 * index is a path slot with FILE_BIT set, or a directory slot. */
#include "config.h"

#include "model/view_fold.h"

#include <stdlib.h>
#include <string.h>

#define FILE_BIT (UINT32_C(1) << 31) /* set for a path slot, clear for a dir */

static const uint8_t tree_cols[] = {COL_PATH, COL_EVENTS, COL_FILES, COL_LAST};

struct dacc { /* a directory, indexed by dir slot */
    uint64_t events, files;
    uint64_t hash;
    int64_t last;
    uint32_t gen;
    uint32_t first_child, nchild;
};

struct tree_data {
    struct dacc *dacc;
    size_t dacc_cap, dacc_n;
    uint32_t *children, *top; /* storage indices */
    size_t children_cap, ntop, top_cap;
    struct view_fold fold; /* its open state is kept across kind switches */
};

static bool tree_is_file(uint32_t ref)
{
    return ref & FILE_BIT;
}

/* ---- names ---------------------------------------------------------------- */

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

static bool dir_live(const struct tree_data *t, const struct store_view *sv, uint32_t d)
{
    return d < sv->ndir_slots && d < t->dacc_n && sv->dirs[d].gen == t->dacc[d].gen;
}

/* The name of directory D. */
static const char *dir_name(const struct view *v, const struct store_view *sv, uint32_t d,
                            size_t *len)
{
    if (dir_live(view_data(v), sv, d)) {
        *len = sv->dirs[d].name_len;
        return sv->dirs[d].name;
    }
    const char *p = view_rescued(v, &v->rescued_dir, d);
    if (p)
        return base_name(p, len);
    *len = 0;
    return "";
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

/* The names of a directory's chain, collected leaf first: as many as the
 * chain is deep (paths have no length limit). */
struct chain {
    const char **names;
    size_t *lens;
    size_t n, cap;
    bool oom;
};

static void chain_add(struct chain *c, const char *name, size_t len)
{
    if (c->oom)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        const char **nn = realloc(c->names, cap * sizeof *nn);
        if (nn)
            c->names = nn;
        size_t *nl = nn ? realloc(c->lens, cap * sizeof *nl) : NULL;
        if (!nl) {
            c->oom = true;
            return;
        }
        c->lens = nl;
        c->cap = cap;
    }
    c->names[c->n] = name;
    c->lens[c->n++] = len;
}

/* Put C's names top first; out of memory, none (no path rather than a cut one). */
static void chain_top_first(struct chain *c)
{
    if (c->oom)
        c->n = 0;
    for (size_t j = 0; j < c->n / 2; j++) {
        const char *t = c->names[j];
        c->names[j] = c->names[c->n - 1 - j];
        c->names[c->n - 1 - j] = t;
        size_t l = c->lens[j];
        c->lens[j] = c->lens[c->n - 1 - j];
        c->lens[c->n - 1 - j] = l;
    }
}

static void chain_free(struct chain *c)
{
    free(c->names);
    free(c->lens);
}

/* The full path of directory D, from the names up its chain (or the full
 * path kept when a directory on it was freed since the refresh). */
static size_t dir_path(const struct view *v, const struct store_view *sv, uint32_t d, char *out,
                       size_t len)
{
    struct chain c = {0};
    for (uint32_t x = d; x != STORE_NONE && !c.oom;) {
        bool live = dir_live(view_data(v), sv, x);
        const char *kept = live ? NULL : view_rescued(v, &v->rescued_dir, x);
        if (kept) {
            chain_add(&c, kept, strlen(kept));
            break;
        }
        chain_add(&c, live ? sv->dirs[x].name : "", live ? sv->dirs[x].name_len : 0);
        x = live ? sv->dirs[x].parent : STORE_NONE;
    }
    chain_top_first(&c);
    size_t n = join_path(c.names, c.lens, c.n, out, len);
    chain_free(&c);
    return n;
}

static void tree_dir_gone(struct view *v, uint32_t d)
{
    struct tree_data *t = view_data(v);
    if (d >= t->dacc_n || !t->dacc[d].events)
        return;
    struct store_view sv;
    store_internal_view(v->st, &sv);
    if (sv.dirs[d].gen != t->dacc[d].gen)
        return;
    /* Keep the full path: the parents may go next, and exports need it. */
    struct chain c = {0};
    for (uint32_t x = d; x != STORE_NONE && !c.oom; x = sv.dirs[x].parent)
        chain_add(&c, sv.dirs[x].name, sv.dirs[x].name_len);
    chain_top_first(&c);
    size_t need = join_path(c.names, c.lens, c.n, NULL, 0);
    char *full = c.n ? malloc(need + 1) : NULL;
    if (full) {
        join_path(c.names, c.lens, c.n, full, need + 1);
        view_rescue(v, &v->rescued_dir, d, full, need);
        free(full);
    }
    chain_free(&c);
}

/* ---- rows ----------------------------------------------------------------- */

static size_t tree_children(const struct view *v, uint32_t ref, uint32_t **kids)
{
    struct tree_data *t = view_data(v);
    if (tree_is_file(ref))
        return 0;
    *kids = t->children + t->dacc[ref].first_child;
    return t->dacc[ref].nchild;
}

/* Top level open, and a directory that is its parent's only child opens
 * too, so `fanotop /etc` starts showing what is in /etc. */
static bool tree_open_default(const struct view *v, uint32_t ref, uint32_t depth, size_t siblings)
{
    (void)v, (void)ref;
    return depth == 0 || siblings == 1;
}

static const struct view_fold_nodes tree_nodes = {tree_children, tree_open_default, NULL};

/* Visible rows from the snapshot: no store access but names. */
static void tree_arrange(struct view *v)
{
    struct tree_data *t = view_data(v);
    view_fold_lay_out(v, &t->fold, &tree_nodes, t->top, t->ntop);
}

/* Each path's counts up its directory chain; the rows from the scan (path
 * slots) are v->order[0..NFILES). */
static void roll_up(struct tree_data *t, const struct view *v, const struct store_view *sv,
                    size_t nfiles)
{
    for (size_t j = 0; j < nfiles; j++) {
        uint32_t s = v->order[j];
        const struct store_path *p = &sv->paths[s];
        const struct view_path_row *r = &v->prows[s];
        uint32_t d = p->as_dir != STORE_NONE ? p->as_dir : p->dir;
        uint64_t file = p->as_dir == STORE_NONE;
        for (; d != STORE_NONE; d = sv->dirs[d].parent) {
            struct dacc *a = &t->dacc[d];
            a->events += r->sum.events;
            a->files += file;
            if (r->sum.last > a->last)
                a->last = r->sum.last;
        }
    }
}

/* Children lists: count (returns the number of nodes), then place. */
static size_t count_children(struct tree_data *t, const struct view *v, const struct store_view *sv,
                             size_t nfiles, size_t *ntop)
{
    size_t nkids = 0;
    *ntop = 0;
    for (size_t d = 0; d < sv->ndir_slots; d++) {
        struct dacc *a = &t->dacc[d];
        if (!a->events)
            continue;
        a->gen = sv->dirs[d].gen;
        a->hash = sv->dirs[d].hash;
        uint32_t parent = sv->dirs[d].parent;
        if (parent == STORE_NONE)
            (*ntop)++;
        else
            t->dacc[parent].nchild++;
        nkids++;
    }
    for (size_t j = 0; j < nfiles; j++) {
        const struct store_path *p = &sv->paths[v->order[j]];
        if (p->as_dir != STORE_NONE)
            continue;
        if (p->dir == STORE_NONE)
            (*ntop)++;
        else
            t->dacc[p->dir].nchild++;
        nkids++;
    }
    return nkids;
}

/* Put REF under PARENT (a dir slot, or STORE_NONE for the top level). */
static void place(struct tree_data *t, uint32_t parent, uint32_t ref)
{
    if (parent == STORE_NONE)
        t->top[t->ntop++] = ref;
    else
        t->children[t->dacc[parent].first_child + t->dacc[parent].nchild++] = ref;
}

static void place_children(struct tree_data *t, const struct view *v, const struct store_view *sv,
                           size_t nfiles)
{
    uint32_t pos = 0;
    for (size_t d = 0; d < sv->ndir_slots; d++) {
        t->dacc[d].first_child = pos;
        pos += t->dacc[d].nchild;
        t->dacc[d].nchild = 0;
    }
    t->ntop = 0;
    for (size_t d = 0; d < sv->ndir_slots; d++)
        if (t->dacc[d].events)
            place(t, sv->dirs[d].parent, (uint32_t)d);
    for (size_t j = 0; j < nfiles; j++) {
        uint32_t s = v->order[j];
        const struct store_path *p = &sv->paths[s];
        if (p->as_dir == STORE_NONE)
            place(t, p->dir, s | FILE_BIT);
    }
}

static void tree_refresh(struct view *v, const struct store_view *sv)
{
    struct tree_data *t = view_data(v);
    t->ntop = 0; /* no rows if anything below fails */
    view_scan(v, sv, (struct view_scan_want){.prow = true});
    size_t nfiles = v->nrows;
    v->nrows = 0;
    size_t nd = sv->ndir_slots;
    if (!buf_reserve(&t->dacc, &t->dacc_cap, nd, sizeof *t->dacc, false))
        return;
    t->dacc_n = nd;
    if (nd) /* an empty store reserves nothing: no array to clear */
        memset(t->dacc, 0, nd * sizeof *t->dacc);
    roll_up(t, v, sv, nfiles);
    size_t ntop;
    size_t nkids = count_children(t, v, sv, nfiles, &ntop);
    if (!buf_reserve(&t->children, &t->children_cap, nkids, sizeof *t->children, false) ||
        !buf_reserve(&t->top, &t->top_cap, ntop, sizeof *t->top, false))
        return;
    place_children(t, v, sv, nfiles);
    v->total = nkids;
}

/* ---- values, keys, details ------------------------------------------------ */

static void tree_value(const struct view *v, const struct store_view *sv, uint32_t i,
                       enum view_col c, struct view_value *val)
{
    const struct tree_data *t = view_data(v);
    if (!tree_is_file(i)) {
        const struct dacc *r = &t->dacc[i];
        if (c == COL_PATH)
            val->t = VAL_STR, val->s = dir_name(v, sv, i, &val->len);
        else if (c == COL_EVENTS)
            view_val_count(val, r->events);
        else if (c == COL_FILES)
            view_val_count(val, r->files);
        else if (c == COL_LAST)
            view_val_time(val, r->last);
        return;
    }
    uint32_t s = i & ~FILE_BIT;
    const struct view_path_row *r = &v->prows[s];
    if (c == COL_PATH) {
        size_t len;
        const char *p = view_row_path(v, sv, s, r->gen, &len);
        const char *slash = memrchr(p, '/', len);
        size_t base = slash && len > 1 ? (size_t)(slash - p) + 1 : 0;
        view_val_str(val, p + base, len - base);
    } else {
        view_agg_value(&r->sum, 0, 1, c, val);
    }
}

/* Exports get the full path of a node, not its last component. */
static size_t tree_cell(const struct view *v, const struct store_view *sv, uint32_t i,
                        enum view_col c, enum view_format fmt, char *buf, size_t len)
{
    if (c != COL_PATH || fmt != VIEW_FMT_EXPORT)
        return SIZE_MAX;
    if (!tree_is_file(i))
        return dir_path(v, sv, i, buf, len);
    size_t plen;
    const char *p = view_row_path(v, sv, i & ~FILE_BIT, v->prows[i & ~FILE_BIT].gen, &plen);
    if (len) {
        size_t k = plen < len - 1 ? plen : len - 1;
        memcpy(buf, p, k);
        buf[k] = '\0';
    }
    return plen;
}

static uint64_t tree_row_key(const struct view *v, uint32_t i)
{
    const struct tree_data *t = view_data(v);
    return tree_is_file(i) ? v->prows[i & ~FILE_BIT].hash : t->dacc[i].hash;
}

static struct view_target tree_details(const struct view *v, uint32_t i)
{
    if (tree_is_file(i))
        return view_path_target(v, i & ~FILE_BIT);
    return (struct view_target){.path = NULL};
}

/* The directory rows are as many as the store's directories: give them
 * back. The expand state stays for the next time the tree shows. */
static void tree_leave(void *data)
{
    struct tree_data *t = data;
    free(t->dacc), t->dacc = NULL, t->dacc_cap = t->dacc_n = 0;
    t->ntop = 0;
}

static void tree_free(void *data)
{
    struct tree_data *t = data;
    tree_leave(t);
    view_fold_free(&t->fold);
    free(t->children);
    free(t->top);
}

static struct view_fold *tree_fold(const struct view *v)
{
    return &((struct tree_data *)view_data(v))->fold;
}

const struct view_kind_ops view_tree_ops = {
    .name = "tree",
    .aliases = {"dirs"},
    .columns = VIEW_COLUMNS(tree_cols, COL_EVENTS, true, COL_NONE),
    .rows = {tree_refresh, tree_value, tree_row_key, tree_details},
    .data_size = sizeof(struct tree_data),
    .path_rows = true,
    .arrange = tree_arrange,
    .cell = tree_cell,
    .dir_gone = tree_dir_gone,
    .leave = tree_leave,
    .free_data = tree_free,
    .fold = tree_fold,
};
