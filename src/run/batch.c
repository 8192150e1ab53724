/* Batch mode (-b): no curses. The ring is drained into a store without
 * pause; every --delay seconds the current view is printed, like top -b, as
 * a text table or (--format=csv) as CSV, until --iterations, a signal, the
 * end of a replay or the exit of a followed command. */
#include "config.h"

#include "run/app.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/textsafe.h"
#include "model/store.h"
#include "model/view.h"
#include "record/csv_write.h"
#include "run/export_view.h"
#include "run/headless.h"
#include "run/signals.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Widest a table column is padded to; longer cells are printed whole. */
#define TABLE_MAX_WIDTH 60

/* Append S escaped for a terminal as the screen shows it (textsafe.h), but
 * whole: a table row is never cut. Returns the columns it takes. */
static size_t text_escape(struct buf *t, const char *s, size_t n)
{
    struct textsafe_iter it;
    struct textsafe_glyph g;
    size_t width = 0;
    textsafe_init(&it, s, n, TEXTSAFE_UTF8);
    while (textsafe_next(&it, &g)) {
        buf_put(t, g.bytes, g.len);
        width += g.width;
    }
    return width;
}

struct printer {
    FILE *out;
    bool csv;
    unsigned csv_flags;
    struct buf cell;
    struct buf line;
    size_t *width;
};

/* Cell (ROW, COL) escaped into T as the table shows it: tree names are
 * indented by depth, directories end in '/'. Returns its width. */
static size_t table_cell(struct printer *pr, const struct view *v, size_t row, size_t col,
                         struct buf *t)
{
    /* Out of memory the cell comes out short. */
    size_t n = export_view_cell(&pr->cell, v, row, col, VIEW_FMT_SCREEN);
    size_t w = 0;
    bool tree_name = view_kind(v) == VIEW_TREE && col == 0;
    if (tree_name)
        for (int d = view_tree_depth(v, row); d > 0; d--, w += 2)
            buf_put(t, "  ", 2);
    w += text_escape(t, pr->cell.p, n);
    if (tree_name && view_tree_is_dir(v, row, NULL) && !(n && pr->cell.p[n - 1] == '/')) {
        buf_putc(t, '/');
        w++;
    }
    return w;
}

/* One table line: cells escaped, padded to the column widths. */
static void table_line(struct printer *pr, const struct view *v, size_t row, bool header)
{
    size_t ncol = view_ncolumns(v);
    buf_reset(&pr->line);
    for (size_t c = 0; c < ncol; c++) {
        const struct view_column *col = view_column(v, c);
        struct buf cell = {0};
        size_t w;
        if (header) {
            buf_put_str(&cell, col->name);
            w = strlen(col->name);
        } else {
            w = table_cell(pr, v, row, c, &cell);
        }
        size_t pad = pr->width[c] > w ? pr->width[c] - w : 0;
        bool last = c + 1 == ncol;
        if (c)
            buf_putc(&pr->line, ' ');
        for (size_t i = 0; col->align == VIEW_RIGHT && i < pad; i++)
            buf_putc(&pr->line, ' ');
        buf_put(&pr->line, cell.p, cell.len);
        for (size_t i = 0; col->align == VIEW_LEFT && !last && i < pad; i++)
            buf_putc(&pr->line, ' ');
        buf_free(&cell);
    }
    buf_putc(&pr->line, '\n');
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
            ", ring losses: %" PRIu64 ", evictions: %" PRIu64 ", folded: %" PRIu64 "\n",
            when, tot.events, tot.rate, view_nrows(v), view_total_rows(v), tot.overflows,
            ring_losses(app->ring), tot.evictions, tot.folded);
    const struct view_column *sc = view_column(v, view_sort_column(v));
    /* The filter as typed: its backslashes are the user's, not escapes. */
    const char *ftext = filter_text(app->filter);
    unsigned fflags = TEXTSAFE_UTF8 | TEXTSAFE_BACKSLASH;
    size_t flen = textsafe_escape(ftext, strlen(ftext), fflags, NULL, 0);
    char *filter = malloc(flen + 1);
    if (filter)
        textsafe_escape(ftext, strlen(ftext), fflags, filter, flen + 1);
    fprintf(pr->out, "view: %s, sort: %s %s, filter: %s\n\n", view_kind_name(view_kind(v)),
            sc->name, view_sort_descending(v) ? "desc" : "asc",
            filter && *filter ? filter : "none");
    free(filter);

    size_t ncol = view_ncolumns(v), nrow = view_nrows(v);
    size_t *width = calloc(ncol, sizeof *width);
    if (!width)
        return -1;
    pr->width = width;
    for (size_t c = 0; c < ncol; c++)
        width[c] = strlen(view_column(v, c)->name);
    struct buf scratch = {0};
    for (size_t r = 0; r < nrow; r++)
        for (size_t c = 0; c < ncol; c++) {
            buf_reset(&scratch);
            size_t w = table_cell(pr, v, r, c, &scratch);
            if (w > TABLE_MAX_WIDTH)
                w = TABLE_MAX_WIDTH;
            if (w > width[c])
                width[c] = w;
        }
    buf_free(&scratch);
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
    struct buf cols = {0};
    for (size_t c = 0; c < view_ncolumns(v); c++) {
        if (c)
            buf_put(&cols, ", ", 2);
        buf_put_str(&cols, view_column(v, c)->name);
    }
    struct buf shown = {0};
    text_escape(&shown, name, strlen(name));
    fprintf(stderr, "fanotop: unknown sort column '%s' for view %s (columns: %s)\n",
            shown.p ? shown.p : "", view_kind_name(view_kind(v)), cols.p ? cols.p : "");
    buf_free(&cols);
    buf_free(&shown);
}

