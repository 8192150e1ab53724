/* Signals to captured processes: only to the process whose start time the
 * capture saw (a pid taken by another process since is refused), a gone
 * process is reported, the menu starts on SIGTERM. Runs as any user: it
 * signals a child of its own. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/proc.h"
#include "run/procsignal.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child_that_waits(void)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        for (;;)
            pause();
    }
    return pid;
}

static void signals_only_the_process_that_was_captured(void **state)
{
    (void)state;
    pid_t pid = child_that_waits();
    struct proc_stat st;
    assert_true(proc_read_stat(pid, &st));
    assert_int_equal(st.ppid, getpid());
    assert_true(st.start_ns > 0);
    struct fa_proc p = {.pid = pid, .comm = "child", .start_ns = st.start_ns + 1};
    /* Another start time: the pid is someone else's now. */
    assert_int_equal(procsignal_send(&p, SIGTERM), ESTALE);
    p.start_ns = 0; /* unknown: cannot tell */
    assert_int_equal(procsignal_send(&p, SIGTERM), ESTALE);
    assert_int_equal(kill(pid, 0), 0);
    p.start_ns = st.start_ns;
    assert_int_equal(procsignal_send(&p, SIGTERM), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    /* Gone and reaped. */
    assert_int_equal(procsignal_send(&p, SIGTERM), ESRCH);
    p.pid = 0;
    assert_int_equal(procsignal_send(&p, SIGTERM), ESRCH);
}

static void tally_counts_each_outcome(void **state)
{
    (void)state;
    pid_t a = child_that_waits(), b = child_that_waits();
    struct proc_stat sa, sb;
    assert_true(proc_read_stat(a, &sa) && proc_read_stat(b, &sb));
    struct fa_proc pa = {.pid = a, .start_ns = sa.start_ns};
    struct fa_proc pb = {.pid = b, .start_ns = sb.start_ns - 1};
    struct fa_proc gone = {.pid = 0, .start_ns = 1};
    const struct fa_proc *all[] = {&pa, &pb, &gone};
    struct procsignal_tally t;
    procsignal_send_all(all, 3, SIGKILL, &t);
    assert_int_equal(t.sent, 1);
    assert_int_equal(t.replaced, 1);
    assert_int_equal(t.gone, 1);
    assert_int_equal(t.failed, 0);
    waitpid(a, NULL, 0);
    kill(b, SIGKILL);
    waitpid(b, NULL, 0);
    assert_int_equal(procsignal_menu[procsignal_default()].sig, SIGTERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(signals_only_the_process_that_was_captured),
        cmocka_unit_test(tally_counts_each_outcome),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
