/* The terminal UI's entry point and main loop.
 *
 * Data flow on this thread: every few tens of milliseconds the ring is
 * drained into the backlog (the capture thread must never wait on the
 * screen); at each refresh tick, and never while paused, the backlog goes
 * into the store, the store closes its rate interval and the view is
 * refreshed. So between ticks and while paused the store and the view are a
 * snapshot, and a key is answered at once from that snapshot.
 *
 * A key goes to the screen shown (ui_screen.c), whose action returns what
 * must be redrawn; drawing formats each line into a textline before curses
 * sees it. */
#include "config.h"

#include "base/clock.h"
#include "pipe/wire.h"
#include "run/follow.h"
#include "run/replay_span.h"
#include "run/signals.h"
#include "ui/ui.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>

#define POLL_MS   25    /* how often the ring is drained when idle */
#define DRAIN_MAX 16384 /* records per drain: the ring's space is freed per batch */
/* A tick applies the backlog in slices this long, so that keys wait less. */
#define APPLY_SLICE_NS (20 * CLOCK_NS_PER_MS)

/* ---- the ring, the backlog and the tick ---- */

static void on_event(const struct fa_event *ev, void *ctx)
{
    struct ui *ui = ctx;
    ui_backlog_push(&ui->backlog, ev);
}

static void on_notice(const char *text, void *ctx)
{
    struct ui *ui = ctx;
    char buf[512];
    ui_status(ui, false, "%s", ui_escaped(ui, text, buf, sizeof buf));
}

static bool on_record(const void *payload, size_t len, void *ctx)
{
    struct ui *ui = ctx;
    /* Process identities go into the proctab at once (its entries never
     * change, and the store does not see them); events wait in the backlog. */
    const struct wire_sink sink = {on_event, on_notice, ui};
    wire_decode(payload, len, ui->app->procs, &sink);
    return true;
}

static size_t drain_ring(struct ui *ui)
{
    return ring_consume(ui->app->ring, DRAIN_MAX, on_record, ui);
}

/* Apply what was waiting when the tick began (later events wait for the
 * next tick, so a flood cannot keep a tick from ending): true when done,
 * false when the slice ended first. */
static bool apply_some(struct ui *ui, int64_t until_ns)
{
    struct fa_event ev;
    unsigned k = 0;
    while (ui->apply_left && ui_backlog_pop(&ui->backlog, &ev)) {
        store_add(ui->st, &ev);
        ui->apply_left--;
        ui->tick_events++;
        if ((++k & 1023) == 0 && clock_mono_ns() > until_ns)
            return ui->apply_left == 0;
    }
    ui->apply_left = 0;
    return true;
}

/* The end of a tick: the backlog is in the store. */
static void tick_finish(struct ui *ui)
{
    ui->last_refresh_ns = clock_real_ns();
    store_tick(ui->st, ui->last_refresh_ns);
    if (ui->replay_done && !ui->backlog.count && !ui->clock_ended) {
        store_clock_end(ui->st); /* the recording's last second shows in the rates */
        ui->clock_ended = true;
        ui->tick_events++;
    }
    store_get_totals(ui->st, &ui->totals);
    /* Nothing new for two ticks (the second shows the rates falling to
     * zero): the rows would come out the same, and a refresh of a million
     * rows would only keep keys waiting. */
    ui->quiet_ticks = ui->tick_events ? 0 : ui->quiet_ticks + 1;
    ui->tick_events = 0;
    if (ui->quiet_ticks > 2)
        return;
    if (clock_mono_ns() < ui->frozen_until_ns) {
        ui_top(ui)->stale = true; /* the rows hold still while the cursor moves */
        return;
    }
    ui_level_refresh_shown(ui);
}

static void ui_free(struct ui *ui)
{
    while (ui->depth)
        ui_level_pop(ui);
    view_destroy(ui->level[0].view);
    store_destroy(ui->st);
    ui_backlog_free(&ui->backlog);
    ui_history_free(ui);
    free(ui->cell);
    free(ui);
}

/* The end-of-run rule the headless modes use (run/run_end.h), read the
 * screen's way: a stop ends the UI, a forwarded Ctrl-C is told, and the
 * end of a replay or of the followed command is shown, not obeyed. */
static bool run_ended(struct ui *ui, size_t drained)
{
    enum run_state st = run_end_check(&ui->end, drained, 0, clock_real_ns());
    if (st == RUN_STOP)
        return true;
    if (st == RUN_FORWARDED) {
        char name[128];
        ui_status(ui, false, "sent SIGINT to %s (q quits)",
                  ui_escaped(ui, follow_name(ui->app->follow), name, sizeof name));
    }
    bool exited = ui->end.child.done && !ui->child_exited;
    bool replayed = st == RUN_DRAINED && !ui->app->live && !ui->replay_done;
    if (exited || replayed) {
        ui->child_exited = ui->end.child.done;
        ui->child_status = ui->end.status;
        ui->replay_done |= replayed;
        ui->next_tick_ns = clock_mono_ns(); /* show the end without waiting for the tick */
    }
    return false;
}

