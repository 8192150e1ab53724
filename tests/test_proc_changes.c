/* Process identity in the kernel's order: the kernel's process events (fed
 * as the proc connector sends them) make versions of identity that apply at
 * their place among the fanotify events: a change of user or name from the
 * first batch that can hold events after it (held back while another queue
 * may hold events from before it), an exec at its exec open, the changes
 * before an exec at that open too, a change made before a child's first
 * event kept for it; a program run through a link of another name is read
 * again at its next event, in the same batch. */
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

/* A change of user or name applies from the first batch whose read ended
 * after it, and only where that batch emptied its queue (a backlog holds
 * older events) or once the queue is known to be past it. */
static void user_and_name_changes_apply_at_their_place(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    pid_t kid = spawn_paused();
    int64_t t0 = mono();
    proc_queue_polled(c, 0, false, t0);
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN, t0);
    uint32_t uid = p->ident.uid, v0 = p->ident.id;
    feed(c, PROC_EVENT_UID, t0 + 1000, kid, kid, 65534, NULL, t0 + 3000);
    /* a thread's change of user is its process's; a thread's name is its own */
    feed(c, PROC_EVENT_UID, t0 + 1000, kid + 1, kid, 4242, NULL, t0 + 3000);
    feed(c, PROC_EVENT_COMM, t0 + 1100, kid + 1, kid, 0, "worker", t0 + 3000);
    struct fake_batch fb;
    fake_batch(&fb, t0 + 100, t0 + 900, true, NULL, 0); /* read before the change */
    proc_batch_begin(c, 0, &fb.b);
    p = proc_lookup(c, kid, FAN_MODIFY, t0 + 900);
    assert_int_equal(p->ident.uid, uid);
    assert_int_equal(p->ident.id, v0);
    proc_batch_end(c, 0, &fb.b);
    fake_batch(&fb, t0 + 950, t0 + 2000, false, NULL, 0); /* a backlog: older events first */
    proc_batch_begin(c, 0, &fb.b);
    assert_int_equal(proc_lookup(c, kid, FAN_MODIFY, t0 + 2000)->ident.uid, uid);
    proc_batch_end(c, 0, &fb.b);
    fake_batch(&fb, t0 + 2100, t0 + 2200, true, NULL, 0); /* the queue emptied */
    proc_batch_begin(c, 0, &fb.b);
    p = proc_lookup(c, kid, FAN_MODIFY, t0 + 2200);
    assert_int_equal(p->ident.uid, 4242);
    assert_string_equal(p->ident.user, "4242");
    assert_true(p->ident.id != v0);
    assert_false(p->sent);
    proc_batch_end(c, 0, &fb.b);
    /* A rename found after the queue was seen empty applies at once. */
    feed(c, PROC_EVENT_COMM, t0 + 2300, kid, kid, 0, "renamed", t0 + 2400);
    uint32_t v1 = p->ident.id;
    proc_queue_polled(c, 0, false, t0 + 2400);
    p = proc_lookup(c, kid, FAN_OPEN, t0 + 2400);
    assert_string_equal(p->ident.comm, "renamed");
    assert_int_equal(p->ident.uid, 4242);
    assert_true(p->ident.id != v1);
    reap(kid);
    proc_cache_destroy(c);
}

/* A change read while another queue still holds events from before it
 * waits for that queue; a queue read past its capacity is past it too. */
