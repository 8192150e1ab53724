/* The sort-column menu (F6), a box over the left of the table, as in htop:
 * Enter or a click sorts by the entry, any other key closes it. */
#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

/* Place the box: under the column header, as tall as the columns need. */
static void place(struct ui *ui)
{
    struct ui_layout *lay = &ui->lay;
    const struct view *v = ui_top(ui)->view;
    size_t n = view_ncolumns(v);
    int w = 12;
    for (size_t c = 0; c < n; c++) {
        int len = (int)strlen(view_column(v, c)->name) + 5;
        if (len > w)
            w = len;
    }
    lay->menu_x = 0;
    lay->menu_y = lay->colhead_y;
    lay->menu_w = w < lay->cols ? w : lay->cols;
    int room = lay->bottom_y - lay->menu_y; /* title + entries */
    lay->menu_h = (int)n + 1 < room ? (int)n + 1 : room;
    int entries = lay->menu_h - 1;
    if (entries < 1)
        entries = 1;
    if ((int)ui->menu_sel < lay->menu_top)
        lay->menu_top = (int)ui->menu_sel;
    if ((int)ui->menu_sel >= lay->menu_top + entries)
        lay->menu_top = (int)ui->menu_sel - entries + 1;
}

void ui_menu_draw(struct ui *ui)
{
    struct ui_layout *lay = &ui->lay;
    struct textline *l = &ui->line;
    const struct view *v = ui_top(ui)->view;
    place(ui);
    textline_init(l, lay->cols, ui->tflags, ST_COLHEAD);
    textline_puts(l, 1, "Sort by", ST_COLHEAD);
    ui_term_segment(l, lay->menu_y, lay->menu_x, lay->menu_w);
    size_t sort = view_sort_column(v);
    for (int i = 1; i < lay->menu_h; i++) {
        size_t c = (size_t)(lay->menu_top + i - 1);
        bool sel = c == ui->menu_sel;
        textline_init(l, lay->cols, ui->tflags, sel ? ST_MENU_SEL : ST_MENU);
        if (c < view_ncolumns(v)) {
            char text[64];
            snprintf(text, sizeof text, "%s %s", view_column(v, c)->name,
                     c == sort ? (view_sort_descending(v) ? ui_glyph_down(ui) : ui_glyph_up(ui))
                               : "");
            textline_puts(l, 2, text, sel ? ST_MENU_SEL : ST_MENU);
        }
        textline_puts(l, lay->menu_w - 1, (ui->tflags & TEXTSAFE_UTF8) ? "\xe2\x94\x82" : "|",
                      ST_MENU);
        ui_term_segment(l, lay->menu_y + i, lay->menu_x, lay->menu_w + 1); /* and a gap */
    }
}

int ui_menu_entry_at(const struct ui *ui, int x, int y)
{
    const struct ui_layout *lay = &ui->lay;
    if (x < lay->menu_x || x >= lay->menu_x + lay->menu_w || y <= lay->menu_y ||
        y >= lay->menu_y + lay->menu_h)
        return -1;
    size_t c = (size_t)(lay->menu_top + y - lay->menu_y - 1);
    return c < view_ncolumns(ui->level[ui->depth].view) ? (int)c : -1;
}

enum ui_redraw ui_menu_key(struct ui *ui, int key)
{
    if (ui_list_key(key, &ui->menu_sel, view_ncolumns(ui_top(ui)->view)))
        return UI_DRAW;
    switch (key) {
    case '\r':
    case '\n':
    case UI_FN(KEY_ENTER):
        ui_level_sort(ui, ui->menu_sel, false);
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
            ui_level_sort(ui, (size_t)e, false);
        ui->screen = UI_SCREEN_TABLE;
        return UI_DRAW;
    }
    default: /* Esc, F6, q: close */
        ui->screen = UI_SCREEN_TABLE;
        return UI_DRAW;
    }
}
