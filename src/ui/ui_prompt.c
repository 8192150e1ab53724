/* The bottom line, htop style: function keys, or a status message, or a
 * prompt with its line editor (ui_edit.c); the filter prompt adds a line
 * above it that says OK or shows the error with a caret under its offset.
 * The prompts' keys are here too: search as you type, the filter applied as
 * you type (the last valid one stays in force) with its history, and the
 * export file name. */
#include "config.h"

#include "base/clock.h"
#include "ui/ui.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define STATUS_NS (8000 * CLOCK_NS_PER_MS) /* a status message stays this long, or until a key */

/* ---- the status message ---- */

void ui_status(struct ui *ui, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ui->status, sizeof ui->status, fmt, ap);
    va_end(ap);
    ui->status_error = error;
    ui->status_until_ns = clock_mono_ns() + STATUS_NS;
}

const char *ui_escaped(const struct ui *ui, const char *s, char *buf, size_t len)
{
    textsafe_escape(s, strlen(s), ui->tflags, buf, len);
    return buf;
}

/* ---- drawing ---- */

static const char *prompt_label(const struct ui *ui)
{
    switch (ui->prompt) {
    case UI_PROMPT_SEARCH:
        return "Search: ";
    case UI_PROMPT_FILTER:
        return "Filter: ";
    case UI_PROMPT_EXPORT_VIEW:
        return "Export view to: ";
    case UI_PROMPT_EXPORT_EVENTS:
        return ui->export_jsonl ? "Export events as JSONL (Tab: CSV) to: "
                                : "Export events as CSV (Tab: JSONL) to: ";
    case UI_PROMPT_CONFIRM_RESET:
        return "Reset all counters? y resets, any other key keeps them ";
    default:
        return "";
    }
}

/* Byte offset in TEXT of the first glyph at or after column COL. */
static size_t offset_at_column(const struct ui *ui, const char *text, size_t len, size_t col)
{
    struct textsafe_iter it;
    struct textsafe_glyph g;
    textsafe_init(&it, text, len, ui->tflags | TEXTSAFE_BACKSLASH);
    size_t w = 0, at = 0;
    while (w < col && textsafe_next(&it, &g)) {
        w += g.width;
        at = it.pos;
    }
    return at;
}

static int draw_prompt(struct ui *ui, int *field_x, size_t *scroll)
{
    struct textline *l = &ui->line;
    const char *label = prompt_label(ui);
    uint8_t lstyle = ui->prompt == UI_PROMPT_SEARCH && ui->search_failed ? ST_ERROR : ST_PROMPT;
    textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
    int x = textline_puts(l, 0, label, lstyle);
    int field = ui->lay.cols - x - 1;
    const struct ui_edit *e = &ui->edit;
    size_t cur = textline_width(l, e->text, e->pos, TEXTSAFE_BACKSLASH);
    size_t start = field > 0 && cur >= (size_t)field ? cur - (size_t)field + 1 : 0;
    size_t off = offset_at_column(ui, e->text, e->len, start);
    size_t shown = textline_width(l, e->text, off, TEXTSAFE_BACKSLASH);
    struct textfit fit = {.style = ST_NORMAL, .esc_style = ST_ESCAPE, .flags = TEXTSAFE_BACKSLASH};
    if (field > 0)
        textline_put(l, x, field, e->text + off, e->len - off, &fit);
    ui_term_line(l, ui->lay.bottom_y);
    *field_x = x;
    *scroll = shown;
    return x + (int)(cur - shown);
}

/* The filter prompt's second line: OK and the counts, or the error with a
 * caret under the byte it points at. */
static void draw_filter_msg(struct ui *ui, int field_x, size_t scroll)
{
    struct textline *l = &ui->line;
    textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
    const struct view *v = ui_top(ui)->view;
    char msg[512];
    if (ui->filter_ok) {
        snprintf(msg, sizeof msg, "OK: %zu of %zu rows match", view_nrows(v), view_total_rows(v));
        textline_puts(l, field_x, msg, ST_OK);
    } else {
        const struct ui_edit *e = &ui->edit;
        size_t off = ui->filter_err.offset < e->len ? ui->filter_err.offset : e->len;
        size_t col = textline_width(l, e->text, off, TEXTSAFE_BACKSLASH);
        int x = field_x + (col > scroll ? (int)(col - scroll) : 0);
        if (x >= ui->lay.cols)
            x = ui->lay.cols - 1;
        x = textline_puts(l, x, "^ ", ST_ERROR);
        char text[300];
        textsafe_escape(ui->filter_err.message, strlen(ui->filter_err.message), ui->tflags, text,
                        sizeof text);
        snprintf(msg, sizeof msg, "%s (the last valid filter stays in force)", text);
        textline_puts(l, x, msg, ST_ERROR);
    }
    ui_term_line(l, ui->lay.msg_y);
}

