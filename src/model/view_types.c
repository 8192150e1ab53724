/* The types view: one row per event type, with its share of the events
 * shown and its rate. Rows are type numbers. */
#include "config.h"

#include "model/view_kind.h"

#include <string.h>

static const uint8_t types_cols[] = {COL_TYPE, COL_EVENTS, COL_SHARE, COL_RATE};

struct types_data {
    struct view_type_row rows[STORE_NCOUNTS];
};

static void types_refresh(struct view *v, const struct store_view *sv)
{
    struct view_type_row *types = ((struct types_data *)view_data(v))->rows;
    view_scan(v, sv, (struct view_scan_want){.types = types});
    uint64_t sum = 0;
    for (int t = 0; t < STORE_NCOUNTS; t++)
        sum += types[t].sum.events;
    if (!view_filter_active(v)) {
        /* Unfiltered, the store's own per-type counts give exact rates. */
        uint64_t rate[STORE_NCOUNTS];
        store_internal_type_rate(v->st, rate);
        for (int t = 0; t < STORE_NCOUNTS; t++)
            types[t].sum.rate = sv->interval_s > 0 ? (double)rate[t] / sv->interval_s : 0;
    }
    struct store_totals tot;
    store_get_totals(v->st, &tot);
    v->total = 0;
    for (int t = 0; t < STORE_NCOUNTS; t++) {
        if (tot.per_type[t])
            v->total++;
        if (!types[t].sum.events)
            continue;
        types[t].share = 100.0 * (double)types[t].sum.events / (double)sum;
        view_push(v, (uint32_t)t);
    }
}

static void types_value(const struct view *v, const struct store_view *sv, uint32_t i,
                        enum view_col c, struct view_value *val)
{
    const struct view_type_row *r = &((const struct types_data *)view_data(v))->rows[i];
    (void)sv;
    if (c == COL_TYPE)
        view_val_str(val, fa_types[i].name, strlen(fa_types[i].name));
    else if (c == COL_SHARE)
        val->t = VAL_DOUBLE, val->d = r->share;
    else
        view_agg_value(&r->sum, 0, 0, c, val);
}

static uint64_t types_row_key(const struct view *v, uint32_t i)
{
    (void)v;
    return i + 1;
}

const struct view_kind_ops view_types_ops = {
    .name = "types",
    .aliases = {"type"},
    .columns = VIEW_COLUMNS(types_cols, COL_EVENTS, true, COL_NONE),
    .data_size = sizeof(struct types_data),
    .rows = {types_refresh, types_value, types_row_key, NULL}, /* no details */
};
