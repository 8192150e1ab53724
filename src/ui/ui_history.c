/* The filter history: the filters put in force, newest last, at most
 * UI_HISTORY_MAX; Up and Down in the filter prompt step through it. It is
 * kept in the settings file (ui_config.c). */
#include "config.h"

#include "ui/ui.h"
#include "base/strlist.h"

#include <stdlib.h>
#include <string.h>

void ui_history_add(struct ui *ui, const char *text)
{
    if (strlist_touch(ui->history, &ui->nhistory, UI_HISTORY_MAX, text))
        ui->history_changed = true;
}

void ui_history_rewind(struct ui *ui)
{
    ui->history_pos = ui->nhistory;
}

const char *ui_history_step(struct ui *ui, int dir, const char *fresh)
{
    if (dir < 0 && ui->history_pos > 0)
        ui->history_pos--;
    else if (dir > 0 && ui->history_pos < ui->nhistory)
        ui->history_pos++;
    else
        return NULL;
    return ui->history_pos < ui->nhistory ? ui->history[ui->history_pos] : fresh;
}

void ui_history_free(struct ui *ui)
{
    for (size_t i = 0; i < ui->nhistory; i++)
        free(ui->history[i]);
    ui->nhistory = 0;
}
