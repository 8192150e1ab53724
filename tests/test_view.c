/* Views: rows, columns, sorting both ways, filtering through the real filter
 * API, the tree's roll-up and expand state, details, row keys, and that a
 * view is a snapshot until its next refresh. */
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
/* 2026-11-22T10:00:00Z */
#define T0 (INT64_C(1795341600) * SEC)

static const struct fa_proc sh = {.id = 1,
                                  .pid = 100,
                                  .ppid = 1,
                                  .uid = 0,
                                  .user = "root",
                                  .comm = "sh",
                                  .exe = "/bin/sh",
                                  .cmdline = "sh -c cat",
                                  .unit = "ssh.service"};
/* pid 100 again after exec: another identity, another row. */
static const struct fa_proc cat = {.id = 2,
                                   .pid = 100,
                                   .ppid = 1,
                                   .uid = 0,
                                   .user = "root",
                                   .comm = "cat",
                                   .exe = "/usr/bin/cat",
                                   .cmdline = "cat /etc/hosts",
                                   .unit = "ssh.service"};
static const struct fa_proc vim = {.id = 3,
                                   .pid = 200,
                                   .ppid = 1,
                                   .uid = 1000,
                                   .user = "",
                                   .comm = "vim",
                                   .exe = "/usr/bin/vim",
                                   .cmdline = "",
                                   .unit = ""};
/* A container's process, named by its runtime. */
static const struct fa_proc web = {.id = 4,
                                   .pid = 300,
                                   .ppid = 299,
                                   .uid = 33,
                                   .user = "www-data",
                                   .comm = "nginx",
                                   .exe = "/usr/sbin/nginx",
                                   .cmdline = "nginx",
                                   .unit = "docker:4f3c2a9e81b7",
                                   .container = "docker:web-1"};

static const char *cell(const struct view *v, size_t row, const char *col)
{
    return cellf(v, row, col, VIEW_FMT_EXPORT);
}

/* Row whose column COL reads VAL, or -1. */
static long row_of(const struct view *v, const char *col, const char *val)
{
    for (size_t r = 0; r < view_nrows(v); r++)
        if (strcmp(cell(v, r, col), val) == 0)
            return (long)r;
    return -1;
}

/* A small store every test starts from. */
static struct store *sample(void)
{
    struct store *st = store_create(NULL);
    add(st, &sh, "/etc/hosts", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/etc/hosts", FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS), T0 + 1000);
    add(st, &cat, "/etc/hosts", FA_BIT(FA_CLOSE_NOWRITE), T0 + 2000);
    add(st, &vim, "/home/a/notes.txt", FA_BIT(FA_MODIFY), T0 + SEC);
    add(st, &vim, "/home/a/notes.txt", FA_BIT(FA_MODIFY), T0 + 2 * SEC);
    add(st, &vim, "/tmp/x", FA_BIT(FA_CREATE), T0 + 3 * SEC);
    return st;
}

static void paths_view_rolls_up_pairs_and_types(void **state)
{
    (void)state;
    struct store *st = sample();
    struct view *v = view_create(st, VIEW_PATHS);
    view_refresh(v, T0 + 4 * SEC);
    static const char *const names[] = {
        "path",          "events",      "open",      "access", "modify", "close_write",
        "close_nowrite", "open_exec",   "attrib",    "create", "delete", "moved_from",
        "moved_to",      "delete_self", "move_self", "procs",  "last",   "rate"};
    assert_int_equal(view_ncolumns(v), sizeof names / sizeof names[0]);
    for (size_t c = 0; c < view_ncolumns(v); c++) {
        assert_string_equal(view_column(v, c)->name, names[c]);
        assert_int_equal(view_column(v, c)->numeric, c != 0);
        assert_int_equal(view_column(v, c)->align, c ? VIEW_RIGHT : VIEW_LEFT);
    }
    assert_int_equal(view_nrows(v), 3);
    assert_int_equal(view_total_rows(v), 3);
    /* Default sort: events descending. */
    assert_string_equal(view_column(v, view_sort_column(v))->name, "events");
    assert_true(view_sort_descending(v));
    assert_string_equal(cell(v, 0, "path"), "/etc/hosts");
    assert_string_equal(cell(v, 0, "events"), "3");
    assert_string_equal(cell(v, 0, "open"), "2");
    assert_string_equal(cell(v, 0, "access"), "1");
    assert_string_equal(cell(v, 0, "close_nowrite"), "1");
    assert_string_equal(cell(v, 0, "modify"), "0");
    assert_string_equal(cell(v, 0, "procs"), "2");
    assert_string_equal(cell(v, 0, "last"), "2026-11-22T10:00:00.000002Z");
    assert_string_equal(cell(v, 1, "path"), "/home/a/notes.txt");
    assert_string_equal(cell(v, 1, "modify"), "2");
    assert_string_equal(cell(v, 2, "path"), "/tmp/x");
    assert_string_equal(cell(v, 2, "create"), "1");
    assert_string_equal(cell(v, 2, "rate"), "0.000");
    /* Screen format: compact local time, one decimal. */
    assert_int_equal(strlen(cellf(v, 0, "last", VIEW_FMT_SCREEN)), 8);
    assert_string_equal(cellf(v, 0, "rate", VIEW_FMT_SCREEN), "0.0");
    view_destroy(v);
    store_destroy(st);
}

static void sorting_works_both_ways_with_stable_ties(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, &cat, "/b", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0 + 1);
    add(st, &cat, "/c", FA_BIT(FA_OPEN), T0 + 2);
    add(st, &cat, "/c", FA_BIT(FA_OPEN), T0 + 3);
    struct view *v = view_create(st, VIEW_PATHS);
    view_refresh(v, T0);
    /* Ties keep the order paths were first seen, whatever the direction. */
    assert_string_equal(cell(v, 0, "path"), "/c");
    assert_string_equal(cell(v, 1, "path"), "/b");
    assert_string_equal(cell(v, 2, "path"), "/a");
    int ev = view_column_by_name(v, "EVENTS"); /* case-insensitive */
    view_set_sort(v, (size_t)ev, false);
    assert_string_equal(cell(v, 0, "path"), "/b");
    assert_string_equal(cell(v, 1, "path"), "/a");
    assert_string_equal(cell(v, 2, "path"), "/c");
    view_set_sort(v, (size_t)view_column_by_name(v, "path"), false);
    assert_string_equal(cell(v, 0, "path"), "/a");
    assert_string_equal(cell(v, 2, "path"), "/c");
    view_set_sort(v, (size_t)view_column_by_name(v, "path"), true);
    assert_string_equal(cell(v, 0, "path"), "/c");
    assert_string_equal(cell(v, 2, "path"), "/a");
    view_set_sort(v, (size_t)view_column_by_name(v, "last"), true);
    assert_string_equal(cell(v, 0, "path"), "/c");
    assert_string_equal(cell(v, 1, "path"), "/a");
    /* The sort survives a refresh. */
    view_refresh(v, T0);
    assert_string_equal(view_column(v, view_sort_column(v))->name, "last");
    assert_string_equal(cell(v, 1, "path"), "/a");
    /* Out of range: ignored. */
    view_set_sort(v, 99, false);
    assert_string_equal(view_column(v, view_sort_column(v))->name, "last");
    view_destroy(v);
    store_destroy(st);
}

