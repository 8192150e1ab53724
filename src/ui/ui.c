/* The terminal UI: the main loop, the key tables and their actions.
 *
 * Data flow on this thread: every few tens of milliseconds the ring is
 * drained into the backlog (the capture thread must never wait on the
 * screen); at each refresh tick, and never while paused, the backlog goes
 * into the store, the store closes its rate interval and the view is
 * refreshed. So between ticks and while paused the store and the view are a
 * snapshot, and a key is answered at once from that snapshot.
 *
 * Actions return what must be redrawn; drawing (ui_*.c) formats each line
 * into a textline before curses sees it. */
#include "config.h"

#include "record/export.h"
#include "base/clock.h"
#include "run/follow.h"
#include "run/settings.h"
#include "run/signals.h"
#include "ui/ui.h"
#include "pipe/wire.h"

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include <ctype.h>
#include <inttypes.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define MS        1000000LL
#define POLL_MS   25    /* how often the ring is drained when idle */
#define DRAIN_MAX 16384 /* records per drain: the ring's space is freed per batch */
/* A tick applies the backlog in slices this long, so that keys wait less. */
#define APPLY_SLICE_NS   (20 * MS)
#define FREEZE_NS        (1500 * MS) /* the rows hold still this long after a cursor move */
#define STATUS_NS        (8000 * MS) /* a status message stays this long, or until a key */
#define PAUSED_REDRAW_NS (250 * MS)
#define TITLE_MAX        16384

const char *ui_glyph_down(const struct ui *ui)
{
    return (ui->tflags & TEXTSAFE_UTF8) ? "\xe2\x96\xbc" : "v";
}

const char *ui_glyph_up(const struct ui *ui)
{
    return (ui->tflags & TEXTSAFE_UTF8) ? "\xe2\x96\xb2" : "^";
}

static void set_status(struct ui *ui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_status(struct ui *ui, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ui->status, sizeof ui->status, fmt, ap);
    va_end(ap);
    ui->status_error = error;
    ui->status_until_ns = clock_mono_ns() + STATUS_NS;
}

/* S escaped for the status line (into BUF). */
static const char *shown(const struct ui *ui, const char *s, char *buf, size_t len)
{
    textsafe_escape(s, strlen(s), ui->tflags, buf, len);
    return buf;
}

/* ---- the ring, the backlog and the tick ---- */

static void on_event(const struct fa_event *ev, void *ctx)
{
    struct ui *ui = ctx;
    ui_backlog_push(&ui->backlog, ev);
}

static void on_notice(const char *text, void *ctx)
{
    struct ui *ui = ctx;
    char buf[512];
    set_status(ui, false, "%s", shown(ui, text, buf, sizeof buf));
}

static bool on_record(const void *payload, size_t len, void *ctx)
{
    struct ui *ui = ctx;
    /* Process identities go into the proctab at once (its entries never
     * change, and the store does not see them); events wait in the backlog. */
    const struct wire_sink sink = {on_event, on_notice, ui};
    wire_decode(payload, len, ui->app->procs, &sink);
    return true;
}

static void drain_ring(struct ui *ui)
{
    ring_consume(ui->app->ring, DRAIN_MAX, on_record, ui);
}

/* Apply what was waiting when the tick began (later events wait for the
 * next tick, so a flood cannot keep a tick from ending): true when done,
 * false when the slice ended first. */
static bool apply_some(struct ui *ui, int64_t until_ns)
{
    struct fa_event ev;
    unsigned k = 0;
    while (ui->apply_left && ui_backlog_pop(&ui->backlog, &ev)) {
        store_add(ui->st, &ev);
        ui->apply_left--;
        ui->tick_events++;
        if ((++k & 1023) == 0 && clock_mono_ns() > until_ns)
            return ui->apply_left == 0;
    }
    ui->apply_left = 0;
    return true;
}

static void clamp_cursor(struct ui *ui, struct ui_level *lv)
{
    size_t n = view_nrows(lv->view);
    size_t vis = ui->lay.nrows > 0 ? (size_t)ui->lay.nrows : 1;
    if (n == 0) {
        lv->cursor = lv->top = 0;
        return;
    }
    if (lv->cursor >= n)
        lv->cursor = n - 1;
    if (lv->top > lv->cursor)
        lv->top = lv->cursor;
    if (lv->cursor >= lv->top + vis)
        lv->top = lv->cursor - vis + 1;
    if (lv->top + vis > n)
        lv->top = n > vis ? n - vis : 0;
}

static bool following(const struct ui *ui, const struct ui_level *lv)
{
    return lv == &ui->level[0] && ui->follow_tail && view_kind(lv->view) == VIEW_EVENTS;
}

/* Run FN (a refresh or a re-sort of LV's view) keeping the cursor on the
 * same row, at the same place on the screen. */
static void keep_cursor(struct ui *ui, struct ui_level *lv,
                        void (*fn)(struct ui *, struct ui_level *))
{
    bool had = view_nrows(lv->view) > 0;
    uint64_t key = had ? view_row_key(lv->view, lv->cursor) : 0;
    size_t off = lv->cursor >= lv->top ? lv->cursor - lv->top : 0;
    fn(ui, lv);
    size_t n = view_nrows(lv->view);
    if (following(ui, lv)) {
        lv->cursor = n ? n - 1 : 0;
    } else if (had) {
        long r = view_find_key(lv->view, key);
        if (r >= 0)
            lv->cursor = (size_t)r;
    }
    lv->top = lv->cursor >= off ? lv->cursor - off : 0;
    clamp_cursor(ui, lv);
}

static void do_refresh(struct ui *ui, struct ui_level *lv)
{
    view_refresh(lv->view, ui->last_refresh_ns);
    lv->stale = false;
}

static void refresh_level(struct ui *ui, struct ui_level *lv)
{
    keep_cursor(ui, lv, do_refresh);
}

/* The store moved on: refresh what is on screen, the levels below later. */
static void refresh_shown(struct ui *ui)
{
    for (size_t i = 0; i < ui->depth; i++)
        ui->level[i].stale = true;
    refresh_level(ui, ui_top(ui));
}

