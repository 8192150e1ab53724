/* The table: which columns fit, the column header line with the sort mark,
 * and the rows on screen (only those are formatted). */
#include "config.h"

#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

/* A flexible column (width 0: path, exe, unit) never gets less than this. */
#define FLEX_MIN 16

size_t ui_cell(struct ui *ui, const struct view *v, size_t row, size_t col)
{
    if (!ui->cell) {
        ui->cell_cap = 8192;
        ui->cell = malloc(ui->cell_cap);
        if (!ui->cell) {
            ui->cell_cap = 0;
            return 0;
        }
    }
    size_t n = view_cell(v, row, col, VIEW_FMT_SCREEN, ui->cell, ui->cell_cap);
    if (n >= ui->cell_cap) {
        char *bigger = realloc(ui->cell, n + 1);
        if (!bigger)
            return strlen(ui->cell);
        ui->cell = bigger;
        ui->cell_cap = n + 1;
        n = view_cell(v, row, col, VIEW_FMT_SCREEN, ui->cell, ui->cell_cap);
    }
    return n;
}

/* Per-type count columns (the paths view has one per event type) are the
 * first to go on a narrow screen: the totals, processes and times matter more. */
static bool is_type_column(const struct view_column *c)
{
    return fa_type_by_name(c->name, strlen(c->name)) >= 0;
}

void ui_table_layout(struct ui *ui)
{
    struct ui_layout *lay = &ui->lay;
    const struct view *v = ui_top(ui)->view;
    size_t n = view_ncolumns(v);
    if (n > UI_MAX_COLS)
        n = UI_MAX_COLS;
    bool keep[UI_MAX_COLS] = {false};
    /* Columns hidden in the setup screen; details panes show all of theirs,
     * and so do grouped processes (other columns). */
    enum view_kind kind = view_kind(v);
    bool own = kind < VIEW_NKINDS && !(kind == VIEW_PROCS && view_group(v));
    uint32_t hidden = own ? ui->hidden[kind] & ~(uint32_t)1 : 0;
    int width = lay->cols;
    int used = 0, nflex = 0;
    /* Mandatory columns first; flexible ones count at their minimum. */
    for (size_t c = 0; c < n; c++) {
        const struct view_column *col = view_column(v, c);
        if (is_type_column(col) || (hidden & ((uint32_t)1 << c)))
            continue;
        keep[c] = true;
        if (col->width == 0)
            nflex++;
        used += (col->width ? col->width : FLEX_MIN) + 1;
    }
    /* Too wide: drop fixed columns from the right, but keep the first. */
    for (size_t c = n; c-- > 1 && used - 1 > width;) {
        const struct view_column *col = view_column(v, c);
        if (keep[c] && col->width) {
            keep[c] = false;
            used -= col->width + 1;
        }
    }
    /* Then the per-type columns, in order, while a flexible column keeps a
     * useful width (a third of the screen). */
    int flex_want = nflex ? (width / 3 > FLEX_MIN ? width / 3 : FLEX_MIN) : 0;
    for (size_t c = 0; c < n; c++) {
        const struct view_column *col = view_column(v, c);
        if (keep[c] || !is_type_column(col) || (hidden & ((uint32_t)1 << c)))
            continue;
        int extra = col->width + 1;
        if (used + extra - 1 + nflex * (flex_want - FLEX_MIN) > width)
            break;
        keep[c] = true;
        used += extra;
    }
    int spare = width - (used - 1);
    if (spare < 0)
        spare = 0;
    lay->ncol = 0;
    int x = 0, flex_seen = 0;
    for (size_t c = 0; c < n; c++) {
        if (!keep[c])
            continue;
        const struct view_column *col = view_column(v, c);
        int w = col->width;
        if (w == 0) {
            flex_seen++;
            w = FLEX_MIN + spare / nflex + (flex_seen == nflex ? spare % nflex : 0);
        }
        if (x + w > width)
            w = width - x;
        if (w <= 0)
            break;
        lay->col[lay->ncol] = c;
        lay->col_x[lay->ncol] = x;
        lay->col_w[lay->ncol] = w;
        lay->ncol++;
        x += w + 1;
    }
}

int ui_table_column_at(const struct ui *ui, int x)
{
    const struct ui_layout *lay = &ui->lay;
    for (size_t i = 0; i < lay->ncol; i++)
        if (x >= lay->col_x[i] && x <= lay->col_x[i] + lay->col_w[i]) /* the gap belongs left */
            return (int)lay->col[i];
    return -1;
}

