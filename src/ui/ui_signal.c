/* The signal menu (F9, k), as htop has one: a box of signals over the left
 * of the table, SIGTERM chosen; Enter asks once, naming the target; y sends
 * it to the row's process, or to every process of a group row. The status
 * line says what was sent and what failed. Live capture only: a replay's
 * processes are not this machine's (or long gone). */
#include "config.h"

#include "run/procsignal.h"
#include "ui/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ui_signal {
    const struct fa_proc **procs;
    size_t n;
    size_t sel;       /* in procsignal_menu */
    bool confirm;     /* asking "Send ...? y/n" */
    char target[512]; /* "sleep (pid 4242)", "12 processes of cat": escaped */
};

void ui_signal_close(struct ui *ui)
{
    if (ui->signal) {
        free(ui->signal->procs);
        free(ui->signal);
        ui->signal = NULL;
    }
    if (ui->screen == UI_SCREEN_SIGNAL)
        ui->screen = UI_SCREEN_TABLE;
}

/* Name the N processes of the row at the cursor of LV into S->target. */
static void name_target(struct ui *ui, struct ui_signal *s, const struct ui_level *lv)
{
    char esc[256];
    if (s->n == 1) {
        const struct fa_proc *p = s->procs[0];
        snprintf(s->target, sizeof s->target, "%s (pid %d)",
                 ui_escaped(ui, p->comm, esc, sizeof esc), (int)p->pid);
        return;
    }
    ui_cell(ui, lv->view, lv->cursor, 0); /* a group row: its comm, exe or unit */
    snprintf(s->target, sizeof s->target, "%zu processes of %s", s->n,
             ui_escaped(ui, ui->cell, esc, sizeof esc));
}

enum ui_redraw ui_signal_open(struct ui *ui)
{
    if (!ui->app->live) {
        ui_status(ui, true,
                  "no signals in a replay: its processes were recorded, they do not run "
                  "here");
        return UI_DRAW;
    }
    const struct ui_level *lv = ui_top(ui);
    size_t n = view_nrows(lv->view) ? view_row_procs(lv->view, lv->cursor, NULL, 0) : 0;
    if (n == 0) {
        ui_status(ui, false, "no process on this row to signal");
        return UI_DRAW;
    }
    ui_signal_close(ui);
    struct ui_signal *s = calloc(1, sizeof *s);
    if (!s || !(s->procs = calloc(n, sizeof *s->procs))) {
        free(s);
        ui_status(ui, true, "out of memory");
        return UI_DRAW;
    }
    s->n = view_row_procs(lv->view, lv->cursor, s->procs, n);
    if (s->n > n)
        s->n = n;
    s->sel = procsignal_default();
    name_target(ui, s, lv);
    ui->signal = s;
    ui->screen = UI_SCREEN_SIGNAL;
    return UI_DRAW;
}

/* ---- drawing ---- */

void ui_signal_draw(struct ui *ui)
{
    const struct ui_signal *s = ui->signal;
    const struct ui_layout *lay = &ui->lay;
    struct textline *l = &ui->line;
    int w = 16, y0 = lay->colhead_y;
    textline_init(l, lay->cols, ui->tflags, ST_COLHEAD);
    textline_puts(l, 1, "Send signal", ST_COLHEAD);
    ui_term_segment(l, y0, 0, w);
    for (size_t i = 0; i < procsignal_menu_count && y0 + 1 + (int)i < lay->bottom_y; i++) {
        bool sel = i == s->sel;
        char text[32];
        snprintf(text, sizeof text, "%2d %s", procsignal_menu[i].sig, procsignal_menu[i].name);
        textline_init(l, lay->cols, ui->tflags, sel ? ST_MENU_SEL : ST_MENU);
        textline_puts(l, 1, text, sel ? ST_MENU_SEL : ST_MENU);
        textline_puts(l, w - 1, (ui->tflags & TEXTSAFE_UTF8) ? "\xe2\x94\x82" : "|", ST_MENU);
        ui_term_segment(l, y0 + 1 + (int)i, 0, w + 1);
    }
    char line[1024];
    if (s->confirm)
        snprintf(line, sizeof line, "Send %s to %s? y: send, any other key: cancel",
                 procsignal_menu[s->sel].name, s->target);
    else
        snprintf(line, sizeof line, "Signal to %s: Enter chooses, Esc cancels", s->target);
    textline_init(l, lay->cols, ui->tflags, ST_NORMAL);
    struct textfit fit = {.style = s->confirm ? ST_ERROR : ST_PROMPT, .esc_style = ST_ESCAPE};
    textline_put(l, 0, lay->cols, line, strlen(line), &fit);
    ui_term_line(l, lay->bottom_y);
}