static void processes_view_has_a_row_per_identity(void **state)
{
    (void)state;
    struct store *st = sample();
    struct view *v = view_create(st, VIEW_PROCS);
    view_refresh(v, T0);
    static const char *const names[] = {"pid",    "comm",  "user", "unit", "exe",
                                        "events", "files", "last", "rate"};
    assert_int_equal(view_ncolumns(v), 9);
    for (size_t c = 0; c < 9; c++)
        assert_string_equal(view_column(v, c)->name, names[c]);
    assert_int_equal(view_nrows(v), 3);
    assert_int_equal(view_total_rows(v), 3);
    long r = row_of(v, "comm", "cat");
    assert_true(r >= 0);
    assert_string_equal(cell(v, (size_t)r, "pid"), "100");
    assert_string_equal(cell(v, (size_t)r, "events"), "2");
    assert_string_equal(cell(v, (size_t)r, "files"), "1");
    assert_string_equal(cell(v, (size_t)r, "exe"), "/usr/bin/cat");
    assert_string_equal(cell(v, (size_t)r, "unit"), "ssh.service");
    r = row_of(v, "comm", "sh");
    assert_true(r >= 0);
    assert_string_equal(cell(v, (size_t)r, "pid"), "100"); /* same pid, other identity */
    r = row_of(v, "comm", "vim");
    assert_string_equal(cell(v, (size_t)r, "events"), "3");
    assert_string_equal(cell(v, (size_t)r, "files"), "2");
    assert_string_equal(cell(v, (size_t)r, "user"), "1000"); /* no name: the uid */
    assert_string_equal(cellf(v, (size_t)r, "unit", VIEW_FMT_SCREEN), "-");
    assert_string_equal(cell(v, 0, "comm"), "vim"); /* most events first */
    view_set_sort(v, (size_t)view_column_by_name(v, "comm"), false);
    assert_string_equal(cell(v, 0, "comm"), "cat");
    assert_string_equal(cell(v, 2, "comm"), "vim");
    view_destroy(v);
    store_destroy(st);
}

static void types_view_shares_add_up(void **state)
{
    (void)state;
    struct store *st = sample();
    struct view *v = view_create(st, VIEW_TYPES);
    view_refresh(v, T0);
    assert_string_equal(view_column(v, 0)->name, "type");
    assert_string_equal(view_column(v, 2)->name, "share");
    assert_int_equal(view_nrows(v), 5); /* open access close_nowrite modify create */
    assert_int_equal(view_total_rows(v), 5);
    assert_string_equal(cell(v, 0, "type"), "open");
    assert_string_equal(cell(v, 0, "events"), "2");
    double sum = 0;
    for (size_t r = 0; r < view_nrows(v); r++)
        sum += atof(cell(v, r, "share"));
    assert_true(sum > 99.9 && sum < 100.1);
    long m = row_of(v, "type", "modify");
    assert_string_equal(cell(v, (size_t)m, "share"), "28.571");
    assert_int_equal(view_find_key(v, view_row_key(v, (size_t)m)), m);
    char title[64];
    assert_null(view_details(v, 0, title, sizeof title));
    view_destroy(v);
    store_destroy(st);
}

static void units_view_counts_distinct_processes_and_files(void **state)
{
    (void)state;
    struct store *st = sample();
    struct view *v = view_create(st, VIEW_UNITS);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 2);
    long r = row_of(v, "unit", "ssh.service");
    assert_true(r >= 0);
    assert_string_equal(cell(v, (size_t)r, "events"), "3");
    assert_string_equal(cell(v, (size_t)r, "procs"), "2");
    assert_string_equal(cell(v, (size_t)r, "files"), "1"); /* both touched one path */
    r = row_of(v, "unit", "");
    assert_true(r >= 0);
    assert_string_equal(cellf(v, (size_t)r, "unit", VIEW_FMT_SCREEN), "-");
    assert_string_equal(cell(v, (size_t)r, "files"), "2");
    /* Details of a unit: its processes. */
    char title[64];
    struct view *d = view_details(v, (size_t)row_of(v, "unit", "ssh.service"), title, sizeof title);
    assert_non_null(d);
    assert_string_equal(title, "ssh.service");
    assert_int_equal(view_kind(d), VIEW_PROCS);
    assert_int_equal(view_nrows(d), 2);
    assert_true(row_of(d, "comm", "sh") >= 0 && row_of(d, "comm", "cat") >= 0);
    view_destroy(d);
    view_destroy(v);
    store_destroy(st);
}

