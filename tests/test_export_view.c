/* Exports of consumer data, with a real store and real views: a view snapshot
 * holds the header and every filtered row in view order, cells as
 * VIEW_FMT_EXPORT renders them, defused and UTF-8-escaped unless raw; the
 * events export holds the log through the filter (overflow markers always)
 * as record lines; a failed export leaves nothing behind; the default file
 * name carries the view and a timestamp. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "record/csv_write.h"
#include "record/recwriter.h"
#include "run/export_view.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct fa_proc procs[2] = {
    {.id = 1, .pid = 100, .ppid = 1, .uid = 0, .user = "root", .comm = "sh", .exe = "/bin/sh",
     .cmdline = "sh -c x", .unit = "cron.service"},
    {.id = 2, .pid = 200, .ppid = 1, .uid = 1000, .user = "alice", .comm = "-bash,\"x\"",
     .exe = "/bin/bash", .cmdline = "bash", .unit = ""},
};

static const char *const paths[] = {
    "/etc/hosts", "/tmp/a,b",        "=SUM(1+1)",       "/tmp/bad\xff", "/tmp/back\\slash",
    "/tmp/line\nbreak", "/tmp/h\xc3\xa9", "/srv/secret.key", "@home", "/tmp/say \"hi\""};
#define NPATHS (sizeof paths / sizeof paths[0])

struct fixture {
    struct store *st;
    char dir[64];
    char path[128];
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    struct store_config cfg = {0};
    fx->st = store_create(&cfg);
    assert_non_null(fx->st);
    int64_t t = INT64_C(1795389288123456789);
    for (size_t i = 0; i < 3 * NPATHS; i++) {
        struct fa_event ev = {.time_ns = t + (int64_t)i * 1000000, .tid = procs[i % 2].pid,
                              .types = FA_BIT(i % 3 ? FA_OPEN : FA_MODIFY), .proc = &procs[i % 2],
                              .path = paths[i % NPATHS], .path_len = strlen(paths[i % NPATHS])};
        store_add(fx->st, &ev);
    }
    struct fa_event ovf = {.time_ns = t + 99, .types = FA_BIT(FA_OVERFLOW), .path = "",
                           .path_len = 0};
    store_add(fx->st, &ovf);
    /* A container's process, so that the containers view has a row. */
    static const struct fa_proc web = {.id = 3, .pid = 300, .ppid = 1, .uid = 33,
                                       .user = "www-data", .comm = "nginx",
                                       .exe = "/usr/sbin/nginx", .cmdline = "nginx",
                                       .unit = "docker:9fed73027329", .container = "docker:web-1"};
    struct fa_event in = {.time_ns = t + 100, .tid = 300, .types = FA_BIT(FA_OPEN), .proc = &web,
                          .path = "/var/lib/docker/overlay2/x/diff/index.html",
                          .path_len = strlen("/var/lib/docker/overlay2/x/diff/index.html"),
                          .cpath = "/index.html", .cpath_len = strlen("/index.html")};
    store_add(fx->st, &in);
    strcpy(fx->dir, "/tmp/fanotop-test-xview.XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->path, sizeof fx->path, "%s/out.csv", fx->dir);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    unlink(fx->path);
    rmdir(fx->dir);
    store_destroy(fx->st);
    free(fx);
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* The snapshot as the shared CSV field writer would write it cell by cell. */
static char *expected_snapshot(const struct view *v, unsigned flags, size_t *len)
{
    char *out = NULL;
    FILE *f = open_memstream(&out, len);
    for (size_t c = 0; c < view_ncolumns(v); c++) {
        const char *name = view_column(v, c)->name;
        if (c)
            fputc(',', f);
        csv_write_field(f, name, strlen(name), flags);
    }
    fputc('\n', f);
    char cell[4096];
    for (size_t r = 0; r < view_nrows(v); r++) {
        for (size_t c = 0; c < view_ncolumns(v); c++) {
            size_t n = view_cell(v, r, c, VIEW_FMT_EXPORT, cell, sizeof cell);
            if (c)
                fputc(',', f);
            csv_write_field(f, cell, n, flags);
        }
        fputc('\n', f);
    }
    fclose(f);
    return out;
}

static void check_snapshot(struct fixture *fx, enum view_kind kind, bool raw)
{
    struct view *v = view_create(fx->st, kind);
    assert_non_null(v);
    view_refresh(v, INT64_C(1795389289000000000));
    assert_true(view_nrows(v) > 0);
    char err[256] = "";
    size_t rows = 0;
    assert_int_equal(export_view_csv(v, fx->path, raw, &rows, err, sizeof err), 0);
    assert_int_equal(rows, view_nrows(v));
    size_t got_len, want_len;
    char *got = slurp(fx->path, &got_len);
    char *want = expected_snapshot(v, CSV_ESCAPE_UTF8 | (raw ? 0 : CSV_DEFUSE), &want_len);
    assert_int_equal(got_len, want_len);
    assert_memory_equal(got, want, want_len);
    free(got);
    free(want);
    view_destroy(v);
}

static void snapshot_has_every_row_in_view_order(void **state)
{
    struct fixture *fx = *state;
    for (enum view_kind k = 0; k < VIEW_NKINDS; k++) {
        check_snapshot(fx, k, false);
        check_snapshot(fx, k, true);
    }
}

static void snapshot_defuses_and_escapes_names(void **state)
{
    struct fixture *fx = *state;
    struct view *v = view_create(fx->st, VIEW_PATHS);
    view_refresh(v, INT64_C(1795389289000000000));
    char err[256];
    size_t rows, len;
    assert_int_equal(export_view_csv(v, fx->path, false, &rows, err, sizeof err), 0);
    char *got = slurp(fx->path, &len);
    assert_int_equal(strncmp(got, "path,", 5), 0);
    assert_non_null(strstr(got, "\n'=SUM(1+1),"));
    assert_non_null(strstr(got, "\n'@home,"));
    assert_non_null(strstr(got, "\n/tmp/bad\\xff,"));
    assert_non_null(strstr(got, "\n/tmp/back\\\\slash,"));
    assert_non_null(strstr(got, "\n\"/tmp/line\nbreak\","));
    assert_non_null(strstr(got, "\n\"/tmp/a,b\","));
    assert_non_null(strstr(got, "\n\"/tmp/say \"\"hi\"\"\","));
    assert_non_null(strstr(got, "\n/tmp/h\xc3\xa9,"));
    free(got);
    assert_int_equal(export_view_csv(v, fx->path, true, &rows, err, sizeof err), 0);
    got = slurp(fx->path, &len);
    assert_non_null(strstr(got, "\n=SUM(1+1),"));
    assert_non_null(strstr(got, "\n/tmp/bad\\xff,")); /* raw: formulas only */
    free(got);
    view_destroy(v);
}

static void snapshot_follows_the_filter(void **state)
{
    struct fixture *fx = *state;
    struct filter_error ferr;
    struct filter *f = filter_compile("secret", &ferr);
    assert_non_null(f);
    struct view *v = view_create(fx->st, VIEW_PATHS);
    view_set_filter(v, f);
    view_refresh(v, INT64_C(1795389289000000000));
    char err[256];
    size_t rows, len;
    assert_int_equal(export_view_csv(v, fx->path, false, &rows, err, sizeof err), 0);
    assert_int_equal(rows, 1);
    char *got = slurp(fx->path, &len);
    assert_non_null(strstr(got, "\n/srv/secret.key,"));
    assert_null(strstr(got, "/etc/hosts"));
    free(got);
    view_destroy(v);
    filter_free(f);
}

static void events_export_is_the_filtered_log_as_records(void **state)
{
    struct fixture *fx = *state;
    struct filter_error ferr;
    struct filter *f = filter_compile("comm:^sh$", &ferr);
    assert_non_null(f);
    for (int fmt = EXPORT_CSV; fmt <= EXPORT_JSONL; fmt++) {
        char err[256];
        size_t rows = 0;
        assert_int_equal(export_events(fx->st, f, fx->path, fmt, &rows, err, sizeof err), 0);
        char *want = NULL;
        size_t want_len, n = 0;
        FILE *m = open_memstream(&want, &want_len);
        if (fmt == EXPORT_CSV)
            fputs(EXPORT_RECORD_HEADER "\n", m);
        bool saw_overflow = false;
        for (size_t i = 0; i < store_log_count(fx->st); i++) {
            struct fa_event ev;
            store_log_get(fx->st, i, &ev);
            bool ovf = ev.types & FA_BIT(FA_OVERFLOW);
            if (!ovf && !filter_match_event(f, &ev))
                continue;
            saw_overflow |= ovf;
            size_t len;
            char *line = recwriter_line(&ev, fmt, &len);
            fwrite(line, 1, len, m);
            free(line);
            n++;
        }
        fclose(m);
        assert_true(saw_overflow);
        assert_true(n > 1 && n < store_log_count(fx->st));
        assert_int_equal(rows, n);
        size_t got_len;
        char *got = slurp(fx->path, &got_len);
        assert_int_equal(got_len, want_len);
        assert_memory_equal(got, want, want_len);
        assert_null(strstr(got, "bash")); /* alice's shell is filtered out */
        free(got);
        free(want);
    }
    filter_free(f);
}

static void failed_export_says_why_and_leaves_nothing(void **state)
{
    struct fixture *fx = *state;
    struct view *v = view_create(fx->st, VIEW_PATHS);
    view_refresh(v, INT64_C(1795389289000000000));
    char err[256], path[160];
    size_t rows = 77;
    snprintf(path, sizeof path, "%s/no-such-dir/x.csv", fx->dir);
    assert_int_equal(export_view_csv(v, path, false, &rows, err, sizeof err), -1);
    char want[300];
    snprintf(want, sizeof want, "cannot write %s: No such file or directory", path);
    assert_string_equal(err, want);
    assert_int_equal(rows, 77);
    assert_int_equal(export_events(fx->st, NULL, path, EXPORT_JSONL, &rows, err, sizeof err), -1);
    assert_string_equal(err, want);
    /* A directory in the way: the rename fails and the temp file goes. */
    snprintf(path, sizeof path, "%s/adir", fx->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(export_view_csv(v, path, false, &rows, err, sizeof err), -1);
    snprintf(want, sizeof want, "cannot write %s: Is a directory", path);
    assert_string_equal(err, want);
    DIR *d = opendir(fx->dir);
    struct dirent *e;
    int entries = 0;
    while ((e = readdir(d)))
        entries += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(entries, 1); /* only adir */
    rmdir(path);
    view_destroy(v);
}

static void default_name_has_view_and_timestamp(void **state)
{
    (void)state;
    char buf[128];
    export_default_name("paths", "csv", buf, sizeof buf);
    /* fanotop-paths-YYYYmmdd-HHMMSS.csv */
    assert_int_equal(strlen(buf), strlen("fanotop-paths-20261122-231448.csv"));
    assert_memory_equal(buf, "fanotop-paths-", 14);
    for (int i = 14; i < 29; i++)
        assert_true(i == 22 ? buf[i] == '-' : buf[i] >= '0' && buf[i] <= '9');
    assert_string_equal(buf + 29, ".csv");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(snapshot_has_every_row_in_view_order, setup, teardown),
        cmocka_unit_test_setup_teardown(snapshot_defuses_and_escapes_names, setup, teardown),
        cmocka_unit_test_setup_teardown(snapshot_follows_the_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(events_export_is_the_filtered_log_as_records, setup,
                                        teardown),
        cmocka_unit_test(default_name_has_view_and_timestamp),
        cmocka_unit_test_setup_teardown(failed_export_says_why_and_leaves_nothing, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
