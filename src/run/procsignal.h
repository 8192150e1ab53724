/* Signals to the processes the table shows (F9), only ever to the process
 * the capture named: a pid taken by another process since is not signalled.
 * No curses. */
#ifndef FANOTOP_PROCSIGNAL_H
#define FANOTOP_PROCSIGNAL_H

#include "base/event.h"

#include <stddef.h>

/* The signals the menu offers, in its order, and their names ("SIGTERM"). */
struct procsignal_entry {
    int sig;
    const char *name;
};
extern const struct procsignal_entry procsignal_menu[];
extern const size_t procsignal_menu_count;
/* The menu's default: SIGTERM's place in it. */
size_t procsignal_default(void);

/* Send SIG to P if P's process still runs under its pid: the start time
 * /proc gives for the pid is P's (then a pidfd, where the kernel has them,
 * carries the signal, so the pid cannot change hands in between). Returns 0
 * or an errno: ESRCH (gone), ESTALE (the pid is another process's now, or
 * P's start time is unknown), EPERM, ... */
int procsignal_send(const struct fa_proc *p, int sig);

/* The tally of signals sent to several processes. */
struct procsignal_tally {
    size_t sent, gone, replaced, failed;
    int error; /* the first failure's errno */
};
/* Send SIG to the N processes of PROCS, counting what happened. */
void procsignal_send_all(const struct fa_proc *const *procs, size_t n, int sig,
                         struct procsignal_tally *t);

#endif