static void containers_view_names_each_container_with_its_totals(void **state)
{
    (void)state;
    struct store *st = sample();
    /* Two processes of web-1; one of a container known by its id alone, as
     * recordings from before names have it. */
    struct fa_proc web2 = web, old = vim;
    web2.id = 5, web2.pid = 301;
    old.id = 6, old.pid = 400, old.unit = "k8s:2a70daa18d02";
    add(st, &web, "/srv/www/index.html", FA_BIT(FA_OPEN), T0 + 3 * SEC);
    add(st, &web2, "/srv/www/index.html", FA_BIT(FA_OPEN), T0 + 3 * SEC);
    add(st, &web2, "/var/log/nginx/access.log", FA_BIT(FA_MODIFY), T0 + 3 * SEC);
    add(st, &old, "/data/x", FA_BIT(FA_MODIFY), T0 + 3 * SEC);
    struct view *v = view_create(st, VIEW_CONTAINERS);
    view_refresh(v, T0 + 4 * SEC);
    static const char *const names[] = {"container", "unit", "events", "procs",
                                        "files",     "last", "rate"};
    assert_int_equal(view_ncolumns(v), 7);
    for (size_t c = 0; c < 7; c++)
        assert_string_equal(view_column(v, c)->name, names[c]);
    /* Processes outside containers (ssh.service, none) have no row. */
    assert_int_equal(view_nrows(v), 2);
    assert_int_equal(view_total_rows(v), 2);
    assert_string_equal(cell(v, 0, "container"), "docker:web-1"); /* most events first */
    assert_string_equal(cell(v, 0, "unit"), "docker:4f3c2a9e81b7");
    assert_string_equal(cell(v, 0, "events"), "3");
    assert_string_equal(cell(v, 0, "procs"), "2");
    assert_string_equal(cell(v, 0, "files"), "2");
    assert_string_equal(cell(v, 1, "container"), "k8s:2a70daa18d02");
    /* Details: the container's processes, titled with its id and name. */
    char title[64];
    struct view *d = view_details(v, 0, title, sizeof title);
    assert_non_null(d);
    assert_string_equal(title, "docker:4f3c2a9e81b7 (docker:web-1)");
    assert_int_equal(view_kind(d), VIEW_PROCS);
    assert_int_equal(view_nrows(d), 2);
    view_destroy(d);
    /* A type filter counts only those events; a container: term takes the
     * name or the id. */
    struct filter *f = compile("type:modify");
    view_set_filter(v, f);
    view_refresh(v, T0 + 4 * SEC);
    assert_int_equal(view_nrows(v), 2);
    assert_string_equal(cell(v, (size_t)row_of(v, "container", "docker:web-1"), "events"), "1");
    filter_free(f);
    f = compile("container:^docker:web");
    view_set_filter(v, f);
    view_refresh(v, T0 + 4 * SEC);
    assert_int_equal(view_nrows(v), 1);
    filter_free(f);
    f = compile("container:4f3c2a");
    view_set_filter(v, f);
    view_refresh(v, T0 + 4 * SEC);
    assert_int_equal(view_nrows(v), 1);
    assert_string_equal(cell(v, 0, "container"), "docker:web-1");
    view_set_filter(v, NULL);
    filter_free(f);
    assert_int_equal(view_kind_by_name("containers"), VIEW_CONTAINERS);
    assert_int_equal(view_kind_by_name("container"), VIEW_CONTAINERS);
    assert_int_equal(view_kind_by_name("units"), VIEW_UNITS);
    view_destroy(v);
    store_destroy(st);
}

static void events_view_shows_the_path_the_process_saw(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    struct fa_event ev = {.time_ns = T0,
                          .tid = 300,
                          .types = FA_BIT(FA_CLOSE_WRITE),
                          .proc = &web,
                          .path = "/var/lib/docker/overlay2/abc/diff/etc/nginx.conf",
                          .path_len = strlen("/var/lib/docker/overlay2/abc/diff/etc/nginx.conf"),
                          .cpath = "/etc/nginx.conf",
                          .cpath_len = strlen("/etc/nginx.conf")};
    store_add(st, &ev);
    add(st, &vim, "/tmp/x", FA_BIT(FA_CREATE), T0 + SEC);
    struct view *v = view_create(st, VIEW_EVENTS);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 2);
    assert_string_equal(cell(v, 0, "path"), ev.path);
    assert_string_equal(cell(v, 0, "cpath"), "/etc/nginx.conf");
    assert_string_equal(cell(v, 1, "cpath"), "");
    /* The log keeps both paths of the event. */
    struct fa_event got;
    store_log_get(st, 0, &got);
    assert_int_equal(got.cpath_len, 15);
    assert_memory_equal(got.cpath, "/etc/nginx.conf", 16);
    store_log_get(st, 1, &got);
    assert_int_equal(got.cpath_len, 0);
    view_destroy(v);
    store_destroy(st);
}

