/* Search (F3, /, n, N): move the cursor to a row whose name column contains
 * the text, ignoring ASCII case, wrapping round the table. The search
 * prompt's keys are in ui_prompt.c. */
#include "config.h"

#include "ui/ui.h"

#include <string.h>

int ui_search_column(const struct view *v)
{
    static const char *const names[] = {"path", "comm", "unit", "type"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (size_t c = 0; c < view_ncolumns(v); c++)
            if (strcmp(view_column(v, c)->name, names[i]) == 0)
                return (int)c;
    return 0;
}

static bool contains_fold(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return true;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m) {
            unsigned char a = (unsigned char)hay[i + j], b = (unsigned char)needle[j];
            if (a >= 'A' && a <= 'Z')
                a = (unsigned char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z')
                b = (unsigned char)(b - 'A' + 'a');
            if (a != b)
                break;
            j++;
        }
        if (j == m)
            return true;
    }
    return false;
}

bool ui_search_move(struct ui *ui, const char *text, size_t start, int dir, bool inclusive)
{
    struct ui_level *lv = ui_top(ui);
    const struct view *v = lv->view;
    size_t n = view_nrows(v);
    if (n == 0 || !*text)
        return false;
    int col = ui_search_column(v);
    for (size_t i = inclusive ? 0 : 1; i <= n; i++) {
        size_t r = dir > 0 ? (start + i) % n : (start + n - i % n) % n;
        size_t len = ui_cell(ui, v, r, (size_t)col);
        if (contains_fold(ui->cell, len, text)) {
            lv->cursor = r;
            lv->follow = false;
            ui->follow_tail = ui_level_following(ui, lv) && r + 1 == n;
            ui_level_clamp(ui, lv);
            return true;
        }
    }
    return false;
}
