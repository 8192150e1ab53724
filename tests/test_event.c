/* The event-type table: names, groups, formatting and scanning round-trip. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/event.h"

#include <string.h>
#include <sys/fanotify.h>

static void names_match_the_contract(void **state)
{
    (void)state;
    const char *want[] = {"open",       "access",   "modify",      "close_write", "close_nowrite",
                          "open_exec",  "attrib",   "create",      "delete",      "moved_from",
                          "moved_to",   "delete_self", "move_self", "overflow"};
    assert_int_equal(sizeof want / sizeof want[0], FA_NTYPES);
    for (int t = 0; t < FA_NTYPES; t++) {
        assert_string_equal(fa_types[t].name, want[t]);
        assert_int_equal(fa_type_by_name(want[t], strlen(want[t])), t);
    }
    assert_int_equal(fa_types[FA_CLOSE_WRITE].fan_mask, FAN_CLOSE_WRITE);
    assert_int_equal(fa_types[FA_OVERFLOW].fan_mask, FAN_Q_OVERFLOW);
}

static void letters_are_unique(void **state)
{
    (void)state;
    for (int a = 0; a < FA_NTYPES; a++)
        for (int b = a + 1; b < FA_NTYPES; b++)
            assert_true(fa_types[a].letter != fa_types[b].letter);
}

static void parse_lists_and_groups(void **state)
{
    (void)state;
    uint32_t m;
    char err[512];
    assert_true(fa_types_parse("open,modify", &m, err, sizeof err));
    assert_int_equal(m, FA_BIT(FA_OPEN) | FA_BIT(FA_MODIFY));
    assert_true(fa_types_parse("dir", &m, err, sizeof err));
    assert_true(m & FA_BIT(FA_CREATE));
    assert_false(m & FA_BIT(FA_OPEN));
    assert_true(fa_types_parse("all", &m, err, sizeof err));
    assert_false(m & FA_BIT(FA_OVERFLOW));
    assert_false(fa_types_parse("open,bogus", &m, err, sizeof err));
    assert_non_null(strstr(err, "unknown event type 'bogus'"));
    assert_false(fa_types_parse("", &m, err, sizeof err));
    assert_false(fa_types_parse("open,", &m, err, sizeof err));
}

static void format_and_scan_round_trip(void **state)
{
    (void)state;
    char buf[256];
    uint32_t mask = FA_BIT(FA_OPEN) | FA_BIT(FA_CLOSE_NOWRITE) | FA_BIT(FA_MOVE_SELF);
    size_t n = fa_types_format(mask, '|', buf, sizeof buf);
    assert_string_equal(buf, "open|close_nowrite|move_self");
    assert_int_equal(n, strlen(buf));
    uint32_t back;
    assert_true(fa_types_scan(buf, n, '|', &back));
    assert_int_equal(back, mask);
    assert_false(fa_types_scan("open|nope", 9, '|', &back));
    fa_types_letters(mask, buf, sizeof buf);
    assert_string_equal(buf, "Ocm");
}

static void format_truncates_cleanly(void **state)
{
    (void)state;
    char buf[8];
    fa_types_format(FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS), '|', buf, sizeof buf);
    assert_string_equal(buf, "open");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_match_the_contract),
        cmocka_unit_test(letters_are_unique),
        cmocka_unit_test(parse_lists_and_groups),
        cmocka_unit_test(format_and_scan_round_trip),
        cmocka_unit_test(format_truncates_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