struct fkey {
    const char *key, *label;
    int code;
    int prio; /* a narrow screen drops the lowest first; Quit never goes */
};

/* The entry's width: the key, then its label padded to 6. */
static int fkey_width(const struct fkey *k)
{
    int label = (int)strlen(k->label);
    return (int)strlen(k->key) + (label > 6 ? label : 6);
}

/* Drop entries, the lowest priority first, until the line holds them. */
static int fit_fkeys(struct fkey *keys, int n, int cols)
{
    for (;;) {
        int w = 0, worst = -1;
        for (int i = 0; i < n; i++) {
            w += fkey_width(&keys[i]);
            if (worst < 0 || keys[i].prio < keys[worst].prio)
                worst = i;
        }
        if (w <= cols || n <= 1)
            return n;
        memmove(&keys[worst], &keys[worst + 1], (size_t)(n - worst - 1) * sizeof *keys);
        n--;
    }
}

static void draw_fkeys(struct ui *ui)
{
    struct textline *l = &ui->line;
    struct fkey keys[UI_MAX_FKEYS];
    int n = 0;
#define ADD(k, lab, c, p)                                                                          \
    keys[n++] = (struct fkey)                                                                      \
    {                                                                                              \
        k, lab, c, p                                                                               \
    }
    if (ui->screen == UI_SCREEN_HELP) {
        ADD("Esc", "Close", UI_ESC, 50);
        ADD("F10", "Quit", UI_FN(KEY_F(10)), 100);
    } else if (ui->screen == UI_SCREEN_SETUP) {
        ADD("Space", "Toggle", ' ', 50);
        ADD("Left", "Less", UI_FN(KEY_LEFT), 40);
        ADD("Right", "More", UI_FN(KEY_RIGHT), 40);
        ADD("Esc", "Done", UI_ESC, 60);
        ADD("F10", "Quit", UI_FN(KEY_F(10)), 100);
    } else if (ui->screen == UI_SCREEN_SORT) {
        ADD("Enter", "Sort", '\r', 50);
        ADD("Esc", "Cancel", UI_ESC, 50);
    } else {
        bool tree = view_kind(ui->level[0].view) == VIEW_TREE;
        ADD("F1", "Help", UI_FN(KEY_F(1)), 90);
        ADD("F2", "Setup", UI_FN(KEY_F(2)), 30);
        ADD("F3", "Search", UI_FN(KEY_F(3)), 60);
        ADD("F4", "Filter", UI_FN(KEY_F(4)), 80);
        ADD("F5", tree ? "List" : "Tree", UI_FN(KEY_F(5)), 50);
        ADD("F6", "SortBy", UI_FN(KEY_F(6)), 70);
        ADD("Z", ui->paused ? "Resume" : "Pause", 'Z', ui->paused ? 85 : 55);
        ADD("E", "Export", 'E', 20);
        if (ui->depth)
            ADD("Esc", "Back", UI_ESC, 75);
        else
            ADD("Enter", "Details", '\r', 40);
        ADD("Tab", "View", '\t', 10);
        ADD("F10", "Quit", UI_FN(KEY_F(10)), 100);
    }
#undef ADD
    n = fit_fkeys(keys, n, ui->lay.cols);
    textline_init(l, ui->lay.cols, ui->tflags, ST_FKEY_LABEL);
    int x = 0;
    ui->lay.nfkeys = 0;
    for (int i = 0; i < n && x < ui->lay.cols; i++) {
        int x0 = x;
        x = textline_puts(l, x, keys[i].key, ST_FKEY);
        char lab[32];
        snprintf(lab, sizeof lab, "%-6s", keys[i].label);
        x = textline_puts(l, x, lab, ST_FKEY_LABEL);
        ui->lay.fkey[ui->lay.nfkeys].x0 = x0;
        ui->lay.fkey[ui->lay.nfkeys].x1 = x;
        ui->lay.fkey[ui->lay.nfkeys].key = keys[i].code;
        ui->lay.nfkeys++;
    }
    ui_term_line(l, ui->lay.bottom_y);
}

