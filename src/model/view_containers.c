/* The containers view: one row per container the processes ran in, by the
 * name its runtime gave it, with its id (the unit) and the processes and
 * distinct files behind it. Processes outside containers have no row. */
#include "config.h"

#include "model/view_kind.h"

#include <string.h>

static const uint8_t containers_cols[] = {COL_CONTAINER, COL_UNIT, COL_EVENTS, COL_PROCS,
                                          COL_FILES,     COL_LAST, COL_RATE};

static void containers_refresh(struct view *v, const struct store_view *sv)
{
    view_unit_rows(v, sv, VIEW_GROUP_UNIT, true);
}

static void containers_value(const struct view *v, const struct store_view *sv, uint32_t i,
                             enum view_col c, struct view_value *val)
{
    const struct view_unit_row *r = &v->units[i];
    (void)sv;
    if (c == COL_CONTAINER)
        view_val_str(val, r->container, strlen(r->container));
    else if (c == COL_UNIT)
        view_val_str(val, r->unit, strlen(r->unit));
    else
        view_agg_value(&r->sum, r->procs, r->files, c, val);
}

/* Its processes. */
static struct view_target containers_details(const struct view *v, uint32_t i)
{
    return (struct view_target){.unit = v->units[i].unit, .container = v->units[i].container};
}

static uint64_t containers_row_key(const struct view *v, uint32_t i)
{
    return v->units[i].hash;
}

const struct view_kind_ops view_containers_ops = {
    .name = "containers",
    .aliases = {"container"},
    .columns = VIEW_COLUMNS(containers_cols, COL_EVENTS, true, COL_CONTAINER),
    .rows = {containers_refresh, containers_value, containers_row_key, containers_details},
};
