/* The process tree: processes nested under the processes that forked them,
 * as htop's tree shows them. A node is a process (a pid from fork to exit:
 * the identities it had across its execs), with its own events, files and
 * rate and its subtree's events and processes. The filter keeps the
 * processes it matches and, dimmed, their ancestors, even those with no
 * event of their own and long gone: the proctab links each identity to its
 * parent's (fa_proc.parent). Every node starts open; + - * open and close
 * them. A storage index is a node. */
#include "config.h"

#include "model/view_fold.h"

#include <stdlib.h>
#include <string.h>

static const uint8_t proctree_cols[] = {COL_COMM,  COL_PID,   COL_USER, COL_EVENTS, COL_SUBTREE,
                                        COL_PROCS, COL_FILES, COL_LAST, COL_CMDLINE};
static const uint8_t proctree_extra[] = {COL_PPID, COL_UNIT, COL_EXE, COL_START, COL_RATE};

struct pnode {
    const struct fa_proc *proc; /* the identity shown: the process's latest */
    const struct fa_proc *up;   /* an identity of the process that forked it, or NULL */
    uint64_t key;               /* pid and start time hashed: also the row key */
    struct view_sums own;       /* its own events under the filter */
    uint64_t subtree;           /* and its descendants' */
    uint32_t files;             /* its own */
    uint32_t procs;             /* processes with events in its subtree, itself included */
    uint32_t parent;            /* its parent's node, or STORE_NONE */
    uint32_t first_child, nchild;
    bool matched; /* it has events under the filter */
    bool shown;   /* matched, or the ancestor of one */
};

struct proctree_data {
    struct pnode *nodes;
    size_t nnodes, nodes_cap;
    struct u64multi bykey; /* key -> node */
    uint32_t *children, *top, *stack;
    size_t children_cap, top_cap, stack_cap, ntop;
    struct view_fold fold; /* open state by key, kept across refreshes */
};

static uint64_t process_key(const struct fa_proc *p)
{
    return hash_mix64((uint64_t)p->start_ns ^ (uint64_t)(uint32_t)p->pid << 20) >> 1;
}

static bool same_process(const struct fa_proc *a, const struct fa_proc *b)
{
    return a->pid == b->pid && a->start_ns == b->start_ns;
}

/* The node of P's process, made when new; STORE_NONE when out of memory. */
static uint32_t node_of(struct proctree_data *d, const struct fa_proc *p)
{
    uint64_t key = process_key(p);
    for (uint64_t n = u64multi_first(&d->bykey, key); n != U64MULTI_END;
         n = u64multi_next(&d->bykey, n)) {
        struct pnode *x = &d->nodes[n];
        if (same_process(x->proc, p)) {
            if (p->id > x->proc->id) /* ids grow: the later identity, after an exec */
                x->proc = p;
            if (!x->up)
                x->up = p->parent;
            return (uint32_t)n;
        }
    }
    if (d->nnodes >= STORE_MAX_SLOTS ||
        !buf_reserve(&d->nodes, &d->nodes_cap, d->nnodes + 1, sizeof *d->nodes, false) ||
        !u64multi_add(&d->bykey, key, d->nnodes))
        return STORE_NONE;
    d->nodes[d->nnodes] = (struct pnode){
        .proc = p, .up = p->parent, .key = key, .parent = STORE_NONE, .first_child = 0};
    return (uint32_t)d->nnodes++;
}

/* Would node P as the parent of node C close a loop? (Identities never
 * loop, but a process's several identities may name parents that do.) */
static bool loops(const struct proctree_data *d, uint32_t p, uint32_t c)
{
    for (size_t depth = 0; p != STORE_NONE; p = d->nodes[p].parent)
        if (p == c || ++depth > d->nnodes)
            return true;
    return false;
}

/* Show node N and its ancestors, linking each to its parent. */
static void show_with_ancestors(struct proctree_data *d, uint32_t n)
{
    while (n != STORE_NONE && !d->nodes[n].shown) {
        d->nodes[n].shown = true;
        const struct fa_proc *up = d->nodes[n].up;
        uint32_t p = up ? node_of(d, up) : STORE_NONE;
        if (p == STORE_NONE || p == n || loops(d, p, n))
            return;
        d->nodes[n].parent = p;
        n = p;
    }
}

/* Children lists and the top level of the shown nodes; false when out of memory. */
static bool link_children(struct proctree_data *d)
{
    size_t nkids = 0, ntop = 0;
    for (size_t n = 0; n < d->nnodes; n++)
        d->nodes[n].nchild = 0;
    for (size_t n = 0; n < d->nnodes; n++) {
        const struct pnode *x = &d->nodes[n];
        if (!x->shown)
            continue;
        if (x->parent == STORE_NONE)
            ntop++;
        else
            d->nodes[x->parent].nchild++, nkids++;
    }
    if (!buf_reserve(&d->children, &d->children_cap, nkids, sizeof *d->children, false) ||
        !buf_reserve(&d->top, &d->top_cap, ntop, sizeof *d->top, false))
        return false;
    uint32_t pos = 0;
    for (size_t n = 0; n < d->nnodes; n++) {
        d->nodes[n].first_child = pos;
        pos += d->nodes[n].nchild;
        d->nodes[n].nchild = 0;
    }
    d->ntop = 0;
    for (size_t n = 0; n < d->nnodes; n++) {
        const struct pnode *x = &d->nodes[n];
        if (!x->shown)
            continue;
        if (x->parent == STORE_NONE) {
            d->top[d->ntop++] = (uint32_t)n;
        } else {
            struct pnode *p = &d->nodes[x->parent];
            d->children[p->first_child + p->nchild++] = (uint32_t)n;
        }
    }
    return true;
}

