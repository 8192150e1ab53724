/* The help screen (F1, h, ?): every key, one per line (run/keys.c holds the
 * list), scrolled by the arrows, the pages and the wheel; F10 quits, Ctrl-L
 * repaints, any other key or a click closes it. */
#include "config.h"

#include "run/keys.h"
#include "ui/ui.h"

#include <curses.h>

size_t ui_help_lines(void)
{
    return keys_help_count;
}

void ui_help_draw(struct ui *ui)
{
    struct textline *l = &ui->line;
    int y = 0;
    textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
    textline_puts(l, 1, "fanotop " PACKAGE_VERSION " - keys", ST_TITLE);
    ui_term_line(l, y++);
    int rows = ui->lay.bottom_y - 1;
    size_t top = ui->help_top;
    for (int i = 0; i < rows; i++, y++) {
        textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
        size_t k = top + (size_t)i;
        if (k < keys_help_count && !keys_help[k].keys) {
            textline_puts(l, 1, keys_help[k].what, ST_TITLE);
        } else if (k < keys_help_count) {
            textline_puts(l, 3, keys_help[k].keys, ST_HELP_KEY);
            textline_puts(l, 24, keys_help[k].what, ST_NORMAL);
        }
        ui_term_line(l, y);
    }
}

enum ui_redraw ui_help_key(struct ui *ui, int key)
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
