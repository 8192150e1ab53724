#include "config.h"

#include "run/signals.h"

#include <string.h>

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

void signals_install(void)
{
    handle(SIGINT, NULL, on_stop);
    handle(SIGTERM, NULL, on_stop);
    handle(SIGHUP, NULL, on_stop);
    handle(SIGPIPE, NULL, on_stop);
    handle(SIGCHLD, on_child, NULL);
    handle(SIGWINCH, on_winch, NULL);
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
