/* The help screen (F1, h, ?): every key, one per line (run/keys.c holds the
 * list), then what the header's counters, the columns and the event types
 * mean (run/legend.c), scrolled by the arrows, the pages and the wheel; F10
 * quits, Ctrl-L repaints, any other key or a click closes it. */
#include "config.h"

#include "run/keys.h"
#include "run/legend.h"
#include "ui/ui.h"

#include <curses.h>
#include <stdint.h>
#include <string.h>

/* Entry K of the help: a key, a blank, then the legend; NULL past the end. */
static const struct key_help *help_entry(size_t k)
{
    static const struct key_help blank = {"", ""};
    if (k < keys_help_count)
        return &keys_help[k];
    if (k == keys_help_count)
        return &blank;
    k -= keys_help_count + 1;
    return k < legend_help_count ? &legend_help[k] : NULL;
}

/* A line on screen: a heading, or a term (empty: continued) and text. */
struct help_row {
    const char *term, *what;
    size_t len;
};

#define WHAT_X 24

/* The help's lines at width COLS, texts wrapped at spaces: line ROW into
 * *OUT (if not NULL); returns how many there are. */
static size_t help_rows(int cols, size_t row, struct help_row *out)
{
    size_t room = cols > WHAT_X + 21 ? (size_t)(cols - WHAT_X - 1) : 20;
    size_t n = 0;
    const struct key_help *h;
    for (size_t k = 0; (h = help_entry(k)); k++) {
        const char *w = h->what;
        size_t left = strlen(w);
        bool first = true;
        do {
            size_t take = left;
            if (h->keys && take > room) {
                take = room;
                while (take > 0 && w[take] != ' ')
                    take--;
                if (take == 0)
                    take = room;
            }
            if (n == row && out)
                *out = (struct help_row){h->keys ? (first ? h->keys : "") : NULL, w, take};
            n++;
            first = false;
            w += take;
            left -= take;
            while (left && *w == ' ')
                w++, left--;
        } while (left);
    }
    return n;
}

size_t ui_help_lines(const struct ui *ui)
{
    return help_rows(ui->lay.cols, SIZE_MAX, NULL);
}

void ui_help_draw(struct ui *ui)
{
    struct textline *l = &ui->line;
    int y = 0;
    textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
    textline_puts(l, 1, "fanotop " PACKAGE_VERSION " - keys and what the screen shows", ST_TITLE);
    ui_term_line(l, y++);
    int rows = ui->lay.bottom_y - 1;
    size_t total = ui_help_lines(ui);
    for (int i = 0; i < rows; i++, y++) {
        textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
        struct help_row r;
        size_t k = ui->help_top + (size_t)i;
        if (k < total && help_rows(ui->lay.cols, k, &r) && !r.term) {
            textline_puts(l, 1, r.what, ST_TITLE);
        } else if (k < total) {
            textline_puts(l, 3, r.term, ST_HELP_KEY);
            struct textfit fit = {
                .style = ST_NORMAL, .esc_style = ST_NORMAL, .flags = TEXTSAFE_BACKSLASH};
            textline_put(l, WHAT_X, ui->lay.cols - WHAT_X, r.what, r.len, &fit);
        }
        ui_term_line(l, y);
    }
}

enum ui_redraw ui_help_key(struct ui *ui, int key)
{
    size_t page = ui->lay.bottom_y > 2 ? (size_t)ui->lay.bottom_y - 2 : 1;
    size_t lines = ui_help_lines(ui);
    size_t max = lines > page ? lines - page : 0;
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
            return ui_help_key(ui, m == UI_MOUSE_WHEEL_UP ? UI_FN(KEY_UP) : UI_FN(KEY_DOWN));
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
