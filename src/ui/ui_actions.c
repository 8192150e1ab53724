/* The table screen's keys, htop style: one table maps a key to an action,
 * and every action returns what must be redrawn (enum ui_redraw). An action
 * changes the state in struct ui; the screens draw it at the next frame. */
#include "config.h"

#include "ui/ui.h"

#include <curses.h>
#include <string.h>

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
        ui_status(ui, false, "no search yet: F3 or / searches");
        return UI_DRAW;
    }
    int dir = key == 'N' ? -1 : 1;
    char text[256];
    if (!ui_search_move(ui, ui->search, ui_top(ui)->cursor, dir, false))
        ui_status(ui, true, "not found: %s", ui_escaped(ui, ui->search, text, sizeof text));
    return UI_DRAW;
}

static enum ui_redraw act_filter(struct ui *ui, int key)
{
    (void)key;
    size_t n = strlen(filter_text(ui->app->filter));
    if (n >= sizeof ui->edit.text) {
        /* Cut, it would be another filter once applied. */
        ui_status(ui, true, "the filter is %zu bytes, more than the prompt holds (%zu): change it "
                  "with -f", n, sizeof ui->edit.text - 1);
        return UI_DRAW;
    }
    ui->prompt = UI_PROMPT_FILTER;
    ui->filter_before = ui->app->filter;
    ui->filter_ok = true;
    ui_history_rewind(ui);
    ui_edit_set(&ui->edit, filter_text(ui->app->filter));
    return UI_DRAW;
}

/* As htop's F5: the processes view and the process tree toggle; any other
 * view and the directory tree. */
static enum ui_redraw act_tree(struct ui *ui, int key)
{
    (void)key;
    enum view_kind k = view_kind(ui->level[0].view);
    if (k == VIEW_PROCS || k == VIEW_PROCTREE)
        ui_level_set_kind(ui, k == VIEW_PROCS ? VIEW_PROCTREE : VIEW_PROCS);
    else
        ui_level_set_kind(ui, k == VIEW_TREE ? ui->before_tree : VIEW_TREE);
    return UI_DRAW;
}

/* g: the processes view folds by comm, then exe, then unit, then not. */
static enum ui_redraw act_group(struct ui *ui, int key)
{
    (void)key;
    struct ui_level *lv = &ui->level[0];
    if (view_kind(lv->view) != VIEW_PROCS) {
        ui_status(ui, false, "g groups the processes view (2)");
        return UI_DRAW;
    }
    while (ui->depth)
        ui_level_pop(ui);
    enum view_group g = (enum view_group)((view_group(lv->view) + 1) % VIEW_NGROUPS);
    view_set_group(lv->view, g);
    ui_level_init(lv, lv->view, NULL);
    ui_level_refresh(ui, lv);
    ui->hscroll = 0;
    if (g)
        ui_status(ui, false, "processes grouped by %s (g: next)", view_group_name(g));
    else
        ui_status(ui, false, "processes not grouped");
    return UI_DRAW;
}

static enum ui_redraw act_signal(struct ui *ui, int key)
{
    (void)key;
    return ui_signal_open(ui);
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
    ui_level_set_kind(ui, (enum view_kind)k);
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
    ui_level_sort(ui, key == '<' ? (c + n - 1) % n : (c + 1) % n, false);
    return UI_DRAW;
}

static enum ui_redraw act_invert(struct ui *ui, int key)
{
    (void)key;
    ui_level_sort(ui, view_sort_column(ui_top(ui)->view), true);
    return UI_DRAW;
}

static enum ui_redraw act_pause(struct ui *ui, int key)
{
    (void)key;
    ui_pause_toggle(ui);
    return UI_DRAW;
}

static enum ui_redraw act_export(struct ui *ui, int key)
{
    ui_export_open(ui, key == 'E');
    return UI_DRAW;
}

/* Del asks first: the counts cannot come back. */
static enum ui_redraw act_reset(struct ui *ui, int key)
{
    (void)key;
    ui->prompt = UI_PROMPT_CONFIRM_RESET;
    ui_edit_set(&ui->edit, "");
    return UI_DRAW;
}

/* The tree directory at the cursor: expand (Right), collapse (Left) or
 * toggle (Enter); false when the cursor is not on a directory or it is
 * already so. */
static bool tree_fold_at_cursor(struct ui *ui, int key)
{
    struct ui_level *lv = ui_top(ui);
    bool expanded;
    if (view_kind(lv->view) != VIEW_TREE || !view_tree_is_dir(lv->view, lv->cursor, &expanded))
        return false;
    bool want = key == UI_FN(KEY_RIGHT) ? true : key == UI_FN(KEY_LEFT) ? false : !expanded;
    if (want == expanded)
        return false;
    view_tree_set(lv->view, lv->cursor, want);
    ui_level_clamp(ui, lv);
    return true;
}

