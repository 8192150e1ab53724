/* The paths view: one row per path, with its total and per-type counts, the
 * processes that touched it, when last and how fast. Its rows are the scan's
 * path rows, indexed by path slot. */
#include "config.h"

#include "model/view_kind.h"

static const uint8_t paths_cols[] = {COL_PATH,   COL_EVENTS, COL_T0 + 0,  COL_T0 + 1,  COL_T0 + 2,
                                     COL_T0 + 3, COL_T0 + 4, COL_T0 + 5,  COL_T0 + 6,  COL_T0 + 7,
                                     COL_T0 + 8, COL_T0 + 9, COL_T0 + 10, COL_T0 + 11, COL_T0 + 12,
                                     COL_PROCS,  COL_LAST,   COL_RATE};

static void paths_refresh(struct view *v, const struct store_view *sv)
{
    struct store_totals tot;
    store_get_totals(v->st, &tot);
    view_scan(v, sv, (struct view_scan_want){.prow = true, .counts = true});
    v->total = tot.paths;
}

static uint64_t paths_row_key(const struct view *v, uint32_t i)
{
    return v->prows[i].hash;
}

static void paths_value(const struct view *v, const struct store_view *sv, uint32_t i,
                        enum view_col c, struct view_value *val)
{
    const struct view_path_row *r = &v->prows[i];
    if (c == COL_PATH)
        val->t = VAL_STR, val->s = view_row_path(v, sv, i, r->gen, &val->len);
    else if (c >= COL_T0 && c < COL_T0 + STORE_NCOUNTS)
        view_val_count(val, r->count[c - COL_T0]);
    else
        view_agg_value(&r->sum, r->procs, 0, c, val);
}

const struct view_kind_ops view_paths_ops = {
    .name = "paths",
    .aliases = {"path"},
    .columns = VIEW_COLUMNS(paths_cols, COL_EVENTS, true, COL_NONE),
    .rows = {paths_refresh, paths_value, paths_row_key, view_path_target},
    .path_rows = true,
};