static void draw_colhead(struct ui *ui)
{
    struct textline *l = &ui->line;
    const struct view *v = ui_top(ui)->view;
    size_t sort = view_sort_column(v);
    const char *glyph = view_sort_descending(v) ? ui_glyph_down(ui) : ui_glyph_up(ui);
    textline_init(l, ui->lay.cols, ui->tflags, ST_COLHEAD);
    for (size_t i = 0; i < ui->lay.ncol; i++) {
        size_t c = ui->lay.col[i];
        const struct view_column *col = view_column(v, c);
        bool sorted = c == sort;
        char text[64];
        bool right = col->align == VIEW_RIGHT;
        if (sorted && right)
            snprintf(text, sizeof text, "%s%s", glyph, col->name);
        else if (sorted)
            snprintf(text, sizeof text, "%s%s", col->name, glyph);
        else
            snprintf(text, sizeof text, "%s", col->name);
        uint8_t st = sorted ? ST_COLHEAD_SORT : ST_COLHEAD;
        if (sorted)
            textline_style(l, ui->lay.col_x[i], ui->lay.col_w[i], st);
        /* the mark survives a cut: keep the end it sits at */
        struct textfit fit = {.style = st,
                              .esc_style = st,
                              .right = right,
                              .tail = !right,
                              .flags = TEXTSAFE_BACKSLASH};
        textline_put(l, ui->lay.col_x[i], ui->lay.col_w[i], text, strlen(text), &fit);
    }
    ui_term_line(l, ui->lay.colhead_y);
}

/* A tree's name cell: indented by depth, a mark for nodes that open
 * (directories end in '/'). */
static size_t tree_name(struct ui *ui, const struct view *v, size_t row, char *out, size_t len,
                        bool *dir)
{
    size_t n = ui_cell(ui, v, row, 0);
    bool expanded = false;
    *dir = view_tree_is_dir(v, row, &expanded);
    size_t at = 0;
    for (int d = view_tree_depth(v, row); d > 0 && at + 2 < len; d--) {
        out[at++] = ' ';
        out[at++] = ' ';
    }
    const char *mark = "  ";
    if (*dir && (ui->tflags & TEXTSAFE_UTF8))
        mark = expanded ? "\xe2\x96\xbe " : "\xe2\x96\xb8 ";
    else if (*dir)
        mark = expanded ? "- " : "+ ";
    size_t ml = strlen(mark);
    if (at + ml < len) {
        memcpy(out + at, mark, ml);
        at += ml;
    }
    size_t k = n < len - at - 2 ? n : len - at - 2;
    memcpy(out + at, ui->cell, k);
    at += k;
    if (*dir && view_kind(v) == VIEW_TREE && !(k && out[at - 1] == '/'))
        out[at++] = '/';
    out[at] = '\0';
    return at;
}

static void draw_row(struct ui *ui, size_t row, int y, bool selected)
{
    struct textline *l = &ui->line;
    const struct view *v = ui_top(ui)->view;
    bool dim = !selected && view_row_dimmed(v, row);
    uint8_t base = selected ? ST_ROW_SEL : dim ? ST_DIM : ST_NORMAL;
    uint8_t esc = selected ? ST_ESCAPE_SEL : ST_ESCAPE;
    textline_init(l, ui->lay.cols, ui->tflags, base);
    bool tree = view_is_tree(v);
    for (size_t i = 0; i < ui->lay.ncol; i++) {
        size_t c = ui->lay.col[i];
        const struct view_column *col = view_column(v, c);
        struct textfit fit = {.style = base, .esc_style = esc, .right = col->align == VIEW_RIGHT};
        if (col->width == 0) { /* long names: the end tells most, Left/Right scroll */
            fit.tail = true;
            fit.skip = ui->hscroll;
        }
        if (tree && c == 0) {
            static char name[8192];
            bool dir;
            size_t n = tree_name(ui, v, row, name, sizeof name, &dir);
            if (dir && view_kind(v) == VIEW_TREE)
                fit.style = selected ? ST_DIR_SEL : ST_DIR;
            textline_put(l, ui->lay.col_x[i], ui->lay.col_w[i], name, n, &fit);
            continue;
        }
        size_t n = ui_cell(ui, v, row, c);
        textline_put(l, ui->lay.col_x[i], ui->lay.col_w[i], ui->cell, n, &fit);
    }
    ui_term_line(l, y);
}

void ui_table_draw(struct ui *ui)
{
    const struct ui_level *lv = ui_top(ui);
    const struct view *v = lv->view;
    draw_colhead(ui);
    size_t nrows = view_nrows(v);
    for (int i = 0; i < ui->lay.nrows; i++) {
        size_t row = lv->top + (size_t)i;
        int y = ui->lay.rows_y + i;
        if (row < nrows) {
            draw_row(ui, row, y, row == lv->cursor);
            continue;
        }
        textline_init(&ui->line, ui->lay.cols, ui->tflags, ST_NORMAL);
        if (nrows == 0 && i == ui->lay.nrows / 2) {
            const char *msg = view_total_rows(v) ? "no rows match the filter (F4 to change it)"
                              : ui->app->live    ? "waiting for events..."
                                                 : "no events";
            int w = (int)strlen(msg);
            textline_puts(&ui->line, (ui->lay.cols - w) / 2, msg, ST_LABEL);
        }
        ui_term_line(&ui->line, y);
    }
}
