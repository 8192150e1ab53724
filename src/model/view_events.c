/* The events view: the store's recent-events log, oldest first, one row per
 * event. Rows copy the event's path, since the log overwrites its own. */
#include "config.h"

#include "model/view_kind.h"

#include <stdlib.h>
#include <string.h>

/* The path stays last, where it takes the width left over; the container's
 * name is in the containers view (the unit here holds its id). */
static const uint8_t events_cols[] = {COL_TIME, COL_PID,   COL_TID,   COL_COMM, COL_USER,
                                      COL_UNIT, COL_EVENT, COL_CPATH, COL_PATH};
static const uint8_t events_extra[] = {COL_PPID, COL_PARENT};

struct evrow {
    int64_t time_ns;
    const struct fa_proc *proc;
    uint64_t seq;
    uint32_t off, len;   /* path in names */
    uint32_t coff, clen; /* cpath in names, clen 0 for none */
    int32_t tid;
    uint32_t types;
    uint32_t flags;
};

struct events_data {
    struct evrow *evs;
    size_t nevs, evs_cap;
    struct buf names;   /* the rows' paths */
    struct fa_event at; /* the event events_details hands out */
};

static void events_refresh(struct view *v, const struct store_view *sv)
{
    (void)sv;
    struct events_data *e = view_data(v);
    size_t n = store_log_count(v->st);
    e->nevs = 0;
    e->names.len = 0;
    v->total = n;
    const struct filter *f = view_filter_active(v);
    if (!buf_reserve(&e->evs, &e->evs_cap, n, sizeof *e->evs, false) ||
        !buf_reserve(&v->order, &v->order_cap, n, sizeof *v->order, false))
        return;
    for (size_t i = 0; i < n; i++) {
        struct fa_event ev;
        store_log_get(v->st, i, &ev);
        /* Overflow markers always show: a filter must not hide a loss. */
        if (!(ev.types & FA_BIT(FA_OVERFLOW)) && f && !filter_match_event(f, &ev))
            continue;
        uint32_t off = buf_add_name(&e->names, ev.path, ev.path_len);
        uint32_t coff = ev.cpath_len ? buf_add_name(&e->names, ev.cpath, ev.cpath_len) : 0;
        if (off == UINT32_MAX || coff == UINT32_MAX)
            break;
        e->evs[e->nevs] = (struct evrow){.time_ns = ev.time_ns,
                                         .proc = ev.proc,
                                         .seq = store_log_seq(v->st, i),
                                         .off = off,
                                         .len = (uint32_t)ev.path_len,
                                         .coff = coff,
                                         .clen = (uint32_t)ev.cpath_len,
                                         .tid = ev.tid,
                                         .types = ev.types,
                                         .flags = ev.flags};
        v->order[v->nrows++] = (uint32_t)e->nevs++;
    }
}

static const struct evrow *event_row(const struct view *v, uint32_t i)
{
    return &((const struct events_data *)view_data(v))->evs[i];
}

static void events_value(const struct view *v, const struct store_view *sv, uint32_t i,
                         enum view_col c, struct view_value *val)
{
    const struct events_data *e = view_data(v);
    const struct evrow *r = &e->evs[i];
    (void)sv;
    switch (c) {
    case COL_TIME:
        val->t = VAL_TIME_MS, val->i = r->time_ns;
        break;
    case COL_TID:
        val->t = VAL_INT, val->i = r->tid;
        break;
    case COL_EVENT:
        val->t = VAL_NAMES, val->u = r->types;
        break;
    case COL_PATH:
        view_val_str(val, e->names.p + r->off, r->len);
        break;
    case COL_CPATH:
        view_val_str(val, r->clen ? e->names.p + r->coff : "", r->clen);
        break;
    default:
        view_proc_value(r->proc, c, val);
        break;
    }
}

static uint64_t events_row_key(const struct view *v, uint32_t i)
{
    return event_row(v, i)->seq + 1;
}

/* The event itself, every field of it (view_details copies it). */
static struct view_target events_details(const struct view *v, uint32_t i)
{
    const struct evrow *r = event_row(v, i);
    struct events_data *e = view_data(v);
    e->at = (struct fa_event){.time_ns = r->time_ns,
                              .tid = r->tid,
                              .types = r->types,
                              .flags = r->flags,
                              .proc = r->proc,
                              .path = e->names.p + r->off,
                              .path_len = r->len,
                              .cpath = r->clen ? e->names.p + r->coff : NULL,
                              .cpath_len = r->clen};
    return (struct view_target){.event = &e->at};
}

/* The event's process; an overflow marker has none. */
static size_t events_procs(const struct view *v, uint32_t i, const struct fa_proc **out, size_t max)
{
    const struct evrow *r = event_row(v, i);
    size_t n = 0;
    if (!(r->types & FA_BIT(FA_OVERFLOW)) && r->proc->pid > 0)
        view_procs_add(out, max, &n, r->proc);
    return n;
}

/* The log's copy of paths is large with a deep log: give it back. */
static void events_leave(void *data)
{
    struct events_data *e = data;
    free(e->evs), e->evs = NULL, e->evs_cap = e->nevs = 0;
    buf_free(&e->names);
}

static void events_free(void *data)
{
    struct events_data *e = data;
    free(e->evs);
    buf_free(&e->names);
}

const struct view_kind_ops view_events_ops = {
    .name = "events",
    .aliases = {"event", "log"},
    .columns = VIEW_COLUMNS(events_cols, COL_TIME, false, COL_NONE),
    .rows = {events_refresh, events_value, events_row_key, events_details},
    VIEW_EXTRA(events_extra),
    .procs = events_procs,
    .data_size = sizeof(struct events_data),
    .leave = events_leave,
    .free_data = events_free,
};
