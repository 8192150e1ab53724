/* Process-wide signal state: the one flag that tells every loop to stop. */
#ifndef FANOTOP_SIGNALS_H
#define FANOTOP_SIGNALS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* Install handlers for SIGINT, SIGTERM, SIGHUP (stop), SIGPIPE (stop, so a
 * closed output pipe ends the run cleanly), every other signal that would
 * end the process without a fault (SIGQUIT, SIGUSR1, SIGALRM, ...: stop,
 * unless already ignored or handled) and SIGCHLD (child status). */
void signals_install(void);

/* The longest signals_alarm_in takes (about 31 years). */
#define SIGNALS_ALARM_MAX_NS (INT64_C(1000000000) * 1000000000)

/* SIGALRM (a stop) in NS nanoseconds, and every 100 ms after: a deadline
 * that also breaks a write blocked on a reader that does not read. */
void signals_alarm_in(int64_t ns);
void signals_alarm_off(void);
/* The signal that asked us to stop, or 0. */
int signals_stop_requested(void);
/* True once since the last call if SIGCHLD arrived. */
bool signals_child_changed(void);
/* True once since the last call if SIGWINCH arrived. */
bool signals_winch(void);
/* True when the pending stop signal came from the terminal (Ctrl-C), which
 * delivered it to our whole process group, not from kill(). */
bool signals_stop_from_tty(void);
/* Clear the stop request (the UI forwards Ctrl-C to a followed command). */
void signals_clear_stop(void);

#endif
