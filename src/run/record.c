/* Record mode: every event the filter lets through goes to a record file,
 * no curses, until a signal, --duration, --count, the end of a replay or the
 * exit of a followed command. */
#include "config.h"

#include "run/app.h"
#include "base/clock.h"
#include "record/export.h"
#include "run/follow.h"
#include "run/signals.h"
#include "pipe/wire.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct record_state {
    struct app *app;
    struct recwriter *w;
    uint64_t written;
    uint64_t overflows;
    uint64_t unselected; /* not selected by --filter */
    uint64_t beyond;     /* after --count was reached, or after a write error */
    uint64_t limit;
    int write_errno;
};

static void on_event(const struct fa_event *ev, void *ctx)
{
    struct record_state *rs = ctx;
    bool overflow = ev->types & FA_BIT(FA_OVERFLOW);
    if (rs->write_errno || (rs->limit && rs->written >= rs->limit)) {
        rs->beyond += !overflow;
        return;
    }
    /* Overflow markers always go out: the filter must not hide a loss. */
    if (!overflow && !filter_match_event(rs->app->filter, ev)) {
        rs->unselected++;
        return;
    }
    if (recwriter_write(rs->w, ev) < 0) {
        rs->write_errno = errno ? errno : EIO;
        return;
    }
    if (overflow)
        rs->overflows++;
    else
        rs->written++;
}

static void on_notice(const char *text, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "fanotop: %s\n", text);
}

int record_run(struct app *app)
{
    const struct options *opt = app->opt;
    bool to_stdout = strcmp(opt->record, "-") == 0;
    char err[512];
    FILE *out = to_stdout ? stdout : export_open_stream(opt->record, err, sizeof err);
    if (!out) {
        fprintf(stderr, "fanotop: %s\n", err);
        return 2;
    }
    struct record_state rs = {.app = app, .limit = opt->count};
    rs.w = recwriter_create(out, opt->format);
    if (!rs.w) {
        fprintf(stderr, "fanotop: out of memory\n");
        return 1;
    }
    struct wire_sink sink = {on_event, on_notice, &rs};
    int64_t start = clock_real_ns();
    int64_t deadline = opt->duration > 0 ? start + (int64_t)(opt->duration * 1e9) : 0;
    int status = 0;
    struct follow_end end = {0};

    for (;;) {
        bool caught_up = follow_end_caught_up(&end, app->src, clock_real_ns());
        size_t n = wire_drain(app->ring, 4096, app->procs, &sink);
        if (rs.write_errno)
            break;
        if (rs.limit && rs.written >= rs.limit)
            break;
        if (follow_check_stop(app->follow, end.done) == FOLLOW_STOP)
            break; /* Ctrl-C went to a followed command first: we stop when it exits */
        int64_t now = clock_real_ns();
        if (deadline && now >= deadline)
            break;
        if (app->follow)
            follow_end_reap(app->follow, app->src, &end, &status, now);
        if (n == 0) {
            /* The command's last events are in, and drained. */
            if (caught_up)
                break;
            if (!app->live && source_finished(app->src) && ring_empty(app->ring))
                break;
            /* Idle: hand the reader what we have (--record=- | fanotop --replay=- streams). */
            fflush(out);
            clock_nap_ns(2000000);
        }
    }
    if (!app->live && ring_empty(app->ring) && source_finished(app->src))
        status = status ? status : source_status(app->src);

    int ferr = recwriter_finish(rs.w);
    if (!to_stdout && fclose(out) != 0 && !ferr)
        ferr = -1;
    if (rs.write_errno == EPIPE || signals_stop_requested() == SIGPIPE) {
        /* The reader went away: a normal end for a pipeline. */
    } else if (rs.write_errno || ferr) {
        fprintf(stderr, "fanotop: cannot write %s: %s\n", to_stdout ? "stdout" : opt->record,
                strerror(rs.write_errno ? rs.write_errno : errno));
        status = 1;
    }
    app_summary(app, rs.written, rs.overflows);
    if (opt->verbose) {
        /* Every event the source produced is accounted for, losses included. */
        struct source_stats st;
        source_get_stats(app->src, &st);
        fprintf(stderr,
                "fanotop: %" PRIu64 " events captured: %" PRIu64 " written, %" PRIu64
                " lost in the ring, %" PRIu64 " not selected by the filter, %" PRIu64
                " past --count or a write error\n",
                st.events, rs.written, ring_losses(app->ring), rs.unselected, rs.beyond);
    }
    return status;
}
