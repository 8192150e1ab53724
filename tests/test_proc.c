/* Process identity: /proc/PID/cmdline parsing; the cache on real
 * processes: our own threads are "self", a child is named from /proc, an
 * exec open names the new program before /proc does (and the ELF
 * interpreter that follows does not rename it), a /proc re-read that still
 * shows the old program is refused, a finished exec is re-read, a reused pid
 * is detected by its start time or its fork, a process gone before it is
 * read takes its parent from its fork, a command noted as forked keeps the
 * user it became, idle entries are swept. The kernel's fork events (fed as
 * the proc connector sends them) make a child a copy of its parent as it
 * was then; test_proc_changes has the other changes, at their place among
 * the fanotify events. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proc_fixture.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void cmdline_joins_arguments(void **state)
{
    (void)state;
    char out[16];
    assert_int_equal(proc_join_cmdline("cat\0a b\0", 8, out, sizeof out), 7);
    assert_string_equal(out, "cat a b");
    assert_int_equal(proc_join_cmdline("", 0, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(proc_join_cmdline("0123456789\0abcdefghij\0", 22, out, sizeof out), 15);
    assert_string_equal(out, "0123456789 abcd");
}

static void *idle_thread(void *arg)
{
    _Atomic pid_t *tid = arg;
    atomic_store(tid, (pid_t)syscall(SYS_gettid));
    pause();
    return NULL;
}

static void own_threads_are_self(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    struct proc_info *p = proc_lookup(c, getpid(), FAN_OPEN, mono());
    assert_non_null(p);
    assert_true(p->self);
    _Atomic pid_t tid = 0;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, idle_thread, &tid), 0);
    while (!atomic_load(&tid))
        usleep(1000);
    p = proc_lookup(c, atomic_load(&tid), FAN_OPEN, mono());
    assert_non_null(p);
    assert_true(p->self);
    assert_int_equal(p->ident.pid, getpid());
    pthread_cancel(th);
    pthread_join(th, NULL);
    proc_cache_destroy(c);
}

static void child_is_named_from_proc_and_cached(void **state)
{
    (void)state;
    char comm[32] = "";
    FILE *f = fopen("/proc/self/comm", "r");
    assert_non_null(fgets(comm, sizeof comm, f));
    fclose(f);
    comm[strcspn(comm, "\n")] = '\0';

    struct proc_cache *c = proc_cache_create(getpid());
    pid_t kid = spawn_paused();
    int64_t now = mono();
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN, now);
    assert_non_null(p);
    assert_false(p->self);
    assert_int_equal(p->ident.pid, kid);
    assert_int_equal(p->ident.ppid, getpid());
    assert_int_equal(p->ident.uid, geteuid());
    assert_true(p->ident.user[0] != '\0');
    assert_string_equal(p->ident.comm, comm);
    assert_true(p->ident.exe[0] == '/');
    assert_true(p->ident.id != 0);
    uint32_t id = p->ident.id;
    p->sent = true;
    p = proc_lookup(c, kid, FAN_ACCESS, now + SEC / 2);
    assert_int_equal(p->ident.id, id);
    assert_true(p->sent);
    reap(kid);
    proc_cache_destroy(c);
}

static void exec_names_before_proc_and_survives_stale_reread(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    pid_t kid = spawn_paused(); /* never execs: /proc keeps showing the old program */
    int64_t now = mono();
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN, now);
    uint32_t before = p->ident.id;
    p = proc_lookup(c, kid, FAN_OPEN | FAN_OPEN_EXEC, now);
    const char bin[] = "/usr/bin/averyveryverylongname";
    proc_exec(c, p, bin, sizeof bin - 1, NULL, 0);
    assert_string_equal(p->ident.comm, "averyveryverylo"); /* cut to 15 like the kernel */
    assert_string_equal(p->ident.exe, bin);
    assert_string_equal(p->ident.cmdline, "");
    assert_int_equal(p->ident.ppid, getpid());
    assert_true(p->ident.id != before);
    assert_false(p->sent);
    uint32_t exec_id = p->ident.id;

    /* The ELF interpreter is opened for exec right after the binary. */
    p = proc_lookup(c, kid, FAN_OPEN | FAN_OPEN_EXEC, now);
    const char ld[] = "/lib64/ld-linux-x86-64.so.2";
    proc_exec(c, p, ld, sizeof ld - 1, NULL, 0);
    assert_int_equal(p->ident.id, exec_id);
    assert_string_equal(p->ident.comm, "averyveryverylo");

    /* Reads and closes happen during exec: no re-read yet. A plain open
     * re-reads /proc, which still shows the old program: refused. */
    p = proc_lookup(c, kid, FAN_CLOSE_NOWRITE, now);
    assert_int_equal(p->ident.id, exec_id);
    p = proc_lookup(c, kid, FAN_OPEN, now);
    assert_int_equal(p->ident.id, exec_id);
    assert_string_equal(p->ident.comm, "averyveryverylo");
    reap(kid);
    proc_cache_destroy(c);
}

