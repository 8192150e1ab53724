/* The one loop of the headless modes (--record, --batch): no curses; drain
 * the ring until the run ends (run_end.h), each mode doing its own work on
 * what comes through a small table of functions. Notices go to stderr. */
#ifndef FANOTOP_HEADLESS_H
#define FANOTOP_HEADLESS_H

#include "base/clock.h"
#include "base/event.h"
#include "run/app.h"
#include "run/run_end.h"

#include <stdbool.h>
#include <stdint.h>

/* How long a mode naps when nothing came, at most: events wait no longer. */
#define HEADLESS_NAP_NS (2 * CLOCK_NS_PER_MS)

struct headless_mode {
    /* Each event drained from the ring. */
    void (*on_event)(const struct fa_event *ev, void *ctx);
    /* After each drain that did not stop the run, at NOW (clock_real_ns());
     * LAST: the source is drained and the run ends after this call. False
     * ends the run. NULL: nothing to do. */
    bool (*after_drain)(void *ctx, int64_t now, bool last);
    /* Nothing was drained: hand out what is written; returns how long to
     * nap before the next drain, in ns. */
    int64_t (*idle)(void *ctx, int64_t now);
};

struct headless {
    struct app *app;
    const struct headless_mode *mode;
    void *ctx;        /* the mode's state, passed to MODE's functions */
    uint64_t counted; /* kept by the mode: the events --count counts */
    bool failed;      /* set by the mode when its output failed: the run stops */
    struct run_end end;
};

/* Prepare H to run MODE with CTX on APP; DEADLINE and COUNT as in
 * run_end_init. */
void headless_init(struct headless *h, struct app *app, const struct headless_mode *mode, void *ctx,
                   int64_t deadline, uint64_t count);

/* Drain until the run ends; returns its exit status (run_end_status). */
int headless_run(struct headless *h);

#endif