static void events_view_is_the_log_oldest_first(void **state)
{
    (void)state;
    struct store *st = sample();
    add(st, NULL, "", FA_BIT(FA_OVERFLOW), T0 + 4 * SEC);
    struct view *v = view_create(st, VIEW_EVENTS);
    view_refresh(v, T0);
    static const char *const names[] = {"time", "pid",   "tid",   "comm", "user",
                                        "unit", "event", "cpath", "path"};
    assert_int_equal(view_ncolumns(v), 9);
    for (size_t c = 0; c < 9; c++)
        assert_string_equal(view_column(v, c)->name, names[c]);
    assert_string_equal(view_column(v, view_sort_column(v))->name, "time");
    assert_false(view_sort_descending(v));
    assert_int_equal(view_nrows(v), 7);
    assert_string_equal(cell(v, 0, "time"), "2026-11-22T10:00:00.000000Z");
    assert_string_equal(cell(v, 0, "comm"), "sh");
    assert_string_equal(cell(v, 1, "event"), "open|access");
    assert_string_equal(cell(v, 1, "tid"), "101");
    assert_string_equal(cell(v, 5, "path"), "/tmp/x");
    assert_string_equal(cell(v, 6, "event"), "overflow");
    assert_int_equal(strlen(cellf(v, 0, "time", VIEW_FMT_SCREEN)), 12); /* HH:MM:SS.mmm */
    /* Sortable by other columns too. */
    view_set_sort(v, (size_t)view_column_by_name(v, "path"), true);
    assert_string_equal(cell(v, 0, "path"), "/tmp/x");
    /* A filter selects events; the overflow marker always shows. */
    struct filter *f = compile("comm:vim");
    view_set_filter(v, f);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 4);
    assert_int_equal(view_total_rows(v), 7);
    assert_true(row_of(v, "event", "overflow") >= 0);
    view_destroy(v);
    filter_free(f);
    store_destroy(st);
}

static void empty_filter_matches_like_no_filter(void **state)
{
    (void)state;
    struct store *st = sample();
    add(st, &web, "/srv/www/index.html", FA_BIT(FA_OPEN), T0 + 3 * SEC); /* a containers row */
    struct filter *f = compile("");
    for (int k = 0; k < VIEW_NKINDS; k++) {
        struct view *a = view_create(st, (enum view_kind)k);
        struct view *b = view_create(st, (enum view_kind)k);
        view_set_filter(b, f);
        view_refresh(a, T0);
        view_refresh(b, T0);
        assert_int_equal(view_nrows(a), view_nrows(b));
        assert_true(view_nrows(a) > 0);
        for (size_t r = 0; r < view_nrows(a); r++)
            for (size_t c = 0; c < view_ncolumns(a); c++) {
                char x[256], y[256];
                view_cell(a, r, c, VIEW_FMT_EXPORT, x, sizeof x);
                view_cell(b, r, c, VIEW_FMT_EXPORT, y, sizeof y);
                assert_string_equal(x, y);
            }
        view_destroy(a);
        view_destroy(b);
    }
    filter_free(f);
    store_destroy(st);
}

static void path_filter_selects_rows(void **state)
{
    (void)state;
    struct store *st = sample();
    struct view *v = view_create(st, VIEW_PATHS);
    struct filter *f = compile("etc|home");
    view_set_filter(v, f);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 2);
    assert_int_equal(view_total_rows(v), 3);
    assert_true(row_of(v, "path", "/tmp/x") < 0);
    /* A new filter object (possibly at the same address) is a new filter. */
    filter_free(f);
    f = compile("!etc");
    view_set_filter(v, f);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 2);
    assert_true(row_of(v, "path", "/etc/hosts") < 0);
    /* Clearing the filter brings every row back. */
    view_set_filter(v, NULL);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 3);
    filter_free(f);
    view_destroy(v);
    store_destroy(st);
}

static void process_filter_counts_only_matching_pairs(void **state)
{
    (void)state;
    struct store *st = sample();
    struct view *v = view_create(st, VIEW_PATHS);
    struct filter *f = compile("comm:^cat$");
    view_set_filter(v, f);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 1);
    assert_string_equal(cell(v, 0, "path"), "/etc/hosts");
    assert_string_equal(cell(v, 0, "events"), "2"); /* sh's open is not counted */
    assert_string_equal(cell(v, 0, "procs"), "1");
    /* The processes view shows every identity in total, the matching ones as rows. */
    view_set_kind(v, VIEW_PROCS);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 1);
    assert_int_equal(view_total_rows(v), 3);
    assert_string_equal(cell(v, 0, "comm"), "cat");
    filter_free(f);
    view_destroy(v);
    store_destroy(st);
}

static void type_filter_counts_only_those_types(void **state)
{
    (void)state;
    struct store *st = sample();
    struct view *v = view_create(st, VIEW_PATHS);
    struct filter *f = compile("type:open");
    view_set_filter(v, f);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 1);
    assert_string_equal(cell(v, 0, "path"), "/etc/hosts");
    assert_string_equal(cell(v, 0, "events"), "2");
    assert_string_equal(cell(v, 0, "open"), "2");
    assert_string_equal(cell(v, 0, "access"), "0"); /* not selected: not counted */
    view_set_kind(v, VIEW_TYPES);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 1);
    assert_string_equal(cell(v, 0, "type"), "open");
    assert_string_equal(cell(v, 0, "share"), "100.000");
    filter_free(f);
    view_destroy(v);
    store_destroy(st);
}

/* The per-path cache must not carry a verdict over to the path that reuses
 * an evicted path's slot. */
static void cached_verdicts_follow_slot_reuse(void **state)
{
    (void)state;
    struct store_config cfg = {.max_rows = 2};
    struct store *st = store_create(&cfg);
    struct view *v = view_create(st, VIEW_PATHS);
    struct filter *f = compile("keep");
    view_set_filter(v, f);
    add(st, &cat, "/keep/1", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/drop/1", FA_BIT(FA_OPEN), T0);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 1);
    add(st, &cat, "/keep/2", FA_BIT(FA_OPEN), T0); /* evicts /keep/1, reuses its slot */
    add(st, &cat, "/drop/2", FA_BIT(FA_OPEN), T0); /* evicts /drop/1 */
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 1);
    assert_string_equal(cell(v, 0, "path"), "/keep/2");
    filter_free(f);
    view_destroy(v);
    store_destroy(st);
}

