/* The units view: one row per systemd unit or container (and one for
 * processes in neither), with the processes and distinct files behind it. */
#include "config.h"

#include "model/view_kind.h"

#include <string.h>

static const uint8_t units_cols[] = {COL_UNIT, COL_EVENTS, COL_PROCS, COL_FILES, COL_LAST};

void view_unit_rows(struct view *v, const struct store_view *sv, int group, bool containers)
{
    view_scan(v, sv,
              (struct view_scan_want){.procs = true, .units = true, .group = (uint8_t)group});
    for (size_t i = 0; i < v->nprocs; i++) {
        const struct view_proc_row *p = &v->procs[i];
        if (!p->sum.events || p->unit == STORE_NONE)
            continue;
        struct view_unit_row *u = &v->units[p->unit];
        view_sums_add(&u->sum, p->sum.events, p->sum.last, p->sum.rate);
        u->procs++;
    }
    v->total = 0;
    for (size_t i = 0; i < v->nunits; i++) {
        if (containers && !*v->units[i].container)
            continue;
        v->total++;
        if (v->units[i].sum.events)
            view_push(v, (uint32_t)i);
    }
}

static void units_refresh(struct view *v, const struct store_view *sv)
{
    view_unit_rows(v, sv, VIEW_GROUP_UNIT, false);
}

static void units_value(const struct view *v, const struct store_view *sv, uint32_t i,
                        enum view_col c, struct view_value *val)
{
    const struct view_unit_row *r = &v->units[i];
    (void)sv;
    if (c == COL_UNIT)
        val->t = VAL_UNIT, val->s = r->unit, val->len = strlen(r->unit);
    else
        view_agg_value(&r->sum, r->procs, r->files, c, val);
}

/* Its processes. */
static struct view_target units_details(const struct view *v, uint32_t i)
{
    return (struct view_target){.unit = v->units[i].unit};
}

static uint64_t units_row_key(const struct view *v, uint32_t i)
{
    return v->units[i].hash;
}

const struct view_kind_ops view_units_ops = {
    .name = "units",
    .aliases = {"unit"},
    .columns = VIEW_COLUMNS(units_cols, COL_EVENTS, true, COL_UNIT),
    .rows = {units_refresh, units_value, units_row_key, units_details},
};