static void a_queue_behind_holds_changes_back(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    pid_t kid = spawn_paused();
    int64_t t0 = mono();
    proc_queue_limit(c, 4);
    proc_queue_polled(c, 0, false, t0);
    proc_queue_polled(c, 1, false, t0);
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN, t0);
    uint32_t uid = p->ident.uid;
    proc_queue_polled(c, 1, true, t0 + 10); /* queue 1 holds events */
    feed(c, PROC_EVENT_UID, t0 + 1000, kid, kid, 7, NULL, t0 + 3000);
    struct fake_batch fb;
    fake_batch(&fb, t0 + 2000, t0 + 2100, true, NULL, 0);
    proc_batch_begin(c, 0, &fb.b);
    assert_int_equal(proc_lookup(c, kid, FAN_MODIFY, t0 + 2100)->ident.uid, uid);
    proc_batch_end(c, 0, &fb.b);
    /* queue 1, read in full batches: 4 events after a read that began
     * after the change, every event from before it was read */
    fake_batch(&fb, t0 + 2200, t0 + 2300, false, NULL, 0);
    fb.b.events = 3;
    proc_batch_begin(c, 1, &fb.b);
    assert_int_equal(proc_lookup(c, kid, FAN_MODIFY, t0 + 2300)->ident.uid, uid);
    proc_batch_end(c, 1, &fb.b);
    fake_batch(&fb, t0 + 2400, t0 + 2500, false, NULL, 0);
    fb.b.events = 3;
    proc_batch_begin(c, 1, &fb.b);
    assert_int_equal(proc_lookup(c, kid, FAN_MODIFY, t0 + 2500)->ident.uid, uid);
    proc_batch_end(c, 1, &fb.b);
    assert_int_equal(proc_lookup(c, kid, FAN_MODIFY, t0 + 2500)->ident.uid, 7);
    reap(kid);
    proc_cache_destroy(c);
}

/* An exec event is read with what /proc shows right after it. Where the
 * batch shows the exec open, the events before it keep the old program and
 * the new one (with its cmdline) starts at the open; elsewhere it starts
 * with the batch. */
static void exec_event_names_the_program_at_its_open(void **state)
{
    (void)state;
    char comm[32];
    own_comm(comm, sizeof comm);
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t t0 = mono();
    proc_queue_polled(c, 0, false, t0);
    pid_t kid = child_execs_sleep(c, t0, comm);
    struct fake_batch fb;
    fake_batch(&fb, t0 + 2000, t0 + 2100, true, &kid, 1);
    proc_batch_begin(c, 0, &fb.b);
    struct proc_info *p = proc_lookup(c, kid, FAN_MODIFY, t0 + 2100); /* before its exec open */
    assert_string_equal(p->ident.comm, comm);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, t0 + 2100);
    proc_exec(c, p, "/usr/bin/sleep", 14, &fb.b, fb.b.len);
    assert_string_equal(p->ident.comm, "sleep");
    assert_string_equal(p->ident.cmdline, "sleep 30");
    uint32_t v = p->ident.id;
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, t0 + 2100);
    proc_exec(c, p, "/lib64/ld-linux-x86-64.so.2", 27, &fb.b, fb.b.len);
    proc_batch_end(c, 0, &fb.b);
    assert_int_equal(proc_lookup(c, kid, FAN_MODIFY, t0 + 2100)->ident.id, v);
    reap(kid);

    /* No exec open in the queue (another queue, or none marked): the batch. */
    int64_t t1 = mono();
    kid = child_execs_sleep(c, t1, comm);
    fake_batch(&fb, t1 + 2000, t1 + 2100, true, NULL, 0);
    proc_batch_begin(c, 0, &fb.b);
    p = proc_lookup(c, kid, FAN_MODIFY, t1 + 2100);
    assert_string_equal(p->ident.comm, "sleep");
    assert_string_equal(p->ident.cmdline, "sleep 30");
    assert_string_equal(p->ident.exe, "/usr/bin/sleep");
    proc_batch_end(c, 0, &fb.b);
    reap(kid);
    proc_cache_destroy(c);
}

/* A command the caller started that dropped root before the kernel's
 * process events were read, then execs: at its exec open, a copy of its
 * parent, it has the user /proc showed when its fork was noted. */
static void a_noted_child_keeps_the_user_it_had_then(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t t0 = mono();
    proc_queue_polled(c, 0, false, t0);
    proc_lookup(c, getpid(), FAN_OPEN, t0);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t kid = fork();
    if (kid == 0) {
        close(fds[0]);
        if (setuid(65534) < 0 || write(fds[1], "u", 1) != 1)
            _exit(1);
        pause();
        _exit(0);
    }
    close(fds[1]);
    char b;
    assert_int_equal(read(fds[0], &b, 1), 1);
    close(fds[0]);
    proc_note_fork(c, kid, kid, getpid(), t0);
    feed(c, PROC_EVENT_EXEC, t0 + 1100, kid, kid, 0, NULL, t0 + 3000);
    struct fake_batch fb;
    fake_batch(&fb, t0 + 2000, t0 + 2100, true, &kid, 1);
    proc_batch_begin(c, 0, &fb.b);
    assert_int_equal(proc_lookup(c, kid, FAN_OPEN_EXEC, t0 + 2100)->ident.uid, 65534);
    proc_batch_end(c, 0, &fb.b);
    reap(kid);
    proc_cache_destroy(c);
}

