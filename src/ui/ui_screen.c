/* The screens: the table (with its details panes, the sort menu over it, a
 * prompt under it), help and setup. Each has its draw and its key function
 * side by side in its file; this one picks which draws the frame and which
 * gets a key, and holds the keys the screens share. */
#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <stdio.h>

/* ---- drawing a frame ---- */

/* The frame when the terminal is below UI_MIN_COLS x UI_MIN_LINES. */
static void draw_too_small(struct ui *ui)
{
    const struct ui_layout *lay = &ui->lay;
    char msg[96];
    snprintf(msg, sizeof msg, "fanotop needs at least %dx%d (now %dx%d)", UI_MIN_COLS, UI_MIN_LINES,
             lay->cols, lay->lines);
    for (int y = 0; y < lay->lines; y++) {
        textline_init(&ui->line, lay->cols, ui->tflags, ST_NORMAL);
        if (y == 0)
            textline_puts(&ui->line, 0, msg, ST_WARN);
        ui_term_line(&ui->line, y);
    }
    ui_term_end(-1, -1);
}

/* The table screen: header, details title, column header and rows, the sort
 * menu when open, the bottom line; the cursor in the prompt. */
static void draw_table(struct ui *ui)
{
    struct ui_layout *lay = &ui->lay;
    struct source_stats ss;
    source_get_stats(ui->app->src, &ss);
    ui->kernel_overflows =
        ss.overflows > ui->totals.overflows ? ss.overflows : ui->totals.overflows;
    int max_title = (lay->lines - 6) / 3;
    lay->title_y = ui_header_draw(ui);
    lay->ntitle = ui_details_lines(ui, lay->cols, max_title > 1 ? max_title : 1);
    lay->colhead_y = lay->title_y + lay->ntitle;
    lay->rows_y = lay->colhead_y + 1;
    lay->msg_y = ui->prompt == UI_PROMPT_FILTER ? lay->bottom_y - 1 : -1;
    lay->nrows = (lay->msg_y >= 0 ? lay->msg_y : lay->bottom_y) - lay->rows_y;
    ui_table_layout(ui);
    ui_level_clamp(ui, ui_top(ui));
    if (lay->ntitle)
        ui_details_draw(ui);
    ui_table_draw(ui);
    if (ui->screen == UI_SCREEN_SORT)
        ui_menu_draw(ui);
    int cx = ui_prompt_draw(ui);
    ui_term_end(cx, lay->bottom_y);
}

void ui_screen_draw(struct ui *ui, bool repaint)
{
    struct ui_layout *lay = &ui->lay;
    ui_term_size(&lay->cols, &lay->lines);
    ui_term_begin(repaint);
    lay->too_small = lay->cols < UI_MIN_COLS || lay->lines < UI_MIN_LINES;
    if (lay->too_small) {
        draw_too_small(ui);
        return;
    }
    lay->bottom_y = lay->lines - 1;
    if (ui->screen == UI_SCREEN_SETUP || ui->screen == UI_SCREEN_HELP) {
        if (ui->screen == UI_SCREEN_SETUP)
            ui_setup_draw(ui);
        else
            ui_help_draw(ui);
        ui_prompt_draw(ui);
        ui_term_end(-1, -1);
        return;
    }
    draw_table(ui);
}

/* ---- a key ---- */

enum ui_redraw ui_screen_dispatch(struct ui *ui, int key)
{
    if (key == UI_FN(KEY_RESIZE))
        return UI_REPAINT;
    if (ui->prompt != UI_PROMPT_NONE)
        return ui_prompt_key(ui, key);
    if (ui->screen == UI_SCREEN_HELP)
        return ui_help_key(ui, key);
    if (ui->screen == UI_SCREEN_SORT)
        return ui_menu_key(ui, key);
    if (ui->screen == UI_SCREEN_SETUP)
        return ui_setup_key(ui, key);
    return ui_actions_key(ui, key);
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
