#include "config.h"

#include "run/signals.h"

#include <string.h>
#include <sys/time.h>

static volatile sig_atomic_t stop_signal;
static volatile sig_atomic_t stop_from_tty;
static volatile sig_atomic_t child_changed;
static volatile sig_atomic_t winch;

static void on_stop(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    stop_signal = sig;
    /* The terminal driver sends SIGINT to the whole foreground process group
     * (si_code SI_KERNEL); kill() sends it to us alone (SI_USER and below). */
    stop_from_tty = si && si->si_code == SI_KERNEL;
}

static void on_child(int sig)
{
    (void)sig;
    child_changed = 1;
}

static void on_winch(int sig)
{
    (void)sig;
    winch = 1;
}

static void handle(int sig, void (*fn)(int), void (*info_fn)(int, siginfo_t *, void *))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    if (info_fn) {
        sa.sa_sigaction = info_fn;
        sa.sa_flags = SA_SIGINFO;
    } else {
        sa.sa_handler = fn;
    }
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: blocking reads and sleeps return EINTR so loops notice. */
    sigaction(sig, &sa, NULL);
}

/* Signals whose default action ends the process without a fault: each
 * stops fanotop the way SIGTERM does, so that every way out goes through
 * the same end (the terminal given back, the record flushed). Faults
 * (SIGSEGV, SIGABRT, ...) cannot go on: the screen restores the terminal
 * on them and dies (ui_term.c). */
static const int more_stops[] = {SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
                                 SIGXFSZ, SIGIO, SIGPWR,
#ifdef SIGSTKFLT
                                 SIGSTKFLT,
#endif
};

/* Install the stop handler on SIG unless it is ignored (nohup) or handled
 * (a profiler's SIGPROF) already. */
static void handle_if_default(int sig)
{
    struct sigaction old;
    if (sigaction(sig, NULL, &old) == 0 && !(old.sa_flags & SA_SIGINFO) &&
        old.sa_handler == SIG_DFL)
        handle(sig, NULL, on_stop);
}

void signals_install(void)
{
    handle(SIGINT, NULL, on_stop);
    handle(SIGTERM, NULL, on_stop);
    handle(SIGHUP, NULL, on_stop);
    handle(SIGPIPE, NULL, on_stop);
    for (size_t i = 0; i < sizeof more_stops / sizeof more_stops[0]; i++)
        handle_if_default(more_stops[i]);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        handle_if_default(sig);
    handle(SIGCHLD, on_child, NULL);
    handle(SIGWINCH, on_winch, NULL);
}

void signals_alarm_in(int64_t ns)
{
    /* Past the first, every 100 ms: a write still blocked on a reader that
     * does not read is interrupted again until the run has ended. */
    struct itimerval it = {.it_interval = {0, 100000}};
    if (ns < 1000)
        ns = 1000;
    if (ns > SIGNALS_ALARM_MAX_NS)
        return; /* longer than anything runs: the loop's own check will do */
    it.it_value.tv_sec = (time_t)(ns / 1000000000);
    it.it_value.tv_usec = (suseconds_t)(ns % 1000000000 / 1000);
    setitimer(ITIMER_REAL, &it, NULL);
}

void signals_alarm_off(void)
{
    struct itimerval it = {0};
    setitimer(ITIMER_REAL, &it, NULL);
}

int signals_stop_requested(void)
{
    return stop_signal;
}

bool signals_child_changed(void)
{
    bool v = child_changed;
    child_changed = 0;
    return v;
}

bool signals_winch(void)
{
    bool v = winch;
    winch = 0;
    return v;
}

bool signals_stop_from_tty(void)
{
    return stop_from_tty;
}

void signals_clear_stop(void)
{
    stop_signal = 0;
    stop_from_tty = 0;
}
