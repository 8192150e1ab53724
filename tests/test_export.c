/* Writers: CSV fields (RFC 4180 quoting, formula defusing, UTF-8 escaping),
 * JSON strings, record lines, ISO times, the record writer, atomic files;
 * the field table spells the record header. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/atomic_file.h"
#include "base/iso8601.h"
#include "record/csv_write.h"
#include "record/format.h"
#include "record/recwriter.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- helpers ---- */

static char *field(const char *s, size_t len, unsigned flags)
{
    static char out[1024];
    memset(out, 0, sizeof out);
    FILE *f = fmemopen(out, sizeof out, "w");
    assert_non_null(f);
    assert_int_equal(csv_write_field(f, s, len, flags), 0);
    fclose(f);
    return out;
}

#define FIELD(lit, flags) field(lit, sizeof(lit) - 1, flags)

static const struct fa_proc cat_proc = {.id = 1,
                                        .pid = 4242,
                                        .ppid = 1,
                                        .uid = 0,
                                        .user = "root",
                                        .comm = "cat",
                                        .exe = "/usr/bin/cat",
                                        .cmdline = "cat /etc/hosts",
                                        .unit = "ssh.service"};

/* 2026-11-22T23:14:48.123456789Z */
#define T_2026 INT64_C(1795389288123456789)

static char *line_of(const struct fa_event *ev, enum export_format fmt)
{
    size_t len;
    char *s = recwriter_line(ev, fmt, &len);
    assert_non_null(s);
    assert_int_equal(strlen(s), len);
    return s;
}

static char *scratch_dir(void)
{
    char tmpl[] = "/tmp/fanotop-test-export.XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void remove_tree(char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

/* ---- CSV fields ---- */

static void csv_plain_field_is_written_as_is(void **state)
{
    (void)state;
    assert_string_equal(FIELD("/etc/hosts", 0), "/etc/hosts");
    assert_string_equal(FIELD("", 0), "");
    assert_string_equal(FIELD("with space", 0), "with space");
}

static void csv_quotes_comma_quote_cr_lf(void **state)
{
    (void)state;
    assert_string_equal(FIELD("a,b", 0), "\"a,b\"");
    assert_string_equal(FIELD("say \"hi\"", 0), "\"say \"\"hi\"\"\"");
    assert_string_equal(FIELD("\"", 0), "\"\"\"\"");
    assert_string_equal(FIELD("a\nb", 0), "\"a\nb\"");
    assert_string_equal(FIELD("a\rb", 0), "\"a\rb\"");
    assert_string_equal(FIELD("tab\there", 0), "tab\there");
}

static void csv_defuses_formula_starts_only_when_asked(void **state)
{
    (void)state;
    const char *starts[] = {"=1+2", "+1", "-1", "@SUM(A1)", "\tx"};
    const char *want[] = {"'=1+2", "'+1", "'-1", "'@SUM(A1)", "'\tx"};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(field(starts[i], strlen(starts[i]), CSV_DEFUSE), want[i]);
        assert_string_equal(field(starts[i], strlen(starts[i]), 0), starts[i]);
    }
    /* CR start: defused and quoted; the quote goes outside the apostrophe. */
    assert_string_equal(FIELD("\rx", CSV_DEFUSE), "\"'\rx\"");
    assert_string_equal(FIELD("=HYPERLINK(\"u\",\"t\")", CSV_DEFUSE),
                        "\"'=HYPERLINK(\"\"u\"\",\"\"t\"\")\"");
    assert_string_equal(FIELD("a=b", CSV_DEFUSE), "a=b");
    assert_string_equal(FIELD("", CSV_DEFUSE), "");
}

static void csv_escapes_invalid_utf8_and_backslash(void **state)
{
    (void)state;
    const unsigned flags = CSV_ESCAPE_UTF8;
    assert_string_equal(FIELD("h\xc3\xa9llo \xe6\x97\xa5 \xf0\x9f\x8e\x89", flags),
                        "h\xc3\xa9llo \xe6\x97\xa5 \xf0\x9f\x8e\x89");
    assert_string_equal(FIELD("bad\xff\xfe", flags), "bad\\xff\\xfe");
    assert_string_equal(FIELD("a\\b", flags), "a\\\\b");
    assert_string_equal(FIELD("over\xc0\xaf", flags), "over\\xc0\\xaf");        /* overlong */
    assert_string_equal(FIELD("sur\xed\xa0\x80", flags), "sur\\xed\\xa0\\x80"); /* surrogate */
    assert_string_equal(FIELD("cut\xe2\x82", flags), "cut\\xe2\\x82");          /* truncated */
    assert_string_equal(FIELD("big\xf4\x90\x80\x80", flags), "big\\xf4\\x90\\x80\\x80");
    assert_string_equal(FIELD("\xf4\x8f\xbf\xbf", flags), "\xf4\x8f\xbf\xbf"); /* U+10FFFF */
    /* Escaping, defusing and quoting together. */
    assert_string_equal(FIELD("=\xff,\\", flags | CSV_DEFUSE), "\"'=\\xff,\\\\\"");
    /* Without the flag the bytes go out raw. */
    assert_string_equal(FIELD("bad\xff\\", 0), "bad\xff\\");
}

