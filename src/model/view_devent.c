/* The details of one event (Enter on a row of the events view): every field
 * of the event and of the process identity it names, one row each, in a
 * fixed order (container and cpath only for a process in a container or
 * another mount namespace). The event is a copy (view.c's set_target), so the rows never
 * change; Enter on the path opens its processes, on a process field the
 * paths of that process. */
#include "config.h"

#include "model/view_kind.h"

#include "base/iso8601.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const uint8_t devent_cols[] = {COL_FIELD, COL_VALUE};

enum field {
    F_TIME,
    F_EVENT,
    F_PATH,
    F_PATH_STATE,
    F_PID,
    F_TID,
    F_PPID,
    F_USER,
    F_UID,
    F_COMM,
    F_EXE,
    F_CMDLINE,
    F_UNIT,
    F_CONTAINER,
    F_CPATH,
    F_NFIELDS
};

static const char *const field_names[F_NFIELDS] = {
    [F_TIME] = "time",   [F_EVENT] = "event",
    [F_PATH] = "path",   [F_PATH_STATE] = "path state",
    [F_PID] = "pid",     [F_TID] = "tid",
    [F_PPID] = "ppid",   [F_USER] = "user",
    [F_UID] = "uid",     [F_COMM] = "comm",
    [F_EXE] = "exe",     [F_CMDLINE] = "cmdline",
    [F_UNIT] = "unit",   [F_CONTAINER] = "container",
    [F_CPATH] = "cpath",
};

/* The values that are not strings of the event or its process, as text. */
struct devent_data {
    char time[160];
    char event[256];
    char state[96];
    char num[F_NFIELDS][24];
};

static void devent_refresh(struct view *v, const struct store_view *sv)
{
    (void)sv;
    struct devent_data *d = view_data(v);
    const struct fa_event *ev = &v->target_ev;
    const struct fa_proc *p = ev->proc ? ev->proc : v->target_proc;
    /* The record files' UTC time, and the local time the screen shows. */
    char iso[48], local[48];
    iso8601_format(ev->time_ns, iso, sizeof iso);
    time_t sec = (time_t)(ev->time_ns / 1000000000);
    struct tm tm;
    localtime_r(&sec, &tm);
    strftime(local, sizeof local, "%Y-%m-%d %H:%M:%S %Z", &tm);
    snprintf(d->time, sizeof d->time, "%s (%s)", iso, local);
    fa_types_format(ev->types, '|', d->event, sizeof d->event);
    snprintf(d->state, sizeof d->state, "%s%s%s%s", ev->flags & FA_EV_DIR ? "directory " : "",
             ev->flags & FA_EV_DELETED ? "deleted (no name left) " : "",
             ev->flags & FA_EV_UNRESOLVED ? "not named (what is known) " : "",
             ev->flags & (FA_EV_DIR | FA_EV_DELETED | FA_EV_UNRESOLVED) ? "" : "named");
    size_t n = strlen(d->state);
    if (n && d->state[n - 1] == ' ')
        d->state[n - 1] = '\0';
    snprintf(d->num[F_PID], sizeof d->num[0], "%" PRId32, p ? p->pid : 0);
    snprintf(d->num[F_TID], sizeof d->num[0], "%" PRId32, ev->tid);
    snprintf(d->num[F_PPID], sizeof d->num[0], "%" PRId32, p ? p->ppid : 0);
    snprintf(d->num[F_UID], sizeof d->num[0], "%" PRIu32, p ? p->uid : 0);
    for (uint32_t f = 0; f < F_CONTAINER; f++)
        view_push(v, f);
    if (p && *fa_proc_container(p))
        view_push(v, F_CONTAINER);
    if (ev->cpath)
        view_push(v, F_CPATH);
    v->total = v->nrows;
}

static void devent_value(const struct view *v, const struct store_view *sv, uint32_t i,
                         enum view_col c, struct view_value *val)
{
    (void)sv;
    const struct devent_data *d = view_data(v);
    const struct fa_proc *p = v->target_ev.proc ? v->target_ev.proc : v->target_proc;
    if (c == COL_FIELD) {
        view_val_str(val, field_names[i], strlen(field_names[i]));
        return;
    }
    /* The process's strings, by field. */
    static const size_t proc_str[F_NFIELDS] = {
        [F_USER] = offsetof(struct fa_proc, user), [F_COMM] = offsetof(struct fa_proc, comm),
        [F_EXE] = offsetof(struct fa_proc, exe),   [F_CMDLINE] = offsetof(struct fa_proc, cmdline),
        [F_UNIT] = offsetof(struct fa_proc, unit),
    };
    const char *s = "";
    size_t len = 0;
    if (i == F_TIME)
        s = d->time;
    else if (i == F_EVENT)
        s = d->event;
    else if (i == F_PATH)
        s = v->target, len = v->target_len;
    else if (i == F_PATH_STATE)
        s = d->state;
    else if (i == F_CONTAINER)
        s = p ? fa_proc_container(p) : "";
    else if (i == F_CPATH)
        s = v->target_ev.cpath ? v->target_ev.cpath : "",
        len = v->target_ev.cpath ? v->target_ev.cpath_len : 0;
    else if (d->num[i][0])
        s = d->num[i];
    else if (p && proc_str[i])
        s = *(const char *const *)((const char *)p + proc_str[i]);
    if (i == F_UNIT && !*s)
        s = "-";
    view_val_str(val, s, i == F_PATH || i == F_CPATH ? len : strlen(s));
}

static uint64_t devent_row_key(const struct view *v, uint32_t i)
{
    (void)v;
    return i + 1;
}

/* A path row: that path's processes; a process row: its paths. */
static struct view_target devent_details(const struct view *v, uint32_t i)
{
    struct view_target t = {0};
    if (i == F_PATH || i == F_PATH_STATE || i == F_CPATH) {
        if (!(v->target_ev.types & FA_BIT(FA_OVERFLOW)))
            t.path = v->target, t.path_len = v->target_len;
    } else if (i >= F_PID && v->target_proc) {
        t.proc = v->target_proc;
    }
    return t;
}

/* The fields keep their order whatever the sort column. */
static void devent_arrange(struct view *v)
{
    (void)v;
}

const struct view_kind_ops view_devent_ops = {
    .name = "event details",
    .columns = VIEW_COLUMNS(devent_cols, COL_FIELD, false, COL_NONE),
    .rows = {devent_refresh, devent_value, devent_row_key, devent_details},
    .data_size = sizeof(struct devent_data),
    .arrange = devent_arrange,
};
