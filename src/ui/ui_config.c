/* The settings file as the UI uses it (run/settings.c reads and writes it):
 * colour, mouse, refresh delay and columns from the setup screen; the view
 * and each view's sort as they were at exit, as htop keeps them; and the
 * filter history. What the command line sets wins. */
#include "config.h"

#include "run/settings.h"
#include "ui/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first broken line is shown on the status line; the rest are counted. */
struct config_warnings {
    struct ui *ui;
    unsigned n;
};

static void config_warning(const char *msg, void *ctx)
{
    struct config_warnings *w = ctx;
    if (w->n++ == 0) {
        char esc[512];
        ui_status(w->ui, true, "%s", ui_escaped(w->ui, msg, esc, sizeof esc));
    }
}

int ui_config_load(struct ui *ui)
{
    char path[4096], err[256];
    int kind = -1;
    if (ui->config && settings_path(path, sizeof path)) {
        struct settings s;
        settings_init(&s);
        struct config_warnings w = {.ui = ui};
        if (settings_load(&s, path, config_warning, &w, err, sizeof err) == 0) {
            if (w.n > 1) {
                char first[sizeof ui->status];
                snprintf(first, sizeof first, "%s", ui->status);
                ui_status(ui, true, "%s, and %u more broken lines ignored", first, w.n - 1);
            }
            if (s.delay > 0 && !ui->opt->delay_given)
                ui->delay = s.delay;
            if (s.color == 0)
                ui->color = false;
            if (s.mouse == 0)
                ui->mouse = false;
            if (s.view && !ui->opt->view)
                kind = view_kind_by_name(s.view);
            for (int k = 0; k < VIEW_NKINDS; k++)
                if (s.columns[k])
                    ui->hidden[k] = ui_columns_hidden(ui, (enum view_kind)k, s.columns[k]);
            for (int k = 0; k < VIEW_NKINDS; k++) {
                size_t col;
                int dir;
                if (!s.sort[k] || !settings_sort_parse((enum view_kind)k, s.sort[k], &col, &dir))
                    continue;
                ui->sorts[k].set = true;
                ui->sorts[k].col = col;
                ui->sorts[k].desc =
                    dir >= 0 ? dir == 1 : view_kind_column((enum view_kind)k, col).numeric;
            }
            for (size_t i = 0; i < s.nhistory; i++)
                ui_history_add(ui, s.history[i]);
        } else {
            ui_status(ui, true, "%s", err);
        }
        settings_free(&s);
    }
    ui_history_add(ui, filter_text(ui->app->filter));
    ui->history_changed = false;
    return kind;
}

void ui_config_save(struct ui *ui, bool setup)
{
    char path[4096], err[256];
    if (!ui->config || !settings_path(path, sizeof path))
        return;
    /* Filter history alone never creates the file; the setup screen does,
     * and so does a view or sort chosen. */
    if (!setup && !ui->view_chosen && (!ui->history_changed || access(path, F_OK) != 0))
        return;
    struct settings s;
    settings_init(&s);
    struct config_warnings w = {.ui = ui};
    if (settings_load(&s, path, config_warning, &w, err, sizeof err) == 0) {
        for (size_t i = 0; i < ui->nhistory; i++)
            settings_add_history(&s, ui->history[i]);
        if (ui->view_chosen) {
            free(s.view);
            s.view = strdup(view_kind_name(view_kind(ui->level[0].view)));
        }
        for (int k = 0; k < VIEW_NKINDS; k++) {
            if (!ui->sorts[k].set)
                continue;
            char v[96];
            snprintf(v, sizeof v, "%s,%s",
                     view_kind_column((enum view_kind)k, ui->sorts[k].col).name,
                     ui->sorts[k].desc ? "desc" : "asc");
            free(s.sort[k]);
            s.sort[k] = strdup(v);
        }
        if (setup) {
            s.delay = ui->delay;
            s.color = ui->color;
            s.mouse = ui->mouse;
            for (int k = 0; k < VIEW_NKINDS; k++) {
                free(s.columns[k]);
                s.columns[k] = ui_columns_names(ui, (enum view_kind)k);
            }
        }
        if (settings_save(&s, path, err, sizeof err) < 0)
            ui_status(ui, true, "%s", err);
    }
    settings_free(&s);
}
