/* Record mode: every event the filter lets through goes to a record file,
 * no curses, until a signal, --duration, --count, the end of a replay or the
 * exit of a followed command. */
#include "config.h"

#include "run/app.h"
#include "base/atomic_file.h"
#include "base/clock.h"
#include "record/recwriter.h"
#include "run/headless.h"
#include "run/signals.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct record_state {
    struct headless run; /* run.counted: the events written */
    struct recwriter *w;
    FILE *out;
    uint64_t overflows;
    uint64_t unselected; /* not selected by --filter */
    uint64_t unsure;     /* written with a path not known for certain ("?...") */
    uint64_t beyond;     /* after --count was reached, or after a write error */
    uint64_t limit;
    int write_errno;
};

static void on_event(const struct fa_event *ev, void *ctx)
{
    struct record_state *rs = ctx;
    bool overflow = ev->types & FA_BIT(FA_OVERFLOW);
    if (rs->write_errno || (rs->limit && rs->run.counted >= rs->limit)) {
        rs->beyond += !overflow;
        return;
    }
    /* Overflow markers always go out: the filter must not hide a loss. */
    if (!overflow && !filter_match_event(rs->run.app->filter, ev)) {
        rs->unselected++;
        return;
    }
    if (recwriter_write(rs->w, ev) < 0) {
        rs->write_errno = errno ? errno : EIO;
        rs->run.failed = true;
        return;
    }
    if (overflow)
        rs->overflows++;
    else
        rs->run.counted++;
    if (!overflow && ev->path_len && ev->path[0] == '?')
        rs->unsure++;
}

static int64_t on_idle(void *ctx, int64_t now)
{
    struct record_state *rs = ctx;
    (void)now;
    /* Hand the reader what we have (--record=- | fanotop --replay=- streams). */
    fflush(rs->out);
    return HEADLESS_NAP_NS;
}

static const struct headless_mode record_mode = {
    .on_event = on_event,
    .idle = on_idle,
};

/* The last lines on stderr: what was written, what was lost. */
static void summary(const struct record_state *rs)
{
    const struct app *app = rs->run.app;
    fprintf(stderr,
            "fanotop: %" PRIu64 " events, %" PRIu64 " kernel overflows, %" PRIu64 " ring losses\n",
            rs->run.counted, rs->overflows, ring_losses(app->ring));
    if (rs->unsure)
        fprintf(stderr,
                "fanotop: %" PRIu64
                " of them with a path not known for certain (starting with ?)\n",
                rs->unsure);
    if (!app->opt->verbose)
        return;
    /* Every event the source produced is accounted for, losses included. */
    struct source_stats st;
    source_get_stats(app->src, &st);
    fprintf(stderr,
            "fanotop: %" PRIu64 " events captured: %" PRIu64 " written, %" PRIu64
            " lost in the ring, %" PRIu64 " not selected by the filter, %" PRIu64
            " past --count or a write error\n",
            st.events, rs->run.counted, ring_losses(app->ring), rs->unselected, rs->beyond);
    /* What the kernel delivered that no one asked for: a narrow PATH costs
     * the rest of its filesystem nothing only when this stays small. */
    fprintf(stderr,
            "fanotop: %" PRIu64 " events read were outside the scope (PATH, followed "
            "processes) or fanotop's own; %" PRIu64 " per-event errors (a process gone, a "
            "file, mount or descriptor not to be had)\n",
            st.filtered, st.errors);
}

int record_run(struct app *app)
{
    const struct options *opt = app->opt;
    bool to_stdout = strcmp(opt->record, "-") == 0;
    char err[512];
    FILE *out = to_stdout ? stdout : atomic_file_open_stream(opt->record, err, sizeof err);
    if (!out) {
        fprintf(stderr, "fanotop: %s\n", err);
        return 2;
    }
    struct record_state rs = {.out = out, .limit = opt->count};
    rs.w = recwriter_create(out, opt->format);
    if (!rs.w) {
        fprintf(stderr, "fanotop: out of memory\n");
        return 1;
    }
    int64_t deadline =
        opt->duration > 0 ? clock_real_ns() + (int64_t)(opt->duration * CLOCK_NS_PER_S) : 0;
    headless_init(&rs.run, app, &record_mode, &rs, deadline, opt->count);
    int status = headless_run(&rs.run);

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
    summary(&rs);
    return status;
}