/* A shell exec'd from a filesystem marked for exec only (no other events
 * seen), which later execs cat: cat is a new program, not an interpreter. */
static void second_exec_without_events_between_renames(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    pid_t kid = spawn_paused();
    int64_t now = mono();
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/bin/dash", 13, NULL, 0);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/lib/ld-linux-x86-64.so.2", 29, NULL, 0);
    assert_string_equal(p->ident.comm, "dash");
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/bin/cat", 12, NULL, 0);
    assert_string_equal(p->ident.comm, "cat");
    /* A script: its interpreter, then that one's ELF interpreter, keep the name. */
    p = proc_lookup(c, kid, FAN_OPEN | FAN_MODIFY, now);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/opt/tool/run-backup", 20, NULL, 0);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/bin/bash", 13, NULL, 0);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/lib/ld-linux-x86-64.so.2", 29, NULL, 0);
    assert_string_equal(p->ident.comm, "run-backup");
    /* what runs is the interpreter: the exe /proc/PID/exe shows */
    assert_string_equal(p->ident.exe, "/usr/bin/bash");
    reap(kid);
    proc_cache_destroy(c);
}

static void finished_exec_is_reread(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    int go = -1;
    char *argv[] = {"sleep", "30", NULL};
    pid_t kid = spawn_exec("/bin/sleep", argv, &go);
    int64_t now = mono();
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN | FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/bin/sleep", 10, NULL, 0);
    assert_string_equal(p->ident.comm, "sleep");
    assert_string_equal(p->ident.cmdline, "");
    assert_int_equal(write(go, "g", 1), 1);
    close(go);
    wait_comm(kid, "sleep");
    uint32_t exec_id = p->ident.id;
    p = proc_lookup(c, kid, FAN_OPEN, now);
    assert_string_equal(p->ident.comm, "sleep");
    assert_string_equal(p->ident.cmdline, "sleep 30");
    assert_true(p->ident.id != exec_id);
    reap(kid);
    proc_cache_destroy(c);
}

static void gone_process_is_unknown_but_keeps_its_pid(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    pid_t kid = fork();
    if (kid == 0)
        _exit(0);
    waitpid(kid, NULL, 0);
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN, mono());
    assert_non_null(p);
    assert_int_equal(p->ident.pid, kid);
    assert_string_equal(p->ident.comm, "?");
    assert_int_equal(p->ident.uid, PROC_UID_UNKNOWN);
    assert_string_equal(p->ident.user, "");
    proc_cache_destroy(c);
}

static void reused_pid_is_detected_by_start_time(void **state)
{
    (void)state;
    int k = open("/proc/sys/kernel/ns_last_pid", O_WRONLY | O_CLOEXEC);
    if (k < 0) {
        skip(); /* not root: pids cannot be chosen */
        return;
    }
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t now = mono();
    pid_t first = spawn_paused();
    struct proc_info *p = proc_lookup(c, first, FAN_OPEN, now);
    uint32_t old = p->ident.id;
    reap(first);
    usleep(30000); /* start times count clock ticks: a real reuse is never this fast */
    pid_t second = -1;
    for (int attempt = 0; attempt < 20 && second != first; attempt++) {
        if (second > 0)
            waitpid(second, NULL, 0);
        char num[16];
        int n = snprintf(num, sizeof num, "%d", (int)first - 1);
        if (pwrite(k, num, (size_t)n, 0) != n)
            break;
        second = fork();
        if (second == 0) {
            execl("/bin/sleep", "sleep", "30", (char *)NULL);
            _exit(127);
        }
        if (second != first)
            kill(second, SIGKILL);
    }
    close(k);
    if (second != first) {
        if (second > 0)
            waitpid(second, NULL, 0);
        proc_cache_destroy(c);
        skip();
        return;
    }
    usleep(50000); /* let it exec */
    /* Within the second the cache is trusted; after it the start time differs. */
    p = proc_lookup(c, first, FAN_OPEN, now + 2 * SEC);
    assert_true(p->ident.id != old);
    assert_string_equal(p->ident.comm, "sleep");
    reap(second);
    proc_cache_destroy(c);
}

