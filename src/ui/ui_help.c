/* The help screen: every key, one per line, scrollable. */
#include "config.h"

#include "run/keys.h"
#include "ui/ui.h"

#include <string.h>

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
