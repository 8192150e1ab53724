/* Batch mode (-b): no curses. The ring is drained into a store without
 * pause; every --delay seconds the current view is printed, like top -b, as
 * a text table or (--format=csv) as CSV, until --iterations, a signal, the
 * end of a replay or the exit of a followed command. */
#include "config.h"

#include "run/app.h"
#include "base/clock.h"
#include "record/export.h"
#include "run/follow.h"
#include "run/signals.h"
#include "model/store.h"
#include "base/textsafe.h"
#include "model/view.h"
#include "pipe/wire.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Widest a table column is padded to; longer cells are printed whole. */
#define TABLE_MAX_WIDTH 60

static void on_event(const struct fa_event *ev, void *ctx)
{
    store_add(ctx, ev);
}

static void on_notice(const char *text, void *ctx)
{
    (void)ctx;
    fprintf(stderr, "fanotop: %s\n", text);
}

/* A growable byte string. */
struct text {
    char *p;
    size_t len, cap;
};

static void text_put(struct text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = realloc(t->p, cap);
        if (!p)
            return; /* out of memory: the cell comes out short */
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

/* Append S escaped for a terminal as the screen shows it (textsafe.h), but
 * whole: a table row is never cut. Returns the columns it takes. */
static size_t text_escape(struct text *t, const char *s, size_t n)
{
    struct textsafe_iter it;
    struct textsafe_glyph g;
    size_t width = 0;
    textsafe_init(&it, s, n, TEXTSAFE_UTF8);
    while (textsafe_next(&it, &g)) {
        text_put(t, g.bytes, g.len);
        width += g.width;
    }
    return width;
}

struct printer {
    FILE *out;
    bool csv;
    unsigned csv_flags;
    char *cell;
    size_t cap;
    struct text line;
    size_t *width;
};

/* Cell (ROW, COL), whole: exact for CSV, compact for the table; its length. */
static size_t get_cell(struct printer *pr, const struct view *v, size_t row, size_t col)
{
    enum view_format fmt = pr->csv ? VIEW_FMT_EXPORT : VIEW_FMT_SCREEN;
    size_t n = view_cell(v, row, col, fmt, pr->cell, pr->cap);
    if (n >= pr->cap) {
        char *bigger = realloc(pr->cell, n + 1);
        if (!bigger)
            return strlen(pr->cell);
        pr->cell = bigger;
        pr->cap = n + 1;
        n = view_cell(v, row, col, fmt, pr->cell, pr->cap);
    }
    return n;
}

static int print_csv(struct printer *pr, const struct view *v)
{
    size_t ncol = view_ncolumns(v);
    int rc = 0;
    for (size_t c = 0; c < ncol && rc == 0; c++) {
        const char *name = view_column(v, c)->name;
        if (c)
            rc = putc(',', pr->out) == EOF ? -1 : 0;
        if (rc == 0)
            rc = csv_write_field(pr->out, name, strlen(name), pr->csv_flags);
    }
    if (rc == 0 && putc('\n', pr->out) == EOF)
        rc = -1;
    for (size_t r = 0; r < view_nrows(v) && rc == 0; r++) {
        for (size_t c = 0; c < ncol && rc == 0; c++) {
            size_t n = get_cell(pr, v, r, c);
            if (c)
                rc = putc(',', pr->out) == EOF ? -1 : 0;
            if (rc == 0)
                rc = csv_write_field(pr->out, pr->cell, n, pr->csv_flags);
        }
        if (rc == 0 && putc('\n', pr->out) == EOF)
            rc = -1;
    }
    return rc;
}

/* Cell (ROW, COL) escaped into T as the table shows it: tree names are
 * indented by depth, directories end in '/'. Returns its width. */
static size_t table_cell(struct printer *pr, const struct view *v, size_t row, size_t col,
                         struct text *t)
{
    size_t n = get_cell(pr, v, row, col);
    size_t w = 0;
    bool tree_name = view_is_tree(v) && col == 0;
    if (tree_name)
        for (int d = view_tree_depth(v, row); d > 0; d--, w += 2)
            text_put(t, "  ", 2);
    w += text_escape(t, pr->cell, n);
    if (tree_name && view_kind(v) == VIEW_TREE && view_tree_is_dir(v, row, NULL) &&
        !(n && pr->cell[n - 1] == '/')) {
        text_put(t, "/", 1);
        w++;
    }
    return w;
}

/* One table line: cells escaped, padded to the column widths. */
static void table_line(struct printer *pr, const struct view *v, size_t row, bool header)
{
    size_t ncol = view_ncolumns(v);
    pr->line.len = 0;
    for (size_t c = 0; c < ncol; c++) {
        const struct view_column *col = view_column(v, c);
        struct text cell = {0};
        size_t w;
        if (header) {
            text_put(&cell, col->name, strlen(col->name));
            w = strlen(col->name);
        } else {
            w = table_cell(pr, v, row, c, &cell);
        }
        size_t pad = pr->width[c] > w ? pr->width[c] - w : 0;
        bool last = c + 1 == ncol;
        if (c)
            text_put(&pr->line, " ", 1);
        for (size_t i = 0; col->align == VIEW_RIGHT && i < pad; i++)
            text_put(&pr->line, " ", 1);
        if (cell.len)
            text_put(&pr->line, cell.p, cell.len);
        for (size_t i = 0; col->align == VIEW_LEFT && !last && i < pad; i++)
            text_put(&pr->line, " ", 1);
        free(cell.p);
    }
    text_put(&pr->line, "\n", 1);
    fwrite(pr->line.p, 1, pr->line.len, pr->out);
}

static int print_table(struct printer *pr, const struct app *app, const struct store *st,
                       const struct view *v, int64_t now_ns)
{
    struct store_totals tot;
    store_get_totals(st, &tot);
    time_t sec = (time_t)(now_ns / 1000000000);
    struct tm tm;
    localtime_r(&sec, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(pr->out,
            "fanotop - %s - events: %" PRIu64 ", rate: %.1f/s, rows: %zu/%zu, overflows: %" PRIu64
            ", ring losses: %" PRIu64 ", evictions: %" PRIu64 "\n",
            when, tot.events, tot.rate, view_nrows(v), view_total_rows(v), tot.overflows,
            ring_losses(app->ring), tot.evictions);
    const struct view_column *sc = view_column(v, view_sort_column(v));
    struct text filter = {0};
    const char *ftext = filter_text(app->filter);
    text_escape(&filter, ftext, strlen(ftext));
    fprintf(pr->out, "view: %s, sort: %s %s, filter: %s\n\n", view_kind_name(view_kind(v)),
            sc->name, view_sort_descending(v) ? "desc" : "asc", filter.len ? filter.p : "none");
    free(filter.p);

    size_t ncol = view_ncolumns(v), nrow = view_nrows(v);
    size_t *width = calloc(ncol, sizeof *width);
    if (!width)
        return -1;
    pr->width = width;
    for (size_t c = 0; c < ncol; c++)
        width[c] = strlen(view_column(v, c)->name);
    struct text scratch = {0};
    for (size_t r = 0; r < nrow; r++)
        for (size_t c = 0; c < ncol; c++) {
            scratch.len = 0;
            size_t w = table_cell(pr, v, r, c, &scratch);
            if (w > TABLE_MAX_WIDTH)
                w = TABLE_MAX_WIDTH;
            if (w > width[c])
                width[c] = w;
        }
    free(scratch.p);
    table_line(pr, v, 0, true);
    for (size_t r = 0; r < nrow; r++)
        table_line(pr, v, r, false);
    pr->width = NULL;
    free(width);
    return ferror(pr->out) ? -1 : 0;
}

/* The message for an unknown --sort name, listing the view's columns. */
static void sort_error(const struct view *v, const char *name)
{
    struct text cols = {0};
    for (size_t c = 0; c < view_ncolumns(v); c++) {
        if (c)
            text_put(&cols, ", ", 2);
        const char *n = view_column(v, c)->name;
        text_put(&cols, n, strlen(n));
    }
    struct text shown = {0};
    text_escape(&shown, name, strlen(name));
    fprintf(stderr, "fanotop: unknown sort column '%s' for view %s (columns: %s)\n",
            shown.p ? shown.p : "", view_kind_name(view_kind(v)), cols.p ? cols.p : "");
    free(cols.p);
    free(shown.p);
}

int batch_run(struct app *app)
{
    const struct options *opt = app->opt;
    int kind = opt->view ? view_kind_by_name(opt->view) : VIEW_PATHS;
    if (kind < 0)
        kind = VIEW_PATHS; /* options_parse has checked the name */
    struct store_config cfg = {.max_rows = opt->max_rows, .log_depth = opt->log_depth};
    struct store *st = store_create(&cfg);
    struct view *v = st ? view_create(st, (enum view_kind)kind) : NULL;
    if (!v) {
        view_destroy(v);
        store_destroy(st);
        fputs("fanotop: out of memory\n", stderr);
        return 1;
    }
    view_set_filter(v, app->filter);
    view_set_group(v, (enum view_group)opt->group);
    if (opt->sort) {
        int col = view_column_by_name(v, opt->sort);
        if (col < 0) {
            sort_error(v, opt->sort);
            view_destroy(v);
            store_destroy(st);
            return 2;
        }
        /* The view's own default column keeps its default direction (the
         * events log is oldest first); any other sorts as its type does. */
        bool desc = (size_t)col == view_sort_column(v) ? view_sort_descending(v)
                                                       : view_column(v, (size_t)col)->numeric;
        view_set_sort(v, (size_t)col, desc);
    }

    struct printer pr = {.out = stdout,
                         .csv = opt->batch_format == BATCH_CSV,
                         .csv_flags = CSV_ESCAPE_UTF8 | (opt->csv_raw ? 0 : CSV_DEFUSE)};
    struct wire_sink sink = {on_event, on_notice, st};
    /* A recording read at full speed has no time of its own to snapshot on:
     * it is printed once, at its end. A live source, a paced replay and a
     * stream on stdin get a snapshot every --delay. */
    bool periodic =
        app->live || opt->replay_speed > 0 || (opt->replay && strcmp(opt->replay, "-") == 0);
    int64_t delay_ns = (int64_t)(opt->delay * 1e9);
    int64_t next = clock_real_ns() + delay_ns;
    store_tick(st, clock_real_ns()); /* the first rate interval starts now */
    long printed = 0;
    int status = 0, write_errno = 0;
    struct follow_end end = {0};

    for (;;) {
        bool caught_up = follow_end_caught_up(&end, app->src, clock_real_ns());
        size_t n = wire_drain(app->ring, 4096, app->procs, &sink);
        if (follow_check_stop(app->follow, end.done) == FOLLOW_STOP)
            break; /* Ctrl-C went to a followed command first: we stop when it exits */
        int64_t now = clock_real_ns();
        if (app->follow)
            follow_end_reap(app->follow, app->src, &end, &status, now);
        /* source_finished before ring_empty: once the source is done, an
         * empty ring means every record has been drained. */
        bool finished = !app->live && source_finished(app->src) && ring_empty(app->ring);
        /* The command's last events are in, and drained. */
        bool child_end = caught_up && n == 0;
        bool last = finished || child_end;
        if (last || (periodic && now >= next)) {
            store_tick(st, now);
            view_refresh(v, now);
            int rc = pr.csv ? print_csv(&pr, v) : print_table(&pr, app, st, v, now);
            if (rc == 0 && !pr.csv && !last && putc('\n', stdout) == EOF)
                rc = -1;
            if (rc == 0 && fflush(stdout) != 0)
                rc = -1;
            if (rc < 0) {
                write_errno = errno ? errno : EIO;
                break;
            }
            printed++;
            if (last || (opt->iterations && printed >= opt->iterations))
                break;
            next += delay_ns;
            if (next <= now)
                next = now + delay_ns;
        }
        if (n == 0) {
            int64_t wait = 2000000;
            if (periodic && next - now < wait)
                wait = next - now;
            clock_nap_ns(wait);
        }
    }
    if (!app->live && !status && source_finished(app->src) && ring_empty(app->ring))
        status = source_status(app->src);
    if (write_errno && write_errno != EPIPE && signals_stop_requested() != SIGPIPE) {
        fprintf(stderr, "fanotop: cannot write stdout: %s\n", strerror(write_errno));
        status = 1;
    }
    free(pr.cell);
    free(pr.line.p);
    view_destroy(v);
    store_destroy(st);
    return status;
}