static void csv_write_error_is_reported(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    assert_non_null(f);
    setvbuf(f, NULL, _IONBF, 0);
    assert_int_equal(csv_write_field(f, "x", 1, 0), -1);
    assert_int_equal(csv_write_field(f, "a,b", 3, 0), -1);
    fclose(f);
}

/* ---- times ---- */

static void iso_time_has_microseconds_in_utc(void **state)
{
    (void)state;
    char buf[40];
    assert_int_equal(iso8601_format(T_2026, buf, sizeof buf), 27);
    assert_string_equal(buf, "2026-11-22T23:14:48.123456Z");
    iso8601_format(0, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01T00:00:00.000000Z");
    iso8601_format(-1, buf, sizeof buf); /* rounds down, into the previous second */
    assert_string_equal(buf, "1969-12-31T23:59:59.999999Z");
    iso8601_format(INT64_C(951782400) * 1000000000, buf, sizeof buf);
    assert_string_equal(buf, "2000-02-29T00:00:00.000000Z");
    iso8601_format(INT64_MAX, buf, sizeof buf);
    assert_string_equal(buf, "2262-04-11T23:47:16.854775Z");
    iso8601_format(INT64_MIN, buf, sizeof buf);
    assert_string_equal(buf, "1677-09-21T00:12:43.145224Z");
}

/* ---- record lines ---- */

static void record_csv_line_has_every_field(void **state)
{
    (void)state;
    struct fa_event ev = {.time_ns = T_2026,
                          .tid = 4243,
                          .types = FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS),
                          .proc = &cat_proc,
                          .path = "/etc/hosts",
                          .path_len = 10};
    char *s = line_of(&ev, EXPORT_CSV);
    assert_string_equal(s, "2026-11-22T23:14:48.123456Z,4242,4243,1,0,root,cat,/usr/bin/cat,"
                           "ssh.service,open|access,/etc/hosts,,,\n");
    free(s);
}

static void record_csv_line_is_byte_exact_for_odd_names(void **state)
{
    (void)state;
    struct fa_proc p = cat_proc;
    p.comm = "a,\"b\"";
    p.user = "";
    p.unit = "";
    const char path[] = "=x,\n\xff\\";
    struct fa_event ev = {.time_ns = 0,
                          .tid = 7,
                          .types = FA_BIT(FA_CREATE),
                          .proc = &p,
                          .path = path,
                          .path_len = sizeof path - 1};
    char *s = line_of(&ev, EXPORT_CSV);
    /* No defusing, no escaping: only RFC 4180 quoting. */
    assert_string_equal(s, "1970-01-01T00:00:00.000000Z,4242,7,1,0,,\"a,\"\"b\"\"\","
                           "/usr/bin/cat,,create,\"=x,\n\xff\\\",,,\n");
    free(s);
}

static void record_jsonl_line_escapes_per_rfc8259(void **state)
{
    (void)state;
    struct fa_proc p = cat_proc;
    p.uid = 4294967294u;
    p.comm = "q\"b\\";
    const char path[] = "/t\x01\b\f\n\r\t\x7f/h\xc3\xa9";
    struct fa_event ev = {.time_ns = T_2026,
                          .tid = 1,
                          .types = FA_BIT(FA_MODIFY),
                          .proc = &p,
                          .path = path,
                          .path_len = sizeof path - 1};
    char *s = line_of(&ev, EXPORT_JSONL);
    assert_string_equal(s,
                        "{\"time\":\"2026-11-22T23:14:48.123456Z\",\"pid\":4242,\"tid\":1,"
                        "\"ppid\":1,\"uid\":4294967294,\"user\":\"root\",\"comm\":\"q\\\"b\\\\\","
                        "\"exe\":\"/usr/bin/cat\",\"unit\":\"ssh.service\",\"event\":\"modify\","
                        "\"path\":\"/t\\u0001\\b\\f\\n\\r\\t\x7f/h\xc3\xa9\",\"start\":\"\","
                        "\"container\":\"\",\"cpath\":\"\"}\n");
    free(s);
}