static void view_is_a_snapshot_until_refresh(void **state)
{
    (void)state;
    struct store_config cfg = {.max_rows = 3};
    struct store *st = store_create(&cfg);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/b", FA_BIT(FA_OPEN), T0);
    struct view *v = view_create(st, VIEW_PATHS);
    struct view *t = view_create(st, VIEW_TREE);
    view_refresh(v, T0);
    view_refresh(t, T0);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0);
    /* Evict both rows' paths: the view still shows their names. */
    for (int i = 0; i < 5; i++) {
        char p[16];
        snprintf(p, sizeof p, "/new%d", i);
        add(st, &cat, p, FA_BIT(FA_OPEN), T0);
    }
    assert_int_equal(view_nrows(v), 2);
    assert_string_equal(cell(v, 0, "path"), "/a");
    assert_string_equal(cell(v, 0, "events"), "1");
    assert_string_equal(cell(v, 1, "path"), "/b");
    assert_int_equal(view_nrows(t), 3); /* "/", "a", "b" */
    assert_string_equal(cellf(t, 1, "path", VIEW_FMT_SCREEN), "a");
    assert_string_equal(cell(t, 1, "path"), "/a");
    assert_string_equal(cell(t, 0, "path"), "/");
    store_reset(st); /* also frees every name */
    assert_string_equal(cell(v, 1, "path"), "/b");
    assert_string_equal(cell(t, 2, "path"), "/b");
    assert_string_equal(cell(t, 0, "path"), "/");
    assert_string_equal(cellf(t, 0, "path", VIEW_FMT_SCREEN), "/");
    view_destroy(t);
    /* A freed directory keeps its full path and its name. */
    add(st, &cat, "/x/y/z", FA_BIT(FA_OPEN), T0);
    t = view_create(st, VIEW_TREE);
    view_refresh(t, T0);
    assert_int_equal(view_nrows(t), 4);
    store_reset(st);
    assert_string_equal(cell(t, 2, "path"), "/x/y");
    assert_string_equal(cellf(t, 2, "path", VIEW_FMT_SCREEN), "y");
    assert_string_equal(cell(t, 3, "path"), "/x/y/z");
    assert_string_equal(cellf(t, 3, "path", VIEW_FMT_SCREEN), "z");
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 0);
    view_destroy(t);
    view_destroy(v);
    store_destroy(st);
}

static void row_keys_survive_refresh(void **state)
{
    (void)state;
    struct store *st = sample();
    add(st, &web, "/srv/www/index.html", FA_BIT(FA_OPEN), T0 + 3 * SEC); /* a containers row */
    for (int k = 0; k < VIEW_NKINDS; k++) {
        struct view *v = view_create(st, (enum view_kind)k);
        view_refresh(v, T0);
        size_t n = view_nrows(v);
        assert_true(n > 0);
        uint64_t *keys = calloc(n, sizeof *keys);
        for (size_t r = 0; r < n; r++) {
            keys[r] = view_row_key(v, r);
            assert_true(keys[r] != 0);
            for (size_t q = 0; q < r; q++)
                assert_true(keys[q] != keys[r]);
        }
        char before[256], after[256];
        view_cell(v, n - 1, 0, VIEW_FMT_EXPORT, before, sizeof before);
        add(st, &vim, "/zzz/new", FA_BIT(FA_OPEN) | FA_BIT(FA_ATTRIB), T0 + 9 * SEC);
        for (int i = 0; i < 5; i++)
            add(st, &vim, "/zzz/new", FA_BIT(FA_OPEN) | FA_BIT(FA_ATTRIB), T0 + 9 * SEC);
        view_refresh(v, T0);
        long r = view_find_key(v, keys[n - 1]);
        assert_true(r >= 0);
        view_cell(v, (size_t)r, 0, VIEW_FMT_EXPORT, after, sizeof after);
        assert_string_equal(before, after);
        assert_int_equal(view_find_key(v, 0), -1);
        free(keys);
        view_destroy(v);
    }
    store_destroy(st);
}

