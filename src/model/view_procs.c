/* The processes view: one row per process identity (a pid between two
 * execs), with the events and files it touched. Also a units row's details:
 * the processes of that one unit. */
#include "config.h"

#include "model/view_kind.h"

#include <string.h>

static const uint8_t procs_cols[] = {COL_PID,    COL_COMM,  COL_USER, COL_UNIT, COL_EXE,
                                     COL_EVENTS, COL_FILES, COL_LAST, COL_RATE};

static struct view_target procs_details(const struct view *v, uint32_t i)
{
    return (struct view_target){.proc = v->procs[i].proc};
}

static void procs_refresh(struct view *v, const struct store_view *sv)
{
    view_scan(v, sv, (struct view_scan_want){.procs = true});
    size_t total = 0;
    for (size_t i = 0; i < v->nprocs; i++) {
        const struct view_proc_row *p = &v->procs[i];
        if (v->unit_only && strcmp(p->proc->unit, v->unit_only) != 0)
            continue;
        total++;
        if (p->sum.events)
            view_push(v, (uint32_t)i);
    }
    v->total = total;
}

static uint64_t procs_row_key(const struct view *v, uint32_t i)
{
    return view_proc_key(v->procs[i].proc);
}

static void procs_value(const struct view *v, const struct store_view *sv, uint32_t i,
                        enum view_col c, struct view_value *val)
{
    const struct view_proc_row *r = &v->procs[i];
    (void)sv;
    if (!view_agg_value(&r->sum, 0, r->files, c, val))
        view_proc_value(r->proc, c, val);
}

const struct view_kind_ops view_procs_ops = {
    .name = "processes",
    .aliases = {"process", "procs", "proc"},
    .columns = VIEW_COLUMNS(procs_cols, COL_EVENTS, true, COL_NONE),
    .rows = {procs_refresh, procs_value, procs_row_key, procs_details},
};