/* The end of a tick: the backlog is in the store. */
static void tick_finish(struct ui *ui)
{
    ui->last_refresh_ns = clock_real_ns();
    store_tick(ui->st, ui->last_refresh_ns);
    store_get_totals(ui->st, &ui->totals);
    /* Nothing new for two ticks (the second shows the rates falling to
     * zero): the rows would come out the same, and a refresh of a million
     * rows would only keep keys waiting. */
    ui->quiet_ticks = ui->tick_events ? 0 : ui->quiet_ticks + 1;
    ui->tick_events = 0;
    if (ui->quiet_ticks > 2)
        return;
    if (clock_mono_ns() < ui->frozen_until_ns) {
        ui_top(ui)->stale = true; /* the rows hold still while the cursor moves */
        return;
    }
    refresh_shown(ui);
}

/* ---- views and levels ---- */

static void level_init(struct ui_level *lv, struct view *v, char *title)
{
    *lv = (struct ui_level){.view = v, .title = title};
    lv->def_col = view_sort_column(v);
    lv->def_desc = view_sort_descending(v);
}

static void pop_level(struct ui *ui)
{
    if (ui->depth == 0)
        return;
    struct ui_level *lv = ui_top(ui);
    view_destroy(lv->view);
    free(lv->title);
    memset(lv, 0, sizeof *lv);
    ui->depth--;
    ui->hscroll = 0;
    if (ui_top(ui)->stale)
        refresh_level(ui, ui_top(ui));
}

static void set_kind(struct ui *ui, enum view_kind k)
{
    while (ui->depth)
        pop_level(ui);
    struct ui_level *lv = &ui->level[0];
    if (view_kind(lv->view) == k)
        return;
    if (k == VIEW_TREE)
        ui->before_tree = view_kind(lv->view);
    view_set_kind(lv->view, k);
    lv->def_col = view_sort_column(lv->view);
    lv->def_desc = view_sort_descending(lv->view);
    do_refresh(ui, lv);
    ui->follow_tail = k == VIEW_EVENTS;
    size_t n = view_nrows(lv->view);
    lv->cursor = ui->follow_tail && n ? n - 1 : 0;
    lv->top = 0;
    ui->hscroll = 0;
    clamp_cursor(ui, lv);
}

/* ---- sorting ---- */

static void do_sort(struct ui *ui, struct ui_level *lv)
{
    view_set_sort(lv->view, ui->sort_col, ui->sort_desc);
}

/* Sort by COL: the kind's default column keeps its default direction, any
 * other sorts as its type does (numbers descending); the same column again
 * inverts when INVERT. */
static void sort_by(struct ui *ui, size_t col, bool invert)
{
    struct ui_level *lv = ui_top(ui);
    const struct view *v = lv->view;
    if (col >= view_ncolumns(v))
        return;
    if (col == view_sort_column(v)) {
        if (!invert)
            return;
        ui->sort_desc = !view_sort_descending(v);
    } else {
        ui->sort_desc = col == lv->def_col ? lv->def_desc : view_column(v, col)->numeric;
    }
    ui->sort_col = col;
    keep_cursor(ui, lv, do_sort);
}

/* ---- search ---- */

static int search_column(const struct view *v)
{
    static const char *const names[] = {"path", "comm", "unit", "type"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (size_t c = 0; c < view_ncolumns(v); c++)
            if (strcmp(view_column(v, c)->name, names[i]) == 0)
                return (int)c;
    return 0;
}

static bool contains_fold(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return true;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m) {
            unsigned char a = (unsigned char)hay[i + j], b = (unsigned char)needle[j];
            if (a >= 'A' && a <= 'Z')
                a = (unsigned char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (unsigned char)(b - 'A' + 'a');
            if (a != b)
                break;
            j++;
        }
        if (j == m)
            return true;
    }
    return false;
}

/* Move the cursor to the next row (DIR 1 or -1) from START whose name
 * column contains TEXT; START itself counts when INCLUSIVE. */
static bool search_move(struct ui *ui, const char *text, size_t start, int dir, bool inclusive)
{
    struct ui_level *lv = ui_top(ui);
    const struct view *v = lv->view;
    size_t n = view_nrows(v);
    if (n == 0 || !*text)
        return false;
    int col = search_column(v);
    for (size_t i = inclusive ? 0 : 1; i <= n; i++) {
        size_t r = dir > 0 ? (start + i) % n : (start + n - i % n) % n;
        size_t len = ui_cell(ui, v, r, (size_t)col);
        if (contains_fold(ui->cell, len, text)) {
            lv->cursor = r;
            ui->follow_tail = following(ui, lv) && r + 1 == n;
            clamp_cursor(ui, lv);
            return true;
        }
    }
    return false;
}

/* ---- filter ---- */

/* Put F in force for every level (the views keep the pointer), free the one
 * it replaces unless the prompt may still restore it. */
static void install_filter(struct ui *ui, struct filter *f)
{
    struct filter *old = ui->app->filter;
    for (size_t i = 0; i <= ui->depth; i++)
        view_set_filter(ui->level[i].view, f);
    ui->app->filter = f;
    refresh_shown(ui);
    if (old != f && old != ui->filter_before)
        filter_free(old);
}

static void history_add(struct ui *ui, const char *text)
{
    if (!*text)
        return;
    for (size_t i = 0; i < ui->nhistory; i++)
        if (strcmp(ui->history[i], text) == 0) {
            char *keep = ui->history[i];
            memmove(&ui->history[i], &ui->history[i + 1],
                    (ui->nhistory - i - 1) * sizeof ui->history[0]);
            ui->history[ui->nhistory - 1] = keep;
            return;
        }
    char *copy = strdup(text);
    if (!copy)
        return;
    if (ui->nhistory == UI_HISTORY_MAX) {
        free(ui->history[0]);
        memmove(&ui->history[0], &ui->history[1], (ui->nhistory - 1) * sizeof ui->history[0]);
        ui->nhistory--;
    }
    ui->history[ui->nhistory++] = copy;
    ui->history_changed = true;
}