static void tree_rolls_counts_up_to_directories(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, &cat, "/etc/hosts", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/etc/ssl/certs/a.pem", FA_BIT(FA_OPEN), T0 + 1);
    add(st, &cat, "/etc/ssl/certs/b.pem", FA_BIT(FA_OPEN), T0 + 2);
    add(st, &cat, "/etc/ssl/certs/b.pem", FA_BIT(FA_ACCESS), T0 + 3);
    add(st, &vim, "/etc/ssl", FA_BIT(FA_ATTRIB), T0 + 4); /* the directory itself */
    add(st, &vim, "/var/log/syslog", FA_BIT(FA_MODIFY), T0 + 5);
    struct view *v = view_create(st, VIEW_TREE);
    view_refresh(v, T0);
    static const char *const names[] = {"path", "events", "files", "last"};
    for (size_t c = 0; c < 4; c++)
        assert_string_equal(view_column(v, c)->name, names[c]);
    /* Top level open: "/" and its children; directories below closed. */
    assert_int_equal(view_nrows(v), 3);
    assert_string_equal(cell(v, 0, "path"), "/");
    assert_string_equal(cell(v, 0, "events"), "6");
    assert_string_equal(cell(v, 0, "files"), "4");
    assert_int_equal(view_tree_depth(v, 0), 0);
    bool open;
    assert_true(view_tree_is_dir(v, 0, &open) && open);
    assert_string_equal(cellf(v, 1, "path", VIEW_FMT_SCREEN), "etc");
    assert_string_equal(cell(v, 1, "path"), "/etc");
    assert_string_equal(cell(v, 1, "events"), "5");
    assert_string_equal(cell(v, 1, "files"), "3");
    assert_int_equal(view_tree_depth(v, 1), 1);
    assert_true(view_tree_is_dir(v, 1, &open) && !open);
    assert_string_equal(cell(v, 2, "path"), "/var");
    assert_string_equal(cell(v, 2, "last"), "2026-11-22T10:00:00.000000Z");
    /* Open /etc: ssl (4 events, its own attrib included) before hosts. */
    view_tree_toggle(v, 1);
    assert_int_equal(view_nrows(v), 5);
    assert_string_equal(cell(v, 2, "path"), "/etc/ssl");
    assert_string_equal(cell(v, 2, "events"), "4");
    assert_string_equal(cell(v, 2, "files"), "2");
    assert_string_equal(cell(v, 3, "path"), "/etc/hosts");
    assert_false(view_tree_is_dir(v, 3, NULL));
    assert_int_equal(view_tree_depth(v, 3), 2);
    /* The state survives a refresh, and new events. */
    add(st, &cat, "/etc/passwd", FA_BIT(FA_OPEN), T0 + 6);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 6);
    assert_true(view_tree_is_dir(v, 1, &open) && open);
    /* Children follow the sort column, both ways. */
    view_set_sort(v, (size_t)view_column_by_name(v, "path"), false);
    assert_string_equal(cellf(v, 2, "path", VIEW_FMT_SCREEN), "hosts");
    assert_string_equal(cellf(v, 3, "path", VIEW_FMT_SCREEN), "passwd");
    assert_string_equal(cellf(v, 4, "path", VIEW_FMT_SCREEN), "ssl");
    view_set_sort(v, (size_t)view_column_by_name(v, "path"), true);
    assert_string_equal(cellf(v, 1, "path", VIEW_FMT_SCREEN), "var");
    assert_string_equal(cellf(v, 2, "path", VIEW_FMT_SCREEN), "etc");
    assert_string_equal(cellf(v, 3, "path", VIEW_FMT_SCREEN), "ssl");
    /* Expand all; collapse all. */
    view_tree_all(v, true);
    assert_int_equal(view_nrows(v), 11); /* / etc ssl certs a b hosts passwd var log syslog */
    long certs = row_of(v, "path", "/etc/ssl/certs");
    assert_true(certs >= 0);
    assert_int_equal(view_tree_depth(v, (size_t)certs), 3);
    view_tree_set(v, (size_t)certs, false);
    assert_int_equal(view_nrows(v), 9);
    view_tree_all(v, false);
    assert_int_equal(view_nrows(v), 1);
    assert_true(view_tree_is_dir(v, 0, &open) && !open);
    view_tree_toggle(v, 0);
    assert_int_equal(view_nrows(v), 3);
    /* Files have path details; directories none. */
    view_tree_all(v, true);
    char title[256];
    long hosts = row_of(v, "path", "/etc/hosts");
    struct view *d = view_details(v, (size_t)hosts, title, sizeof title);
    assert_non_null(d);
    assert_string_equal(title, "/etc/hosts");
    view_destroy(d);
    assert_null(view_details(v, 0, title, sizeof title));
    view_destroy(v);
    store_destroy(st);
}

static void tree_opens_a_chain_of_only_children(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, &cat, "/srv/app/a", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/srv/app/b", FA_BIT(FA_OPEN), T0);
    struct view *v = view_create(st, VIEW_TREE);
    view_refresh(v, T0);
    /* "/" -> srv -> app are single children: open down to the files. */
    assert_int_equal(view_nrows(v), 5);
    assert_string_equal(cell(v, 2, "path"), "/srv/app");
    assert_string_equal(cell(v, 3, "path"), "/srv/app/a");
    /* Other kinds ignore tree calls. */
    struct view *p = view_create(st, VIEW_PATHS);
    view_refresh(p, T0);
    view_tree_all(p, true);
    view_tree_toggle(p, 0);
    assert_int_equal(view_nrows(p), 2);
    assert_int_equal(view_tree_depth(p, 0), 0);
    assert_false(view_tree_is_dir(p, 0, NULL));
    view_destroy(p);
    view_destroy(v);
    store_destroy(st);
}

static void details_show_the_breakdown_behind_a_row(void **state)
{
    (void)state;
    struct store *st = sample();
    struct view *v = view_create(st, VIEW_PATHS);
    view_refresh(v, T0);
    char title[256];
    struct view *d = view_details(v, 0, title, sizeof title);
    assert_non_null(d);
    assert_string_equal(title, "/etc/hosts");
    assert_int_equal(view_kind(d), VIEW_DETAIL_PATH);
    static const char *const pn[] = {"pid", "comm", "user", "events", "types", "first", "last"};
    assert_int_equal(view_ncolumns(d), 7);
    for (size_t c = 0; c < 7; c++)
        assert_string_equal(view_column(d, c)->name, pn[c]);
    assert_int_equal(view_nrows(d), 2);
    assert_string_equal(cell(d, 0, "comm"), "cat");
    assert_string_equal(cell(d, 0, "events"), "2");
    assert_string_equal(cell(d, 0, "types"), "open|access|close_nowrite"); /* in full */
    assert_string_equal(cell(d, 0, "first"), "2026-11-22T10:00:00.000001Z");
    assert_string_equal(cell(d, 0, "last"), "2026-11-22T10:00:00.000002Z");
    assert_string_equal(cell(d, 1, "comm"), "sh");
    /* A process row of the details: its paths. */
    struct view *dd = view_details(d, 0, title, sizeof title);
    assert_non_null(dd);
    assert_string_equal(title, "cat /etc/hosts");
    assert_int_equal(view_kind(dd), VIEW_DETAIL_PROC);
    view_destroy(dd);
    view_destroy(d);

    view_set_kind(v, VIEW_PROCS);
    view_refresh(v, T0);
    long r = row_of(v, "comm", "vim");
    d = view_details(v, (size_t)r, title, sizeof title);
    assert_non_null(d);
    assert_string_equal(title, "/usr/bin/vim"); /* no cmdline: the exe */
    assert_int_equal(view_kind(d), VIEW_DETAIL_PROC);
    static const char *const qn[] = {"path", "events", "types", "first", "last"};
    assert_int_equal(view_ncolumns(d), 5);
    for (size_t c = 0; c < 5; c++)
        assert_string_equal(view_column(d, c)->name, qn[c]);
    assert_int_equal(view_nrows(d), 2);
    assert_string_equal(cell(d, 0, "path"), "/home/a/notes.txt");
    assert_string_equal(cell(d, 0, "events"), "2");
    assert_string_equal(cell(d, 0, "types"), "modify");
    assert_string_equal(cell(d, 1, "types"), "create");
    /* A details view is a snapshot too, refreshed by view_refresh. */
    add(st, &vim, "/tmp/y", FA_BIT(FA_DELETE), T0 + 5 * SEC);
    assert_int_equal(view_nrows(d), 2);
    view_refresh(d, T0);
    assert_int_equal(view_nrows(d), 3);
    view_destroy(d);
    assert_null(view_details(v, 99, title, sizeof title));
    view_destroy(v);
    store_destroy(st);
}

