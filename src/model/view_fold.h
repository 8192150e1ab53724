/* The rows of a tree kind (the directory tree, the process tree): a node
 * opens and closes, and the displayed rows are a depth-first walk through
 * the open nodes, siblings in the sort order. What both keep beside
 * v->order: each row's depth and flags, and the open state by node key
 * (the row key), which outlives refreshes and kind switches. Only
 * src/model/view*.c include this. */
#ifndef FANOTOP_VIEW_FOLD_H
#define FANOTOP_VIEW_FOLD_H

#include "model/view_kind.h"

enum {
    FOLD_PARENT = 1, /* the row has children: it opens and closes */
    FOLD_OPEN = 2,   /* and is open */
    FOLD_DIM = 4,    /* shown only as the ancestor of a row the filter kept */
};

struct view_fold {
    uint32_t *depth; /* per displayed row */
    uint8_t *flags;  /* per displayed row: FOLD_* */
    size_t depth_cap, flags_cap;
    struct u64map explicit_state; /* row key -> opened or closed by hand */
    int all;                      /* what '*' did last: 0, or every node open / closed */
};

/* What the walk asks of a kind about storage index REF. */
struct view_fold_nodes {
    /* Its children (storage indices, reordered in place by the sort); 0 for a leaf. */
    size_t (*children)(const struct view *v, uint32_t ref, uint32_t **kids);
    /* Open when nobody opened or closed it (DEPTH from 0, SIBLINGS with it). */
    bool (*open_default)(const struct view *v, uint32_t ref, uint32_t depth, size_t siblings);
    /* FOLD_DIM or 0 (NULL: never dim). */
    uint8_t (*dim)(const struct view *v, uint32_t ref);
};

/* Lay out V's rows from the top-level nodes TOP[0..N) (reordered in place). */
void view_fold_lay_out(struct view *v, struct view_fold *f, const struct view_fold_nodes *nodes,
                       uint32_t *top, size_t n);

void view_fold_free(struct view_fold *f);

#endif
