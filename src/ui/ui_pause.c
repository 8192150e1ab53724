/* Pause (Z, p): the refresh tick leaves the backlog out of the store, so the
 * store and the view hold still as a snapshot, while the ring is still
 * drained into the backlog and nothing is lost. That is one if around the
 * refresh in ui_loop.c, not a second code path; this file holds the rest. */
#include "config.h"

#include "base/clock.h"
#include "ui/ui.h"

/* How often the header's count of waiting events moves while paused. */
#define PAUSED_REDRAW_NS (250 * CLOCK_NS_PER_MS)

void ui_pause_toggle(struct ui *ui)
{
    ui->paused = !ui->paused;
    if (!ui->paused)
        ui->next_tick_ns = clock_mono_ns(); /* show what waited, now */
}

bool ui_pause_redraw_due(struct ui *ui, int64_t now)
{
    if (!ui->paused || ui->backlog.count == ui->paused_shown ||
        now - ui->paused_shown_at < PAUSED_REDRAW_NS)
        return false;
    ui->paused_shown = ui->backlog.count;
    ui->paused_shown_at = now;
    return true;
}