static void rates_follow_the_last_closed_interval(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    store_tick(st, T0);
    for (int i = 0; i < 4; i++)
        add(st, &cat, "/a", FA_BIT(FA_OPEN), T0);
    add(st, &vim, "/a", FA_BIT(FA_MODIFY), T0);
    add(st, &vim, "/b", FA_BIT(FA_MODIFY), T0);
    store_tick(st, T0 + 2 * SEC);
    struct view *v = view_create(st, VIEW_PATHS);
    view_refresh(v, T0 + 2 * SEC);
    assert_string_equal(cell(v, 0, "path"), "/a");
    assert_string_equal(cell(v, 0, "rate"), "2.500"); /* 5 events in 2 s */
    assert_string_equal(cell(v, 1, "rate"), "0.500");
    view_set_kind(v, VIEW_TYPES);
    view_refresh(v, T0);
    assert_string_equal(cell(v, (size_t)row_of(v, "type", "open"), "rate"), "2.000");
    assert_string_equal(cell(v, (size_t)row_of(v, "type", "modify"), "rate"), "1.000");
    view_set_kind(v, VIEW_PROCS);
    view_refresh(v, T0);
    assert_string_equal(cell(v, (size_t)row_of(v, "comm", "cat"), "rate"), "2.000");
    /* A quiet interval brings rates to zero. */
    store_tick(st, T0 + 3 * SEC);
    view_refresh(v, T0);
    assert_string_equal(cell(v, 0, "rate"), "0.000");
    view_destroy(v);
    store_destroy(st);
}