static enum ui_redraw act_details(struct ui *ui, int key)
{
    if (tree_fold_at_cursor(ui, key)) /* Enter on a directory opens or closes it */
        return UI_DRAW;
    return ui_details_open(ui);
}

static enum ui_redraw act_follow(struct ui *ui, int key)
{
    (void)key;
    struct ui_level *lv = ui_top(ui);
    char name[128];
    ui_level_follow(ui, !lv->follow);
    if (lv->follow)
        ui_status(ui, false, "following %s (F stops, so does moving the cursor)",
                  ui_escaped(ui, lv->follow_name, name, sizeof name));
    else
        ui_status(ui, false, "not following a row");
    return UI_DRAW;
}

static enum ui_redraw act_back(struct ui *ui, int key)
{
    (void)key;
    if (ui->depth == 0)
        return UI_NONE;
    ui_level_pop(ui);
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

static enum ui_redraw act_move(struct ui *ui, int key)
{
    long page = ui->lay.nrows > 1 ? ui->lay.nrows - 1 : 1;
    long big = (long)view_nrows(ui_top(ui)->view);
    switch (key) {
    case UI_FN(KEY_UP):
        ui_level_move(ui, -1, false);
        break;
    case UI_FN(KEY_DOWN):
        ui_level_move(ui, 1, false);
        break;
    case UI_FN(KEY_PPAGE):
        ui_level_move(ui, -page, true);
        break;
    case UI_FN(KEY_NPAGE):
        ui_level_move(ui, page, true);
        break;
    case UI_FN(KEY_HOME):
        ui_level_move(ui, -big, false);
        break;
    case UI_FN(KEY_END):
        ui_level_move(ui, big, false);
        ui->frozen_until_ns = 0; /* End follows the newest rows at once */
        break;
    }
    return UI_DRAW;
}

/* Left shows more of a long name's start, up to its first column; Right
 * goes back. In the tree, Right opens the directory at the cursor and Left
 * (unscrolled) closes it. */
static enum ui_redraw act_hscroll(struct ui *ui, int key)
{
    if ((key == UI_FN(KEY_RIGHT) || ui->hscroll == 0) && tree_fold_at_cursor(ui, key))
        return UI_DRAW;
    if (key == UI_FN(KEY_LEFT))
        ui->hscroll = ui->hscroll + 8 < ui->hscroll_max ? ui->hscroll + 8 : ui->hscroll_max;
    else if (ui->hscroll >= 8)
        ui->hscroll -= 8;
    else
        ui->hscroll = 0;
    return UI_DRAW;
}

static enum ui_redraw act_tree_fold(struct ui *ui, int key)
{
    struct ui_level *lv = ui_top(ui);
    if (!view_is_tree(lv->view))
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
    ui_level_clamp(ui, lv);
    return UI_DRAW;
}

static enum ui_redraw act_mouse(struct ui *ui, int key)
{
    (void)key;
    int x, y;
    enum ui_mouse m = ui_term_mouse(&x, &y);
    const struct ui_layout *lay = &ui->lay;
    if (m == UI_MOUSE_NONE || lay->too_small)
        return UI_NONE;
    if (m == UI_MOUSE_WHEEL_UP || m == UI_MOUSE_WHEEL_DOWN) {
        ui_level_move(ui, m == UI_MOUSE_WHEEL_UP ? -3 : 3, false);
        return UI_DRAW;
    }
    if (y == lay->bottom_y) {
        for (int i = 0; i < lay->nfkeys; i++)
            if (x >= lay->fkey[i].x0 && x < lay->fkey[i].x1)
                return ui_screen_dispatch(ui, lay->fkey[i].key);
        return UI_NONE;
    }
    if (y == lay->colhead_y) {
        int c = ui_table_column_at(ui, x);
        if (c >= 0)
            ui_level_sort(ui, (size_t)c, true);
        return UI_DRAW;
    }
    struct ui_level *lv = ui_top(ui);
    if (y >= lay->rows_y && y < lay->rows_y + lay->nrows) {
        size_t row = lv->top + (size_t)(y - lay->rows_y);
        if (row < view_nrows(lv->view)) {
            lv->cursor = row;
            lv->follow = false;
            ui_level_hold(ui);
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
    {'F', act_follow},
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
    {'7', act_view},
    {'8', act_view},
    {'g', act_group},
    {UI_FN(KEY_F(9)), act_signal},
    {'k', act_signal},
    {'+', act_tree_fold},
    {'=', act_tree_fold},
    {'-', act_tree_fold},
    {'*', act_tree_fold},
    {UI_FN(KEY_MOUSE), act_mouse},
};

enum ui_redraw ui_actions_key(struct ui *ui, int key)
{
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
