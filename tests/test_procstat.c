/* /proc/PID/stat parsing: ppid, process group and start time are found after the last ')'
 * whatever comm holds, comm is everything between the first '(' and the
 * last ')', text cut short is refused, and our own stat parses to our
 * parent. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/procstat.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void stat_fields_after_odd_comm(void **state)
{
    (void)state;
    const char s[] = "4242 (a) b (c)) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 "
                     "987654 1000 200\n";
    struct procstat ps;
    assert_true(procstat_parse(s, sizeof s - 1, &ps));
    assert_int_equal(ps.ppid, 17);
    assert_int_equal(ps.pgrp, 4242);
    assert_int_equal(ps.start, 987654);
    assert_int_equal(ps.comm_len, strlen("a) b (c)"));
    assert_memory_equal(ps.comm, "a) b (c)", ps.comm_len);
}

static void stat_cut_short_is_refused(void **state)
{
    (void)state;
    struct procstat ps;
    assert_false(procstat_parse("4242 (x S 1 2", 13, &ps));
    assert_false(procstat_parse("1 (x) S 1 2 3\n", 14, &ps));
    assert_false(procstat_parse("", 0, &ps));
    /* A field that is no number. */
    const char bad[] = "1 (x) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 x 19\n";
    assert_false(procstat_parse(bad, sizeof bad - 1, &ps));
}

static void stat_without_open_paren_has_empty_comm(void **state)
{
    (void)state;
    const char s[] = "7 x) R 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55\n";
    struct procstat ps;
    assert_true(procstat_parse(s, sizeof s - 1, &ps));
    assert_int_equal(ps.ppid, 1);
    assert_int_equal(ps.start, 55);
    assert_int_equal(ps.comm_len, 0);
}

static void own_stat_names_our_parent(void **state)
{
    (void)state;
    char buf[1024];
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    assert_true(fd >= 0);
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    assert_true(n > 0);
    struct procstat ps;
    assert_true(procstat_parse(buf, (size_t)n, &ps));
    assert_int_equal(ps.ppid, getppid());
    assert_int_equal(ps.pgrp, getpgrp());
    assert_true(ps.start > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stat_fields_after_odd_comm),
        cmocka_unit_test(stat_cut_short_is_refused),
        cmocka_unit_test(stat_without_open_paren_has_empty_comm),
        cmocka_unit_test(own_stat_names_our_parent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
