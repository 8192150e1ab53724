/* Export from the UI: E writes the view on screen as CSV (run/export_view.c),
 * e writes the events the store holds that pass the filter, as CSV or JSONL
 * (record/recwriter.c). The prompt offers a file name; Tab switches the events'
 * format and the name's extension with it. */
#include "config.h"

#include "run/export_view.h"
#include "ui/ui.h"

#include <stdio.h>
#include <string.h>

/* The view's name as it goes into a file name ("path details" -> "path-details"). */
static void view_file_name(const struct view *v, char *buf, size_t len)
{
    snprintf(buf, len, "%s", view_kind_name(view_kind(v)));
    for (char *p = buf; *p; p++)
        if (*p == ' ')
            *p = '-';
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

void ui_export_open(struct ui *ui, bool view)
{
    char name[256];
    if (view) {
        char kind[64];
        view_file_name(ui_top(ui)->view, kind, sizeof kind);
        export_default_name(kind, "csv", name, sizeof name);
        ui->prompt = UI_PROMPT_EXPORT_VIEW;
    } else {
        export_default_name("events", "csv", name, sizeof name);
        ui->prompt = UI_PROMPT_EXPORT_EVENTS;
        ui->export_jsonl = false;
    }
    ui_edit_set(&ui->edit, name);
}

void ui_export_toggle_format(struct ui *ui)
{
    ui->export_jsonl = !ui->export_jsonl;
    char *t = ui->edit.text;
    const char *from = ui->export_jsonl ? ".csv" : ".jsonl";
    const char *to = ui->export_jsonl ? ".jsonl" : ".csv";
    if (ends_with(t, from) && ui->edit.len - strlen(from) + strlen(to) < sizeof ui->edit.text) {
        strcpy(t + ui->edit.len - strlen(from), to);
        ui->edit.len = strlen(t);
        ui->edit.pos = ui->edit.len;
    }
}

void ui_export_run(struct ui *ui)
{
    char err[1024], path[512];
    size_t rows = 0;
    const char *name = ui->edit.text;
    ui_escaped(ui, name, path, sizeof path);
    if (ui->prompt == UI_PROMPT_EXPORT_VIEW) {
        if (export_view_csv(ui_top(ui)->view, name, ui->opt->csv_raw, &rows, err, sizeof err) < 0)
            ui_status(ui, true, "%s", err);
        else
            ui_status(ui, false, "exported %zu rows to %s", rows, path);
        return;
    }
    enum export_format fmt =
        ends_with(name, ".jsonl") || ends_with(name, ".json") ? EXPORT_JSONL : EXPORT_CSV;
    size_t kept = store_log_count(ui->st);
    uint64_t seen = ui->totals.events + ui->totals.overflows;
    size_t depth = ui->opt->log_depth ? ui->opt->log_depth : STORE_DEFAULT_LOG_DEPTH;
    if (export_events(ui->st, ui->app->filter, name, fmt, &rows, err, sizeof err) < 0)
        ui_status(ui, true, "%s", err);
    else if (seen > kept) /* the log keeps the newest: say the rest is not in the file */
        ui_status(ui, false,
                  "exported %zu events to %s: of the last %zu of %llu seen (--log-depth=%zu; "
                  "--record keeps all)",
                  rows, path, kept, (unsigned long long)seen, depth);
    else
        ui_status(ui, false, "exported %zu events to %s", rows, path);
}
