/* The header lines. The first: the machine's totals, what the filter
 * selects beside them, rows, the losses and caps (in the warning style once
 * non-zero), the rate's sparkline with its scale. The second: pause, view,
 * sort, the row or command followed, the replay clock, the filter. Items
 * flow: what does not fit a line goes to the next (a narrow screen gets a
 * third), so no counter is ever cut; only the filter's text is, at the
 * end. F1 explains each. */
#include "config.h"

#include "run/follow.h"
#include "ui/ui.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define HEADER_LINES 3

/* Where the next item goes: items fill the line AT, then the next, so the
 * order stays. */
struct flow {
    struct textline line[HEADER_LINES];
    int x[HEADER_LINES];
    int at; /* the line items go to now */
};

static int item_width(const struct textline *l, const char *label, const char *value)
{
    return (int)(textline_width(l, label, strlen(label), TEXTSAFE_BACKSLASH) +
                 textline_width(l, value, strlen(value), TEXTSAFE_BACKSLASH));
}

/* "Label: value" at the next place it fits whole; dropped when it fits
 * nowhere (only past the warning counters, on a screen under 60 columns). */
static void item(struct ui *ui, struct flow *f, const char *label, const char *value,
                 uint8_t vstyle)
{
    int w = item_width(&f->line[0], label, value);
    if (f->x[f->at] + w > ui->lay.cols && f->at + 1 < HEADER_LINES && f->x[f->at] > 1)
        f->at++;
    struct textline *l = &f->line[f->at];
    int *x = &f->x[f->at];
    if (*x + w > ui->lay.cols)
        return;
    *x = textline_puts(l, *x, label, ST_LABEL);
    *x = textline_puts(l, *x, value, vstyle);
    *x += 2; /* the gap: blank already */
}

static void count_item(struct ui *ui, struct flow *f, const char *label, uint64_t n, bool warn)
{
    char v[32];
    snprintf(v, sizeof v, "%" PRIu64, n);
    item(ui, f, label, v, warn && n ? ST_WARN : ST_VALUE);
}

/* A rate as the header shows it: "0.5/s", "812/s", "12.3k/s", "1.2M/s". */
static void format_rate(double r, char *out, size_t len)
{
    if (r < 100)
        snprintf(out, len, "%.1f/s", r);
    else if (r < 10000)
        snprintf(out, len, "%.0f/s", r);
    else if (r < 1e7)
        snprintf(out, len, "%.1fk/s", r / 1e3);
    else
        snprintf(out, len, "%.1fM/s", r / 1e6);
}

/* The last minute of events/s, newest at the right, scaled to its peak,
 * which "max" after it names. */
static void sparkline(struct ui *ui, struct textline *l, int x, int width)
{
    double hist[STORE_RATE_HISTORY];
    size_t n = store_rate_history(ui->st, hist, STORE_RATE_HISTORY);
    double peak = 0;
    for (size_t i = 0; i < n; i++)
        if (hist[i] > peak)
            peak = hist[i];
    char scale[32], rate[24];
    format_rate(peak, rate, sizeof rate);
    snprintf(scale, sizeof scale, " max %s", rate);
    width -= (int)strlen(scale);
    if (width < 10)
        return;
    static const char *const blocks[] = {"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
                                         "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
                                         "\xe2\x96\x87", "\xe2\x96\x88"};
    static const char ascii[] = "_.-:=+*#";
    size_t shown = n < (size_t)width ? n : (size_t)width;
    int at = x + width - (int)shown;
    for (size_t i = n - shown; i < n; i++, at++) {
        int level = peak > 0 ? (int)(hist[i] / peak * 7.0 + 0.5) : 0;
        if (level > 7)
            level = 7;
        char one[2] = {ascii[level], '\0'};
        const char *g = (ui->tflags & TEXTSAFE_UTF8) ? blocks[level] : one;
        if (hist[i] <= 0)
            g = " ";
        textline_puts(l, at, g, ST_SPARK);
    }
    textline_puts(l, x + width, scale, ST_LABEL);
}

static void totals(struct ui *ui, struct flow *f)
{
    const struct ui_level *lv = ui_top(ui);
    char v[96], r[24];
    count_item(ui, f, "Events: ", ui->totals.events, false);
    if (!filter_is_empty(ui->app->filter)) {
        uint64_t events;
        double rate;
        view_matching(lv->view, &events, &rate);
        format_rate(rate, r, sizeof r);
        snprintf(v, sizeof v, "%" PRIu64 " (%s)", events, r);
        item(ui, f, "Matching: ", v, ST_VALUE);
    }
    format_rate(ui->totals.rate, v, sizeof v);
    item(ui, f, "Rate: ", v, ST_VALUE);
    snprintf(v, sizeof v, "%zu/%zu", view_nrows(lv->view), view_total_rows(lv->view));
    item(ui, f, "Rows: ", v, ST_VALUE);
    count_item(ui, f, "Overflows: ", ui->kernel_overflows, true);
    count_item(ui, f, "Ring losses: ", ring_losses(ui->app->ring), true);
    count_item(ui, f, "Evicted: ", ui->totals.evictions, false);
    count_item(ui, f, "Folded: ", ui->totals.folded, false);
    if (ui->backlog.dropped) /* the pause backlog was full */
        count_item(ui, f, "Dropped: ", ui->backlog.dropped, true);
}