/* A change of user held back for another queue (it may still hold events
 * from before it) applies at the exec open of the same process that came
 * after it: a server's child drops root, then execs. */
static void a_change_before_an_exec_applies_at_its_open(void **state)
{
    (void)state;
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t t0 = mono();
    proc_queue_polled(c, 0, false, t0);
    proc_queue_polled(c, 1, false, t0);
    proc_queue_polled(c, 1, true, t0 + 10); /* queue 1 holds events */
    int go = -1;
    char *argv[] = {"sleep", "30", NULL};
    pid_t kid = spawn_exec("/bin/sleep", argv, &go);
    uint32_t uid = proc_lookup(c, kid, FAN_OPEN, t0)->ident.uid;
    assert_int_equal(write(go, "g", 1), 1);
    close(go);
    wait_comm(kid, "sleep");
    feed(c, PROC_EVENT_UID, t0 + 900, kid, kid, 7, NULL, t0 + 3000);
    feed(c, PROC_EVENT_EXEC, t0 + 1000, kid, kid, 0, NULL, t0 + 3000);
    struct fake_batch fb;
    fake_batch(&fb, t0 + 2000, t0 + 2100, true, &kid, 1);
    proc_batch_begin(c, 0, &fb.b);
    struct proc_info *p = proc_lookup(c, kid, FAN_MODIFY, t0 + 2100); /* before the open */
    assert_int_equal(p->ident.uid, uid);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, t0 + 2100);
    proc_exec(c, p, "/usr/bin/sleep", 14, &fb.b, fb.b.len);
    assert_string_equal(p->ident.comm, "sleep");
    assert_int_equal(p->ident.uid, 7);
    proc_batch_end(c, 0, &fb.b);
    assert_int_equal(proc_lookup(c, kid, FAN_MODIFY, t0 + 2100)->ident.uid, 7);
    reap(kid);
    proc_cache_destroy(c);
}

/* A program exec'd through a link of another name (sh for dash): what
 * /proc showed after the exec is not taken for it at its open, which names
 * it by its file; the next event of it in the same batch, after the open,
 * reads /proc again and has its command line. */
static void a_program_named_at_its_open_is_read_again_in_its_batch(void **state)
{
    (void)state;
    char comm[32], dir[] = "/tmp/test_proc.XXXXXX", link[64], real[PATH_MAX];
    own_comm(comm, sizeof comm);
    assert_non_null(realpath("/bin/sleep", real));
    assert_non_null(mkdtemp(dir));
    snprintf(link, sizeof link, "%s/nap", dir);
    assert_int_equal(symlink(real, link), 0);
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t t0 = mono();
    proc_queue_polled(c, 0, false, t0);
    int go = -1;
    char *argv[] = {"nap", "30", NULL};
    pid_t kid = spawn_exec(link, argv, &go);
    assert_string_equal(proc_lookup(c, kid, FAN_OPEN, t0)->ident.comm, comm);
    assert_int_equal(write(go, "g", 1), 1);
    close(go);
    wait_comm(kid, "nap");
    feed(c, PROC_EVENT_EXEC, t0 + 1000, kid, kid, 0, NULL, t0 + 3000);
    struct fake_batch fb;
    fake_batch(&fb, t0 + 2000, t0 + 2100, true, &kid, 1);
    proc_batch_begin(c, 0, &fb.b);
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN_EXEC, t0 + 2100);
    proc_exec(c, p, real, strlen(real), &fb.b, fb.b.len);
    assert_string_equal(p->ident.exe, real);
    p = proc_lookup(c, kid, FAN_MODIFY, t0 + 2100);
    assert_string_equal(p->ident.cmdline, "nap 30");
    assert_string_equal(p->ident.comm, "nap");
    proc_batch_end(c, 0, &fb.b);
    reap(kid);
    unlink(link);
    rmdir(dir);
    proc_cache_destroy(c);
}

