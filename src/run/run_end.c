#include "config.h"

#include "run/run_end.h"

void run_end_init(struct run_end *e, const struct app *app, int64_t deadline, uint64_t count)
{
    *e = (struct run_end){.app = app, .deadline = deadline, .count = count};
}

void run_end_before_drain(struct run_end *e, int64_t now)
{
    e->caught_up = follow_end_caught_up(&e->child, e->app->src, now);
}

/* Once the source is done, an empty ring means every record has been
 * drained: ask in that order. */
static bool source_drained(const struct app *app)
{
    return !app->live && source_finished(app->src) && ring_empty(app->ring);
}

enum run_state run_end_check(struct run_end *e, size_t drained, uint64_t counted, int64_t now)
{
    const struct app *app = e->app;
    if (e->count && counted >= e->count)
        return RUN_STOP;
    enum follow_stop st = follow_check_stop(app->follow, e->child.reaped);
    if (st == FOLLOW_STOP)
        return RUN_STOP;
    if (e->deadline && now >= e->deadline)
        return RUN_STOP;
    if (app->follow)
        follow_end_reap(app->follow, app->src, &e->child, &e->status, now);
    /* The command's last events are in, and drained. */
    if (source_drained(app) || (e->caught_up && drained == 0))
        return RUN_DRAINED;
    return st == FOLLOW_FORWARDED ? RUN_FORWARDED : RUN_ON;
}

int run_end_status(const struct run_end *e)
{
    if (!e->status && source_drained(e->app))
        return source_status(e->app->src);
    return e->status;
}
