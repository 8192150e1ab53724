/* The pause backlog: events drained from the ring but not yet applied to the
 * store. The UI drains the ring every few tens of milliseconds (so the
 * capture thread never waits on a slow screen) and applies the backlog only
 * at a refresh tick and never while paused, so the store and the view stay a
 * snapshot between ticks. Bounded: events beyond the cap are counted as
 * dropped. No curses here. */
#ifndef FANOTOP_UI_BACKLOG_H
#define FANOTOP_UI_BACKLOG_H

#include "base/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes the backlog may hold (about 2 million events with typical paths). */
#define UI_BACKLOG_MAX ((size_t)256 << 20)

struct ui_backlog {
    unsigned char *buf;
    size_t cap, len, off; /* records waiting are buf[off..len) */
    size_t limit;         /* UI_BACKLOG_MAX unless a test sets less */
    uint64_t count;       /* events waiting */
    uint64_t dropped;     /* events lost because the backlog was full */
};

void ui_backlog_init(struct ui_backlog *b, size_t limit);
void ui_backlog_free(struct ui_backlog *b);

/* Copy EV (its path; the proc pointer must stay valid, as proctab entries
 * do). False when full or out of memory: the event is counted as dropped. */
bool ui_backlog_push(struct ui_backlog *b, const struct fa_event *ev);

/* The oldest waiting event into EV (its path points into the backlog and
 * stays valid until the next push); false when empty. */
bool ui_backlog_pop(struct ui_backlog *b, struct fa_event *ev);

#endif
