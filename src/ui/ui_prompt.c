/* The bottom line, htop style: function keys, or a status message, or a
 * prompt with its line editor; the filter prompt adds a line above it that
 * says OK or shows the error with a caret under its offset. */
#include "config.h"

#include "ui/ui.h"

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* ---- the line editor ---- */

void ui_edit_set(struct ui_edit *e, const char *text)
{
    size_t n = strlen(text);
    if (n >= sizeof e->text)
        n = sizeof e->text - 1;
    memcpy(e->text, text, n);
    e->text[n] = '\0';
    e->len = e->pos = n;
}

static bool is_cont(char c)
{
    return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t prev_char(const struct ui_edit *e, size_t pos)
{
    while (pos > 0 && is_cont(e->text[--pos]))
        ;
    return pos;
}

static size_t next_char(const struct ui_edit *e, size_t pos)
{
    if (pos < e->len)
        pos++;
    while (pos < e->len && is_cont(e->text[pos]))
        pos++;
    return pos;
}

static void cut(struct ui_edit *e, size_t from, size_t to)
{
    memmove(e->text + from, e->text + to, e->len - to + 1);
    e->len -= to - from;
    if (e->pos > to)
        e->pos -= to - from;
    else if (e->pos > from)
        e->pos = from;
}

static bool insert(struct ui_edit *e, int key)
{
    char mb[MB_LEN_MAX];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t k = wcrtomb(mb, (wchar_t)key, &st);
    if (k == (size_t)-1 || e->len + k >= sizeof e->text)
        return false;
    memmove(e->text + e->pos + k, e->text + e->pos, e->len - e->pos + 1);
    memcpy(e->text + e->pos, mb, k);
    e->len += k;
    e->pos += k;
    return true;
}

enum ui_edit_result ui_edit_key(struct ui_edit *e, int key)
{
    size_t p;
    switch (key) {
    case UI_FN(KEY_LEFT):
    case UI_CTRL('b'):
        e->pos = prev_char(e, e->pos);
        return UI_EDIT_MOVED;
    case UI_FN(KEY_RIGHT):
    case UI_CTRL('f'):
        e->pos = next_char(e, e->pos);
        return UI_EDIT_MOVED;
    case UI_FN(KEY_HOME):
    case UI_CTRL('a'):
        e->pos = 0;
        return UI_EDIT_MOVED;
    case UI_FN(KEY_END):
    case UI_CTRL('e'):
        e->pos = e->len;
        return UI_EDIT_MOVED;
    case UI_FN(KEY_BACKSPACE):
    case 127:
    case UI_CTRL('h'):
        if (e->pos == 0)
            return UI_EDIT_MOVED;
        cut(e, prev_char(e, e->pos), e->pos);
        return UI_EDIT_CHANGED;
    case UI_FN(KEY_DC):
    case UI_CTRL('d'):
        if (e->pos == e->len)
            return UI_EDIT_MOVED;
        cut(e, e->pos, next_char(e, e->pos));
        return UI_EDIT_CHANGED;
    case UI_CTRL('u'):
        cut(e, 0, e->pos);
        return UI_EDIT_CHANGED;
    case UI_CTRL('k'):
        cut(e, e->pos, e->len);
        return UI_EDIT_CHANGED;
    case UI_CTRL('w'):
        p = e->pos;
        while (p > 0 && e->text[p - 1] == ' ')
            p--;
        while (p > 0 && e->text[p - 1] != ' ')
            p--;
        cut(e, p, e->pos);
        return UI_EDIT_CHANGED;
    default:
        if (key >= 0x20 && key != 0x7f && key < UI_KEY_FN && !(key >= 0x80 && key < 0xa0))
            return insert(e, key) ? UI_EDIT_CHANGED : UI_EDIT_MOVED;
        return UI_EDIT_IGNORED;
    }
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
};

static void draw_fkeys(struct ui *ui)
{
    struct textline *l = &ui->line;
    struct fkey keys[UI_MAX_FKEYS];
    int n = 0;
#define ADD(k, lab, c)                                                                             \
    keys[n++] = (struct fkey)                                                                      \
    {                                                                                              \
        k, lab, c                                                                                  \
    }
    if (ui->screen == UI_SCREEN_HELP) {
        ADD("Esc", "Close", UI_ESC);
        ADD("F10", "Quit", UI_FN(KEY_F(10)));
    } else if (ui->screen == UI_SCREEN_SETUP) {
        ADD("Space", "Toggle", ' ');
        ADD("Left", "Less", UI_FN(KEY_LEFT));
        ADD("Right", "More", UI_FN(KEY_RIGHT));
        ADD("Esc", "Done", UI_ESC);
        ADD("F10", "Quit", UI_FN(KEY_F(10)));
    } else if (ui->screen == UI_SCREEN_SORT) {
        ADD("Enter", "Sort", '\r');
        ADD("Esc", "Cancel", UI_ESC);
    } else {
        bool tree = view_kind(ui->level[0].view) == VIEW_TREE;
        ADD("F1", "Help", UI_FN(KEY_F(1)));
        ADD("F2", "Setup", UI_FN(KEY_F(2)));
        ADD("F3", "Search", UI_FN(KEY_F(3)));
        ADD("F4", "Filter", UI_FN(KEY_F(4)));
        ADD("F5", tree ? "List" : "Tree", UI_FN(KEY_F(5)));
        ADD("F6", "SortBy", UI_FN(KEY_F(6)));
        ADD("Z", ui->paused ? "Resume" : "Pause", 'Z');
        ADD("E", "Export", 'E');
        if (ui->depth)
            ADD("Esc", "Back", UI_ESC);
        else
            ADD("Enter", "Details", '\r');
        ADD("Tab", "View", '\t');
        ADD("F10", "Quit", UI_FN(KEY_F(10)));
    }
#undef ADD
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
