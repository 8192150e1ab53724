/* Process-wide signal state: the one flag that tells every loop to stop. */
#ifndef FANOTOP_SIGNALS_H
#define FANOTOP_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

/* Install handlers for SIGINT, SIGTERM, SIGHUP (stop), SIGPIPE (stop, so a
 * closed output pipe ends the run cleanly) and SIGCHLD (child status). */
void signals_install(void);
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
