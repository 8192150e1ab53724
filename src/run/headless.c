#include "config.h"

#include "run/headless.h"
#include "base/clock.h"
#include "pipe/wire.h"

#include <stdio.h>

/* Records taken per drain: bounds the time between two end checks. */
#define DRAIN_BATCH 4096

static void on_notice(const char *text, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "fanotop: %s\n", text);
}

void headless_init(struct headless *h, struct app *app, const struct headless_mode *mode, void *ctx,
                   int64_t deadline, uint64_t count)
{
    *h = (struct headless){.app = app, .mode = mode, .ctx = ctx};
    run_end_init(&h->end, app, deadline, count);
}

int headless_run(struct headless *h)
{
    struct app *app = h->app;
    struct wire_sink sink = {h->mode->on_event, on_notice, h->ctx};
    for (;;) {
        run_end_before_drain(&h->end, clock_real_ns());
        size_t n = wire_drain(app->ring, DRAIN_BATCH, app->procs, &sink);
        if (h->failed)
            break;
        int64_t now = clock_real_ns();
        enum run_state st = run_end_check(&h->end, n, h->counted, now);
        if (st == RUN_STOP)
            break;
        bool last = st == RUN_DRAINED;
        if (h->mode->after_drain && !h->mode->after_drain(h->ctx, now, last))
            break;
        if (last)
            break;
        if (n == 0)
            clock_nap_ns(h->mode->idle(h->ctx, now));
    }
    return run_end_status(&h->end);
}
