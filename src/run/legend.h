/* What the screen's words and numbers mean: the header's counters, the
 * columns, the event types and how merged records count. One table for the
 * F1 help screen (after the keys) and, through a test, the man page. No
 * curses. */
#ifndef FANOTOP_LEGEND_H
#define FANOTOP_LEGEND_H

#include "run/keys.h"

#include <stddef.h>

/* Entries as in keys.h: a NULL term is a section heading in WHAT, "" goes
 * on with the entry above. */
extern const struct key_help legend_help[];
extern const size_t legend_help_count;

#endif
