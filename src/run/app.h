/* What main hands to the mode that runs: the record writer, batch printer or
 * terminal UI. Each drains the same ring through the same wire decoding. */
#ifndef FANOTOP_APP_H
#define FANOTOP_APP_H

#include "model/filter.h"
#include "run/options.h"
#include "pipe/proctab.h"
#include "pipe/ring.h"
#include "pipe/source.h"

#include <stdbool.h>
#include <sys/types.h>

struct follow;

struct app {
    const struct options *opt;
    struct ring *ring;
    struct source *src;      /* live capture or replay */
    bool live;               /* false for replay */
    struct proctab *procs;
    struct filter *filter;   /* from --filter; never NULL (may be empty) */
    struct follow *follow;   /* the followed command or --pid, or NULL */
    pid_t child;             /* the followed COMMAND, or 0 */
};

/* --record: write every event until stopped; returns the exit status. */
int record_run(struct app *app);
/* --batch: print the view every --delay seconds; returns the exit status. */
int batch_run(struct app *app);
/* The terminal UI; returns the exit status. */
int ui_run(struct app *app);

#endif