/* A child forked before the kernel's events were read (a followed command)
 * drops root, then execs: its first event is the exec open, where it is a
 * copy of its parent (the exec waits), with the user it took since. */
static void a_change_before_the_first_event_is_kept_for_the_copy(void **state)
{
    (void)state;
    char comm[32];
    own_comm(comm, sizeof comm);
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t t0 = mono();
    proc_queue_polled(c, 0, false, t0);
    proc_lookup(c, getpid(), FAN_OPEN, t0);
    pid_t kid = spawn_paused();
    proc_note_fork(c, kid, kid, getpid(), t0);
    feed(c, PROC_EVENT_UID, t0 + 1000, kid, kid, 65534, NULL, t0 + 3000);
    feed(c, PROC_EVENT_EXEC, t0 + 1100, kid, kid, 0, NULL, t0 + 3000);
    struct fake_batch fb;
    fake_batch(&fb, t0 + 2000, t0 + 2100, true, &kid, 1);
    proc_batch_begin(c, 0, &fb.b);
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN_EXEC, t0 + 2100);
    assert_int_equal(p->ident.uid, 65534);
    assert_string_equal(p->ident.comm, comm);
    proc_exec(c, p, "/usr/bin/sleep", 14, &fb.b, fb.b.len);
    assert_int_equal(p->ident.uid, 65534);
    proc_batch_end(c, 0, &fb.b);
    reap(kid);
    proc_cache_destroy(c);
}

/* A batch of the other queue named while one is (read on demand between
 * two of its events) leaves the exec that the first batch shows at its
 * open: the events before the open keep the old program, in both. */
static void a_batch_named_inside_another_keeps_the_exec_at_its_open(void **state)
{
    (void)state;
    char comm[32];
    own_comm(comm, sizeof comm);
    struct proc_cache *c = proc_cache_create(getpid());
    int64_t t0 = mono();
    proc_queue_polled(c, 0, false, t0);
    proc_queue_polled(c, 1, false, t0);
    pid_t kid = child_execs_sleep(c, t0, comm);
    struct fake_batch fb, inner;
    fake_batch(&fb, t0 + 2000, t0 + 2100, true, &kid, 1);
    proc_batch_begin(c, 0, &fb.b);
    assert_string_equal(proc_lookup(c, kid, FAN_MODIFY, t0 + 2100)->ident.comm, comm);
    fake_batch(&inner, t0 + 2200, t0 + 2300, true, NULL, 0);
    inner.b.events = 1;
    proc_batch_begin(c, 1, &inner.b);
    assert_string_equal(proc_lookup(c, kid, FAN_MODIFY, t0 + 2300)->ident.comm, comm);
    proc_batch_end(c, 1, &inner.b);
    struct proc_info *p = proc_lookup(c, kid, FAN_MODIFY, t0 + 2300); /* still before the open */
    assert_string_equal(p->ident.comm, comm);
    p = proc_lookup(c, kid, FAN_OPEN_EXEC, t0 + 2300);
    proc_exec(c, p, "/usr/bin/sleep", 14, &fb.b, fb.b.len);
    assert_string_equal(p->ident.comm, "sleep");
    assert_string_equal(p->ident.cmdline, "sleep 30");
    proc_batch_end(c, 0, &fb.b);
    assert_string_equal(proc_lookup(c, kid, FAN_MODIFY, t0 + 2300)->ident.comm, "sleep");
    reap(kid);
    proc_cache_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(user_and_name_changes_apply_at_their_place),
        cmocka_unit_test(a_queue_behind_holds_changes_back),
        cmocka_unit_test(exec_event_names_the_program_at_its_open),
        cmocka_unit_test(a_batch_named_inside_another_keeps_the_exec_at_its_open),
        cmocka_unit_test(a_change_before_the_first_event_is_kept_for_the_copy),
        cmocka_unit_test(a_program_named_at_its_open_is_read_again_in_its_batch),
        cmocka_unit_test(a_change_before_an_exec_applies_at_its_open),
        cmocka_unit_test(a_noted_child_keeps_the_user_it_had_then),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