static pid_t spawn_gone(void)
{
    pid_t kid = fork();
    if (kid == 0)
        _exit(0);
    waitpid(kid, NULL, 0);
    return kid;
}

static void gone_child_takes_parent_and_identity_from_its_fork(void **state)
{
    (void)state;
    char comm[32];
    own_comm(comm, sizeof comm);
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t now = mono();
    pid_t kid = spawn_gone();
    proc_note_fork(c, kid, kid, getpid(), now);
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN, now);
    assert_int_equal(p->ident.pid, kid);
    assert_int_equal(p->ident.ppid, getpid());
    assert_int_equal(p->ident.uid, geteuid());
    assert_string_equal(p->ident.comm, comm); /* a fork child is a copy of its parent */
    /* A thread of it, gone too, names the process its fork event gave. */
    proc_note_fork(c, 4999999, kid, getpid(), now);
    p = proc_lookup(c, 4999999, FAN_OPEN, now);
    assert_int_equal(p->ident.pid, kid);
    proc_cache_destroy(c);
}

/* A command started for following: forked, then made another user (-u)
 * before the kernel's process events were listened to. Noted while it
 * runs, it is that user, even when it is gone before its first event is
 * named (a copy of its parent, root, would be wrong). Needs root. */
static void noted_child_keeps_the_user_it_became(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid_t kid = fork();
    if (kid == 0) {
        char b;
        close(ready[0]);
        close(go[1]);
        if (setgid(65534) < 0 || setuid(65534) < 0)
            _exit(1);
        close(ready[1]);
        _exit(read(go[0], &b, 1) < 0 ? 1 : 0);
    }
    close(ready[1]);
    close(go[0]);
    char b;
    assert_int_equal(read(ready[0], &b, 1), 0); /* its user dropped */
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t now = mono();
    proc_note_fork(c, kid, kid, getpid(), now);
    close(go[1]);
    int status;
    waitpid(kid, &status, 0);
    assert_int_equal(status, 0);
    close(ready[0]);
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN, now);
    assert_int_equal(p->ident.pid, kid);
    assert_int_equal(p->ident.ppid, getpid());
    assert_int_equal(p->ident.uid, 65534);
    assert_true(p->ident.start_ns > 0);
    proc_cache_destroy(c);
}

/* A fork is read before the first event of its child: the child, gone
 * already, is a copy of its parent as it was at the fork (a later change of
 * the parent's user is not its), and an exec names it. */
static void fork_names_a_gone_child_as_its_parent_was(void **state)
{
    (void)state;
    char comm[32];
    own_comm(comm, sizeof comm);
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t now = mono();
    proc_queue_polled(c, 0, false, now);
    struct proc_info *me = proc_lookup(c, getpid(), FAN_OPEN, now);
    uint32_t my_uid = me->ident.uid;
    pid_t kid = spawn_gone();
    feed(c, PROC_EVENT_FORK, now + 10, kid, kid, (uint32_t)getpid(), NULL, now + 20);
    feed(c, PROC_EVENT_UID, now + 15, getpid(), getpid(), 4242, NULL, now + 20);
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN_EXEC, now + 20);
    assert_int_equal(p->ident.pid, kid);
    assert_int_equal(p->ident.ppid, getpid());
    assert_int_equal(p->ident.uid, my_uid);
    assert_string_equal(p->ident.comm, comm);
    assert_int_equal(proc_fork_parent(c, kid), getpid());
    proc_exec(c, p, "/usr/bin/cat", 12, NULL, 0);
    assert_string_equal(p->ident.comm, "cat");
    assert_int_equal(p->ident.ppid, getpid());
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now + 20); /* the interpreter: still cat */
    proc_exec(c, p, "/usr/lib/ld-linux-x86-64.so.2", 29, NULL, 0);
    assert_string_equal(p->ident.comm, "cat");
    proc_cache_destroy(c);
}