static int bytes_cmp(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

/* Sorting by a string column orders bytes as unsigned, shorter first on a
 * shared start, across long shared prefixes; both directions. */
static void string_sort_follows_byte_order(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    srand(7);
    static const char *const stems[] = {"/var/lib/app/data/", "/var/lib/app/data/x", "/v", "/",
                                        "/var/lib/app/datum/"};
    for (int i = 0; i < 600; i++) {
        char p[96];
        int n = snprintf(p, 40, "%s", stems[rand() % 5]);
        int extra = rand() % 20;
        for (int j = 0; j < extra; j++)
            p[n++] = (char)(rand() % 3 == 0 ? 0x80 + rand() % 0x7f : 'a' + rand() % 3);
        p[n] = '\0';
        add(st, &cat, p, FA_BIT(FA_OPEN), T0);
    }
    struct view *v = view_create(st, VIEW_PATHS);
    view_refresh(v, T0);
    assert_true(view_nrows(v) > 100);
    for (int desc = 0; desc < 2; desc++) {
        view_set_sort(v, 0, desc);
        char prev[128], cur[128];
        view_cell(v, 0, 0, VIEW_FMT_EXPORT, prev, sizeof prev);
        for (size_t r = 1; r < view_nrows(v); r++) {
            view_cell(v, r, 0, VIEW_FMT_EXPORT, cur, sizeof cur);
            int c = bytes_cmp(prev, cur);
            if (desc ? c <= 0 : c >= 0)
                fail_msg("row %zu out of order", r);
            memcpy(prev, cur, sizeof prev);
        }
    }
    view_destroy(v);
    store_destroy(st);
}

static void names_and_columns_are_found_loosely(void **state)
{
    (void)state;
    assert_int_equal(view_kind_by_name("paths"), VIEW_PATHS);
    assert_int_equal(view_kind_by_name("process"), VIEW_PROCS);
    assert_int_equal(view_kind_by_name("procs"), VIEW_PROCS);
    assert_int_equal(view_kind_by_name("proc"), VIEW_PROCS);
    assert_int_equal(view_kind_by_name("type"), VIEW_TYPES);
    assert_int_equal(view_kind_by_name("un"), VIEW_UNITS);
    assert_int_equal(view_kind_by_name("event"), VIEW_EVENTS);
    assert_int_equal(view_kind_by_name("tr"), VIEW_TREE);
    assert_int_equal(view_kind_by_name("p"), -1); /* paths or processes */
    assert_int_equal(view_kind_by_name("nope"), -1);
    assert_int_equal(view_kind_by_name(""), -1);
    for (int k = 0; k < VIEW_NKINDS; k++)
        assert_int_equal(view_kind_by_name(view_kind_name((enum view_kind)k)), k);
    struct store *st = store_create(NULL);
    struct view *v = view_create(st, VIEW_PATHS);
    assert_int_equal(view_column_by_name(v, "Path"), 0);
    assert_int_equal(view_column_by_name(v, "close_nowrite"), 6);
    assert_int_equal(view_column_by_name(v, "close"), -1); /* ambiguous */
    assert_int_equal(view_column_by_name(v, "pid"), -1);
    /* A kind switch keeps the filter and takes that kind's default sort. */
    view_set_sort(v, 0, false);
    view_set_kind(v, VIEW_EVENTS);
    assert_string_equal(view_column(v, view_sort_column(v))->name, "time");
    assert_false(view_sort_descending(v));
    assert_int_equal(view_nrows(v), 0);
    view_destroy(v);
    store_destroy(st);
}

/* Every column as a fresh view (or a details view) of that kind has it. */
static void assert_catalogue_matches(const struct view *v)
{
    enum view_kind k = view_kind(v);
    assert_int_equal(view_kind_ncolumns(k), view_ncolumns(v));
    for (size_t c = 0; c < view_ncolumns(v); c++) {
        struct view_column a = view_kind_column(k, c);
        const struct view_column *b = view_column(v, c);
        assert_string_equal(a.name, b->name);
        assert_int_equal(a.width, b->width);
        assert_int_equal(a.align, b->align);
        assert_int_equal(a.numeric, b->numeric);
    }
    assert_null(view_kind_column(k, view_ncolumns(v)).name);
}

static void column_catalogue_needs_no_view(void **state)
{
    (void)state;
    struct store *st = sample();
    for (int k = 0; k < VIEW_NKINDS; k++) {
        struct view *v = view_create(st, (enum view_kind)k);
        assert_catalogue_matches(v);
        view_destroy(v);
    }
    struct view *v = view_create(st, VIEW_PATHS);
    view_refresh(v, T0);
    struct view *dpath = view_details(v, 0, NULL, 0);
    struct view *dproc = view_details(dpath, 0, NULL, 0);
    assert_int_equal(view_kind(dpath), VIEW_DETAIL_PATH);
    assert_int_equal(view_kind(dproc), VIEW_DETAIL_PROC);
    assert_catalogue_matches(dpath);
    assert_catalogue_matches(dproc);
    view_destroy(dproc);
    view_destroy(dpath);
    view_destroy(v);
    /* The kind's own wide column takes the remaining width. */
    assert_string_equal(view_kind_column(VIEW_UNITS, 0).name, "unit");
    assert_int_equal(view_kind_column(VIEW_UNITS, 0).width, 0);
    assert_string_equal(view_kind_column(VIEW_DETAIL_PATH, 4).name, "types");
    assert_int_equal(view_kind_column(VIEW_DETAIL_PATH, 4).width, 0);
    assert_int_equal(view_kind_column(VIEW_PROCS, 2).width, 9);
    assert_int_equal(view_kind_ncolumns((enum view_kind)(VIEW_DETAIL_EVENT + 1)), 0);
    assert_null(view_kind_column((enum view_kind)(VIEW_DETAIL_EVENT + 1), 0).name);
    store_destroy(st);
}

static void tree_keeps_its_expand_state_across_kind_switches(void **state)
{
    (void)state;
    struct store *st = sample();
    struct view *v = view_create(st, VIEW_TREE);
    view_refresh(v, T0);
    assert_string_equal(cell(v, 0, "path"), "/");
    bool open = false;
    assert_true(view_tree_is_dir(v, 0, &open));
    assert_true(open);
    assert_true(view_nrows(v) > 1);
    view_tree_set(v, 0, false);
    assert_int_equal(view_nrows(v), 1);
    view_set_kind(v, VIEW_PATHS);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 3);
    assert_false(view_tree_is_dir(v, 0, NULL));
    view_set_kind(v, VIEW_TREE);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 1);
    assert_true(view_tree_is_dir(v, 0, &open));
    assert_false(open);
    view_destroy(v);
    store_destroy(st);
}

static void cells_are_cut_but_report_their_length(void **state)
{
    (void)state;
    struct store *st = sample();
    struct view *v = view_create(st, VIEW_PATHS);
    view_refresh(v, T0);
    char buf[5];
    assert_int_equal(view_cell(v, 1, 0, VIEW_FMT_EXPORT, buf, sizeof buf),
                     strlen("/home/a/notes.txt"));
    assert_string_equal(buf, "/hom");
    assert_int_equal(view_cell(v, 1, 0, VIEW_FMT_EXPORT, NULL, 0), 17);
    assert_int_equal(view_cell(v, 99, 0, VIEW_FMT_EXPORT, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
    view_destroy(v);
    store_destroy(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths_view_rolls_up_pairs_and_types),
        cmocka_unit_test(sorting_works_both_ways_with_stable_ties),
        cmocka_unit_test(processes_view_has_a_row_per_identity),
        cmocka_unit_test(types_view_shares_add_up),
        cmocka_unit_test(units_view_counts_distinct_processes_and_files),
        cmocka_unit_test(containers_view_names_each_container_with_its_totals),
        cmocka_unit_test(events_view_shows_the_path_the_process_saw),
        cmocka_unit_test(events_view_is_the_log_oldest_first),
        cmocka_unit_test(empty_filter_matches_like_no_filter),
        cmocka_unit_test(path_filter_selects_rows),
        cmocka_unit_test(process_filter_counts_only_matching_pairs),
        cmocka_unit_test(type_filter_counts_only_those_types),
        cmocka_unit_test(cached_verdicts_follow_slot_reuse),
        cmocka_unit_test(view_is_a_snapshot_until_refresh),
        cmocka_unit_test(row_keys_survive_refresh),
        cmocka_unit_test(tree_rolls_counts_up_to_directories),
        cmocka_unit_test(tree_opens_a_chain_of_only_children),
        cmocka_unit_test(details_show_the_breakdown_behind_a_row),
        cmocka_unit_test(rates_follow_the_last_closed_interval),
        cmocka_unit_test(string_sort_follows_byte_order),
        cmocka_unit_test(names_and_columns_are_found_loosely),
        cmocka_unit_test(cells_are_cut_but_report_their_length),
        cmocka_unit_test(column_catalogue_needs_no_view),
        cmocka_unit_test(tree_keeps_its_expand_state_across_kind_switches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
