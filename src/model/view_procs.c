/* The processes view: one row per process identity (a pid between two
 * execs), with the events and files it touched. Also a units row's details:
 * the processes of that one unit. Grouped (view_set_group), one row per
 * comm, exe or unit with the processes folded into it, made by the scan
 * the units view uses; its details are those processes. */
#include "config.h"

#include "model/view_kind.h"

#include <string.h>

static const uint8_t procs_cols[] = {COL_PID,    COL_COMM,  COL_USER, COL_UNIT, COL_EXE,
                                     COL_EVENTS, COL_FILES, COL_LAST, COL_RATE};
static const uint8_t procs_extra[] = {COL_PPID, COL_PARENT, COL_START, COL_CMDLINE};

static const uint8_t by_comm[] = {COL_COMM, COL_PROCS, COL_EVENTS, COL_FILES, COL_LAST, COL_RATE};
static const uint8_t by_exe[] = {COL_EXE, COL_PROCS, COL_EVENTS, COL_FILES, COL_LAST, COL_RATE};
static const uint8_t by_unit[] = {COL_UNIT, COL_PROCS, COL_EVENTS, COL_FILES, COL_LAST, COL_RATE};
static const struct view_kind_columns group_cols[VIEW_NGROUPS] = {
    [VIEW_GROUP_COMM] = VIEW_COLUMNS(by_comm, COL_EVENTS, true, COL_NONE),
    [VIEW_GROUP_EXE] = VIEW_COLUMNS(by_exe, COL_EVENTS, true, COL_NONE),
    [VIEW_GROUP_UNIT] = VIEW_COLUMNS(by_unit, COL_EVENTS, true, COL_NONE),
};

static bool grouped(const struct view *v)
{
    return v->group != VIEW_GROUP_NONE && v->kind == VIEW_PROCS;
}

static struct view_target procs_details(const struct view *v, uint32_t i)
{
    if (grouped(v))
        return (struct view_target){.unit = v->units[i].unit, .by = v->group};
    return (struct view_target){.proc = v->procs[i].proc};
}

static void procs_refresh(struct view *v, const struct store_view *sv)
{
    if (grouped(v)) { /* the units view's rows, per the group's field */
        view_unit_rows(v, sv, v->group, false);
        return;
    }
    view_scan(v, sv, (struct view_scan_want){.procs = true});
    size_t total = 0;
    for (size_t i = 0; i < v->nprocs; i++) {
        const struct view_proc_row *p = &v->procs[i];
        if (v->unit_only && strcmp(view_group_key(p->proc, v->only_by), v->unit_only) != 0)
            continue;
        total++;
        if (p->sum.events)
            view_push(v, (uint32_t)i);
    }
    v->total = total;
}

static uint64_t procs_row_key(const struct view *v, uint32_t i)
{
    return grouped(v) ? v->units[i].hash : view_proc_key(v->procs[i].proc);
}

static void procs_value(const struct view *v, const struct store_view *sv, uint32_t i,
                        enum view_col c, struct view_value *val)
{
    (void)sv;
    if (grouped(v)) {
        const struct view_unit_row *r = &v->units[i];
        if (c == COL_COMM || c == COL_EXE || c == COL_UNIT)
            val->t = c == COL_UNIT ? VAL_UNIT : VAL_STR, val->s = r->unit,
            val->len = strlen(r->unit);
        else
            view_agg_value(&r->sum, r->procs, r->files, c, val);
        return;
    }
    const struct view_proc_row *r = &v->procs[i];
    if (!view_agg_value(&r->sum, 0, r->files, c, val))
        view_proc_value(r->proc, c, val);
}

/* A process row: its process; a group row: every process folded into it. */
static size_t procs_procs(const struct view *v, uint32_t i, const struct fa_proc **out, size_t max)
{
    size_t n = 0;
    if (!grouped(v)) {
        view_procs_add(out, max, &n, v->procs[i].proc);
        return n;
    }
    for (size_t j = 0; j < v->nprocs; j++)
        if (v->procs[j].unit == i && v->procs[j].sum.events)
            view_procs_add(out, max, &n, v->procs[j].proc);
    return n;
}

const struct view_kind_ops view_procs_ops = {
    .name = "processes",
    .aliases = {"process", "procs", "proc"},
    .columns = VIEW_COLUMNS(procs_cols, COL_EVENTS, true, COL_NONE),
    .rows = {procs_refresh, procs_value, procs_row_key, procs_details},
    VIEW_EXTRA(procs_extra),
    .group_columns = group_cols,
    .procs = procs_procs,
};
