/* The two header lines: totals, rate with its sparkline, losses (in the
 * warning style once non-zero), pause, view, sort, state, filter. */
#include "config.h"

#include "run/follow.h"
#include "ui/ui.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* "Label: value" at *X; returns false once the line is full. */
static void item(struct ui *ui, int *x, const char *label, const char *value, uint8_t vstyle)
{
    struct textline *l = &ui->line;
    if (*x >= l->width)
        return;
    *x = textline_puts(l, *x, label, ST_LABEL);
    *x = textline_puts(l, *x, value, vstyle);
    *x = textline_puts(l, *x, "  ", ST_NORMAL);
}

static void count_item(struct ui *ui, int *x, const char *label, uint64_t n, bool warn)
{
    char v[32];
    snprintf(v, sizeof v, "%" PRIu64, n);
    item(ui, x, label, v, warn && n ? ST_WARN : ST_VALUE);
}

/* The last minute of events/s, newest at the right, scaled to its peak. */
static void sparkline(struct ui *ui, int x, int width)
{
    double hist[STORE_RATE_HISTORY];
    size_t n = store_rate_history(ui->st, hist, STORE_RATE_HISTORY);
    if (width <= 0)
        return;
    static const char *const blocks[] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
                                         "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
                                         "\xe2\x96\x87", "\xe2\x96\x88"};
    static const char ascii[] = "_.-:=+*#";
    size_t shown = n < (size_t)width ? n : (size_t)width;
    double peak = 0;
    for (size_t i = n - shown; i < n; i++)
        if (hist[i] > peak)
            peak = hist[i];
    int at = x + width - (int)shown;
    for (size_t i = n - shown; i < n; i++, at++) {
        int level = peak > 0 ? (int)(hist[i] / peak * 7.0 + 0.5) : 0;
        if (level > 7)
            level = 7;
        char one[2] = {ascii[level], '\0'};
        const char *g = (ui->tflags & TEXTSAFE_UTF8) ? blocks[level] : one;
        if (hist[i] <= 0)
            g = " ";
        textline_puts(&ui->line, at, g, ST_SPARK);
    }
}

static void line0(struct ui *ui)
{
    struct textline *l = &ui->line;
    const struct ui_level *lv = ui_top(ui);
    int x = 1;
    char v[64];
    count_item(ui, &x, "Events: ", ui->totals.events, false);
    snprintf(v, sizeof v, "%.1f/s", ui->totals.rate);
    item(ui, &x, "Rate: ", v, ST_VALUE);
    snprintf(v, sizeof v, "%zu/%zu", view_nrows(lv->view), view_total_rows(lv->view));
    item(ui, &x, "Rows: ", v, ST_VALUE);
    count_item(ui, &x, "Overflows: ", ui->kernel_overflows, true);
    count_item(ui, &x, "Ring losses: ", ring_losses(ui->app->ring), true);
    count_item(ui, &x, "Evicted: ", ui->totals.evictions, false);
    if (ui->backlog.dropped) /* the pause backlog was full */
        count_item(ui, &x, "Dropped: ", ui->backlog.dropped, true);
    int room = l->width - x - 1;
    if (room >= 10)
        sparkline(ui, x, room < STORE_RATE_HISTORY ? room : STORE_RATE_HISTORY);
}

static void line1(struct ui *ui)
{
    struct textline *l = &ui->line;
    const struct ui_level *lv = ui_top(ui);
    int x = 1;
    char v[256];
    if (ui->paused) {
        snprintf(v, sizeof v, "PAUSED (+%" PRIu64 " new)", ui->backlog.count);
        x = textline_puts(l, x, v, ST_PAUSED);
        x = textline_puts(l, x, "  ", ST_NORMAL);
    }
    enum view_group g = view_kind(lv->view) == VIEW_PROCS ? view_group(lv->view) : VIEW_GROUP_NONE;
    snprintf(v, sizeof v, "%s%s%s", view_kind_name(view_kind(lv->view)), g ? " by " : "",
             g ? view_group_name(g) : "");
    item(ui, &x, "View: ", v, ST_VALUE);
    const struct view_column *sc = view_column(lv->view, view_sort_column(lv->view));
    snprintf(v, sizeof v, "%s %s", sc ? sc->name : "?",
             view_sort_descending(lv->view) ? ui_glyph_down(ui) : ui_glyph_up(ui));
    item(ui, &x, "Sort: ", v, ST_VALUE);
    if (ui->child_exited) {
        char name[128];
        const char *cmd = follow_name(ui->app->follow);
        textsafe_escape(cmd, strlen(cmd), ui->tflags, name, sizeof name);
        snprintf(v, sizeof v, "%s exited with status %d", *name ? name : "command",
                 ui->child_status);
        x = textline_puts(l, x, v, ST_PAUSED);
        x = textline_puts(l, x, "  ", ST_NORMAL);
    }
    if (ui->replay_done) {
        x = textline_puts(l, x, "replay finished", ST_PAUSED);
        x = textline_puts(l, x, "  ", ST_NORMAL);
    }
    const char *f = filter_text(ui->app->filter);
    if (*f && x < l->width) {
        x = textline_puts(l, x, "Filter: ", ST_LABEL);
        struct textfit fit = {
            .style = ST_VALUE, .esc_style = ST_ESCAPE, .flags = TEXTSAFE_BACKSLASH};
        textline_put(l, x, l->width - x, f, strlen(f), &fit);
    }
}

void ui_header_draw(struct ui *ui)
{
    textline_init(&ui->line, ui->lay.cols, ui->tflags, ST_NORMAL);
    line0(ui);
    ui_term_line(&ui->line, 0);
    textline_init(&ui->line, ui->lay.cols, ui->tflags, ST_NORMAL);
    line1(ui);
    ui_term_line(&ui->line, 1);
}