static void filter_try(struct ui *ui)
{
    struct filter_error err;
    struct filter *f = filter_compile(ui->edit.text, &err);
    if (!f) {
        ui->filter_ok = false;
        ui->filter_err = err;
        return;
    }
    ui->filter_ok = true;
    install_filter(ui, f);
}

static void filter_close(struct ui *ui, bool keep)
{
    if (!keep && ui->app->filter != ui->filter_before) {
        struct filter *before = ui->filter_before;
        ui->filter_before = NULL;
        install_filter(ui, before);
    } else if (ui->filter_before && ui->filter_before != ui->app->filter) {
        filter_free(ui->filter_before);
    }
    ui->filter_before = NULL;
    if (keep)
        history_add(ui, filter_text(ui->app->filter));
    ui->prompt = UI_PROMPT_NONE;
}

/* ---- export ---- */

/* The view's name as it goes into a file name ("path details" -> "path-details"). */
static void view_file_name(const struct view *v, char *buf, size_t len)
{
    snprintf(buf, len, "%s", view_kind_name(view_kind(v)));
    for (char *p = buf; *p; p++)
        if (*p == ' ')
            *p = '-';
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void export_toggle_format(struct ui *ui)
{
    ui->export_jsonl = !ui->export_jsonl;
    char *t = ui->edit.text;
    const char *from = ui->export_jsonl ? ".csv" : ".jsonl";
    const char *to = ui->export_jsonl ? ".jsonl" : ".csv";
    if (ends_with(t, from) && ui->edit.len - strlen(from) + strlen(to) < sizeof ui->edit.text) {
        strcpy(t + ui->edit.len - strlen(from), to);
        ui->edit.len = strlen(t);
        ui->edit.pos = ui->edit.len;
    }
}

static void export_run(struct ui *ui)
{
    char err[1024], path[512];
    size_t rows = 0;
    const char *name = ui->edit.text;
    shown(ui, name, path, sizeof path);
    if (ui->prompt == UI_PROMPT_EXPORT_VIEW) {
        if (export_view_csv(ui_top(ui)->view, name, ui->opt->csv_raw, &rows, err, sizeof err) < 0)
            set_status(ui, true, "%s", err);
        else
            set_status(ui, false, "exported %zu rows to %s", rows, path);
        return;
    }
    enum export_format fmt =
        ends_with(name, ".jsonl") || ends_with(name, ".json") ? EXPORT_JSONL : EXPORT_CSV;
    if (export_events(ui->st, ui->app->filter, name, fmt, &rows, err, sizeof err) < 0)
        set_status(ui, true, "%s", err);
    else
        set_status(ui, false, "exported %zu events to %s", rows, path);
}

/* ---- prompt keys ---- */

static enum ui_redraw prompt_key(struct ui *ui, int key)
{
    bool enter = key == '\r' || key == '\n' || key == UI_FN(KEY_ENTER);
    bool esc = key == UI_ESC;
    struct ui_level *lv = ui_top(ui);
    switch (ui->prompt) {
    case UI_PROMPT_SEARCH:
        if (enter || esc) {
            if (ui->edit.len)
                snprintf(ui->search, sizeof ui->search, "%s", ui->edit.text);
            ui->prompt = UI_PROMPT_NONE;
            return UI_DRAW;
        }
        if (key == UI_FN(KEY_DOWN) || key == UI_FN(KEY_F(3))) {
            ui->search_failed = !search_move(ui, ui->edit.text, lv->cursor, 1, false);
            return UI_DRAW;
        }
        if (key == UI_FN(KEY_UP)) {
            ui->search_failed = !search_move(ui, ui->edit.text, lv->cursor, -1, false);
            return UI_DRAW;
        }
        break;
    case UI_PROMPT_FILTER:
        if (enter || esc) {
            filter_close(ui, enter);
            return UI_DRAW;
        }
        if (key == UI_FN(KEY_UP) || key == UI_FN(KEY_DOWN)) {
            if (key == UI_FN(KEY_UP) && ui->history_pos > 0)
                ui->history_pos--;
            else if (key == UI_FN(KEY_DOWN) && ui->history_pos < ui->nhistory)
                ui->history_pos++;
            else
                return UI_NONE;
            ui_edit_set(&ui->edit, ui->history_pos < ui->nhistory ? ui->history[ui->history_pos]
                                                                  : filter_text(ui->filter_before));
            filter_try(ui);
            return UI_DRAW;
        }
        break;
    case UI_PROMPT_EXPORT_VIEW:
    case UI_PROMPT_EXPORT_EVENTS:
        if (esc) {
            ui->prompt = UI_PROMPT_NONE;
            set_status(ui, false, "export cancelled");
            return UI_DRAW;
        }
        if (enter) {
            if (ui->edit.len)
                export_run(ui);
            ui->prompt = UI_PROMPT_NONE;
            return UI_DRAW;
        }
        if (key == '\t' && ui->prompt == UI_PROMPT_EXPORT_EVENTS) {
            export_toggle_format(ui);
            return UI_DRAW;
        }
        break;
    default:
        break;
    }
    enum ui_edit_result r = ui_edit_key(&ui->edit, key);
    if (r != UI_EDIT_CHANGED)
        return r == UI_EDIT_MOVED ? UI_DRAW : UI_NONE;
    if (ui->prompt == UI_PROMPT_SEARCH) {
        size_t origin = lv->cursor;
        ui->search_failed = ui->edit.len && !search_move(ui, ui->edit.text, origin, 1, true);
    } else if (ui->prompt == UI_PROMPT_FILTER) {
        filter_try(ui);
    }
    return UI_DRAW;
}

/* ---- actions of the table screen ---- */

typedef enum ui_redraw (*ui_action)(struct ui *ui, int key);

static enum ui_redraw act_help(struct ui *ui, int key)
{
    (void)key;
    ui->screen = UI_SCREEN_HELP;
    ui->help_top = 0;
    return UI_DRAW;
}

static enum ui_redraw act_setup(struct ui *ui, int key)
{
    ui->screen = UI_SCREEN_SETUP;
    ui->setup_kind = view_kind(ui->level[0].view);
    ui->setup_sel = 0;
    return UI_DRAW;
}

static enum ui_redraw act_search(struct ui *ui, int key)
{
    (void)key;
    ui->prompt = UI_PROMPT_SEARCH;
    ui->search_failed = false;
    ui_edit_set(&ui->edit, "");
    return UI_DRAW;
}

static enum ui_redraw act_search_again(struct ui *ui, int key)
{
    if (!ui->search[0]) {
        set_status(ui, false, "no search yet: F3 or / searches");
        return UI_DRAW;
    }
    int dir = key == 'N' ? -1 : 1;
    char text[256];
    if (!search_move(ui, ui->search, ui_top(ui)->cursor, dir, false))
        set_status(ui, true, "not found: %s", shown(ui, ui->search, text, sizeof text));
    return UI_DRAW;
}

static enum ui_redraw act_filter(struct ui *ui, int key)
{
    (void)key;
    ui->prompt = UI_PROMPT_FILTER;
    ui->filter_before = ui->app->filter;
    ui->filter_ok = true;
    ui->history_pos = ui->nhistory;
    ui_edit_set(&ui->edit, filter_text(ui->app->filter));
    return UI_DRAW;
}

static enum ui_redraw act_tree(struct ui *ui, int key)
{
    (void)key;
    bool tree = view_kind(ui->level[0].view) == VIEW_TREE;
    set_kind(ui, tree ? ui->before_tree : VIEW_TREE);
    return UI_DRAW;
}

static enum ui_redraw act_view(struct ui *ui, int key)
{
    int k = view_kind(ui->level[0].view);
    if (key == '\t')
        k = (k + 1) % VIEW_NKINDS;
    else if (key == UI_FN(KEY_BTAB))
        k = (k + VIEW_NKINDS - 1) % VIEW_NKINDS;
    else
        k = key - '1';
    set_kind(ui, (enum view_kind)k);
    return UI_DRAW;
}

static enum ui_redraw act_sort_menu(struct ui *ui, int key)
{
    (void)key;
    ui->screen = UI_SCREEN_SORT;
    ui->menu_sel = view_sort_column(ui_top(ui)->view);
    ui->lay.menu_top = 0;
    return UI_DRAW;
}

static enum ui_redraw act_sort_step(struct ui *ui, int key)
{
    const struct view *v = ui_top(ui)->view;
    size_t n = view_ncolumns(v), c = view_sort_column(v);
    sort_by(ui, key == '<' ? (c + n - 1) % n : (c + 1) % n, false);
    return UI_DRAW;
}

static enum ui_redraw act_invert(struct ui *ui, int key)
{
    (void)key;
    sort_by(ui, view_sort_column(ui_top(ui)->view), true);
    return UI_DRAW;
}

static enum ui_redraw act_pause(struct ui *ui, int key)
{
    (void)key;
    ui->paused = !ui->paused;
    if (!ui->paused)
        ui->next_tick_ns = clock_mono_ns(); /* show what waited, now */
    return UI_DRAW;
}

static enum ui_redraw act_export(struct ui *ui, int key)
{
    char name[256];
    if (key == 'E') {
        char view[64];
        view_file_name(ui_top(ui)->view, view, sizeof view);
        export_default_name(view, "csv", name, sizeof name);
        ui->prompt = UI_PROMPT_EXPORT_VIEW;
    } else {
        export_default_name("events", "csv", name, sizeof name);
        ui->prompt = UI_PROMPT_EXPORT_EVENTS;
        ui->export_jsonl = false;
    }
    ui_edit_set(&ui->edit, name);
    return UI_DRAW;
}

static enum ui_redraw act_reset(struct ui *ui, int key)
{
    (void)key;
    store_reset(ui->st);
    store_get_totals(ui->st, &ui->totals);
    refresh_shown(ui);
    set_status(ui, false, "counters reset");
    return UI_DRAW;
}

static enum ui_redraw act_details(struct ui *ui, int key)
{
    (void)key;
    struct ui_level *lv = ui_top(ui);
    if (ui->depth >= UI_DETAIL_MAX || view_nrows(lv->view) == 0)
        return UI_NONE;
    char *title = malloc(TITLE_MAX);
    if (!title)
        return UI_NONE;
    title[0] = '\0';
    struct view *d = view_details(lv->view, lv->cursor, title, TITLE_MAX);
    if (!d) {
        free(title);
        set_status(ui, false, "no details for this row");
        return UI_DRAW;
    }
    ui->depth++;
    level_init(ui_top(ui), d, title);
    ui->hscroll = 0;
    return UI_DRAW;
}

static enum ui_redraw act_back(struct ui *ui, int key)
{
    (void)key;
    if (ui->depth == 0)
        return UI_NONE;
    pop_level(ui);
    return UI_DRAW;
}

static enum ui_redraw act_redraw(struct ui *ui, int key)
{
    (void)ui;
    (void)key;
    return UI_REPAINT;
}

static enum ui_redraw act_quit(struct ui *ui, int key)
{
    (void)ui;
    (void)key;
    return UI_QUIT;
}

static void move_cursor(struct ui *ui, long delta, bool page)
{
    struct ui_level *lv = ui_top(ui);
    size_t n = view_nrows(lv->view);
    if (n == 0)
        return;
    long c = (long)lv->cursor + delta;
    if (c < 0)
        c = 0;
    if (c >= (long)n)
        c = (long)n - 1;
    if (page) { /* the page scrolls with the cursor, as in htop */
        long t = (long)lv->top + delta;
        lv->top = t < 0 ? 0 : (size_t)t;
    }
    lv->cursor = (size_t)c;
    ui->frozen_until_ns = clock_mono_ns() + FREEZE_NS;
    if (lv == &ui->level[0])
        ui->follow_tail = lv->cursor + 1 == n;
    clamp_cursor(ui, lv);
}

static enum ui_redraw act_move(struct ui *ui, int key)
{
    long page = ui->lay.nrows > 1 ? ui->lay.nrows - 1 : 1;
    long big = (long)view_nrows(ui_top(ui)->view);
    switch (key) {
    case UI_FN(KEY_UP):
        move_cursor(ui, -1, false);
        break;
    case UI_FN(KEY_DOWN):
        move_cursor(ui, 1, false);
        break;
    case UI_FN(KEY_PPAGE):
        move_cursor(ui, -page, true);
        break;
    case UI_FN(KEY_NPAGE):
        move_cursor(ui, page, true);
        break;
    case UI_FN(KEY_HOME):
        move_cursor(ui, -big, false);
        break;
    case UI_FN(KEY_END):
        move_cursor(ui, big, false);
        ui->frozen_until_ns = 0; /* End follows the newest rows at once */
        break;
    }
    return UI_DRAW;
}

static enum ui_redraw act_hscroll(struct ui *ui, int key)
{
    if (key == UI_FN(KEY_LEFT))
        ui->hscroll += 8;
    else if (ui->hscroll >= 8)
        ui->hscroll -= 8;
    else
        ui->hscroll = 0;
    if (ui->hscroll > 8 * 1024)
        ui->hscroll = 8 * 1024;
    return UI_DRAW;
}

static enum ui_redraw act_tree_fold(struct ui *ui, int key)
{
    struct ui_level *lv = ui_top(ui);
    if (view_kind(lv->view) != VIEW_TREE)
        return UI_NONE;
    uint64_t k = view_nrows(lv->view) ? view_row_key(lv->view, lv->cursor) : 0;
    if (key == '*') {
        ui->tree_all = !ui->tree_all;
        view_tree_all(lv->view, ui->tree_all);
    } else {
        view_tree_set(lv->view, lv->cursor, key == '+' || key == '=');
    }
    long r = view_find_key(lv->view, k);
    if (r >= 0)
        lv->cursor = (size_t)r;
    clamp_cursor(ui, lv);
    return UI_DRAW;
}

static enum ui_redraw dispatch(struct ui *ui, int key);

static enum ui_redraw act_mouse(struct ui *ui, int key)
{
    (void)key;
    int x, y;
    enum ui_mouse m = ui_term_mouse(&x, &y);
    const struct ui_layout *lay = &ui->lay;
    if (m == UI_MOUSE_NONE || lay->too_small)
        return UI_NONE;
    if (m == UI_MOUSE_WHEEL_UP || m == UI_MOUSE_WHEEL_DOWN) {
        move_cursor(ui, m == UI_MOUSE_WHEEL_UP ? -3 : 3, false);
        return UI_DRAW;
    }
    if (y == lay->bottom_y) {
        for (int i = 0; i < lay->nfkeys; i++)
            if (x >= lay->fkey[i].x0 && x < lay->fkey[i].x1)
                return dispatch(ui, lay->fkey[i].key);
        return UI_NONE;
    }
    if (y == lay->colhead_y) {
        int c = ui_table_column_at(ui, x);
        if (c >= 0)
            sort_by(ui, (size_t)c, true);
        return UI_DRAW;
    }
    struct ui_level *lv = ui_top(ui);
    if (y >= lay->rows_y && y < lay->rows_y + lay->nrows) {
        size_t row = lv->top + (size_t)(y - lay->rows_y);
        if (row < view_nrows(lv->view)) {
            lv->cursor = row;
            ui->frozen_until_ns = clock_mono_ns() + FREEZE_NS;
            if (ui->depth == 0)
                ui->follow_tail = row + 1 == view_nrows(lv->view);
        }
        return UI_DRAW;
    }
    return UI_NONE;
}

/* The table screen's keys: htop's conventions first. */
static const struct {
    int key;
    ui_action act;
} table_keys[] = {
    {UI_FN(KEY_F(1)), act_help},
    {'h', act_help},
    {'?', act_help},
    {UI_FN(KEY_F(2)), act_setup},
    {'S', act_setup},
    {UI_FN(KEY_F(3)), act_search},
    {'/', act_search},
    {'n', act_search_again},
    {'N', act_search_again},
    {UI_FN(KEY_F(4)), act_filter},
    {'\\', act_filter},
    {UI_FN(KEY_F(5)), act_tree},
    {'t', act_tree},
    {UI_FN(KEY_F(6)), act_sort_menu},
    {'<', act_sort_step},
    {'>', act_sort_step},
    {'I', act_invert},
    {'Z', act_pause},
    {'p', act_pause},
    {'E', act_export},
    {'e', act_export},
    {UI_FN(KEY_DC), act_reset},
    {'\r', act_details},
    {'\n', act_details},
    {UI_FN(KEY_ENTER), act_details},
    {UI_ESC, act_back},
    {UI_FN(KEY_BACKSPACE), act_back},
    {127, act_back},
    {UI_CTRL('h'), act_back},
    {UI_CTRL('l'), act_redraw},
    {'q', act_quit},
    {UI_FN(KEY_F(10)), act_quit},
    {UI_FN(KEY_UP), act_move},
    {UI_FN(KEY_DOWN), act_move},
    {UI_FN(KEY_PPAGE), act_move},
    {UI_FN(KEY_NPAGE), act_move},
    {UI_FN(KEY_HOME), act_move},
    {UI_FN(KEY_END), act_move},
    {UI_FN(KEY_LEFT), act_hscroll},
    {UI_FN(KEY_RIGHT), act_hscroll},
    {'\t', act_view},
    {UI_FN(KEY_BTAB), act_view},
    {'1', act_view},
    {'2', act_view},
    {'3', act_view},
    {'4', act_view},
    {'5', act_view},
    {'6', act_view},
    {'+', act_tree_fold},
    {'=', act_tree_fold},
    {'-', act_tree_fold},
    {'*', act_tree_fold},
    {UI_FN(KEY_MOUSE), act_mouse},
};

/* ---- the other screens' keys ---- */

static enum ui_redraw help_key(struct ui *ui, int key)
{
    size_t page = ui->lay.bottom_y > 2 ? (size_t)ui->lay.bottom_y - 2 : 1;
    size_t max = ui_help_lines() > page ? ui_help_lines() - page : 0;
    switch (key) {
    case UI_FN(KEY_UP):
        if (ui->help_top > 0)
            ui->help_top--;
        return UI_DRAW;
    case UI_FN(KEY_DOWN):
        if (ui->help_top < max)
            ui->help_top++;
        return UI_DRAW;
    case UI_FN(KEY_PPAGE):
        ui->help_top = ui->help_top > page ? ui->help_top - page : 0;
        return UI_DRAW;
    case UI_FN(KEY_NPAGE):
        ui->help_top = ui->help_top + page < max ? ui->help_top + page : max;
        return UI_DRAW;
    case UI_FN(KEY_F(10)):
    case UI_CTRL('l'):
        return ui_screen_key(key);
    case UI_FN(KEY_MOUSE): {
        int x, y;
        enum ui_mouse m = ui_term_mouse(&x, &y);
        if (m == UI_MOUSE_WHEEL_UP || m == UI_MOUSE_WHEEL_DOWN)
            return help_key(ui, m == UI_MOUSE_WHEEL_UP ? UI_FN(KEY_UP) : UI_FN(KEY_DOWN));
        if (m == UI_MOUSE_NONE)
            return UI_NONE;
        break; /* a click closes */
    }
    default:
        break;
    }
    ui->screen = UI_SCREEN_TABLE;
    return UI_DRAW;
}

enum ui_redraw ui_screen_key(int key)
{
    if (key == UI_FN(KEY_F(10)))
        return UI_QUIT;
    return key == UI_CTRL('l') ? UI_REPAINT : UI_NONE;
}

bool ui_list_key(int key, size_t *sel, size_t n)
{
    switch (key) {
    case UI_FN(KEY_UP):
        if (*sel > 0)
            (*sel)--;
        return true;
    case UI_FN(KEY_DOWN):
        if (*sel + 1 < n)
            (*sel)++;
        return true;
    case UI_FN(KEY_HOME):
    case UI_FN(KEY_PPAGE):
        *sel = 0;
        return true;
    case UI_FN(KEY_END):
    case UI_FN(KEY_NPAGE):
        *sel = n ? n - 1 : 0;
        return true;
    default:
        return false;
    }
}

static enum ui_redraw menu_key(struct ui *ui, int key)
{
    if (ui_list_key(key, &ui->menu_sel, view_ncolumns(ui_top(ui)->view)))
        return UI_DRAW;
    switch (key) {
    case '\r':
    case '\n':
    case UI_FN(KEY_ENTER):
        sort_by(ui, ui->menu_sel, false);
        ui->screen = UI_SCREEN_TABLE;
        return UI_DRAW;
    case UI_FN(KEY_F(10)):
        return UI_QUIT;
    case UI_FN(KEY_MOUSE): {
        int x, y;
        if (ui_term_mouse(&x, &y) != UI_MOUSE_CLICK)
            return UI_NONE;
        int e = ui_menu_entry_at(ui, x, y);
        if (e >= 0)
            sort_by(ui, (size_t)e, false);
        ui->screen = UI_SCREEN_TABLE;
        return UI_DRAW;
    }
    default: /* Esc, F6, q: close */
        ui->screen = UI_SCREEN_TABLE;
        return UI_DRAW;
    }
}

static enum ui_redraw dispatch(struct ui *ui, int key)
{
    if (key == UI_FN(KEY_RESIZE))
        return UI_REPAINT;
    if (ui->prompt != UI_PROMPT_NONE)
        return prompt_key(ui, key);
    if (ui->screen == UI_SCREEN_HELP)
        return help_key(ui, key);
    if (ui->screen == UI_SCREEN_SORT)
        return menu_key(ui, key);
    if (ui->screen == UI_SCREEN_SETUP)
        return ui_setup_key(ui, key);
    enum ui_redraw r = UI_NONE;
    if (ui->status[0] && key != UI_FN(KEY_MOUSE)) { /* a key dismisses the message */
        ui->status[0] = '\0';
        r = UI_DRAW;
    }
    for (size_t i = 0; i < sizeof table_keys / sizeof table_keys[0]; i++)
        if (table_keys[i].key == key) {
            enum ui_redraw a = table_keys[i].act(ui, key);
            return a > r ? a : r;
        }
    return r;
}

/* ---- drawing a frame ---- */

static void draw(struct ui *ui, bool repaint)
{
    struct ui_layout *lay = &ui->lay;
    ui_term_size(&lay->cols, &lay->lines);
    ui_term_begin(repaint);
    lay->too_small = lay->cols < UI_MIN_COLS || lay->lines < UI_MIN_LINES;
    if (lay->too_small) {
        char msg[96];
        snprintf(msg, sizeof msg, "fanotop needs at least %dx%d (now %dx%d)", UI_MIN_COLS,
                 UI_MIN_LINES, lay->cols, lay->lines);
        for (int y = 0; y < lay->lines; y++) {
            textline_init(&ui->line, lay->cols, ui->tflags, ST_NORMAL);
            if (y == 0)
                textline_puts(&ui->line, 0, msg, ST_WARN);
            ui_term_line(&ui->line, y);
        }
        ui_term_end(-1, -1);
        return;
    }
    lay->bottom_y = lay->lines - 1;
    if (ui->screen == UI_SCREEN_SETUP) {
        ui_setup_draw(ui);
        ui_prompt_draw(ui);
        ui_term_end(-1, -1);
        return;
    }
    if (ui->screen == UI_SCREEN_HELP) {
        ui_help_draw(ui);
        ui_prompt_draw(ui);
        ui_term_end(-1, -1);
        return;
    }
    int max_title = (lay->lines - 6) / 3;
    lay->title_y = 2;
    lay->ntitle = ui_details_lines(ui, lay->cols, max_title > 1 ? max_title : 1);
    lay->colhead_y = lay->title_y + lay->ntitle;
    lay->rows_y = lay->colhead_y + 1;
    lay->msg_y = ui->prompt == UI_PROMPT_FILTER ? lay->bottom_y - 1 : -1;
    lay->nrows = (lay->msg_y >= 0 ? lay->msg_y : lay->bottom_y) - lay->rows_y;
    ui_table_layout(ui);
    clamp_cursor(ui, ui_top(ui));

    struct source_stats ss;
    source_get_stats(ui->app->src, &ss);
    ui->kernel_overflows =
        ss.overflows > ui->totals.overflows ? ss.overflows : ui->totals.overflows;
    ui_header_draw(ui);
    if (lay->ntitle)
        ui_details_draw(ui);
    ui_table_draw(ui);
    if (ui->screen == UI_SCREEN_SORT)
        ui_menu_draw(ui);
    int cx = ui_prompt_draw(ui);
    ui_term_end(cx, lay->bottom_y);
}

/* ---- start, loop, end ---- */

/* The start sort from --sort, as batch mode reads it. False (after one line
 * on stderr) for a column the view does not have. */
static bool start_sort(struct ui *ui, const char *name)
{
    struct ui_level *lv = &ui->level[0];
    int col = view_column_by_name(lv->view, name);
    if (col < 0) {
        char esc[256];
        fprintf(stderr, "fanotop: unknown sort column '%s' for view %s\n",
                shown(ui, name, esc, sizeof esc), view_kind_name(view_kind(lv->view)));
        return false;
    }
    bool desc =
        (size_t)col == lv->def_col ? lv->def_desc : view_column(lv->view, (size_t)col)->numeric;
    view_set_sort(lv->view, (size_t)col, desc);
    return true;
}

/* ---- the settings file ---- */

/* The first broken line is shown on the status line; the rest are counted. */
struct config_warnings {
    struct ui *ui;
    unsigned n;
};

static void config_warning(const char *msg, void *ctx)
{
    struct config_warnings *w = ctx;
    if (w->n++ == 0) {
        char esc[512];
        set_status(w->ui, true, "%s", shown(w->ui, msg, esc, sizeof esc));
    }
}

/* columns.KIND: the names of the columns shown; the others are hidden. */
static uint32_t hidden_from_names(enum view_kind k, const char *names)
{
    uint32_t hidden = 0;
    size_t n = view_kind_ncolumns(k);
    for (size_t c = 1; c < n && c < 32; c++) { /* the first column always shows */
        const char *name = view_kind_column(k, c).name;
        size_t len = strlen(name);
        bool listed = false;
        for (const char *p = names; *p;) {
            size_t l = strcspn(p, ",");
            listed |= l == len && strncasecmp(p, name, len) == 0;
            p += l + (p[l] == ',');
        }
        if (!listed)
            hidden |= (uint32_t)1 << c;
    }
    return hidden;
}

/* The inverse: NULL when every column shows. */
static char *names_from_hidden(struct ui *ui, enum view_kind k)
{
    if (!ui->hidden[k])
        return NULL;
    char buf[1024];
    size_t at = 0;
    for (size_t c = 0; c < view_kind_ncolumns(k) && c < 32; c++) {
        if (ui->hidden[k] & ((uint32_t)1 << c))
            continue;
        const char *name = view_kind_column(k, c).name;
        int w = snprintf(buf + at, sizeof buf - at, "%s%s", at ? "," : "", name);
        if (w < 0 || (size_t)w >= sizeof buf - at)
            break;
        at += (size_t)w;
    }
    buf[at] = '\0';
    for (char *q = buf; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return strdup(buf);
}

/* Read the settings file (unless --no-config): what the command line did
 * not set comes from it. Returns the start view the file names, or -1. */
static int config_load(struct ui *ui)
{
    char path[4096], err[256];
    int kind = -1;
    if (ui->config && settings_path(path, sizeof path)) {
        struct settings s;
        settings_init(&s);
        struct config_warnings w = {.ui = ui};
        if (settings_load(&s, path, config_warning, &w, err, sizeof err) == 0) {
            if (w.n > 1) {
                char first[sizeof ui->status];
                snprintf(first, sizeof first, "%s", ui->status);
                set_status(ui, true, "%s, and %u more broken lines ignored", first, w.n - 1);
            }
            if (s.delay > 0 && !ui->opt->delay_given)
                ui->delay = s.delay;
            if (s.color == 0)
                ui->color = false;
            if (s.mouse == 0)
                ui->mouse = false;
            if (s.view && !ui->opt->view)
                kind = view_kind_by_name(s.view);
            for (int k = 0; k < VIEW_NKINDS; k++)
                if (s.columns[k])
                    ui->hidden[k] = hidden_from_names((enum view_kind)k, s.columns[k]);
            for (size_t i = 0; i < s.nhistory; i++)
                history_add(ui, s.history[i]);
        } else {
            set_status(ui, true, "%s", err);
        }
        settings_free(&s);
    }
    history_add(ui, filter_text(ui->app->filter));
    ui->history_changed = false;
    return kind;
}

void ui_config_save(struct ui *ui, bool setup)
{
    char path[4096], err[256];
    if (!ui->config || !settings_path(path, sizeof path))
        return;
    /* Filter history alone never creates the file; the setup screen does. */
    if (!setup && (!ui->history_changed || access(path, F_OK) != 0))
        return;
    struct settings s;
    settings_init(&s);
    struct config_warnings w = {.ui = ui};
    if (settings_load(&s, path, config_warning, &w, err, sizeof err) == 0) {
        for (size_t i = 0; i < ui->nhistory; i++)
            settings_add_history(&s, ui->history[i]);
        if (setup) {
            s.delay = ui->delay;
            s.color = ui->color;
            s.mouse = ui->mouse;
            for (int k = 0; k < VIEW_NKINDS; k++) {
                free(s.columns[k]);
                s.columns[k] = names_from_hidden(ui, (enum view_kind)k);
            }
        }
        if (settings_save(&s, path, err, sizeof err) < 0)
            set_status(ui, true, "%s", err);
    }
    settings_free(&s);
}

static void ui_free(struct ui *ui)
{
    while (ui->depth)
        pop_level(ui);
    view_destroy(ui->level[0].view);
    store_destroy(ui->st);
    ui_backlog_free(&ui->backlog);
    for (size_t i = 0; i < ui->nhistory; i++)
        free(ui->history[i]);
    free(ui->cell);
    free(ui);
}

/* Ctrl-C goes to a followed command first; any other stop ends the UI. */
static bool stop_requested(struct ui *ui)
{
    struct follow *f = ui->app->follow;
    enum follow_stop st = follow_check_stop(f, ui->child_exited);
    if (st == FOLLOW_FORWARDED) {
        char name[128];
        set_status(ui, false, "sent SIGINT to %s (q quits)",
                   shown(ui, follow_name(f), name, sizeof name));
        return false;
    }
    return st == FOLLOW_STOP;
}

static int loop(struct ui *ui)
{
    enum ui_redraw want = UI_REPAINT;
    bool keys_waiting = false;
    uint64_t shown_backlog = 0;
    int64_t shown_backlog_at = 0;
    ui->next_tick_ns = clock_mono_ns();
    for (;;) {
        if (stop_requested(ui))
            return 0;
        if (signals_winch()) {
            ui_term_resize();
            want = UI_REPAINT;
        }
        int64_t now = clock_mono_ns();
        int wait = 0;
        if (!keys_waiting && !ui->applying) {
            int64_t until = ui->next_tick_ns - now;
            wait = until <= 0 ? 0 : until < POLL_MS * MS ? (int)(until / MS) + 1 : POLL_MS;
        }
        int key = ui_term_key(wait);
        drain_ring(ui);
        if (key >= 0) {
            enum ui_redraw r = dispatch(ui, key);
            if (r == UI_QUIT)
                return 0;
            if (r > want)
                want = r;
            keys_waiting = true; /* read what else is waiting before drawing */
            continue;
        }
        keys_waiting = false;

        now = clock_mono_ns();
        if (!ui->applying && now >= ui->next_tick_ns) {
            int64_t delay = (int64_t)(ui->delay * 1e9); /* the setup screen may change it */
            ui->next_tick_ns += delay;
            if (ui->next_tick_ns <= now)
                ui->next_tick_ns = now + delay;
            if (!ui->paused) { /* pause: the one if around the refresh */
                ui->applying = true;
                ui->apply_left = ui->backlog.count;
            }
            want = want < UI_DRAW ? UI_DRAW : want; /* losses and +N move on regardless */
        }
        if (ui->applying && apply_some(ui, now + APPLY_SLICE_NS)) {
            ui->applying = false;
            tick_finish(ui);
            if (want < UI_DRAW)
                want = UI_DRAW;
        }
        if (!ui->paused && !ui->applying && ui_top(ui)->stale && now >= ui->frozen_until_ns) {
            refresh_level(ui, ui_top(ui)); /* the freeze after a cursor move is over */
            want = want < UI_DRAW ? UI_DRAW : want;
        }

        if (!ui->app->live && !ui->replay_done && source_finished(ui->app->src) &&
            ring_empty(ui->app->ring)) {
            ui->replay_done = true;
            ui->next_tick_ns = now; /* show the end without waiting for the tick */
            want = want < UI_DRAW ? UI_DRAW : want;
        }
        /* waitpid with WNOHANG is cheap, and as a subreaper we reap the
         * command's orphans here too, so ask every time round. */
        if (ui->app->follow && !ui->child_exited &&
            follow_reap(ui->app->follow, &ui->child_status)) {
            ui->child_exited = true;
            want = want < UI_DRAW ? UI_DRAW : want;
        }
        if (ui->status[0] && now > ui->status_until_ns) {
            ui->status[0] = '\0';
            want = want < UI_DRAW ? UI_DRAW : want;
        }
        if (ui->paused && ui->backlog.count != shown_backlog &&
            now - shown_backlog_at >= PAUSED_REDRAW_NS) {
            shown_backlog = ui->backlog.count;
            shown_backlog_at = now;
            want = want < UI_DRAW ? UI_DRAW : want;
        }
        if (want != UI_NONE) {
            draw(ui, want == UI_REPAINT);
            want = UI_NONE;
        }
    }
}

int ui_run(struct app *app)
{
    const struct options *opt = app->opt;
    struct ui *ui = calloc(1, sizeof *ui);
    if (!ui) {
        fputs("fanotop: out of memory\n", stderr);
        return 1;
    }
    ui->app = app;
    ui->opt = opt;
    ui->tflags = textsafe_flags_for(nl_langinfo(CODESET));
    ui->color = !opt->no_color && getenv("NO_COLOR") == NULL;
    ui->mouse = !opt->no_mouse;
    ui->delay = opt->delay;
    ui->config = !opt->no_config;
    ui_backlog_init(&ui->backlog, 0);
    struct store_config cfg = {.max_rows = opt->max_rows, .log_depth = opt->log_depth};
    ui->st = store_create(&cfg);
    int kind = ui->st ? config_load(ui) : -1;
    if (opt->view)
        kind = view_kind_by_name(opt->view); /* options_parse has checked the name */
    if (kind < 0)
        kind = VIEW_PATHS;
    struct view *v = ui->st ? view_create(ui->st, (enum view_kind)kind) : NULL;
    if (!v) {
        store_destroy(ui->st);
        free(ui);
        fputs("fanotop: out of memory\n", stderr);
        return 1;
    }
    level_init(&ui->level[0], v, NULL);
    view_set_filter(v, app->filter);
    ui->before_tree = kind == VIEW_TREE ? VIEW_PATHS : (enum view_kind)kind;
    ui->follow_tail = kind == VIEW_EVENTS;
    if (opt->sort && !start_sort(ui, opt->sort)) {
        ui_free(ui);
        return 2;
    }
    if (!ui_term_start(ui)) {
        ui_free(ui);
        return 1;
    }
    ui->last_refresh_ns = clock_real_ns();
    store_tick(ui->st, ui->last_refresh_ns); /* the first rate interval starts now */
    int status = loop(ui);
    ui_term_stop();
    if (ui->child_exited)
        status = ui->child_status;
    ui_config_save(ui, false);
    ui_free(ui);
    return status;
}