static void record_jsonl_escapes_invalid_utf8_as_lone_surrogates(void **state)
{
    (void)state;
    const char path[] = "/x\xff\xc0\xaf\xed\xa0\x80\xe2\x82";
    struct fa_event ev = {.time_ns = 0,
                          .tid = 1,
                          .types = FA_BIT(FA_OPEN),
                          .proc = &cat_proc,
                          .path = path,
                          .path_len = sizeof path - 1};
    char *s = line_of(&ev, EXPORT_JSONL);
    assert_non_null(strstr(s, "\"path\":\"/x\\udcff\\udcc0\\udcaf\\udced\\udca0\\udc80"
                              "\\udce2\\udc82\",\"start\":\"\","));
    free(s);
}

static void overflow_record_has_no_process_and_no_path(void **state)
{
    (void)state;
    struct fa_event ev = {.time_ns = 0,
                          .tid = 99,
                          .types = FA_BIT(FA_OVERFLOW),
                          .proc = &cat_proc,
                          .path = "/ignored",
                          .path_len = 8};
    char *s = line_of(&ev, EXPORT_CSV);
    assert_string_equal(s, "1970-01-01T00:00:00.000000Z,0,0,0,0,,,,,overflow,,,,\n");
    free(s);
    s = line_of(&ev, EXPORT_JSONL);
    assert_string_equal(s, "{\"time\":\"1970-01-01T00:00:00.000000Z\",\"pid\":0,\"tid\":0,"
                           "\"ppid\":0,\"uid\":0,\"user\":\"\",\"comm\":\"\",\"exe\":\"\","
                           "\"unit\":\"\",\"event\":\"overflow\",\"path\":\"\",\"start\":\"\","
                           "\"container\":\"\",\"cpath\":\"\"}\n");
    free(s);
}

static void event_without_process_writes_zero_pid(void **state)
{
    (void)state;
    struct fa_event ev = {.time_ns = 0,
                          .tid = 5,
                          .types = FA_BIT(FA_OPEN),
                          .proc = NULL,
                          .path = "/p",
                          .path_len = 2};
    char *s = line_of(&ev, EXPORT_CSV);
    assert_string_equal(s, "1970-01-01T00:00:00.000000Z,0,5,0,0,,,,,open,/p,,,\n");
    free(s);
}

/* A CSV record of an open of /a at T_2026 by thread 4242 of each of the N
 * processes of PROCS, in a malloc'd string. */
static char *record_of(const struct fa_proc *const *procs, size_t n)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    struct recwriter *w = recwriter_create(f, EXPORT_CSV);
    for (size_t i = 0; i < n; i++) {
        struct fa_event ev = {.time_ns = T_2026,
                              .tid = 4242,
                              .types = FA_BIT(FA_OPEN),
                              .proc = procs[i],
                              .path = "/a",
                              .path_len = 2};
        assert_int_equal(recwriter_write(w, &ev), 0);
    }
    assert_int_equal(recwriter_finish(w), 0);
    fclose(f);
    return buf;
}

static void recwriter_writes_header_then_lines(void **state)
{
    (void)state;
    const struct fa_proc *twice[] = {&cat_proc, &cat_proc};
    char *buf = record_of(twice, 2);
    const char *line = "2026-11-22T23:14:48.123456Z,4242,4242,1,0,root,cat,/usr/bin/cat,"
                       "ssh.service,open,/a,,,\n";
    char want[512];
    snprintf(want, sizeof want, "%s\n%s%s", EXPORT_RECORD_HEADER, line, line);
    assert_string_equal(buf, want);
    free(buf);

    /* JSONL has no header. */
    buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    struct recwriter *w = recwriter_create(f, EXPORT_JSONL);
    assert_int_equal(recwriter_finish(w), 0);
    fclose(f);
    assert_int_equal(size, 0);
    free(buf);
}

