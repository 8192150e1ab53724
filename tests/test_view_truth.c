/* Views that tell the truth: names sort naturally (page2 before page10),
 * an event's details hold every field (a container's too), the filter's totals sit beside the
 * store's, per-type counts are found for the "other" column, times carry
 * the date once events span days, columns carry the priority a narrow
 * screen drops them by, and pairs folded by the pair cap show as the
 * "(others)" process. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/filter.h"
#include "model/store.h"
#include "model/view.h"
#include "view_cells.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEC INT64_C(1000000000)
#define T0  (INT64_C(1795341600) * SEC) /* 2026-11-22T10:00:00Z */

/* A reader with a long command line, and a writer in no unit. */
static const struct fa_proc less = {.id = 7,
                                    .pid = 310,
                                    .ppid = 2,
                                    .uid = 1001,
                                    .user = "bob",
                                    .comm = "less",
                                    .exe = "/usr/bin/less",
                                    .cmdline = "less /etc/hosts --and a long tail",
                                    .unit = "getty.service"};
static const struct fa_proc nano = {.id = 8,
                                    .pid = 320,
                                    .ppid = 2,
                                    .uid = 1002,
                                    .user = "carol",
                                    .comm = "nano",
                                    .exe = "/usr/bin/nano",
                                    .cmdline = "nano notes",
                                    .unit = ""};
/* A process in a container, named by its runtime. */
static const struct fa_proc pg = {.id = 9,
                                  .pid = 330,
                                  .ppid = 2,
                                  .uid = 999,
                                  .user = "postgres",
                                  .comm = "postgres",
                                  .exe = "/usr/lib/postgresql/bin/postgres",
                                  .cmdline = "postgres -D /var/lib/postgresql/data",
                                  .unit = "podman:2b7e0c41d9aa",
                                  .container = "podman:db"};

/* Natural order by hand: digit runs compare as numbers, leading zeros
 * aside, then bytes. */
static int natural_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            while (*a == '0' && a[1] >= '0' && a[1] <= '9')
                a++;
            while (*b == '0' && b[1] >= '0' && b[1] <= '9')
                b++;
            size_t la = strspn(a, "0123456789"), lb = strspn(b, "0123456789");
            if (*a == '0' && la == 1)
                la = 0; /* "0" and "00" count no digits */
            if (*b == '0' && lb == 1)
                lb = 0;
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = strncmp(a, b, la);
            if (c)
                return c;
            a += strspn(a, "0123456789");
            b += strspn(b, "0123456789");
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++, b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

