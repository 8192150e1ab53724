#include "config.h"

#include "run/headless.h"
#include "base/clock.h"
#include "base/safeout.h"
#include "pipe/wire.h"
#include "run/follow.h"
#include "run/signals.h"

#include <poll.h>
#include <stdio.h>

/* Records taken per drain: bounds the time between two end checks. */
#define DRAIN_BATCH 4096

static void on_notice(const char *text, void *ctx)
{
    (void)ctx;
    safeout_say("%s", text);
}

/* --duration from now as a clock_real_ns() time, saturated: a duration of
 * centuries must not wrap round to the past. 0 when none. */
static int64_t deadline_of(double seconds, int64_t now)
{
    if (seconds <= 0)
        return 0;
    double ns = seconds * (double)CLOCK_NS_PER_S;
    if (ns >= (double)(INT64_MAX - now))
        return INT64_MAX;
    return now + (int64_t)ns;
}

void headless_init(struct headless *h, struct app *app, const struct headless_mode *mode, void *ctx,
                   int out_fd)
{
    *h = (struct headless){.app = app, .mode = mode, .ctx = ctx, .out_fd = out_fd};
    int64_t deadline = deadline_of(app->opt->duration, clock_real_ns());
    run_end_init(&h->end, app, deadline, app->opt->count);
}

/* True when FD's reader has gone (a pipe or FIFO whose other end is
 * closed, a terminal hung up): nothing written there can be read. */
static bool reader_gone(int fd)
{
    /* No events asked for: POLLERR (a pipe without reader) and POLLHUP (a
     * terminal hung up) are always reported. */
    struct pollfd p = {.fd = fd, .events = 0};
    return fd >= 0 && poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP));
}

/* Ended by --duration or --count (SIGALRM is the deadline's timer), not by
 * a stop signal or the reader's going. */
static bool at_limit(const struct headless *h)
{
    int sig = signals_stop_requested();
    return !h->failed && !h->reader_gone && (!sig || sig == SIGALRM);
}

int headless_run(struct headless *h)
{
    struct app *app = h->app;
    struct wire_sink sink = {h->mode->on_event, on_notice, h->ctx};
    if (h->end.deadline)
        signals_alarm_in(h->end.deadline - clock_real_ns());
    for (;;) {
        run_end_before_drain(&h->end, clock_real_ns());
        size_t n = wire_drain(app->ring, DRAIN_BATCH, app->procs, &sink);
        if (h->failed)
            break;
        int64_t now = clock_real_ns();
        enum run_state st = run_end_check(&h->end, n, h->counted, now);
        if (st == RUN_STOP && !at_limit(h))
            break;
        bool last = st == RUN_DRAINED || st == RUN_STOP;
        if (h->mode->after_drain && !h->mode->after_drain(h->ctx, now, last))
            break;
        if (last)
            break;
        if (n == 0) {
            int64_t nap = h->mode->idle(h->ctx, now);
            follow_pump(app->follow);
            /* Checked while idle: a reader gone (head -c1) ends the run now,
             * not at the next event written. */
            if (reader_gone(h->out_fd)) {
                h->reader_gone = true;
                break;
            }
            clock_nap_ns(nap);
        }
    }
    signals_alarm_off();
    follow_pump(app->follow);
    return run_end_status(&h->end);
}