/* A chain of execs by one process gone before /proc was read, with the
 * kernel's exec events read first: script wrap (interpreter env) -> bash ->
 * cat, the repeated loader opens merged away by the kernel. The last open
 * is cat's program, not an interpreter of bash. */
static void exec_chain_of_a_gone_process(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t t0 = mono();
    proc_queue_polled(c, 0, false, t0);
    pid_t kid = spawn_gone();
    feed(c, PROC_EVENT_FORK, t0 + 10, kid, kid, (uint32_t)getpid(), NULL, t0 + 100);
    for (int i = 0; i < 3; i++)
        feed(c, PROC_EVENT_EXEC, t0 + 20 + i, kid, kid, 0, NULL, t0 + 100);
    pid_t opens[5] = {kid, kid, kid, kid, kid};
    struct fake_batch fb;
    fake_batch(&fb, t0 + 50, t0 + 100, true, opens, 5);
    proc_batch_begin(c, 0, &fb.b);
    const char *path[5] = {"/tmp/wrap", "/usr/bin/env", "/lib64/ld-linux-x86-64.so.2",
                           "/usr/bin/bash", "/usr/bin/cat"};
    const char *comm[5] = {"wrap", "wrap", "wrap", "bash", "cat"};
    size_t rest = 0;
    struct proc_info *p = NULL;
    for (int i = 0; i < 5; i++) {
        rest += sizeof fb.ev[0];
        p = proc_lookup(c, kid, FAN_OPEN_EXEC, t0 + 100);
        proc_exec(c, p, path[i], strlen(path[i]), &fb.b, rest);
        assert_string_equal(p->ident.comm, comm[i]);
    }
    assert_string_equal(p->ident.exe, "/usr/bin/cat");
    proc_batch_end(c, 0, &fb.b);
    assert_string_equal(proc_lookup(c, kid, FAN_OPEN, t0 + 100)->ident.comm, "cat");
    proc_cache_destroy(c);
}

/* A tid of one of our threads, gone, is taken by a new process, which is
 * gone too when its first event is read from a backlog: the event is the
 * new process's, not ours. */
static void a_thread_tid_taken_by_a_new_process(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t now = mono();
    proc_queue_polled(c, 0, false, now);
    pid_t x = spawn_gone();
    feed(c, PROC_EVENT_FORK, now + 10, x, getpid(), (uint32_t)getpid(), NULL, now + 20);
    assert_int_equal(proc_lookup(c, x, FAN_OPEN, now + 20)->ident.pid, getpid());
    proc_queue_polled(c, 0, true, now + 25); /* a backlog: the fork waits */
    feed(c, PROC_EVENT_FORK, now + 30, x, x, (uint32_t)getpid(), NULL, now + 40);
    struct proc_info *p = proc_lookup(c, x, FAN_OPEN_EXEC, now + 40);
    assert_int_equal(p->ident.pid, x);
    assert_int_equal(p->ident.ppid, getpid());
    assert_false(p->self);
    proc_cache_destroy(c);
}

static void fork_of_a_pid_met_earlier_is_a_new_process(void **state)
{
    (void)state;
    char comm[32];
    own_comm(comm, sizeof comm);
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t now = mono();
    proc_queue_polled(c, 0, false, now);
    pid_t kid = spawn_gone();
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/bin/cat", 12, NULL, 0);
    uint32_t old = p->ident.id;
    /* the pid forked anew; the queue is past the fork */
    feed(c, PROC_EVENT_FORK, now + 10, kid, kid, (uint32_t)getpid(), NULL, now + 20);
    proc_queue_polled(c, 0, false, now + 20);
    p = proc_lookup(c, kid, FAN_OPEN, now + 20); /* no second has passed */
    assert_true(p->ident.id != old);
    assert_string_equal(p->ident.comm, comm);
    assert_int_equal(p->ident.ppid, getpid());
    proc_cache_destroy(c);
}

static void kernel_fork_events_name_parents(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    if (proc_events_start(c) < 0) {
        proc_cache_destroy(c);
        skip(); /* not root, or not the initial namespaces */
        return;
    }
    pid_t kid = spawn_gone(); /* its fork event is queued before fork returns */
    int64_t now = mono();
    proc_events_read(c, now);
    assert_int_equal(proc_fork_parent(c, kid), getpid());
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN, now);
    assert_int_equal(p->ident.ppid, getpid());
    assert_int_equal(p->ident.uid, geteuid());
    /* Even unread: a new pid's lookup reads the fork events first. */
    kid = spawn_gone();
    p = proc_lookup(c, kid, FAN_OPEN, now);
    assert_int_equal(p->ident.ppid, getpid());
    proc_cache_destroy(c);
}