static void recwriter_names_ancestors_once_before_their_first_descendant(void **state)
{
    (void)state;
    struct fa_proc bash = cat_proc, sh = cat_proc, cat = cat_proc;
    bash.pid = 900, bash.comm = "bash", bash.start_ns = T_2026 - 1000000000;
    sh.pid = 950, sh.ppid = 900, sh.comm = "sh", sh.parent = &bash;
    cat.ppid = 950, cat.parent = &sh, cat.start_ns = T_2026;
    /* sh, the third, was named already, by its process line */
    const struct fa_proc *procs[] = {&cat, &cat, &sh};
    char *buf = record_of(procs, 3);
    const char *want =
        EXPORT_RECORD_HEADER "\n"
        "2026-11-22T23:14:48.123456Z,900,900,1,0,root,bash,/usr/bin/cat,ssh.service,,,"
        "2026-11-22T23:14:47.123456Z,,\n"
        "2026-11-22T23:14:48.123456Z,950,950,900,0,root,sh,/usr/bin/cat,ssh.service,,,,,\n"
        "2026-11-22T23:14:48.123456Z,4242,4242,950,0,root,cat,/usr/bin/cat,ssh.service,open,/a,"
        "2026-11-22T23:14:48.123456Z,,\n"
        "2026-11-22T23:14:48.123456Z,4242,4242,950,0,root,cat,/usr/bin/cat,ssh.service,open,/a,"
        "2026-11-22T23:14:48.123456Z,,\n"
        "2026-11-22T23:14:48.123456Z,950,4242,900,0,root,sh,/usr/bin/cat,ssh.service,open,/a,,,\n";
    assert_string_equal(buf, want);
    free(buf);
    /* JSON Lines: the same process line, start before container and cpath. */
    size_t len;
    char *s = recwriter_process_line(&bash, 0, EXPORT_JSONL, &len);
    assert_string_equal(s, "{\"time\":\"1970-01-01T00:00:00.000000Z\",\"pid\":900,\"tid\":900,"
                           "\"ppid\":1,\"uid\":0,\"user\":\"root\",\"comm\":\"bash\","
                           "\"exe\":\"/usr/bin/cat\",\"unit\":\"ssh.service\",\"event\":\"\","
                           "\"path\":\"\",\"start\":\"2026-11-22T23:14:47.123456Z\","
                           "\"container\":\"\",\"cpath\":\"\"}\n");
    free(s);
}

static void recwriter_reports_a_full_disk(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    assert_non_null(f);
    struct recwriter *w = recwriter_create(f, EXPORT_CSV);
    struct fa_event ev = {.types = FA_BIT(FA_OPEN), .proc = &cat_proc, .path = "/a", .path_len = 2};
    int rc = 0;
    for (int i = 0; i < 1000 && rc == 0; i++) /* more than a stdio buffer */
        rc = recwriter_write(w, &ev);
    assert_int_equal(rc, -1);
    assert_int_equal(errno, ENOSPC);
    assert_int_equal(recwriter_finish(w), -1);
    fclose(f);
}

static void field_table_spells_the_header(void **state)
{
    (void)state;
    char joined[256] = "";
    for (int f = 0; f < RECORD_NFIELDS; f++) {
        if (f)
            strcat(joined, ",");
        strcat(joined, record_fields[f].name);
    }
    assert_string_equal(joined, EXPORT_RECORD_HEADER);
}

static void format_names_parse(void **state)
{
    (void)state;
    enum export_format fmt;
    assert_true(export_format_parse("csv", &fmt));
    assert_int_equal(fmt, EXPORT_CSV);
    assert_true(export_format_parse("jsonl", &fmt));
    assert_int_equal(fmt, EXPORT_JSONL);
    assert_true(export_format_parse("json", &fmt));
    assert_int_equal(fmt, EXPORT_JSONL);
    assert_false(export_format_parse("xml", &fmt));
}

/* ---- atomic files ---- */

static void atomic_file_appears_only_on_commit(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char path[512], err[256] = "";
    snprintf(path, sizeof path, "%s/out.csv", dir);
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, path, 0600, err, sizeof err), 0);
    fputs("hello\n", af.fp);
    fflush(af.fp);
    assert_int_equal(access(path, F_OK), -1); /* not under the final name yet */
    assert_int_equal(count_entries(dir), 1);  /* the temp file beside it */
    assert_int_equal(atomic_file_commit(&af, err, sizeof err), 0);
    assert_string_equal(slurp(path), "hello\n");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(count_entries(dir), 1); /* no temp file left */
    assert_null(af.path);

    /* A second commit replaces the old content whole. */
    assert_int_equal(atomic_file_open(&af, path, 0644, err, sizeof err), 0);
    fputs("new\n", af.fp);
    assert_int_equal(atomic_file_commit(&af, err, sizeof err), 0);
    assert_string_equal(slurp(path), "new\n");
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    remove_tree(dir);
}

static void atomic_file_abort_leaves_nothing(void **state)
{
    (void)state;
    char *dir = scratch_dir();
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, path, 0600, err, sizeof err), 0);
    fputs("partial", af.fp);
    atomic_file_abort(&af);
    assert_int_equal(count_entries(dir), 0);
    remove_tree(dir);
}