static void names_sort_naturally(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    const char *fixed[] = {"/srv/page10",  "/srv/page2", "/srv/page1", "/srv/page002x",
                           "/srv/page",    "/srv/page-", "/srv/pageB", "/srv/v1.10.2",
                           "/srv/v1.9.12", "/srv/v1.9.2"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        add(st, &less, fixed[i], FA_BIT(FA_OPEN), T0);
    srand(11);
    for (int i = 0; i < 500; i++) { /* long runs and prefixes past a radix chunk */
        char p[96];
        int n = snprintf(p, 40, "/var/lib/app/data-%s", i % 3 ? "run" : "");
        int parts = rand() % 4;
        for (int j = 0; j < parts; j++)
            n += snprintf(p + n, sizeof p - (size_t)n, "%s%d", rand() % 2 ? "/f" : "0",
                          rand() % (j ? 30 : 100000));
        add(st, &less, p, FA_BIT(FA_OPEN), T0);
    }
    struct view *v = view_create(st, VIEW_PATHS);
    view_refresh(v, T0);
    for (int desc = 0; desc < 2; desc++) {
        view_set_sort(v, 0, desc);
        for (size_t r = 1; r < view_nrows(v); r++) {
            const char *a = cellf(v, r - 1, "path", VIEW_FMT_EXPORT);
            const char *b = cellf(v, r, "path", VIEW_FMT_EXPORT);
            int c = natural_cmp(a, b);
            if (desc ? c < 0 : c > 0)
                fail_msg("%s before %s (%s)", a, b, desc ? "desc" : "asc");
        }
    }
    view_set_sort(v, 0, false);
    long p1 = -1, p2 = -1, p10 = -1;
    for (size_t r = 0; r < view_nrows(v); r++) {
        const char *p = cellf(v, r, "path", VIEW_FMT_EXPORT);
        p1 = strcmp(p, "/srv/page1") ? p1 : (long)r;
        p2 = strcmp(p, "/srv/page2") ? p2 : (long)r;
        p10 = strcmp(p, "/srv/page10") ? p10 : (long)r;
    }
    assert_true(p1 >= 0 && p1 < p2 && p2 < p10);
    view_destroy(v);
    store_destroy(st);
}

static void event_details_hold_every_field(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, &less, "/etc/hosts", FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS) | FA_BIT(FA_CLOSE_NOWRITE),
        T0 + 5);
    add(st, &nano, "/home/a/notes.txt", FA_BIT(FA_MODIFY), T0 + SEC);
    struct view *v = view_create(st, VIEW_EVENTS);
    view_refresh(v, T0 + SEC);
    char title[256];
    struct view *d = view_details(v, 0, title, sizeof title);
    assert_non_null(d);
    assert_int_equal(view_kind(d), VIEW_DETAIL_EVENT);
    assert_string_equal(title, "less /etc/hosts --and a long tail");
    static const char *const want[][2] = {
        {"time", "2026-11-22T10:00:00.000000Z ("},
        {"event", "open|access|close_nowrite"},
        {"path", "/etc/hosts"},
        {"path state", "named"},
        {"pid", "310"},
        {"tid", "311"},
        {"ppid", "2"},
        {"user", "bob"},
        {"uid", "1001"},
        {"comm", "less"},
        {"exe", "/usr/bin/less"},
        {"cmdline", "less /etc/hosts --and a long tail"},
        {"unit", "getty.service"},
    };
    assert_int_equal(view_nrows(d), sizeof want / sizeof want[0]);
    for (size_t r = 0; r < view_nrows(d); r++) {
        assert_string_equal(cellf(d, r, "field", VIEW_FMT_EXPORT), want[r][0]);
        const char *val = cellf(d, r, "value", VIEW_FMT_EXPORT);
        if (strncmp(val, want[r][1], strlen(want[r][1])) != 0)
            fail_msg("%s: '%s', want '%s'", want[r][0], val, want[r][1]);
    }
    /* The order stays whatever the sort; the path opens its processes, a
     * process field that process's paths. */
    view_set_sort(d, 1, true);
    assert_string_equal(cellf(d, 0, "field", VIEW_FMT_EXPORT), "time");
    struct view *dd = view_details(d, 2, title, sizeof title);
    assert_int_equal(view_kind(dd), VIEW_DETAIL_PATH);
    assert_string_equal(title, "/etc/hosts");
    view_destroy(dd);
    dd = view_details(d, 9, title, sizeof title);
    assert_int_equal(view_kind(dd), VIEW_DETAIL_PROC);
    view_destroy(dd);
    assert_null(view_details(d, 0, title, sizeof title)); /* the time has none */
    /* A snapshot: the store going on changes nothing. */
    store_reset(st);
    view_refresh(d, T0);
    assert_string_equal(cellf(d, 2, "value", VIEW_FMT_EXPORT), "/etc/hosts");
    view_destroy(d);
    view_destroy(v);
    store_destroy(st);
}

/* A container's event adds its container and the path its process saw,
 * both copies that outlive the log's; an event outside containers has
 * neither row. */
static void event_details_name_the_container(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    const char *host = "/var/lib/containers/storage/overlay/9c1d/diff/etc/postgresql.conf";
    struct fa_event ev = {.time_ns = T0,
                          .tid = 331,
                          .types = FA_BIT(FA_CLOSE_WRITE),
                          .proc = &pg,
                          .path = host,
                          .path_len = strlen(host),
                          .cpath = "/etc/postgresql.conf",
                          .cpath_len = strlen("/etc/postgresql.conf")};
    store_add(st, &ev);
    add(st, &nano, "/home/a/notes.txt", FA_BIT(FA_MODIFY), T0 + SEC);
    struct view *v = view_create(st, VIEW_EVENTS);
    view_refresh(v, T0 + SEC);
    struct view *d = view_details(v, 0, NULL, 0);
    assert_non_null(d);
    view_refresh(d, T0 + SEC);
    size_t n = view_nrows(d);
    assert_true(n > 2);
    assert_string_equal(cellf(d, n - 3, "field", VIEW_FMT_EXPORT), "unit");
    assert_string_equal(cellf(d, n - 2, "field", VIEW_FMT_EXPORT), "container");
    assert_string_equal(cellf(d, n - 2, "value", VIEW_FMT_EXPORT), "podman:db");
    assert_string_equal(cellf(d, n - 1, "field", VIEW_FMT_EXPORT), "cpath");
    assert_string_equal(cellf(d, n - 1, "value", VIEW_FMT_EXPORT), "/etc/postgresql.conf");
    assert_string_equal(cellf(d, 2, "value", VIEW_FMT_EXPORT), host);
    store_reset(st);
    view_refresh(v, T0 + 2 * SEC);
    view_refresh(d, T0 + 2 * SEC);
    assert_string_equal(cellf(d, n - 1, "value", VIEW_FMT_EXPORT), "/etc/postgresql.conf");
    view_destroy(d);
    add(st, &nano, "/home/a/todo.txt", FA_BIT(FA_MODIFY), T0 + 3 * SEC);
    view_refresh(v, T0 + 3 * SEC);
    d = view_details(v, 0, NULL, 0);
    assert_non_null(d);
    view_refresh(d, T0 + 3 * SEC);
    assert_string_equal(cellf(d, view_nrows(d) - 1, "field", VIEW_FMT_EXPORT), "unit");
    view_destroy(d);
    view_destroy(v);
    store_destroy(st);
}

