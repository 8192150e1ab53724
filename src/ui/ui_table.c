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

/* What the layout weighs about each column. */
struct colinfo {
    bool keep;
    bool droppable; /* not the first column nor the sort column */
    int prio;       /* lower goes first */
    int width;      /* 0: flexible */
    int type;       /* per-type count column: its type, else -1 */
};

/* A sparse column (unit) that reads "-" on every row on screen carries
 * nothing: it goes first. */
static bool empty_on_screen(struct ui *ui, const struct view *v, size_t c)
{
    const struct ui_level *lv = ui_top(ui);
    size_t n = view_nrows(v), shown = 0;
    for (size_t r = lv->top; r < n && shown < (size_t)(ui->lay.nrows > 0 ? ui->lay.nrows : 1);
         r++, shown++) {
        size_t len = ui_cell(ui, v, r, c);
        if (!(len == 0 || (len == 1 && ui->cell[0] == '-')))
            return false;
    }
    return shown > 0;
}

/* Columns the table wants before the width is known: all but those hidden
 * in the setup screen (details panes show all of theirs) and per-type
 * columns of types no row has; the first and the sort column always. */
static size_t want_columns(struct ui *ui, const struct view *v, struct colinfo *ci)
{
    size_t n = view_ncolumns(v);
    if (n > UI_MAX_COLS)
        n = UI_MAX_COLS;
    enum view_kind kind = view_kind(v);
    uint32_t hidden = kind < VIEW_NKINDS ? ui->hidden[kind] & ~(uint32_t)1 : 0;
    uint32_t present = view_types_present(v);
    size_t sort = view_sort_column(v);
    for (size_t c = 0; c < n; c++) {
        const struct view_column *col = view_column(v, c);
        struct colinfo *x = &ci[c];
        *x = (struct colinfo){.prio = col->prio, .width = col->width, .type = col->type};
        x->droppable = c != 0 && c != sort;
        x->keep = !x->droppable || (!(hidden & ((uint32_t)1 << c)) &&
                                    (col->type < 0 || (present & FA_BIT(col->type))));
        if (x->keep && x->droppable && col->sparse && empty_on_screen(ui, v, c))
            x->prio = 0;
    }
    return n;
}

/* Columns' width with one gap each (flexible ones at their minimum), and how
 * many are flexible; the "other" column when OTHER. */
static int used_width(const struct colinfo *ci, size_t n, bool other, int *nflex)
{
    int used = other ? UI_OTHER_WIDTH + 1 : 0;
    *nflex = 0;
    for (size_t c = 0; c < n; c++) {
        if (!ci[c].keep)
            continue;
        *nflex += ci[c].width == 0;
        used += (ci[c].width ? ci[c].width : FLEX_MIN) + 1;
    }
    return used;
}

/* Types counted in a column of their own that is not on screen. */
static uint32_t types_off_screen(const struct view *v, const struct colinfo *ci, size_t n)
{
    uint32_t off = view_types_present(v);
    for (size_t c = 0; c < n; c++)
        if (ci[c].keep && ci[c].type >= 0)
            off &= ~FA_BIT(ci[c].type);
    return off;
}

/* Drop columns, the lowest priority first (the rightmost of equals), until
 * they fit and a flexible column keeps a useful width: two fifths of the screen
 * against per-type counts (the "other" column sums what goes), a quarter
 * against the rest. */
static void drop_columns(struct ui *ui, const struct view *v, struct colinfo *ci, size_t n)
{
    int width = ui->lay.cols;
    for (;;) {
        size_t worst = n;
        for (size_t c = n; c-- > 1;)
            if (ci[c].keep && ci[c].droppable && (worst == n || ci[c].prio < ci[worst].prio))
                worst = c;
        int nflex;
        int used = used_width(ci, n, types_off_screen(v, ci, n) != 0, &nflex) - 1;
        if (worst == n)
            return;
        int want = nflex ? (ci[worst].type >= 0 ? width * 2 / 5 : width / 4) : 0;
        if (want < FLEX_MIN)
            want = nflex ? FLEX_MIN : 0;
        int flex = nflex ? FLEX_MIN + (width - used) / nflex : 0;
        if (used <= width && flex >= want)
            return;
        ci[worst].keep = false;
    }
}