/* ---- sending ---- */

static void report(struct ui *ui, const struct ui_signal *s, int sig_index,
                   const struct procsignal_tally *t)
{
    const char *name = procsignal_menu[sig_index].name;
    char why[256] = "";
    size_t at = 0;
    if (t->gone)
        at += (size_t)snprintf(why + at, sizeof why - at, "%s%zu had exited", at ? ", " : "",
                               t->gone);
    if (t->replaced && at < sizeof why)
        at += (size_t)snprintf(why + at, sizeof why - at,
                               "%s%zu no longer under their pid (not signalled)", at ? ", " : "",
                               t->replaced);
    if (t->failed && at < sizeof why)
        snprintf(why + at, sizeof why - at, "%s%zu failed: %s", at ? ", " : "", t->failed,
                 strerror(t->error));
    if (t->sent == s->n)
        ui_status(ui, false, "sent %s to %s", name, s->target);
    else if (t->sent)
        ui_status(ui, true, "sent %s to %zu of %s; %s", name, t->sent, s->target, why);
    else if (s->n == 1 && t->gone)
        ui_status(ui, true, "%s not sent: %s has exited", name, s->target);
    else if (s->n == 1 && t->replaced)
        ui_status(ui, true, "%s not sent: %s is gone, its pid is another process's or unknown",
                  name, s->target);
    else if (s->n == 1)
        ui_status(ui, true, "cannot send %s to %s: %s", name, s->target, strerror(t->error));
    else
        ui_status(ui, true, "%s not sent to %s: %s", name, s->target, why);
}

/* The entry for signal number N, or the selection as it is. */
static size_t entry_of(int n, size_t sel)
{
    for (size_t i = 0; i < procsignal_menu_count; i++)
        if (procsignal_menu[i].sig == n)
            return i;
    return sel;
}

enum ui_redraw ui_signal_key(struct ui *ui, int key)
{
    struct ui_signal *s = ui->signal;
    if (!s) {
        ui->screen = UI_SCREEN_TABLE;
        return UI_DRAW;
    }
    bool enter = key == '\r' || key == '\n' || key == UI_FN(KEY_ENTER);
    if (s->confirm) {
        if (key == 'y' || key == 'Y') {
            struct procsignal_tally t;
            procsignal_send_all(s->procs, s->n, procsignal_menu[s->sel].sig, &t);
            report(ui, s, (int)s->sel, &t);
        } else {
            ui_status(ui, false, "nothing sent");
        }
        ui_signal_close(ui);
        return UI_DRAW;
    }
    if (ui_list_key(key, &s->sel, procsignal_menu_count))
        return UI_DRAW;
    if (key >= '1' && key <= '9') { /* a signal by its number, as in htop */
        s->sel = entry_of(key - '0', s->sel);
        return UI_DRAW;
    }
    if (enter) {
        s->confirm = true;
        return UI_DRAW;
    }
    if (key == UI_FN(KEY_F(10)))
        return UI_QUIT;
    if (key == UI_FN(KEY_MOUSE) || key == UI_FN(KEY_RESIZE))
        return UI_NONE;
    ui_signal_close(ui); /* Esc, F9, q and the rest: cancel */
    return UI_DRAW;
}