static int loop(struct ui *ui)
{
    enum ui_redraw want = UI_REPAINT;
    bool keys_waiting = false;
    ui->next_tick_ns = clock_mono_ns();
    run_end_init(&ui->end, ui->app, 0, 0);
    for (;;) {
        if (signals_winch()) {
            ui_term_resize();
            want = UI_REPAINT;
        }
        int64_t now = clock_mono_ns();
        int wait = 0;
        if (!keys_waiting && !ui->applying) {
            int64_t until = ui->next_tick_ns - now, poll = POLL_MS * CLOCK_NS_PER_MS;
            wait = until <= 0 ? 0 : until < poll ? (int)(until / CLOCK_NS_PER_MS) + 1 : POLL_MS;
        }
        int key = ui_term_key(wait);
        run_end_before_drain(&ui->end, clock_real_ns());
        if (run_ended(ui, drain_ring(ui)))
            return 0;
        if (key >= 0) {
            enum ui_redraw r = ui_screen_dispatch(ui, key);
            if (r == UI_QUIT)
                return 0;
            if (r > want)
                want = r;
            keys_waiting = true; /* read what else is waiting before drawing */
            continue;
        }
        keys_waiting = false;

        now = clock_mono_ns();
        if (!ui->applying && now >= ui->next_tick_ns) {
            /* Read each time: the setup screen may change it. */
            int64_t delay = (int64_t)(ui->delay * CLOCK_NS_PER_S);
            ui->next_tick_ns += delay;
            if (ui->next_tick_ns <= now)
                ui->next_tick_ns = now + delay;
            if (!ui->paused) { /* pause: the one if around the refresh */
                ui->applying = true;
                ui->apply_left = ui->backlog.count;
            }
            want = want < UI_DRAW ? UI_DRAW : want; /* losses and +N move on regardless */
        }
        if (ui->applying && apply_some(ui, now + APPLY_SLICE_NS)) {
            ui->applying = false;
            tick_finish(ui);
            if (want < UI_DRAW)
                want = UI_DRAW;
        }
        if (!ui->paused && !ui->applying && ui_top(ui)->stale && now >= ui->frozen_until_ns) {
            ui_level_refresh(ui, ui_top(ui)); /* the freeze after a cursor move is over */
            want = want < UI_DRAW ? UI_DRAW : want;
        }

        if (ui->status[0] && now > ui->status_until_ns) {
            ui->status[0] = '\0';
            want = want < UI_DRAW ? UI_DRAW : want;
        }
        if (ui_pause_redraw_due(ui, now))
            want = want < UI_DRAW ? UI_DRAW : want;
        if (want != UI_NONE) {
            ui_screen_draw(ui, want == UI_REPAINT);
            want = UI_NONE;
        }
    }
}

int ui_run(struct app *app)
{
    const struct options *opt = app->opt;
    struct ui *ui = calloc(1, sizeof *ui);
    if (!ui) {
        fputs("fanotop: out of memory\n", stderr);
        return 1;
    }
    ui->app = app;
    ui->opt = opt;
    ui->tflags = textsafe_flags_for(nl_langinfo(CODESET));
    ui->color = !opt->no_color && getenv("NO_COLOR") == NULL;
    ui->mouse = !opt->no_mouse;
    ui->delay = opt->delay;
    ui->config = !opt->no_config;
    ui_backlog_init(&ui->backlog, opt->backlog_bytes);
    /* A replay's rates are of its recorded times, not of how fast it reads. */
    struct store_config cfg = {.max_rows = opt->max_rows,
                               .max_pairs = opt->max_pairs,
                               .log_depth = opt->log_depth,
                               .event_clock = !app->live};
    ui->st = store_create(&cfg);
    int kind = ui->st ? ui_config_load(ui) : -1;
    if (opt->view)
        kind = view_kind_by_name(opt->view); /* options_parse has checked the name */
    if (kind < 0)
        kind = VIEW_PATHS;
    struct view *v = ui->st ? view_create(ui->st, (enum view_kind)kind) : NULL;
    if (!v) {
        store_destroy(ui->st);
        free(ui);
        fputs("fanotop: out of memory\n", stderr);
        return 1;
    }
    ui_level_init(&ui->level[0], v, NULL);
    view_set_filter(v, app->filter);
    ui->before_tree = kind == VIEW_TREE ? VIEW_PATHS : (enum view_kind)kind;
    ui->follow_tail = kind == VIEW_EVENTS;
    if (!opt->sort && ui->sorts[kind].set)
        view_set_sort(v, ui->sorts[kind].col, ui->sorts[kind].desc);
    if (opt->sort && !ui_level_start_sort(ui, opt->sort)) {
        ui_free(ui);
        return 2;
    }
    if (!ui_term_start(ui)) {
        ui_free(ui);
        return 1;
    }
    ui->last_refresh_ns = ui->started_ns = clock_real_ns();
    store_tick(ui->st, ui->last_refresh_ns); /* the first rate interval starts now */
    if (!app->live && opt->replay && !replay_span_end(opt->replay, &ui->replay_end_ns))
        ui->replay_end_ns = 0;
    int status = loop(ui);
    ui_term_stop();
    if (ui->child_exited)
        status = ui->child_status;
    ui_config_save(ui, false);
    ui_free(ui);
    return status;
}
