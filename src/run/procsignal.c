/* Signals to captured processes: checked by start time, sent through a
 * pidfd. See procsignal.h. */
#include "config.h"

#include "run/procsignal.h"

#include "capture/proc.h"

#include <errno.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

const struct procsignal_entry procsignal_menu[] = {
    {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"}, {SIGKILL, "SIGKILL"},
    {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"}, {SIGTERM, "SIGTERM"}, {SIGCONT, "SIGCONT"},
    {SIGSTOP, "SIGSTOP"}, {SIGTSTP, "SIGTSTP"},
};
const size_t procsignal_menu_count = sizeof procsignal_menu / sizeof procsignal_menu[0];

size_t procsignal_default(void)
{
    for (size_t i = 0; i < procsignal_menu_count; i++)
        if (procsignal_menu[i].sig == SIGTERM)
            return i;
    return 0;
}

/* A pidfd for PID, or -1 (no such process, or a kernel before 5.3). */
static int pidfd_of(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

static int pidfd_signal(int fd, int sig)
{
#ifdef SYS_pidfd_send_signal
    return (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
#else
    (void)fd, (void)sig;
    errno = ENOSYS;
    return -1;
#endif
}

int procsignal_send(const struct fa_proc *p, int sig)
{
    if (p->pid <= 0)
        return ESRCH;
    if (!p->start_ns)
        return ESTALE; /* nothing to tell it from a later process with its pid */
    /* The pidfd first: if the pid's start time is P's after it was taken,
     * the pidfd is P's, and it cannot name another process later. */
    int fd = pidfd_of(p->pid);
    if (fd < 0 && errno == ESRCH)
        return ESRCH;
    struct proc_stat st;
    int e = 0;
    if (!proc_read_stat(p->pid, &st))
        e = ESRCH;
    else if (st.start_ns != p->start_ns)
        e = ESTALE;
    else if ((fd >= 0 ? pidfd_signal(fd, sig) : kill(p->pid, sig)) < 0)
        e = errno;
    if (fd >= 0)
        close(fd);
    return e;
}

void procsignal_send_all(const struct fa_proc *const *procs, size_t n, int sig,
                         struct procsignal_tally *t)
{
    *t = (struct procsignal_tally){0};
    for (size_t i = 0; i < n; i++) {
        int e = procsignal_send(procs[i], sig);
        if (e == 0) {
            t->sent++;
        } else if (e == ESRCH) {
            t->gone++;
        } else if (e == ESTALE) {
            t->replaced++;
        } else {
            if (!t->failed++)
                t->error = e;
        }
    }
}
