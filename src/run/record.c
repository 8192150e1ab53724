/* Record mode: every event the filter lets through goes to a record file,
 * no curses, until a signal, --duration, --count, the end of a replay or the
 * exit of a followed command. */
#include "config.h"

#include "run/app.h"
#include "base/atomic_file.h"
#include "base/safeout.h"
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
    safeout_say("%" PRIu64 " events, %" PRIu64 " kernel overflows, %" PRIu64 " ring losses",
                rs->run.counted, rs->overflows, ring_losses(app->ring));
    if (rs->unsure)
        safeout_say("%" PRIu64 " of them with a path not known for certain (starting with ?)",
                    rs->unsure);
    if (!app->opt->verbose)
        return;
    /* Every event the source produced is accounted for, losses included. */
    struct source_stats st;
    source_get_stats(app->src, &st);
    safeout_say("%" PRIu64 " events captured: %" PRIu64 " written, %" PRIu64
                " lost in the ring, %" PRIu64 " not selected by the filter, %" PRIu64
                " past --count or a write error",
                st.events, rs->run.counted, ring_losses(app->ring), rs->unselected, rs->beyond);
    /* What the kernel delivered that no one asked for: a narrow PATH costs
     * the rest of its filesystem nothing only when this stays small. */
    safeout_say("%" PRIu64 " events read were outside the scope (PATH, followed processes) or "
                "fanotop's own; %" PRIu64 " per-event errors (a process gone, a file, mount "
                "or descriptor not to be had)",
                st.filtered, st.errors);
}

/* The output as the record is written to it: a terminal gets it escaped
 * as the screen would show it. OWN: closing it closes OUT. NULL (after a
 * message) when out of memory. */
static FILE *as_written(FILE *out, bool own)
{
    if (!safeout_is_tty(out))
        return out;
    FILE *tty = safeout_stream(out, own);
    if (!tty) {
        if (own)
            fclose(out);
        safeout_say("out of memory");
    }
    return tty;
}

int record_open(struct app *app)
{
    const struct options *opt = app->opt;
    char err[512];
    FILE *out = stdout;
    if (strcmp(opt->record, "-") != 0 &&
        atomic_file_probe_stream(opt->record, &out, err, sizeof err) < 0) {
        safeout_say("%s", err);
        return 2;
    }
    if (!out)
        return 0; /* a file to make: made by record_run, when the run starts */
    app->out_fd = fileno(out);
    app->out = as_written(out, out != stdout);
    return app->out ? 0 : 1;
}

/* The message for a failed write to the record, or NULL when it is a
 * normal end: the reader going away ends a pipeline. */
static const char *write_failure(const struct record_state *rs, int ferr_errno)
{
    int e = rs->write_errno ? rs->write_errno : ferr_errno;
    if (rs->run.reader_gone || e == EPIPE || signals_stop_requested() == SIGPIPE)
        return NULL;
    if (e == EINTR && signals_stop_requested() == SIGALRM)
        return "its reader was not reading when --duration ended";
    return strerror(e ? e : EIO);
}

int record_run(struct app *app)
{
    const struct options *opt = app->opt;
    bool to_stdout = strcmp(opt->record, "-") == 0;
    if (!app->out) {
        char err[512];
        FILE *file = atomic_file_open_stream(opt->record, err, sizeof err);
        if (!file) {
            safeout_say("%s", err);
            return 2;
        }
        app->out_fd = fileno(file);
        if (!(app->out = as_written(file, true)))
            return 1;
    }
    FILE *out = app->out;
    struct record_state rs = {.out = out, .limit = opt->count};
    rs.w = recwriter_create(out, opt->format);
    if (!rs.w) {
        safeout_say("out of memory");
        return 1;
    }
    headless_init(&rs.run, app, &record_mode, &rs, app->out_fd);
    int status = headless_run(&rs.run);

    errno = 0;
    int ferr = recwriter_finish(rs.w);
    int ferr_errno = ferr ? errno : 0;
    if (out != stdout && fclose(out) != 0 && !ferr) {
        ferr = -1;
        ferr_errno = errno;
    }
    app->out = NULL;
    const char *why = rs.write_errno || ferr ? write_failure(&rs, ferr_errno) : NULL;
    if (why) {
        safeout_say("cannot write %s: %s", to_stdout ? "stdout" : opt->record, why);
        status = 1;
    }
    summary(&rs);
    return status;
}