static void matching_sits_beside_the_totals(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, &less, "/etc/hosts", FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS), T0);
    add(st, &less, "/etc/hosts", FA_BIT(FA_CLOSE_NOWRITE), T0);
    add(st, &nano, "/home/a/notes.txt", FA_BIT(FA_MODIFY), T0);
    add(st, &nano, "/home/a/.notes.swp", FA_BIT(FA_CREATE), T0);
    uint64_t events;
    double rate;
    for (int k = 0; k < VIEW_NKINDS; k++) {
        struct view *v = view_create(st, (enum view_kind)k);
        view_refresh(v, T0);
        view_matching(v, &events, &rate);
        assert_int_equal(events, 4); /* no filter: the store's own */
        struct filter *f = compile("type:write");
        view_set_filter(v, f);
        view_refresh(v, T0);
        view_matching(v, &events, &rate);
        if (events != 2)
            fail_msg("%s view: %llu write events", view_kind_name(view_kind(v)),
                     (unsigned long long)events);
        view_set_filter(v, NULL);
        filter_free(f);
        f = compile("type:read comm:less");
        view_set_filter(v, f);
        view_refresh(v, T0);
        view_matching(v, &events, &rate);
        assert_int_equal(events, 2); /* a merged open|access counts once */
        view_set_filter(v, NULL);
        filter_free(f);
        view_destroy(v);
    }
    store_destroy(st);
}

static void per_type_counts_feed_the_other_column(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, &less, "/a", FA_BIT(FA_OPEN), T0);
    add(st, &less, "/a", FA_BIT(FA_ATTRIB), T0);
    add(st, &less, "/a", FA_BIT(FA_MOVED_TO), T0);
    add(st, &nano, "/b", FA_BIT(FA_DELETE), T0);
    struct view *v = view_create(st, VIEW_PATHS);
    view_refresh(v, T0);
    assert_int_equal(view_types_present(v),
                     FA_BIT(FA_OPEN) | FA_BIT(FA_ATTRIB) | FA_BIT(FA_MOVED_TO) | FA_BIT(FA_DELETE));
    assert_string_equal(cellf(v, 0, "path", VIEW_FMT_EXPORT), "/a");
    assert_int_equal(view_row_type_count(v, 0, FA_ALL_TYPES), 3);
    assert_int_equal(view_row_type_count(v, 0, FA_BIT(FA_ATTRIB) | FA_BIT(FA_DELETE)), 1);
    assert_int_equal(view_row_type_count(v, 1, FA_BIT(FA_DELETE)), 1);
    assert_int_equal(view_row_type_count(v, 9, FA_ALL_TYPES), 0);
    /* Each per-type column says which type it counts; the rest -1. */
    for (size_t c = 0; c < view_ncolumns(v); c++) {
        const struct view_column *col = view_column(v, c);
        int t = fa_type_by_name(col->name, strlen(col->name));
        assert_int_equal(col->type, t);
    }
    /* Under a filter, only the types it selects are present. */
    struct filter *f = compile("type:dir");
    view_set_filter(v, f);
    view_refresh(v, T0);
    assert_int_equal(view_types_present(v), FA_BIT(FA_MOVED_TO) | FA_BIT(FA_DELETE));
    view_set_kind(v, VIEW_PROCS); /* no per-type counts */
    view_refresh(v, T0);
    assert_int_equal(view_types_present(v), 0);
    assert_int_equal(view_row_type_count(v, 0, FA_ALL_TYPES), 0);
    view_destroy(v);
    filter_free(f);
    store_destroy(st);
}

