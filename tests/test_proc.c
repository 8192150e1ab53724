/* Process identity: /proc/PID/cmdline parsing; the cache on real
 * processes: our own threads are "self", a child is named from /proc, an
 * exec open names the new program before /proc does (and the ELF
 * interpreter that follows does not rename it), a /proc re-read that still
 * shows the old program is refused, a finished exec is re-read, a reused pid
 * is detected by its start time or its fork event, a process gone before it
 * is read takes its parent from the kernel's fork event, idle entries are
 * swept. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/proc.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SEC 1000000000LL

static int64_t mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

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

static pid_t spawn_paused(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    return pid;
}

static void reap(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
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
    proc_exec(c, p, bin, sizeof bin - 1, 1);
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
    proc_exec(c, p, ld, sizeof ld - 1, 0);
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
    proc_exec(c, p, "/usr/bin/dash", 13, 1);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/lib/ld-linux-x86-64.so.2", 29, 0);
    assert_string_equal(p->ident.comm, "dash");
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/bin/cat", 12, 1);
    assert_string_equal(p->ident.comm, "cat");
    /* A script: its interpreter, then that one's ELF interpreter, keep the name. */
    p = proc_lookup(c, kid, FAN_OPEN | FAN_MODIFY, now);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/opt/tool/run-backup", 20, 1);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/bin/bash", 13, 1);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/lib/ld-linux-x86-64.so.2", 29, 0);
    assert_string_equal(p->ident.comm, "run-backup");
    assert_string_equal(p->ident.exe, "/opt/tool/run-backup");
    reap(kid);
    proc_cache_destroy(c);
}

static int followers_of(const char *path)
{
    unsigned char head[4096];
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return proc_exec_followers(head, n);
}

static void exec_followers_from_file_headers(void **state)
{
    (void)state;
    assert_int_equal(followers_of("/bin/cat"), 1); /* dynamically linked */
    if (access("/sbin/ldconfig", R_OK) == 0)
        assert_int_equal(followers_of("/sbin/ldconfig"), 0); /* static on Debian */
    assert_int_equal(proc_exec_followers((const unsigned char *)"#!/bin/sh\n", 10), 1);
    assert_int_equal(proc_exec_followers((const unsigned char *)"plain text", 10), 0);
    assert_int_equal(proc_exec_followers((const unsigned char *)"", 0), 0);
    /* ELF32 big-endian with one PT_INTERP program header at offset 52. */
    unsigned char elf[52 + 32] = {0x7f, 'E', 'L', 'F', 1, 2};
    elf[31] = 52;    /* e_phoff */
    elf[43] = 32;    /* e_phentsize */
    elf[45] = 1;     /* e_phnum */
    elf[52 + 3] = 3; /* p_type = PT_INTERP */
    assert_int_equal(proc_exec_followers(elf, sizeof elf), 1);
    elf[52 + 3] = 1; /* PT_LOAD only: static */
    assert_int_equal(proc_exec_followers(elf, sizeof elf), 0);
    elf[45] = 200; /* headers past the buffer: assume dynamic */
    assert_int_equal(proc_exec_followers(elf, sizeof elf), 1);
}

static void finished_exec_is_reread(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    int go[2];
    assert_int_equal(pipe(go), 0);
    pid_t kid = fork();
    if (kid == 0) {
        char b;
        close(go[1]);
        if (read(go[0], &b, 1) != 1)
            _exit(1);
        execl("/bin/sleep", "sleep", "30", (char *)NULL);
        _exit(127);
    }
    close(go[0]);
    int64_t now = mono();
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN | FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/bin/sleep", 10, 1);
    assert_string_equal(p->ident.comm, "sleep");
    assert_string_equal(p->ident.cmdline, "");
    assert_int_equal(write(go[1], "g", 1), 1);
    close(go[1]);
    char comm[32] = "";
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/comm", (int)kid);
    for (int i = 0; i < 500 && strcmp(comm, "sleep\n") != 0; i++) {
        usleep(2000);
        FILE *f = fopen(path, "r");
        if (f) {
            if (!fgets(comm, sizeof comm, f))
                comm[0] = '\0';
            fclose(f);
        }
    }
    usleep(20000); /* past exec: the new program's cmdline is in place */
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

static void own_comm(char *out, size_t len)
{
    FILE *f = fopen("/proc/self/comm", "r");
    if (!f || !fgets(out, (int)len, f))
        out[0] = '\0';
    if (f)
        fclose(f);
    out[strcspn(out, "\n")] = '\0';
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

/* Fork events and file events come by two ways: a child's first file
 * events may be read just before its fork event. */
static void late_fork_event_completes_the_same_process(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t now = mono();
    pid_t kid = spawn_gone();
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/bin/cat", 12, 1);
    assert_int_equal(p->ident.ppid, 0);
    assert_int_equal(p->ident.uid, PROC_UID_UNKNOWN);
    proc_note_batch(c);
    proc_note_fork(c, kid, kid, getpid(), now);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, now); /* the interpreter: still cat */
    proc_exec(c, p, "/usr/lib/ld-linux-x86-64.so.2", 29, 0);
    assert_string_equal(p->ident.comm, "cat");
    assert_int_equal(p->ident.ppid, getpid());
    assert_int_equal(p->ident.uid, geteuid());
    proc_cache_destroy(c);
}

static void fork_of_a_pid_met_earlier_is_a_new_process(void **state)
{
    (void)state;
    char comm[32];
    own_comm(comm, sizeof comm);
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t now = mono();
    pid_t kid = spawn_gone();
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN_EXEC, now);
    proc_exec(c, p, "/usr/bin/cat", 12, 1);
    uint32_t old = p->ident.id;
    proc_note_batch(c);
    proc_note_batch(c);
    proc_note_fork(c, kid, kid, getpid(), now); /* the pid forked anew */
    p = proc_lookup(c, kid, FAN_OPEN, now);     /* no second has passed */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cmdline_joins_arguments),
        cmocka_unit_test(own_threads_are_self),
        cmocka_unit_test(child_is_named_from_proc_and_cached),
        cmocka_unit_test(exec_names_before_proc_and_survives_stale_reread),
        cmocka_unit_test(second_exec_without_events_between_renames),
        cmocka_unit_test(exec_followers_from_file_headers),
        cmocka_unit_test(finished_exec_is_reread),
        cmocka_unit_test(gone_process_is_unknown_but_keeps_its_pid),
        cmocka_unit_test(reused_pid_is_detected_by_start_time),
        cmocka_unit_test(gone_child_takes_parent_and_identity_from_its_fork),
        cmocka_unit_test(late_fork_event_completes_the_same_process),
        cmocka_unit_test(fork_of_a_pid_met_earlier_is_a_new_process),
        cmocka_unit_test(kernel_fork_events_name_parents),
        cmocka_unit_test(idle_entries_are_swept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