static void clock_text(int64_t ns, bool date, char *out, size_t len)
{
    time_t sec = (time_t)(ns / 1000000000);
    struct tm tm;
    localtime_r(&sec, &tm);
    strftime(out, len, date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
}

/* F: the row followed, since when, and whether it is in the table now. */
static void followed_row(struct ui *ui, struct flow *f)
{
    const struct ui_level *lv = ui_top(ui);
    if (!lv->follow)
        return;
    char name[80], since[16], v[160];
    textsafe_escape(lv->follow_name, strlen(lv->follow_name), ui->tflags, name, sizeof name);
    clock_text(lv->follow_since, false, since, sizeof since);
    snprintf(v, sizeof v, "%s since %s%s", name, since,
             lv->follow_lost ? ", not in the table" : "");
    item(ui, f, "Following: ", v, lv->follow_lost ? ST_PAUSED : ST_VALUE);
}

/* With --pid: running while one of them is. */
static bool pids_alive(const struct options *opt)
{
    for (size_t i = 0; i < opt->nfollow; i++)
        if (kill(opt->follow_pids[i], 0) == 0 || errno == EPERM)
            return true;
    return false;
}

/* -- COMMAND or --pid: what is followed, since when, in what state. */
static void followed_command(struct ui *ui, struct flow *f)
{
    struct follow *fl = ui->app->follow;
    if (!fl)
        return;
    char what[160], since[16], v[512], name[128];
    const char *cmd = follow_name(fl);
    textsafe_escape(cmd, strlen(cmd), ui->tflags, name, sizeof name);
    if (*name) {
        snprintf(what, sizeof what, "%s (pid %d)", name, (int)follow_child(fl));
    } else {
        int at = snprintf(what, sizeof what, "pid");
        for (size_t i = 0; i < ui->opt->nfollow && at < (int)sizeof what - 16; i++)
            at += snprintf(what + at, sizeof what - (size_t)at, "%s%d", i ? "," : " ",
                           (int)ui->opt->follow_pids[i]);
    }
    clock_text(ui->started_ns, false, since, sizeof since);
    if (ui->child_exited) {
        snprintf(v, sizeof v, "%s since %s: %s exited with status %d", what, since,
                 *name ? name : "command", ui->child_status);
        item(ui, f, "Following: ", v, ST_PAUSED);
        return;
    }
    bool alive = *name || pids_alive(ui->opt);
    snprintf(v, sizeof v, "%s since %s: %s", what, since, alive ? "running" : "ended");
    item(ui, f, "Following: ", v, alive ? ST_VALUE : ST_PAUSED);
}

/* A replay: the recorded time it has reached, and how far into the
 * recording that is (when the file's end could be read). */
static void replay_clock(struct ui *ui, struct flow *f)
{
    if (ui->app->live || !ui->totals.last_ns)
        return;
    char v[64], when[32];
    clock_text(ui->totals.last_ns, true, when, sizeof when);
    int64_t first = ui->totals.first_ns, end = ui->replay_end_ns;
    if (end > 0 && first > 0 && end >= first) {
        double pct = end > first
                         ? 100.0 * (double)(ui->totals.last_ns - first) / (double)(end - first)
                         : 100.0;
        if (ui->replay_done || pct > 100)
            pct = 100;
        snprintf(v, sizeof v, "%s (%.0f%%)", when, pct < 0 ? 0 : pct);
    } else {
        snprintf(v, sizeof v, "%s", when);
    }
    item(ui, f, "Replay: ", v, ST_VALUE);
}

static void state(struct ui *ui, struct flow *f)
{
    const struct ui_level *lv = ui_top(ui);
    char v[256];
    if (f->at == 0) /* the second line starts here, unless the counters did */
        f->at = 1;
    if (ui->paused) {
        snprintf(v, sizeof v, "PAUSED (+%" PRIu64 " new)", ui->backlog.count);
        item(ui, f, "", v, ST_PAUSED);
    }
    item(ui, f, "View: ", view_kind_name(view_kind(lv->view)), ST_VALUE);
    const struct view_column *sc = view_column(lv->view, view_sort_column(lv->view));
    snprintf(v, sizeof v, "%s %s", sc ? sc->name : "?",
             view_sort_descending(lv->view) ? ui_glyph_down(ui) : ui_glyph_up(ui));
    item(ui, f, "Sort: ", v, ST_VALUE);
    followed_row(ui, f);
    followed_command(ui, f);
    replay_clock(ui, f);
    if (ui->replay_done)
        item(ui, f, "", "replay finished", ST_PAUSED);
    const char *text = filter_text(ui->app->filter);
    if (*text && f->x[f->at] + 24 > ui->lay.cols && f->at + 1 < HEADER_LINES)
        f->at++;
    struct textline *l = &f->line[f->at];
    int x = f->x[f->at];
    if (*text && x + 12 < l->width) { /* the filter as typed, cut at the end */
        x = textline_puts(l, x, "Filter: ", ST_LABEL);
        struct textfit fit = {
            .style = ST_VALUE, .esc_style = ST_ESCAPE, .flags = TEXTSAFE_BACKSLASH};
        textline_put(l, x, l->width - x, text, strlen(text), &fit);
    }
}

int ui_header_draw(struct ui *ui)
{
    static struct flow f;
    for (int i = 0; i < HEADER_LINES; i++) {
        textline_init(&f.line[i], ui->lay.cols, ui->tflags, ST_NORMAL);
        f.x[i] = 1;
    }
    f.at = 0;
    totals(ui, &f);
    int room = f.line[0].width - f.x[0] - 1;
    if (f.at == 0 && room >= 20)
        sparkline(ui, &f.line[0], f.x[0],
                  room < STORE_RATE_HISTORY + 16 ? room : STORE_RATE_HISTORY + 16);
    state(ui, &f);
    int lines = f.at + 1 > 2 && f.x[2] > 1 ? 3 : 2;
    for (int i = 0; i < lines; i++)
        ui_term_line(&f.line[i], i);
    return lines;
}