/* A narrow screen keeps the event, the path and the process longest and
 * lets the per-type counts and a sparse unit column go first. */
static void columns_carry_their_priority(void **state)
{
    (void)state;
    int prio[8];
    const char *names[] = {"event", "path", "pid", "comm", "tid", "unit", "user", "time"};
    for (size_t c = 0; c < view_kind_ncolumns(VIEW_EVENTS); c++) {
        struct view_column col = view_kind_column(VIEW_EVENTS, c);
        for (size_t i = 0; i < 8; i++)
            if (strcmp(col.name, names[i]) == 0)
                prio[i] = col.prio;
        assert_int_equal(col.sparse, strcmp(col.name, "unit") == 0);
    }
    assert_true(prio[0] > prio[7] && prio[1] > prio[7] && prio[2] > prio[7] && prio[3] > prio[7]);
    assert_true(prio[4] < prio[6] && prio[5] < prio[6] && prio[6] < prio[7]);
    int type_prio = view_kind_column(VIEW_PATHS, 2).prio;
    for (size_t c = 0; c < view_kind_ncolumns(VIEW_PATHS); c++) {
        struct view_column col = view_kind_column(VIEW_PATHS, c);
        if (col.type < 0)
            assert_true(col.prio > type_prio);
    }
}

static void times_carry_the_date_once_events_span_days(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    struct store *st = store_create(NULL);
    add(st, &less, "/a", FA_BIT(FA_OPEN), T0);
    struct view *v = view_create(st, VIEW_PATHS);
    view_refresh(v, T0);
    int last = view_column_by_name(v, "last");
    assert_string_equal(cellf(v, 0, "last", VIEW_FMT_SCREEN), "10:00:00");
    int narrow = view_column(v, (size_t)last)->width;
    add(st, &less, "/b", FA_BIT(FA_OPEN), T0 + 2 * 86400 * SEC);
    view_refresh(v, T0);
    assert_string_equal(cellf(v, 0, "last", VIEW_FMT_SCREEN), "2026-11-22 10:00:00");
    assert_string_equal(cellf(v, 1, "last", VIEW_FMT_SCREEN), "2026-11-24 10:00:00");
    assert_int_equal(view_column(v, (size_t)last)->width, narrow + 11);
    assert_string_equal(cellf(v, 1, "last", VIEW_FMT_EXPORT), "2026-11-24T10:00:00.000000Z");
    view_set_kind(v, VIEW_EVENTS);
    view_refresh(v, T0);
    assert_string_equal(cellf(v, 1, "time", VIEW_FMT_SCREEN), "2026-11-24 10:00:00.000");
    store_reset(st);
    view_refresh(v, T0);
    assert_int_equal(view_column(v, 0)->width, 12); /* no events: no span */
    view_destroy(v);
    store_destroy(st);
}

static void folded_pairs_show_as_others(void **state)
{
    (void)state;
    struct store_config cfg = {.max_rows = 2, .max_pairs = 2};
    struct store *st = store_create(&cfg);
    add(st, &less, "/a", FA_BIT(FA_OPEN), T0);
    add(st, &nano, "/a", FA_BIT(FA_MODIFY), T0 + 1);
    add(st, &nano, "/b", FA_BIT(FA_MODIFY), T0 + 2);
    struct view *v = view_create(st, VIEW_PROCS);
    view_refresh(v, T0);
    long others = -1;
    for (size_t r = 0; r < view_nrows(v); r++)
        if (strcmp(cellf(v, r, "comm", VIEW_FMT_EXPORT), "(others)") == 0)
            others = (long)r;
    assert_true(others >= 0);
    assert_string_equal(cellf(v, (size_t)others, "user", VIEW_FMT_SCREEN), "");
    assert_string_equal(cellf(v, (size_t)others, "pid", VIEW_FMT_SCREEN), "0");
    view_set_kind(v, VIEW_PATHS);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 2);
    assert_string_equal(cellf(v, 0, "events", VIEW_FMT_EXPORT), "2"); /* /a whole */
    view_destroy(v);
    store_destroy(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_sort_naturally),
        cmocka_unit_test(event_details_hold_every_field),
        cmocka_unit_test(event_details_name_the_container),
        cmocka_unit_test(matching_sits_beside_the_totals),
        cmocka_unit_test(per_type_counts_feed_the_other_column),
        cmocka_unit_test(columns_carry_their_priority),
        cmocka_unit_test(times_carry_the_date_once_events_span_days),
        cmocka_unit_test(folded_pairs_show_as_others),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
