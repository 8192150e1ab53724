/* Tree kinds' rows: the depth-first walk through the open nodes and the open
 * state kept by row key. See view_fold.h. */
#include "config.h"

#include "model/view_fold.h"

#include <stdlib.h>

enum { EXPLICIT_CLOSED = 1, EXPLICIT_OPEN = 2 };
enum { ALL_DEFAULT, ALL_OPEN, ALL_CLOSED };

static bool is_open(const struct view *v, const struct view_fold *f,
                    const struct view_fold_nodes *nodes, uint32_t ref, uint32_t depth,
                    size_t siblings)
{
    uint64_t state;
    if (u64map_get(&f->explicit_state, v->ops->rows.row_key(v, ref), &state))
        return state == EXPLICIT_OPEN;
    if (f->all != ALL_DEFAULT)
        return f->all == ALL_OPEN;
    return nodes->open_default(v, ref, depth, siblings);
}

static bool push(struct view *v, struct view_fold *f, uint32_t ref, uint32_t depth, uint8_t flags)
{
    if (!buf_reserve(&v->order, &v->order_cap, v->nrows + 1, sizeof *v->order, false) ||
        !buf_reserve(&f->depth, &f->depth_cap, v->nrows + 1, sizeof *f->depth, false) ||
        !buf_reserve(&f->flags, &f->flags_cap, v->nrows + 1, sizeof *f->flags, false))
        return false;
    v->order[v->nrows] = ref;
    f->depth[v->nrows] = depth;
    f->flags[v->nrows] = flags;
    v->nrows++;
    return true;
}

static void visit(struct view *v, struct view_fold *f, const struct view_fold_nodes *nodes,
                  uint32_t *kids, size_t n, uint32_t depth)
{
    view_sort_indices(v, kids, n);
    for (size_t j = 0; j < n; j++) {
        uint32_t ref = kids[j];
        uint32_t *sub;
        size_t nsub = nodes->children(v, ref, &sub);
        uint8_t flags = nodes->dim ? nodes->dim(v, ref) : 0;
        bool open = nsub && is_open(v, f, nodes, ref, depth, n);
        if (nsub)
            flags |= FOLD_PARENT | (open ? FOLD_OPEN : 0);
        if (!push(v, f, ref, depth, flags))
            return;
        if (open)
            visit(v, f, nodes, sub, nsub, depth + 1);
    }
}

void view_fold_lay_out(struct view *v, struct view_fold *f, const struct view_fold_nodes *nodes,
                       uint32_t *top, size_t n)
{
    v->nrows = 0;
    visit(v, f, nodes, top, n, 0);
}

void view_fold_free(struct view_fold *f)
{
    u64map_free(&f->explicit_state);
    free(f->depth);
    free(f->flags);
}

/* ---- the tree calls of view.h ---- */

/* V's fold state when V is of a tree kind, else NULL. */
static struct view_fold *fold_of(const struct view *v)
{
    return v->ops->fold ? v->ops->fold(v) : NULL;
}

/* Row ROW's FOLD_* flags (0 past the end or in a view of another kind). */
static uint8_t row_flags(const struct view *v, size_t row)
{
    const struct view_fold *f = fold_of(v);
    return f && row < v->nrows ? f->flags[row] : 0;
}

bool view_is_tree(const struct view *v)
{
    return fold_of(v) != NULL;
}

void view_tree_set(struct view *v, size_t row, bool expanded)
{
    struct view_fold *f = fold_of(v);
    if (!(row_flags(v, row) & FOLD_PARENT))
        return;
    bool added;
    uint64_t *slot =
        u64map_slot(&f->explicit_state, v->ops->rows.row_key(v, v->order[row]), 0, &added);
    if (slot)
        *slot = expanded ? EXPLICIT_OPEN : EXPLICIT_CLOSED;
    v->ops->arrange(v);
}

void view_tree_toggle(struct view *v, size_t row)
{
    view_tree_set(v, row, !(row_flags(v, row) & FOLD_OPEN));
}

void view_tree_all(struct view *v, bool expanded)
{
    struct view_fold *f = fold_of(v);
    if (!f)
        return;
    u64map_clear(&f->explicit_state);
    f->all = expanded ? ALL_OPEN : ALL_CLOSED;
    v->ops->arrange(v);
}

int view_tree_depth(const struct view *v, size_t row)
{
    const struct view_fold *f = fold_of(v);
    return f && row < v->nrows ? (int)f->depth[row] : 0;
}

bool view_tree_is_dir(const struct view *v, size_t row, bool *expanded)
{
    uint8_t flags = row_flags(v, row);
    if (expanded)
        *expanded = flags & FOLD_OPEN;
    return flags & FOLD_PARENT;
}

bool view_row_dimmed(const struct view *v, size_t row)
{
    return row_flags(v, row) & FOLD_DIM;
}
