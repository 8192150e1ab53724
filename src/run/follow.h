/* Following a command (-- COMMAND) or running processes (--pid): start the
 * command, reap it, forward Ctrl-C to it, and tell when its end has been
 * caught up with. Which pids belong to the followed trees is the capture
 * thread's question, answered by the follow_tree made here. */
#ifndef FANOTOP_FOLLOW_H
#define FANOTOP_FOLLOW_H

#include "run/options.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct follow;
struct follow_tree;
struct source;

/* Prepare following for OPT: for a COMMAND, fork the child, which waits on a
 * pipe until follow_launch (so no event is missed). NULL on failure with one
 * line in ERR and the exit status in *STATUS. */
struct follow *follow_prepare(const struct options *opt, char *err, size_t errlen, int *status);

/* Let the waiting child exec COMMAND (capture is ready). -1 on failure (ERR,
 * *STATUS: 127 when COMMAND cannot be run). */
int follow_launch(struct follow *f, char *err, size_t errlen, int *status);

/* The followed trees, for the capture (capture/follow_tree.h); NULL when F is. */
struct follow_tree *follow_tree_of(const struct follow *f);

/* The followed COMMAND's pid, or 0. */
pid_t follow_child(const struct follow *f);

/* Reap the COMMAND if it has exited: returns true once with its exit status
 * (128+signal when killed) in *STATUS. */
bool follow_reap(struct follow *f, int *status);

/* The end of a followed COMMAND, for the loops that stop with it (record,
 * batch): reaped, when, and the capture sync asked for then. */
struct follow_end {
    bool reaped; /* the COMMAND has exited */
    bool done;   /* ... and the processes it started too (unless --stop-at-exit) */
    int64_t at;
    uint64_t ticket;
};

/* Reap F's COMMAND (follow_reap into *STATUS); once it has ended, and every
 * process it started too (a double-forked daemon included; not with
 * --stop-at-exit), ask SRC to catch up with the kernel. NOW: clock_real_ns(). */
void follow_end_reap(struct follow *f, struct source *src, struct follow_end *e, int *status,
                     int64_t now);

/* Has the capture read every event the kernel queued before COMMAND ended
 * (or, failing an answer, have ten seconds passed)? Ask before draining the
 * ring: an empty ring after a true answer holds nothing of COMMAND's. */
bool follow_end_caught_up(const struct follow_end *e, const struct source *src, int64_t now);

/* Reap what has exited of the followed tree; true once no process of it is
 * left (call it after the COMMAND is reaped). */
bool follow_descendants_gone(struct follow *f);

/* With --stop-at-exit, once COMMAND has exited: one line on stderr naming
 * the processes it started that still run. Safe on NULL. */
void follow_tell_running(const struct follow *f);

/* Forward SIG to the COMMAND (Ctrl-C goes to it first). */
void follow_signal(struct follow *f, int sig);

/* True when COMMAND shares our terminal and process group (record and batch
 * modes), so a Ctrl-C from the terminal has already reached it. */
bool follow_shares_tty(const struct follow *f);

/* COMMAND's name (argv[0]) for messages, "" with --pid. */
const char *follow_name(const struct follow *f);

/* Free the state; a COMMAND still running is left running. Safe on NULL. */
void follow_destroy(struct follow *f);

/* What a stop signal (signals.h) means while F (may be NULL) runs. */
enum follow_stop {
    FOLLOW_RUN,       /* no stop asked for */
    FOLLOW_FORWARDED, /* Ctrl-C went to the command first: keep running */
    FOLLOW_STOP,      /* stop now */
};
/* Ctrl-C goes to a followed command that still runs (CHILD_DONE false)
 * before it stops fanotop; from the terminal it has already reached the
 * command's process group when they share the terminal. */
enum follow_stop follow_check_stop(struct follow *f, bool child_done);

#endif
