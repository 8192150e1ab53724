/* The setup screen (F2), as htop has one: colour, mouse, refresh delay and
 * the columns each view shows. Every change applies at once and is written
 * to the settings file, so that nothing waits for a clean exit. */
#include "config.h"

#include "run/settings.h"
#include "ui/ui.h"

#include <curses.h>
#include <stdio.h>

enum item { IT_COLOR, IT_MOUSE, IT_DELAY, IT_VIEW, IT_COLUMNS };

static const double delay_steps[] = {0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60};
#define NSTEPS (sizeof delay_steps / sizeof delay_steps[0])

/* The columns listed are the catalogue of the kind being set up. */
static size_t nitems(struct ui *ui)
{
    return IT_COLUMNS + ui_columns_count(ui->setup_kind);
}

static void put_item(struct ui *ui, int y, size_t i, const char *label, const char *value)
{
    struct textline *l = &ui->line;
    bool sel = i == ui->setup_sel;
    textline_init(l, ui->lay.cols, ui->tflags, sel ? ST_MENU_SEL : ST_NORMAL);
    textline_puts(l, 3, label, sel ? ST_MENU_SEL : ST_NORMAL);
    textline_puts(l, 30, value, sel ? ST_MENU_SEL : ST_VALUE);
    ui_term_line(l, y);
}

void ui_setup_draw(struct ui *ui)
{
    struct textline *l = &ui->line;
    int y = 0;
    char path[4096], text[4200];
    if (!ui->config)
        snprintf(text, sizeof text, "Setup: changes apply now, not saved (--no-config)");
    else if (settings_path(path, sizeof path))
        snprintf(text, sizeof text, "Setup: changes apply now and are saved to %s", path);
    else
        snprintf(text, sizeof text, "Setup: changes apply now (no HOME: not saved)");
    textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
    textline_puts(l, 1, text, ST_TITLE);
    ui_term_line(l, y++);
    textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
    ui_term_line(l, y++);

    char val[64];
    put_item(ui, y++, IT_COLOR, "Colour", ui->color ? "on" : "off");
    put_item(ui, y++, IT_MOUSE, "Mouse", ui->mouse ? "on" : "off");
    snprintf(val, sizeof val, "%g s", ui->delay);
    put_item(ui, y++, IT_DELAY, "Refresh delay", val);
    snprintf(val, sizeof val, "< %s >", view_kind_name(ui->setup_kind));
    put_item(ui, y++, IT_VIEW, "Columns of the view", val);

    size_t n = ui_columns_count(ui->setup_kind);
    /* Keep the selected column on screen. */
    int room = ui->lay.bottom_y - y;
    size_t first = 0;
    if (ui->setup_sel >= IT_COLUMNS && room > 0 && ui->setup_sel - IT_COLUMNS >= (size_t)room)
        first = ui->setup_sel - IT_COLUMNS - (size_t)room + 1;
    for (size_t c = first; c < n && y < ui->lay.bottom_y; c++) {
        bool shown = c == 0 || !(ui->hidden[ui->setup_kind] & ((uint32_t)1 << c));
        snprintf(text, sizeof text, "  [%c] %s", shown ? 'x' : ' ',
                 ui_columns_name(ui->setup_kind, c));
        put_item(ui, y++, IT_COLUMNS + c, text, c == 0 ? "(always shown)" : "");
    }
    while (y < ui->lay.bottom_y) {
        textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
        ui_term_line(l, y++);
    }
}

static double next_delay(double d, int dir)
{
    if (dir > 0) {
        for (size_t i = 0; i < NSTEPS; i++)
            if (delay_steps[i] > d + 1e-9)
                return delay_steps[i];
        return delay_steps[NSTEPS - 1];
    }
    for (size_t i = NSTEPS; i-- > 0;)
        if (delay_steps[i] < d - 1e-9)
            return delay_steps[i];
    return delay_steps[0];
}

/* Change the selected item: DIR -1 or +1 for Left / Right, 0 for Space. */
static enum ui_redraw change(struct ui *ui, int dir)
{
    enum ui_redraw r = UI_DRAW;
    switch (ui->setup_sel) {
    case IT_COLOR:
        ui->color = !ui->color;
        ui_term_set_color(ui->color);
        r = UI_REPAINT;
        break;
    case IT_MOUSE:
        ui->mouse = !ui->mouse;
        ui_term_set_mouse(ui->mouse);
        break;
    case IT_DELAY:
        ui->delay = next_delay(ui->delay, dir ? dir : 1);
        break;
    case IT_VIEW:
        ui->setup_kind = (enum view_kind)((ui->setup_kind + VIEW_NKINDS + (dir < 0 ? -1 : 1)) %
                                          VIEW_NKINDS);
        return UI_DRAW; /* nothing to save: only what is listed changed */
    default: {
        size_t c = ui->setup_sel - IT_COLUMNS;
        if (c == 0 || c >= 32)
            return UI_NONE;
        ui->hidden[ui->setup_kind] ^= (uint32_t)1 << c;
        break;
    }
    }
    ui_config_save(ui, true);
    return r;
}

enum ui_redraw ui_setup_key(struct ui *ui, int key)
{
    size_t n = nitems(ui);
    if (ui_list_key(key, &ui->setup_sel, n))
        return UI_DRAW;
    switch (key) {
    case ' ':
    case '\r':
    case '\n':
    case UI_FN(KEY_ENTER):
        return change(ui, 0);
    case UI_FN(KEY_LEFT):
    case '-':
        return change(ui, -1);
    case UI_FN(KEY_RIGHT):
    case '+':
        return change(ui, 1);
    case UI_FN(KEY_MOUSE): {
        int x, y;
        enum ui_mouse m = ui_term_mouse(&x, &y);
        if (m == UI_MOUSE_CLICK && y >= 2 && (size_t)(y - 2) < n) {
            ui->setup_sel = (size_t)(y - 2);
            return change(ui, 0);
        }
        return UI_NONE;
    }
    case UI_ESC:
    case UI_FN(KEY_F(2)):
    case 'S':
    case 'q':
    case UI_FN(KEY_BACKSPACE):
    case 127:
        ui->screen = UI_SCREEN_TABLE;
        return UI_REPAINT;
    default:
        return ui_screen_key(key);
    }
}