void ui_table_layout(struct ui *ui)
{
    struct ui_layout *lay = &ui->lay;
    const struct view *v = ui_top(ui)->view;
    struct colinfo ci[UI_MAX_COLS];
    size_t n = want_columns(ui, v, ci);
    drop_columns(ui, v, ci, n);
    lay->other_types = types_off_screen(v, ci, n);
    int width = lay->cols, nflex;
    int spare = width - (used_width(ci, n, lay->other_types != 0, &nflex) - 1);
    if (spare < 0)
        spare = 0;
    size_t last_type = n;
    for (size_t c = 0; c < n; c++)
        if (ci[c].type >= 0)
            last_type = c;
    lay->ncol = 0;
    int x = 0, flex_seen = 0;
    for (size_t c = 0; c < n && lay->ncol + 1 < UI_MAX_COLS; c++) {
        int w = ci[c].width;
        if (ci[c].keep && w == 0) {
            flex_seen++;
            w = FLEX_MIN + spare / nflex + (flex_seen == nflex ? spare % nflex : 0);
        }
        if (ci[c].keep && x + w > width)
            w = width - x;
        if (ci[c].keep && w > 0) {
            lay->col[lay->ncol] = c;
            lay->col_x[lay->ncol] = x;
            lay->col_w[lay->ncol] = w;
            lay->ncol++;
            x += w + 1;
        }
        if (c == last_type && lay->other_types && x + UI_OTHER_WIDTH <= width) {
            lay->col[lay->ncol] = UI_COL_OTHER;
            lay->col_x[lay->ncol] = x;
            lay->col_w[lay->ncol] = UI_OTHER_WIDTH;
            lay->ncol++;
            x += UI_OTHER_WIDTH + 1;
        }
    }
}

int ui_table_column_at(const struct ui *ui, int x)
{
    const struct ui_layout *lay = &ui->lay;
    for (size_t i = 0; i < lay->ncol; i++)
        if (x >= lay->col_x[i] && x <= lay->col_x[i] + lay->col_w[i]) /* the gap belongs left */
            return lay->col[i] == UI_COL_OTHER ? -1 : (int)lay->col[i];
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
        if (c == UI_COL_OTHER) {
            struct textfit fit = {.style = ST_COLHEAD, .esc_style = ST_COLHEAD, .right = true};
            textline_put(l, ui->lay.col_x[i], ui->lay.col_w[i], "other", 5, &fit);
            continue;
        }
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

/* The tree's name cell: indented by depth, a mark for directories. */
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
    if (*dir && !(k && out[at - 1] == '/'))
        out[at++] = '/';
    out[at] = '\0';
    return at;
}

/* Left scrolls a long name only as far as it goes (ui->hscroll_max). */
static void note_overflow(struct ui *ui, const struct textline *l, const char *s, size_t n, int w)
{
    size_t full = textline_width(l, s, n, 0);
    if (full > (size_t)w && full - (size_t)w > ui->hscroll_max)
        ui->hscroll_max = full - (size_t)w;
}

static void draw_row(struct ui *ui, size_t row, int y, bool selected)
{
    struct textline *l = &ui->line;
    const struct view *v = ui_top(ui)->view;
    uint8_t base = selected ? ST_ROW_SEL : ST_NORMAL;
    uint8_t esc = selected ? ST_ESCAPE_SEL : ST_ESCAPE;
    textline_init(l, ui->lay.cols, ui->tflags, base);
    bool tree = view_kind(v) == VIEW_TREE;
    for (size_t i = 0; i < ui->lay.ncol; i++) {
        size_t c = ui->lay.col[i];
        if (c == UI_COL_OTHER) { /* the per-type counts without a column on screen */
            char n[24];
            int len =
                snprintf(n, sizeof n, "%llu",
                         (unsigned long long)view_row_type_count(v, row, ui->lay.other_types));
            struct textfit fit = {.style = base, .esc_style = esc, .right = true};
            textline_put(l, ui->lay.col_x[i], ui->lay.col_w[i], n, (size_t)len, &fit);
            continue;
        }
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
            if (dir)
                fit.style = selected ? ST_DIR_SEL : ST_DIR;
            note_overflow(ui, l, name, n, ui->lay.col_w[i]);
            textline_put(l, ui->lay.col_x[i], ui->lay.col_w[i], name, n, &fit);
            continue;
        }
        size_t n = ui_cell(ui, v, row, c);
        if (col->width == 0)
            note_overflow(ui, l, ui->cell, n, ui->lay.col_w[i]);
        textline_put(l, ui->lay.col_x[i], ui->lay.col_w[i], ui->cell, n, &fit);
    }
    ui_term_line(l, y);
}

void ui_table_draw(struct ui *ui)
{
    const struct ui_level *lv = ui_top(ui);
    const struct view *v = lv->view;
    draw_colhead(ui);
    ui->hscroll_max = 0;
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