struct batch_state {
    struct headless run;
    struct printer pr;
    struct store *st;
    struct view *v;
    bool periodic; /* a snapshot every --delay, not only at the end */
    int64_t delay_ns;
    int64_t next; /* when the next periodic snapshot is due */
    long printed;
    int write_errno;
};

static void on_event(const struct fa_event *ev, void *ctx)
{
    struct batch_state *bs = ctx;
    store_add(bs->st, ev);
}

/* Print a snapshot when one is due, and always the LAST one. */
static bool after_drain(void *ctx, int64_t now, bool last)
{
    struct batch_state *bs = ctx;
    struct printer *pr = &bs->pr;
    if (!last && !(bs->periodic && now >= bs->next))
        return true;
    store_tick(bs->st, now);
    view_refresh(bs->v, now);
    int rc = pr->csv ? export_view_table(pr->out, bs->v, pr->csv_flags)
                     : print_table(pr, bs->run.app, bs->st, bs->v, now);
    if (rc == 0 && !pr->csv && !last && putc('\n', pr->out) == EOF)
        rc = -1;
    if (rc == 0 && fflush(pr->out) != 0)
        rc = -1;
    if (rc < 0) {
        bs->write_errno = errno ? errno : EIO;
        return false;
    }
    bs->printed++;
    long iterations = bs->run.app->opt->iterations;
    if (iterations && bs->printed >= iterations)
        return false;
    bs->next += bs->delay_ns;
    if (bs->next <= now)
        bs->next = now + bs->delay_ns;
    return true;
}

static int64_t on_idle(void *ctx, int64_t now)
{
    struct batch_state *bs = ctx;
    if (bs->periodic && bs->next - now < HEADLESS_NAP_NS)
        return bs->next - now;
    return HEADLESS_NAP_NS;
}

static const struct headless_mode batch_mode = {
    .on_event = on_event,
    .after_drain = after_drain,
    .idle = on_idle,
};

/* The store and view of --view, filtered by --filter, sorted by --sort;
 * NULL with a message on stderr and the exit status in *STATUS. */
static struct view *batch_view(const struct app *app, struct store **st, int *status)
{
    const struct options *opt = app->opt;
    int kind = opt->view ? view_kind_by_name(opt->view) : VIEW_PATHS;
    if (kind < 0)
        kind = VIEW_PATHS; /* options_parse has checked the name */
    struct store_config cfg = {
        .max_rows = opt->max_rows, .max_pairs = opt->max_pairs, .log_depth = opt->log_depth};
    *st = store_create(&cfg);
    struct view *v = *st ? view_create(*st, (enum view_kind)kind) : NULL;
    if (!v) {
        store_destroy(*st);
        fputs("fanotop: out of memory\n", stderr);
        *status = 1;
        return NULL;
    }
    view_set_filter(v, app->filter);
    if (opt->sort) {
        int col = view_column_by_name(v, opt->sort);
        if (col < 0) {
            sort_error(v, opt->sort);
            view_destroy(v);
            store_destroy(*st);
            *status = 2;
            return NULL;
        }
        /* The view's own default column keeps its default direction (the
         * events log is oldest first); any other sorts as its type does. */
        bool desc = (size_t)col == view_sort_column(v) ? view_sort_descending(v)
                                                       : view_column(v, (size_t)col)->numeric;
        view_set_sort(v, (size_t)col, desc);
    }
    return v;
}

int batch_run(struct app *app)
{
    const struct options *opt = app->opt;
    struct batch_state bs = {
        .pr = {.out = stdout,
               .csv = opt->batch_format == BATCH_CSV,
               .csv_flags = CSV_ESCAPE_UTF8 | (opt->csv_raw ? 0 : CSV_DEFUSE)},
        /* A recording read at full speed has no time of its own to snapshot
         * on: it is printed once, at its end. A live source, a paced replay
         * and a stream on stdin get a snapshot every --delay. */
        .periodic =
            app->live || opt->replay_speed > 0 || (opt->replay && strcmp(opt->replay, "-") == 0),
        .delay_ns = (int64_t)(opt->delay * CLOCK_NS_PER_S),
    };
    int status;
    bs.v = batch_view(app, &bs.st, &status);
    if (!bs.v)
        return status;
    bs.next = clock_real_ns() + bs.delay_ns;
    store_tick(bs.st, clock_real_ns()); /* the first rate interval starts now */
    headless_init(&bs.run, app, &batch_mode, &bs, 0, 0);
    status = headless_run(&bs.run);
    if (bs.write_errno && bs.write_errno != EPIPE && signals_stop_requested() != SIGPIPE) {
        fprintf(stderr, "fanotop: cannot write stdout: %s\n", strerror(bs.write_errno));
        status = 1;
    }
    buf_free(&bs.pr.cell);
    buf_free(&bs.pr.line);
    view_destroy(bs.v);
    store_destroy(bs.st);
    return status;
}