static void atomic_file_open_error_names_the_path(void **state)
{
    (void)state;
    char err[256];
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, "/nonexistent-dir/x.csv", 0600, err, sizeof err), -1);
    assert_string_equal(err, "cannot write /nonexistent-dir/x.csv: No such file or directory");
}

static void atomic_file_unwritable_dir_says_permission_denied(void **state)
{
    (void)state;
    /* As a user without write access (root would bypass the mode bits). */
    char *dir = scratch_dir();
    assert_int_equal(chmod(dir, 0555), 0);
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(3);
        char path[512], err[256] = "";
        snprintf(path, sizeof path, "%s/x.csv", dir);
        struct atomic_file af;
        int rc = atomic_file_open(&af, path, 0600, err, sizeof err);
        if (write(fds[1], err, strlen(err)) < 0)
            _exit(4);
        _exit(rc == -1 ? 0 : 1);
    }
    close(fds[1]);
    char got[256] = "";
    ssize_t n = read(fds[0], got, sizeof got - 1);
    got[n > 0 ? n : 0] = '\0';
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char want[600];
    snprintf(want, sizeof want, "cannot write %s/x.csv: Permission denied", dir);
    assert_string_equal(got, want);
    assert_int_equal(count_entries(dir), 0);
    chmod(dir, 0700);
    remove_tree(dir);
}

static void atomic_file_failed_write_removes_the_temp_file(void **state)
{
    (void)state;
    /* A file size limit makes the write fail as a full disk would. */
    char *dir = scratch_dir();
    char path[512], err[256] = "";
    snprintf(path, sizeof path, "%s/big.csv", dir);
    struct rlimit old, lim = {.rlim_cur = 4096, .rlim_max = RLIM_INFINITY};
    getrlimit(RLIMIT_FSIZE, &old);
    lim.rlim_max = old.rlim_max;
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    struct atomic_file af;
    assert_int_equal(atomic_file_open(&af, path, 0600, err, sizeof err), 0);
    for (int i = 0; i < 2000; i++)
        fputs("0123456789", af.fp);
    int rc = atomic_file_commit(&af, err, sizeof err);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    assert_int_equal(rc, -1);
    char want[600];
    snprintf(want, sizeof want, "cannot write %s: File too large", path);
    assert_string_equal(err, want);
    assert_int_equal(count_entries(dir), 0);
    remove_tree(dir);
}

static void atomic_file_under_sudo_belongs_to_the_user(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    char *dir = scratch_dir();
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/mine.csv", dir);
    setenv("SUDO_UID", "65534", 1);
    setenv("SUDO_GID", "65533", 1);
    struct atomic_file af;
    int rc = atomic_file_open(&af, path, 0600, err, sizeof err);
    unsetenv("SUDO_UID");
    unsetenv("SUDO_GID");
    assert_int_equal(rc, 0);
    assert_int_equal(atomic_file_commit(&af, err, sizeof err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_uid, 65534);
    assert_int_equal(st.st_gid, 65533);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_plain_field_is_written_as_is),
        cmocka_unit_test(csv_quotes_comma_quote_cr_lf),
        cmocka_unit_test(csv_defuses_formula_starts_only_when_asked),
        cmocka_unit_test(csv_escapes_invalid_utf8_and_backslash),
        cmocka_unit_test(csv_write_error_is_reported),
        cmocka_unit_test(iso_time_has_microseconds_in_utc),
        cmocka_unit_test(record_csv_line_has_every_field),
        cmocka_unit_test(record_csv_line_is_byte_exact_for_odd_names),
        cmocka_unit_test(record_jsonl_line_escapes_per_rfc8259),
        cmocka_unit_test(record_jsonl_escapes_invalid_utf8_as_lone_surrogates),
        cmocka_unit_test(overflow_record_has_no_process_and_no_path),
        cmocka_unit_test(event_without_process_writes_zero_pid),
        cmocka_unit_test(recwriter_writes_header_then_lines),
        cmocka_unit_test(recwriter_reports_a_full_disk),
        cmocka_unit_test(recwriter_names_ancestors_once_before_their_first_descendant),
        cmocka_unit_test(format_names_parse),
        cmocka_unit_test(field_table_spells_the_header),
        cmocka_unit_test(atomic_file_appears_only_on_commit),
        cmocka_unit_test(atomic_file_abort_leaves_nothing),
        cmocka_unit_test(atomic_file_open_error_names_the_path),
        cmocka_unit_test(atomic_file_unwritable_dir_says_permission_denied),
        cmocka_unit_test(atomic_file_failed_write_removes_the_temp_file),
        cmocka_unit_test(atomic_file_under_sudo_belongs_to_the_user),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
