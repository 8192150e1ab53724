/* Details (Enter): a pane over the table about the row at the cursor (the
 * processes that touched a path, the paths a process touched, the processes
 * of a unit, every field of an event), titled with the full path, command
 * line or unit, escaped and wrapped over as many lines as the layout gives
 * it. Panes nest up to UI_DETAIL_MAX deep; Esc goes back. */
#include "config.h"

#include "ui/ui.h"

#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 16384

static const char *label_for(const struct view *v)
{
    switch (view_kind(v)) {
    case VIEW_DETAIL_PATH:
        return "Path: ";
    case VIEW_DETAIL_PROC:
    case VIEW_DETAIL_EVENT:
        return "Command: ";
    default:
        return "Unit: ";
    }
}

/* The title escaped once (escapes become plain ASCII), in a malloc'd buffer. */
static char *escaped_title(const struct ui *ui, size_t *len)
{
    const char *t = ui->level[ui->depth].title;
    size_t n = t ? strlen(t) : 0;
    size_t need = textsafe_escape(t ? t : "", n, ui->tflags, NULL, 0);
    char *out = malloc(need + 1);
    if (!out)
        return NULL;
    textsafe_escape(t ? t : "", n, ui->tflags, out, need + 1);
    *len = need;
    return out;
}

int ui_details_lines(struct ui *ui, int cols, int max)
{
    if (ui->depth == 0)
        return 0;
    size_t len;
    char *t = escaped_title(ui, &len);
    if (!t)
        return 1;
    int labelw = (int)strlen(label_for(ui_top(ui)->view));
    int room = cols - labelw - 1;
    size_t w = textsafe_width(t, len, ui->tflags | TEXTSAFE_BACKSLASH);
    free(t);
    int lines = room > 0 ? (int)((w + (size_t)room - 1) / (size_t)room) : 1;
    if (lines < 1)
        lines = 1;
    return lines < max ? lines : max;
}

void ui_details_draw(struct ui *ui)
{
    struct textline *l = &ui->line;
    const char *label = label_for(ui_top(ui)->view);
    int labelw = (int)strlen(label);
    size_t len = 0;
    char *t = escaped_title(ui, &len);
    int room = ui->lay.cols - labelw - 1;
    unsigned flags = ui->tflags | TEXTSAFE_BACKSLASH;
    struct textsafe_iter it;
    struct textsafe_glyph g;
    textsafe_init(&it, t ? t : "", t ? len : 0, flags);
    size_t at = 0; /* byte offset of the next glyph in T */
    bool have = textsafe_next(&it, &g);
    for (int i = 0; i < ui->lay.ntitle; i++) {
        textline_init(l, ui->lay.cols, ui->tflags, ST_NORMAL);
        if (i == 0)
            textline_puts(l, 0, label, ST_LABEL);
        size_t start = at;
        int w = 0;
        while (have && w + g.width <= room) {
            w += g.width;
            at += g.len;
            have = textsafe_next(&it, &g);
        }
        bool last = i + 1 == ui->lay.ntitle;
        struct textfit fit = {
            .style = ST_TITLE, .esc_style = ST_ESCAPE, .flags = TEXTSAFE_BACKSLASH};
        if (last && have) { /* no more lines: cut with an ellipsis */
            textline_put(l, labelw, room, t + start, len - start, &fit);
        } else if (room > 0) {
            textline_put(l, labelw, room, t ? t + start : "", at - start, &fit);
        }
        ui_term_line(l, ui->lay.title_y + i);
    }
    free(t);
}

enum ui_redraw ui_details_open(struct ui *ui)
{
    struct ui_level *lv = ui_top(ui);
    if (ui->depth >= UI_DETAIL_MAX || view_nrows(lv->view) == 0)
        return UI_NONE;
    char *title = malloc(TITLE_MAX);
    if (!title)
        return UI_NONE;
    title[0] = '\0';
    struct view *d = view_details(lv->view, lv->cursor, title, TITLE_MAX);
    if (!d) {
        free(title);
        ui_status(ui, false, "no details for this row");
        return UI_DRAW;
    }
    ui->depth++;
    ui_level_init(ui_top(ui), d, title);
    ui->hscroll = 0;
    return UI_DRAW;
}