int ui_prompt_draw(struct ui *ui)
{
    if (ui->prompt != UI_PROMPT_NONE) {
        int field_x;
        size_t scroll;
        int cx = draw_prompt(ui, &field_x, &scroll);
        if (ui->prompt == UI_PROMPT_FILTER && ui->lay.msg_y >= 0)
            draw_filter_msg(ui, field_x, scroll);
        return cx;
    }
    ui->lay.nfkeys = 0;
    if (ui->status[0]) {
        struct textline *l = &ui->line;
        textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
        struct textfit fit = {.style = ui->status_error ? ST_ERROR : ST_STATUS,
                              .esc_style = ST_ESCAPE,
                              .flags = TEXTSAFE_BACKSLASH};
        textline_put(l, 0, ui->lay.cols, ui->status, strlen(ui->status), &fit);
        ui_term_line(l, ui->lay.bottom_y);
        return -1;
    }
    draw_fkeys(ui);
    return -1;
}

/* ---- the filter prompt ---- */

/* Put F in force for every level (the views keep the pointer), free the one
 * it replaces unless the prompt may still restore it. */
static void install_filter(struct ui *ui, struct filter *f)
{
    struct filter *old = ui->app->filter;
    for (size_t i = 0; i <= ui->depth; i++)
        view_set_filter(ui->level[i].view, f);
    ui->app->filter = f;
    ui_level_refresh_shown(ui);
    if (old != f && old != ui->filter_before)
        filter_free(old);
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

/* Enter keeps the filter in force (and in the history), Esc restores the
 * one the prompt opened with. */
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
        ui_history_add(ui, filter_text(ui->app->filter));
    ui->prompt = UI_PROMPT_NONE;
}

/* ---- the prompts' keys ---- */

enum ui_redraw ui_prompt_key(struct ui *ui, int key)
{
    bool enter = key == '\r' || key == '\n' || key == UI_FN(KEY_ENTER);
    bool esc = key == UI_ESC;
    struct ui_level *lv = ui_top(ui);
    switch (ui->prompt) {
    case UI_PROMPT_CONFIRM_RESET:
        if (key == UI_FN(KEY_RESIZE) || key == UI_FN(KEY_MOUSE))
            return UI_NONE;
        ui->prompt = UI_PROMPT_NONE;
        if (key == 'y' || key == 'Y')
            ui_level_reset(ui);
        else
            ui_status(ui, false, "counters kept");
        return UI_DRAW;
    case UI_PROMPT_SEARCH:
        if (enter || esc) {
            if (ui->edit.len)
                snprintf(ui->search, sizeof ui->search, "%s", ui->edit.text);
            ui->prompt = UI_PROMPT_NONE;
            return UI_DRAW;
        }
        if (key == UI_FN(KEY_DOWN) || key == UI_FN(KEY_F(3))) {
            ui->search_failed = !ui_search_move(ui, ui->edit.text, lv->cursor, 1, false);
            return UI_DRAW;
        }
        if (key == UI_FN(KEY_UP)) {
            ui->search_failed = !ui_search_move(ui, ui->edit.text, lv->cursor, -1, false);
            return UI_DRAW;
        }
        break;
    case UI_PROMPT_FILTER:
        if (enter || esc) {
            filter_close(ui, enter);
            return UI_DRAW;
        }
        if (key == UI_FN(KEY_UP) || key == UI_FN(KEY_DOWN)) {
            const char *text =
                ui_history_step(ui, key == UI_FN(KEY_UP) ? -1 : 1, filter_text(ui->filter_before));
            if (!text)
                return UI_NONE;
            ui_edit_set(&ui->edit, text);
            filter_try(ui);
            return UI_DRAW;
        }
        break;
    case UI_PROMPT_EXPORT_VIEW:
    case UI_PROMPT_EXPORT_EVENTS:
        if (esc) {
            ui->prompt = UI_PROMPT_NONE;
            ui_status(ui, false, "export cancelled");
            return UI_DRAW;
        }
        if (enter) {
            if (ui->edit.len)
                ui_export_run(ui);
            ui->prompt = UI_PROMPT_NONE;
            return UI_DRAW;
        }
        if (key == '\t' && ui->prompt == UI_PROMPT_EXPORT_EVENTS) {
            ui_export_toggle_format(ui);
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
        ui->search_failed = ui->edit.len && !ui_search_move(ui, ui->edit.text, origin, 1, true);
    } else if (ui->prompt == UI_PROMPT_FILTER) {
        filter_try(ui);
    }
    return UI_DRAW;
}
