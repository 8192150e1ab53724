/* The levels: the main view and the details panes stacked over it, each with
 * its cursor. As in htop, the cursor keeps its place in the list through
 * refreshes and re-sorts (rows move under it), and the screen never
 * scrolls by itself, so the top of the sort stays in sight; F follows the
 * row at the cursor instead, wherever it moves; the events view can follow
 * its newest row; after a cursor move the rows hold still for a moment. */
#include "config.h"

#include "base/clock.h"
#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FREEZE_NS (1500 * CLOCK_NS_PER_MS) /* the rows hold still this long after a cursor move */

void ui_level_init(struct ui_level *lv, struct view *v, char *title)
{
    *lv = (struct ui_level){.view = v, .title = title};
    lv->def_col = view_sort_column(v);
    lv->def_desc = view_sort_descending(v);
}

void ui_level_clamp(struct ui *ui, struct ui_level *lv)
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

bool ui_level_following(const struct ui *ui, const struct ui_level *lv)
{
    return lv == &ui->level[0] && ui->follow_tail && view_kind(lv->view) == VIEW_EVENTS;
}

/* Run FN (a refresh or a re-sort of LV's view): the cursor keeps its index
 * and the screen its first row, unless LV follows a row (F) or the events
 * view its newest one. */
static void keep_cursor(struct ui *ui, struct ui_level *lv,
                        void (*fn)(struct ui *, struct ui_level *))
{
    fn(ui, lv);
    size_t n = view_nrows(lv->view);
    if (ui_level_following(ui, lv)) {
        lv->cursor = n ? n - 1 : 0;
    } else if (lv->follow) {
        long r = view_find_key(lv->view, lv->follow_key);
        lv->follow_lost = r < 0;
        if (r >= 0)
            lv->cursor = (size_t)r;
    }
    ui_level_clamp(ui, lv);
}

void ui_level_follow(struct ui *ui, bool on)
{
    struct ui_level *lv = ui_top(ui);
    lv->follow = on && view_nrows(lv->view) > 0;
    lv->follow_lost = false;
    if (lv->follow) {
        lv->follow_key = view_row_key(lv->view, lv->cursor);
        lv->follow_since = clock_real_ns();
        size_t n = ui_cell(ui, lv->view, lv->cursor, (size_t)ui_search_column(lv->view));
        snprintf(lv->follow_name, sizeof lv->follow_name, "%.*s", (int)n, ui->cell);
    }
}

static void do_refresh(struct ui *ui, struct ui_level *lv)
{
    view_refresh(lv->view, ui->last_refresh_ns);
    lv->stale = false;
}

void ui_level_refresh(struct ui *ui, struct ui_level *lv)
{
    keep_cursor(ui, lv, do_refresh);
}

void ui_level_refresh_shown(struct ui *ui)
{
    for (size_t i = 0; i < ui->depth; i++)
        ui->level[i].stale = true;
    ui_level_refresh(ui, ui_top(ui));
}

void ui_level_reset(struct ui *ui)
{
    store_reset(ui->st);
    store_get_totals(ui->st, &ui->totals);
    ui_level_refresh_shown(ui);
    ui_status(ui, false, "counters reset");
}

void ui_level_pop(struct ui *ui)
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
        ui_level_refresh(ui, ui_top(ui));
}

void ui_level_set_kind(struct ui *ui, enum view_kind k)
{
    while (ui->depth)
        ui_level_pop(ui);
    struct ui_level *lv = &ui->level[0];
    if (view_kind(lv->view) == k)
        return;
    if (k == VIEW_TREE)
        ui->before_tree = view_kind(lv->view);
    view_set_kind(lv->view, k);
    lv->def_col = view_sort_column(lv->view);
    lv->def_desc = view_sort_descending(lv->view);
    if (ui->sorts[k].set) /* the sort this view had, this run or the last */
        view_set_sort(lv->view, ui->sorts[k].col, ui->sorts[k].desc);
    ui->view_chosen = true;
    do_refresh(ui, lv);
    lv->follow = false;
    ui->follow_tail = k == VIEW_EVENTS;
    size_t n = view_nrows(lv->view);
    lv->cursor = ui->follow_tail && n ? n - 1 : 0;
    lv->top = 0;
    ui->hscroll = 0;
    ui_level_clamp(ui, lv);
}

/* ---- sorting ---- */

/* The direction COL sorts in when chosen: the kind's default column keeps
 * its default direction, any other sorts as its type does (numbers
 * descending). */
static bool natural_desc(const struct ui_level *lv, size_t col)
{
    return col == lv->def_col ? lv->def_desc : view_column(lv->view, col)->numeric;
}

static void do_sort(struct ui *ui, struct ui_level *lv)
{
    view_set_sort(lv->view, ui->sort_col, ui->sort_desc);
}

void ui_level_sort(struct ui *ui, size_t col, bool invert)
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
        ui->sort_desc = natural_desc(lv, col);
    }
    ui->sort_col = col;
    keep_cursor(ui, lv, do_sort);
    enum view_kind k = view_kind(lv->view);
    if (ui->depth == 0 && k < VIEW_NKINDS) { /* remembered, and saved at exit */
        ui->sorts[k].set = true;
        ui->sorts[k].col = col;
        ui->sorts[k].desc = ui->sort_desc;
        ui->view_chosen = true;
    }
}

bool ui_level_start_sort(struct ui *ui, const char *name)
{
    struct ui_level *lv = &ui->level[0];
    int col = view_column_by_name(lv->view, name);
    if (col < 0) {
        char esc[256];
        fprintf(stderr, "fanotop: unknown sort column '%s' for view %s\n",
                ui_escaped(ui, name, esc, sizeof esc), view_kind_name(view_kind(lv->view)));
        return false;
    }
    view_set_sort(lv->view, (size_t)col, natural_desc(lv, (size_t)col));
    return true;
}

/* ---- the cursor ---- */

void ui_level_hold(struct ui *ui)
{
    ui->frozen_until_ns = clock_mono_ns() + FREEZE_NS;
}

void ui_level_move(struct ui *ui, long delta, bool page)
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
    lv->follow = false; /* as in htop, moving the cursor stops following */
    ui_level_hold(ui);
    if (lv == &ui->level[0])
        ui->follow_tail = lv->cursor + 1 == n;
    ui_level_clamp(ui, lv);
}
