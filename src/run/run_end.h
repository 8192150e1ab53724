/* When a run ends, one rule for every mode's loop (record, batch, the
 * screen): a stop signal (Ctrl-C going to a followed command first),
 * --duration, --count, the end of a replay, or the end of a followed
 * command once the capture has caught up with it. Call run_end_before_drain
 * and run_end_check around each drain of the ring. */
#ifndef FANOTOP_RUN_END_H
#define FANOTOP_RUN_END_H

#include "run/app.h"
#include "run/follow.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct run_end {
    const struct app *app;
    int64_t deadline;        /* clock_real_ns() to stop at, 0 = none */
    uint64_t count;          /* stop once this many events are counted, 0 = no limit */
    struct follow_end child; /* the followed COMMAND's end */
    bool caught_up;          /* before the last drain: the capture had caught up with it */
    int status;              /* the COMMAND's exit status once reaped, else 0 */
};

enum run_state {
    RUN_ON,        /* nothing ends the run */
    RUN_FORWARDED, /* Ctrl-C went to the followed command: it stops first, we go on */
    RUN_STOP,      /* a stop signal, --duration or --count: stop now */
    RUN_DRAINED,   /* the source has ended (a replay read to its end, the command's
                    * end caught up with) and the ring is drained: the headless
                    * modes end, the screen shows it */
};

/* Start the rule for APP (which must outlive E): DEADLINE and COUNT as in
 * struct run_end. */
void run_end_init(struct run_end *e, const struct app *app, int64_t deadline, uint64_t count);

/* Just before draining the ring (NOW: clock_real_ns()): whether the capture
 * has caught up with the command's end, so that an empty drain after it
 * means every event of the command is in. */
void run_end_before_drain(struct run_end *e, int64_t now);

/* Just after a drain that took DRAINED records, with COUNTED events taken
 * by the mode so far, at NOW: checks --count, stop signals, --duration (in
 * that order: any of them stops before the command is reaped), reaps the
 * command, then tells whether the source is drained. */
enum run_state run_end_check(struct run_end *e, size_t drained, uint64_t counted, int64_t now);

/* The exit status of the run: the COMMAND's once reaped, else the replay's
 * (source_status) when it was read to its end, else 0. */
int run_end_status(const struct run_end *e);

#endif