static void idle_entries_are_swept(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t now = mono();
    for (int i = 0; i < 3; i++) {
        pid_t kid = fork();
        if (kid == 0)
            _exit(0);
        waitpid(kid, NULL, 0);
        assert_non_null(proc_lookup(c, kid, FAN_OPEN, now));
    }
    assert_int_equal(proc_cache_size(c), 3);
    proc_cache_sweep(c, now + 30 * SEC);
    assert_int_equal(proc_cache_size(c), 3);
    proc_cache_sweep(c, now + 61 * SEC);
    assert_int_equal(proc_cache_size(c), 0);
    proc_cache_destroy(c);
}

/* A program exec'd through a symlink of another name: the kernel names it
 * after the link (nap), its exe is the file (sleep). The exec event met at
 * the open shows that very file running: it names the program there, with
 * its command line, as the kernel names it. */
static void exec_through_a_symlink_is_named_as_the_kernel_names_it(void **state)
{
    (void)state;
    char dir[] = "/tmp/fanotop-proc.XXXXXX", link[64], file[PATH_MAX];
    assert_non_null(mkdtemp(dir));
    snprintf(link, sizeof link, "%s/nap", dir);
    assert_non_null(realpath("/bin/sleep", file));
    assert_int_equal(symlink(file, link), 0);
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t t0 = mono();
    proc_queue_polled(c, 0, false, t0);
    int go = -1;
    char *argv[] = {"nap", "30", NULL};
    pid_t kid = spawn_exec(link, argv, &go);
    proc_lookup(c, kid, FAN_OPEN, t0);
    assert_int_equal(write(go, "g", 1), 1);
    close(go);
    wait_comm(kid, "nap");
    feed(c, PROC_EVENT_EXEC, t0 + 1000, kid, kid, 0, NULL, t0 + 3000);
    struct fake_batch fb;
    fake_batch(&fb, t0 + 2000, t0 + 2100, true, &kid, 1);
    proc_batch_begin(c, 0, &fb.b);
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN_EXEC, t0 + 2100);
    proc_exec(c, p, file, strlen(file), &fb.b, fb.b.len);
    assert_string_equal(p->ident.comm, "nap");
    assert_string_equal(p->ident.cmdline, "nap 30");
    assert_string_equal(p->ident.exe, file);
    /* and its next event in the same batch, which reads /proc again */
    p = proc_lookup(c, kid, FAN_MODIFY, t0 + 2100);
    assert_string_equal(p->ident.comm, "nap");
    assert_string_equal(p->ident.cmdline, "nap 30");
    assert_string_equal(p->ident.exe, file);
    proc_batch_end(c, 0, &fb.b);
    reap(kid);
    unlink(link);
    rmdir(dir);
    proc_cache_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exec_through_a_symlink_is_named_as_the_kernel_names_it),
        cmocka_unit_test(cmdline_joins_arguments),
        cmocka_unit_test(own_threads_are_self),
        cmocka_unit_test(child_is_named_from_proc_and_cached),
        cmocka_unit_test(exec_names_before_proc_and_survives_stale_reread),
        cmocka_unit_test(second_exec_without_events_between_renames),
        cmocka_unit_test(finished_exec_is_reread),
        cmocka_unit_test(gone_process_is_unknown_but_keeps_its_pid),
        cmocka_unit_test(reused_pid_is_detected_by_start_time),
        cmocka_unit_test(gone_child_takes_parent_and_identity_from_its_fork),
        cmocka_unit_test(noted_child_keeps_the_user_it_became),
        cmocka_unit_test(fork_names_a_gone_child_as_its_parent_was),
        cmocka_unit_test(exec_chain_of_a_gone_process),
        cmocka_unit_test(a_thread_tid_taken_by_a_new_process),
        cmocka_unit_test(fork_of_a_pid_met_earlier_is_a_new_process),
        cmocka_unit_test(kernel_fork_events_name_parents),
        cmocka_unit_test(idle_entries_are_swept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
