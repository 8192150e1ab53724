/* Settings file: round trip, broken lines warned with their line number and
 * ignored, missing file fine, history order. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "run/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct warnings {
    int n;
    char last[256];
};

static void on_warn(const char *msg, void *ctx)
{
    struct warnings *w = ctx;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

static char *scratch(void)
{
    char tmpl[] = "/tmp/fanotop-settings.XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static void save_then_load_round_trips(void **state)
{
    (void)state;
    char *dir = scratch();
    char path[512];
    snprintf(path, sizeof path, "%s/sub/dir/fanotoprc", dir);
    struct settings s;
    settings_init(&s);
    s.delay = 2.5;
    s.color = 0;
    s.mouse = 1;
    s.view = strdup("processes");
    s.columns[VIEW_PATHS] = strdup("path,events,last");
    s.sort[VIEW_PROCS] = strdup("exe,asc");
    settings_add_history(&s, "comm:cat");
    settings_add_history(&s, "!\\.log$");
    char err[256];
    assert_int_equal(settings_save(&s, path, err, sizeof err), 0);
    settings_free(&s);

    struct settings t;
    settings_init(&t);
    struct warnings w = {0};
    assert_int_equal(settings_load(&t, path, on_warn, &w, err, sizeof err), 0);
    assert_int_equal(w.n, 0);
    assert_true(t.delay == 2.5);
    assert_int_equal(t.color, 0);
    assert_int_equal(t.mouse, 1);
    assert_string_equal(t.view, "processes");
    assert_string_equal(t.columns[VIEW_PATHS], "path,events,last");
    assert_null(t.columns[VIEW_TREE]);
    assert_string_equal(t.sort[VIEW_PROCS], "exe,asc");
    assert_null(t.sort[VIEW_PATHS]);
    assert_int_equal(t.nhistory, 2);
    assert_string_equal(t.history[0], "comm:cat");
    assert_string_equal(t.history[1], "!\\.log$");
    settings_free(&t);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

/* sort.VIEW names a column of that view, and a direction if any. */
static void sort_values_name_a_column_and_a_direction(void **state)
{
    (void)state;
    size_t col = 99;
    int dir = 9;
    assert_true(settings_sort_parse(VIEW_PROCS, "exe,asc", &col, &dir));
    assert_int_equal(col, 4);
    assert_int_equal(dir, 0);
    assert_true(settings_sort_parse(VIEW_PATHS, "moved_to,desc", &col, &dir));
    assert_string_equal(view_kind_column(VIEW_PATHS, col).name, "moved_to");
    assert_int_equal(dir, 1);
    assert_true(settings_sort_parse(VIEW_PATHS, "last", &col, &dir));
    assert_int_equal(dir, -1);
    assert_false(settings_sort_parse(VIEW_PATHS, "exe,asc", &col, &dir)); /* not a paths column */
    assert_false(settings_sort_parse(VIEW_PATHS, "last,up", &col, &dir));
    assert_false(settings_sort_parse(VIEW_PATHS, "", &col, &dir));
}

static void broken_lines_warn_and_are_ignored(void **state)
{
    (void)state;
    char *dir = scratch();
    char path[512];
    snprintf(path, sizeof path, "%s/fanotoprc", dir);
    FILE *f = fopen(path, "w");
    fputs("# comment\n\ndelay=0.5\ncolour=no\nno equals sign\nmouse=maybe\ncolor = no\n"
          "sort.paths=bogus\nsort.units=files,desc\n",
          f);
    fclose(f);
    struct settings s;
    settings_init(&s);
    struct warnings w = {0};
    char err[256];
    assert_int_equal(settings_load(&s, path, on_warn, &w, err, sizeof err), 0);
    assert_int_equal(w.n, 4);
    assert_string_equal(w.last,
                        "fanotoprc:8: unknown sort column or direction 'sort.paths', line ignored");
    assert_string_equal(s.sort[VIEW_UNITS], "files,desc");
    assert_true(s.delay == 0.5);
    assert_int_equal(s.color, 0);
    assert_int_equal(s.mouse, -1);
    settings_free(&s);
    unlink(path);
    rmdir(dir);
    free(dir);
}

static void missing_file_is_not_an_error(void **state)
{
    (void)state;
    struct settings s;
    settings_init(&s);
    char err[256];
    assert_int_equal(settings_load(&s, "/nonexistent/fanotoprc", NULL, NULL, err, sizeof err), 0);
    assert_int_equal(s.color, -1);
    settings_free(&s);
}

static void history_moves_repeats_to_newest_and_is_bounded(void **state)
{
    (void)state;
    struct settings s;
    settings_init(&s);
    settings_add_history(&s, "a");
    settings_add_history(&s, "b");
    settings_add_history(&s, "a");
    assert_int_equal(s.nhistory, 2);
    assert_string_equal(s.history[1], "a");
    char buf[16];
    for (int i = 0; i < SETTINGS_MAX_HISTORY + 10; i++) {
        snprintf(buf, sizeof buf, "f%d", i);
        settings_add_history(&s, buf);
    }
    assert_int_equal(s.nhistory, SETTINGS_MAX_HISTORY);
    snprintf(buf, sizeof buf, "f%d", SETTINGS_MAX_HISTORY + 9);
    assert_string_equal(s.history[SETTINGS_MAX_HISTORY - 1], buf);
    settings_free(&s);
}

static void path_follows_xdg_then_home(void **state)
{
    (void)state;
    char buf[512];
    setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
    assert_true(settings_path(buf, sizeof buf));
    assert_string_equal(buf, "/x/cfg/fanotop/fanotoprc");
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", "/home/u", 1);
    assert_true(settings_path(buf, sizeof buf));
    assert_string_equal(buf, "/home/u/.config/fanotop/fanotoprc");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(save_then_load_round_trips),
        cmocka_unit_test(broken_lines_warn_and_are_ignored),
        cmocka_unit_test(sort_values_name_a_column_and_a_direction),
        cmocka_unit_test(missing_file_is_not_an_error),
        cmocka_unit_test(history_moves_repeats_to_newest_and_is_bounded),
        cmocka_unit_test(path_follows_xdg_then_home),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
