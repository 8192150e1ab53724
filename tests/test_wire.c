/* Wire format: process and event records survive the ring; an event whose
 * identity record was lost still carries its pid. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pipe/proctab.h"
#include "pipe/wire.h"

#include <string.h>

struct seen {
    int events;
    struct fa_event last;
    char path[256];
    char notice[256];
};

static void on_event(const struct fa_event *ev, void *ctx)
{
    struct seen *s = ctx;
    s->events++;
    s->last = *ev;
    memcpy(s->path, ev->path, ev->path_len + 1);
}

static void on_notice(const char *text, void *ctx)
{
    struct seen *s = ctx;
    strcpy(s->notice, text);
}

static void proc_then_event_round_trip(void **state)
{
    (void)state;
    struct ring *r = ring_create(4096);
    struct proctab *tab = proctab_create();
    struct fa_proc p = {.id = 7, .pid = 1234, .ppid = 1, .uid = 1000, .user = "alice",
                        .comm = "cat", .exe = "/usr/bin/cat", .cmdline = "cat a b",
                        .unit = "ssh.service"};
    assert_true(wire_put_proc(r, WIRE_DROP, &p, NULL));
    struct fa_event ev = {.time_ns = 1700000000123456789LL, .tid = 1235,
                          .types = FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS), .flags = FA_EV_DELETED,
                          .proc = &p, .path = "/tmp/a,\"b\"\nc", .path_len = 12};
    assert_true(wire_put_event(r, WIRE_DROP, &ev, NULL));
    assert_true(wire_put_notice(r, WIRE_DROP, "hello", NULL));
    struct seen s = {0};
    struct wire_sink sink = {on_event, on_notice, &s};
    assert_int_equal(wire_drain(r, 0, tab, &sink), 3);
    assert_int_equal(s.events, 1);
    assert_int_equal(s.last.time_ns, ev.time_ns);
    assert_int_equal(s.last.tid, 1235);
    assert_int_equal(s.last.types, ev.types);
    assert_int_equal(s.last.flags, FA_EV_DELETED);
    assert_int_equal(s.last.path_len, 12);
    assert_memory_equal(s.path, ev.path, 13);
    assert_string_equal(s.last.proc->comm, "cat");
    assert_string_equal(s.last.proc->exe, "/usr/bin/cat");
    assert_string_equal(s.last.proc->cmdline, "cat a b");
    assert_string_equal(s.last.proc->unit, "ssh.service");
    assert_string_equal(s.last.proc->user, "alice");
    assert_int_equal(s.last.proc->pid, 1234);
    assert_int_equal(s.last.proc->uid, 1000);
    assert_string_equal(s.notice, "hello");
    proctab_destroy(tab);
    ring_destroy(r);
}

static void lost_identity_keeps_pid(void **state)
{
    (void)state;
    struct ring *r = ring_create(4096);
    struct proctab *tab = proctab_create();
    struct fa_proc p = {.id = 9, .pid = 4321, .user = "", .comm = "x", .exe = "",
                        .cmdline = "", .unit = ""};
    struct fa_event ev = {.types = FA_BIT(FA_MODIFY), .proc = &p, .path = "/f", .path_len = 2};
    assert_true(wire_put_event(r, WIRE_DROP, &ev, NULL));
    struct seen s = {0};
    struct wire_sink sink = {on_event, NULL, &s};
    wire_drain(r, 0, tab, &sink);
    assert_int_equal(s.events, 1);
    assert_int_equal(s.last.proc->pid, 4321);
    assert_string_equal(s.last.proc->comm, "?");
    proctab_destroy(tab);
    ring_destroy(r);
}

static void first_identity_wins_on_resend(void **state)
{
    (void)state;
    struct proctab *tab = proctab_create();
    struct fa_proc a = {.id = 3, .pid = 1, .user = "", .comm = "a", .exe = "", .cmdline = "",
                        .unit = ""};
    struct fa_proc b = a;
    b.comm = "b";
    const struct fa_proc *pa = proctab_add(tab, &a);
    const struct fa_proc *pb = proctab_add(tab, &b);
    assert_ptr_equal(pa, pb);
    assert_string_equal(proctab_get(tab, 3)->comm, "a");
    for (uint32_t i = 10; i < 5000; i++) {
        a.id = i;
        assert_non_null(proctab_add(tab, &a));
    }
    assert_ptr_equal(proctab_get(tab, 3), pa); /* stable across growth */
    assert_int_equal(proctab_count(tab), 4991);
    proctab_destroy(tab);
}

static void truncated_record_is_rejected(void **state)
{
    (void)state;
    struct proctab *tab = proctab_create();
    struct seen s = {0};
    struct wire_sink sink = {on_event, NULL, &s};
    uint32_t kind = WIRE_EVENT;
    assert_false(wire_decode(&kind, sizeof kind, tab, &sink));
    kind = 99;
    assert_false(wire_decode(&kind, sizeof kind, tab, &sink));
    assert_int_equal(s.events, 0);
    proctab_destroy(tab);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(proc_then_event_round_trip),
        cmocka_unit_test(lost_identity_keeps_pid),
        cmocka_unit_test(first_identity_wins_on_resend),
        cmocka_unit_test(truncated_record_is_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