/* Subtree sums: children before parents, in the reverse of a depth-first
 * order (kept on a stack of our own: a replayed tree may be deep). */
static bool sum_subtrees(struct proctree_data *d)
{
    size_t n = 0, done = 0;
    if (!buf_reserve(&d->stack, &d->stack_cap, d->nnodes, sizeof *d->stack, false))
        return false;
    for (size_t t = 0; t < d->ntop; t++)
        d->stack[n++] = d->top[t];
    /* stack[0..done) is the depth-first order so far; [done..n) waits */
    while (done < n) {
        const struct pnode *x = &d->nodes[d->stack[done++]];
        for (uint32_t k = 0; k < x->nchild; k++)
            d->stack[n++] = d->children[x->first_child + k];
    }
    for (size_t j = n; j-- > 0;) {
        struct pnode *x = &d->nodes[d->stack[j]];
        x->subtree += x->own.events;
        x->procs += x->matched;
        if (x->parent != STORE_NONE) {
            d->nodes[x->parent].subtree += x->subtree;
            d->nodes[x->parent].procs += x->procs;
        }
    }
    return true;
}

static void proctree_refresh(struct view *v, const struct store_view *sv)
{
    struct proctree_data *d = view_data(v);
    d->nnodes = d->ntop = 0;
    u64multi_clear(&d->bykey);
    view_scan(v, sv, (struct view_scan_want){.procs = true});
    for (size_t i = 0; i < v->nprocs; i++) {
        const struct view_proc_row *r = &v->procs[i];
        uint32_t n = node_of(d, r->proc);
        if (n == STORE_NONE || !r->sum.events)
            continue;
        struct pnode *x = &d->nodes[n];
        view_sums_add(&x->own, r->sum.events, r->sum.last, r->sum.rate);
        x->files += r->files;
        x->matched = true;
    }
    size_t with_rows = d->nnodes;
    for (size_t n = 0; n < with_rows; n++)
        if (d->nodes[n].matched)
            show_with_ancestors(d, (uint32_t)n);
    v->total = d->nnodes;
    if (!link_children(d) || !sum_subtrees(d))
        d->ntop = 0;
}

static size_t proctree_children(const struct view *v, uint32_t ref, uint32_t **kids)
{
    struct proctree_data *d = view_data(v);
    *kids = d->children + d->nodes[ref].first_child;
    return d->nodes[ref].nchild;
}

static bool proctree_open_default(const struct view *v, uint32_t ref, uint32_t depth,
                                  size_t siblings)
{
    (void)v, (void)ref, (void)depth, (void)siblings;
    return true; /* as htop: the whole tree */
}

static uint8_t proctree_dim(const struct view *v, uint32_t ref)
{
    const struct proctree_data *d = view_data(v);
    return d->nodes[ref].matched ? 0 : FOLD_DIM;
}

static const struct view_fold_nodes proctree_nodes = {proctree_children, proctree_open_default,
                                                      proctree_dim};

static void proctree_arrange(struct view *v)
{
    struct proctree_data *d = view_data(v);
    view_fold_lay_out(v, &d->fold, &proctree_nodes, d->top, d->ntop);
}

static const struct pnode *node(const struct view *v, uint32_t i)
{
    return &((const struct proctree_data *)view_data(v))->nodes[i];
}

static void proctree_value(const struct view *v, const struct store_view *sv, uint32_t i,
                           enum view_col c, struct view_value *val)
{
    const struct pnode *x = node(v, i);
    (void)sv;
    if (c == COL_SUBTREE)
        view_val_count(val, x->subtree);
    else if (!view_agg_value(&x->own, x->procs, x->files, c, val))
        view_proc_value(x->proc, c, val);
}

static uint64_t proctree_row_key(const struct view *v, uint32_t i)
{
    return node(v, i)->key;
}

static struct view_target proctree_details(const struct view *v, uint32_t i)
{
    return (struct view_target){.proc = node(v, i)->proc};
}

static size_t proctree_procs(const struct view *v, uint32_t i, const struct fa_proc **out,
                             size_t max)
{
    size_t n = 0;
    view_procs_add(out, max, &n, node(v, i)->proc);
    return n;
}

/* The nodes are as many as the processes seen: give them back. */
static void proctree_leave(void *data)
{
    struct proctree_data *d = data;
    free(d->nodes), d->nodes = NULL, d->nodes_cap = d->nnodes = 0;
    free(d->children), d->children = NULL, d->children_cap = 0;
    free(d->stack), d->stack = NULL, d->stack_cap = 0;
    u64multi_free(&d->bykey);
    d->ntop = 0;
}

static void proctree_free(void *data)
{
    struct proctree_data *d = data;
    proctree_leave(d);
    free(d->top);
    view_fold_free(&d->fold);
}

static struct view_fold *proctree_fold(const struct view *v)
{
    return &((struct proctree_data *)view_data(v))->fold;
}

const struct view_kind_ops view_proctree_ops = {
    .name = "proctree",
    .aliases = {"ptree", "pstree", "process-tree"},
    .columns = VIEW_COLUMNS(proctree_cols, COL_PID, false, COL_COMM),
    .rows = {proctree_refresh, proctree_value, proctree_row_key, proctree_details},
    .whole_name = true,
    VIEW_EXTRA(proctree_extra),
    .procs = proctree_procs,
    .fold = proctree_fold,
    .data_size = sizeof(struct proctree_data),
    .arrange = proctree_arrange,
    .leave = proctree_leave,
    .free_data = proctree_free,
};
