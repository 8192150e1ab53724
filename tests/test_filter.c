/* The filter language: parsing, smart case, fields, types, errors with their
 * offsets into the whole text, and matching on byte paths. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/filter.h"

#include <stdio.h>
#include <string.h>

static const struct fa_proc nginx = {
    .id = 1,
    .pid = 1234,
    .ppid = 1,
    .uid = 33,
    .user = "www-data",
    .comm = "nginx",
    .exe = "/usr/sbin/nginx",
    .cmdline = "nginx: worker process",
    .unit = "nginx.service",
};

static const struct fa_proc postgres = {
    .id = 2,
    .pid = 4321,
    .ppid = 4000,
    .uid = 999,
    .user = "postgres",
    .comm = "postgres",
    .exe = "/usr/lib/postgresql/15/bin/postgres",
    .cmdline = "postgres -D /var/lib/postgresql/15/main",
    .unit = "3f2a9c1b7d4e",
};

static struct filter *compile_ok(const char *expr)
{
    struct filter_error err = {"", 0};
    struct filter *f = filter_compile(expr, &err);
    if (!f)
        fail_msg("'%s' did not compile: %s at offset %zu", expr, err.message, err.offset);
    return f;
}

/* Whether EXPR matches PATH done by PROC. */
static bool matches(const char *expr, const char *path, const struct fa_proc *proc)
{
    struct filter *f = compile_ok(expr);
    bool hit = filter_match_subject(f, path, strlen(path), proc);
    filter_free(f);
    return hit;
}

static void expect_error(const char *expr, const char *message, size_t offset)
{
    struct filter_error err = {"", 12345};
    struct filter *f = filter_compile(expr, &err);
    if (f) {
        filter_free(f);
        fail_msg("'%s' compiled, want error '%s'", expr, message);
    }
    if (!strstr(err.message, message))
        fail_msg("'%s': message '%s' lacks '%s'", expr, err.message, message);
    if (err.offset != offset)
        fail_msg("'%s': offset %zu, want %zu (%s)", expr, err.offset, offset, err.message);
}

static uint32_t type_mask_of(const char *expr)
{
    struct filter *f = compile_ok(expr);
    uint32_t m = filter_type_mask(f);
    filter_free(f);
    return m;
}

static bool path_only(const char *expr)
{
    struct filter *f = compile_ok(expr);
    bool p = filter_path_only(f);
    filter_free(f);
    return p;
}

static void blank_filters_are_empty_and_match_everything(void **state)
{
    (void)state;
    const char *blanks[] = {NULL, "", " ", "   \t  ", "(?i)", "  (?i)  "};
    for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++) {
        struct filter *f = compile_ok(blanks[i]);
        assert_true(filter_is_empty(f));
        assert_string_equal(filter_text(f), blanks[i] ? blanks[i] : "");
        assert_int_equal(filter_type_mask(f), FA_ALL_TYPES);
        assert_true(filter_path_only(f));
        assert_true(filter_match_subject(f, "/etc/passwd", 11, &nginx));
        assert_true(filter_match_subject(f, "", 0, NULL));
        struct fa_event overflow = {.types = FA_BIT(FA_OVERFLOW), .path = "", .path_len = 0};
        assert_true(filter_match_event(f, &overflow));
        filter_free(f);
    }
}

static void text_is_kept_verbatim(void **state)
{
    (void)state;
    struct filter *f = compile_ok("  comm:nginx   \"a b\"  ");
    assert_string_equal(filter_text(f), "  comm:nginx   \"a b\"  ");
    assert_false(filter_is_empty(f));
    filter_free(f);
}

static void bare_term_is_a_path_regex(void **state)
{
    (void)state;
    assert_true(matches("\\.log$", "/var/log/syslog.log", &nginx));
    assert_false(matches("\\.log$", "/var/log/syslog.log.1", &nginx));
    assert_true(matches("^/etc/", "/etc/hosts", NULL));
    assert_false(matches("nginx", "/etc/hosts", &nginx)); /* not the comm */
}

static void terms_are_anded_whatever_the_spacing(void **state)
{
    (void)state;
    const char *exprs[] = {"var log", "  var log", "var log  ", "var    log", "\tvar\t\tlog\t"};
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        assert_true(matches(exprs[i], "/var/log/messages", NULL));
        assert_false(matches(exprs[i], "/var/lib/messages", NULL));
        assert_false(matches(exprs[i], "/srv/log/messages", NULL));
    }
}

static void field_terms_match_their_process_string(void **state)
{
    (void)state;
    const char *path = "/var/lib/postgresql/15/main/base/1/1259";
    assert_true(matches("comm:^postgres$", path, &postgres));
    assert_false(matches("comm:^postgres$", path, &nginx));
    assert_true(matches("exe:/bin/postgres$", path, &postgres));
    assert_false(matches("exe:/bin/postgres$", path, &nginx));
    assert_true(matches("cmd:worker", path, &nginx));
    assert_false(matches("cmd:worker", path, &postgres));
    assert_true(matches("user:^www-data$", path, &nginx));
    assert_false(matches("user:^www-data$", path, &postgres));
    assert_true(matches("unit:\\.service$", path, &nginx));
    assert_false(matches("unit:\\.service$", path, &postgres));
    assert_true(matches("container:^3f2a", path, &postgres));
    assert_false(matches("container:^3f2a", path, &nginx));
    assert_true(matches("path:/base/", path, &nginx));
    assert_false(matches("path:/base/", "/etc/hosts", &nginx));
    /* Fields and path together. */
    assert_true(matches("comm:postgres path:1259$ user:post", path, &postgres));
    assert_false(matches("comm:postgres path:1259$ user:www", path, &postgres));
}

static void unknown_prefix_is_part_of_the_path_regex(void **state)
{
    (void)state;
    assert_true(matches("foo:bar", "/srv/foo:bar", &nginx));
    assert_true(matches("C:\\\\", "/mnt/win/C:\\Users", &nginx));
    /* Field names are lower case; anything else is a path regex. */
    assert_true(matches("Comm:x", "/tmp/Comm:x", &nginx));
    assert_false(matches("Comm:x", "/tmp/a", &nginx));
    /* A field name after the first colon is text of the regex. */
    assert_true(matches("path:comm:x", "/tmp/comm:x", &nginx));
}

static void process_fields_of_a_missing_process_are_empty(void **state)
{
    (void)state;
    const char *fields[] = {"comm", "exe", "cmd", "user", "unit"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        char expr[32];
        snprintf(expr, sizeof expr, "%s:^$", fields[i]);
        assert_true(matches(expr, "/x", NULL));
        snprintf(expr, sizeof expr, "!%s:.", fields[i]);
        assert_true(matches(expr, "/x", NULL));
    }
    assert_true(matches("pid:0", "/x", NULL));
    assert_false(matches("pid:1", "/x", NULL));
}

static void negation_inverts_any_term(void **state)
{
    (void)state;
    assert_false(matches("!\\.log$", "/var/log/a.log", &nginx));
    assert_true(matches("!\\.log$", "/var/log/a.gz", &nginx));
    assert_false(matches("!comm:nginx", "/x", &nginx));
    assert_true(matches("!comm:nginx", "/x", &postgres));
    assert_false(matches("!pid:1234", "/x", &nginx));
    assert_true(matches("!pid:1-100", "/x", &nginx));
    assert_true(matches("var !\\.gz$ !comm:postgres", "/var/log/a.log", &nginx));
    assert_false(matches("var !\\.gz$ !comm:postgres", "/var/log/a.log", &postgres));
    /* Only the first ! negates; the second is regex text. */
    assert_true(matches("!!x", "/tmp/a", NULL));
    assert_false(matches("!!x", "/tmp/!x", NULL));
    /* An escaped ! is a literal. */
    assert_true(matches("\\!x", "/tmp/!x", NULL));
}

static void quotes_group_terms_with_spaces(void **state)
{
    (void)state;
    assert_true(matches("\"path:/my dir/\"", "/home/a/my dir/f", NULL));
    assert_false(matches("\"path:/my dir/\"", "/home/a/my/dir/f", NULL));
    assert_true(matches("path:\"/my dir/\"", "/home/a/my dir/f", NULL));
    assert_true(matches("\"my dir\" f$", "/home/a/my dir/f", NULL));
    assert_false(matches("\"my dir\" g$", "/home/a/my dir/f", NULL));
    assert_false(matches("!\"my dir\"", "/home/a/my dir/f", NULL));
    assert_true(matches("\"comm:worker proc\"", "/x", &(struct fa_proc){.comm = "worker proc"}));
    /* \" inside quotes is a literal quote. */
    assert_true(matches("\"say \\\"hi\\\"\"", "/tmp/say \"hi\"", NULL));
    assert_false(matches("\"say \\\"hi\\\"\"", "/tmp/say hi", NULL));
    /* Other backslashes reach PCRE2 unchanged, \\ included. */
    assert_true(matches("\"\\d+ \\.txt\"", "/tmp/12 .txt", NULL));
    assert_true(matches("\"C:\\\\\"", "/mnt/C:\\x", NULL));
    /* Outside quotes a backslash keeps a space or a quote literal. */
    assert_true(matches("my\\ dir", "/home/my dir", NULL));
    assert_true(matches("a\\\"b", "/tmp/a\"b", NULL));
}

static void pid_takes_a_number_or_an_inclusive_range(void **state)
{
    (void)state;
    assert_true(matches("pid:1234", "/x", &nginx));
    assert_false(matches("pid:123", "/x", &nginx));
    assert_true(matches("pid:1000-1234", "/x", &nginx));
    assert_true(matches("pid:1234-2000", "/x", &nginx));
    assert_false(matches("pid:1235-2000", "/x", &nginx));
    assert_false(matches("pid:1-1233", "/x", &nginx));
    assert_true(matches("pid:2147483647", "/x",
                        &(struct fa_proc){.pid = INT32_MAX, .comm = "", .exe = ""}));
    assert_true(matches("pid:4000-5000 comm:post", "/x", &postgres));
}

static void smart_case_follows_upper_case_letters(void **state)
{
    (void)state;
    assert_true(matches("readme", "/src/README.md", NULL));
    assert_true(matches("readme", "/src/readme.md", NULL));
    assert_true(matches("README", "/src/README.md", NULL));
    assert_false(matches("README", "/src/readme.md", NULL));
    assert_false(matches("ReadMe", "/src/readme.md", NULL));
    /* Escapes, classes by name and group names are not upper-case letters. */
    assert_true(matches("\\S+\\.md$", "/src/X.MD", NULL));
    assert_true(matches("\\w\\D\\.md$", "/src/XY.MD", NULL));
    assert_true(matches("(?<Name>readme)", "/README", NULL));
    assert_true(matches("\\x{41}", "/a", NULL));
    /* \Q...\E is literal text and counts. */
    assert_false(matches("\\QREADME\\E", "/readme", NULL));
    /* Letters outside ASCII: É is upper case, é is not. */
    assert_true(matches("émile", "/home/Émile", NULL));
    assert_false(matches("Émile", "/home/émile", NULL));
    assert_true(matches("Émile", "/home/Émile", NULL));
    /* Each term decides for itself. */
    assert_true(matches("comm:NGINX|nginx src", "/SRC", &nginx));
    assert_false(matches("comm:NGINX src", "/SRC", &nginx));
}

static void caseless_prefix_applies_to_every_term(void **state)
{
    (void)state;
    assert_true(matches("(?i)README comm:NGINX", "/readme", &nginx));
    assert_true(matches("  (?i)Src", "/src", NULL));
    assert_false(matches("(?i)README", "/other", NULL));
    /* Elsewhere (?i) is plain PCRE2 syntax for its own term only. */
    assert_true(matches("x (?i)README", "/x/readme", NULL));
    assert_false(matches("README (?i)x", "/readme/x", NULL));
    /* The prefix is stripped: a term may follow it directly. */
    struct filter *f = compile_ok("(?i)type:/OPEN/");
    assert_int_equal(filter_type_mask(f), FA_BIT(FA_OPEN) | FA_BIT(FA_OPEN_EXEC));
    filter_free(f);
}

static void type_terms_select_a_set_of_types(void **state)
{
    (void)state;
    const uint32_t close = FA_BIT(FA_CLOSE_WRITE) | FA_BIT(FA_CLOSE_NOWRITE);
    assert_int_equal(type_mask_of("foo"), FA_ALL_TYPES);
    assert_int_equal(type_mask_of("type:/^close/"), close);
    assert_int_equal(type_mask_of("type:/^open$/"), FA_BIT(FA_OPEN));
    assert_int_equal(type_mask_of("type:/open/"), FA_BIT(FA_OPEN) | FA_BIT(FA_OPEN_EXEC));
    /* Positive terms intersect, negated ones subtract. */
    assert_int_equal(type_mask_of("type:/^close/ type:/_write/"), FA_BIT(FA_CLOSE_WRITE));
    assert_int_equal(type_mask_of("type:/^close/ type:/write/"), close); /* nowrite has "write" */
    assert_int_equal(type_mask_of("type:/open/ !type:/exec/"), FA_BIT(FA_OPEN));
    assert_int_equal(type_mask_of("!type:/^close/"), FA_ALL_TYPES & ~close);
    assert_int_equal(type_mask_of("type:/^open$/ type:/^access$/"), 0);
    assert_int_equal(type_mask_of("type:/overflow/"), FA_BIT(FA_OVERFLOW));
    /* Type terms say nothing about the subject. */
    struct filter *f = compile_ok("type:/^close/");
    assert_false(filter_is_empty(f));
    assert_true(filter_path_only(f));
    assert_true(filter_match_subject(f, "/x", 2, NULL));
    filter_free(f);
}

/* type: takes exactly what --events takes: each name and group, joined by
 * ',' or '|', so that type:write is what -e write watches. */
static void type_names_and_groups_are_those_of_events_option(void **state)
{
    (void)state;
    const char *lists[] = {"read",
                           "write",
                           "dir",
                           "close",
                           "move",
                           "exec",
                           "all",
                           "open",
                           "close_write",
                           "moved_to",
                           "modify,create",
                           "delete_self,read",
                           "attrib,open_exec,move_self"};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        uint32_t want;
        char err[256], expr[64];
        assert_true(fa_types_parse(lists[i], &want, err, sizeof err));
        snprintf(expr, sizeof expr, "type:%s", lists[i]);
        if (type_mask_of(expr) != want)
            fail_msg("%s selects %#x, -e %s watches %#x", expr, type_mask_of(expr), lists[i], want);
    }
    const uint32_t write = FA_BIT(FA_MODIFY) | FA_BIT(FA_CLOSE_WRITE) | FA_BIT(FA_CREATE) |
                           FA_BIT(FA_DELETE) | FA_BIT(FA_MOVED_FROM) | FA_BIT(FA_MOVED_TO) |
                           FA_BIT(FA_ATTRIB);
    assert_int_equal(type_mask_of("type:write"), write); /* sed's rename too, no reader */
    assert_int_equal(type_mask_of("type:open"), FA_BIT(FA_OPEN));
    assert_int_equal(type_mask_of("type:open|access"), FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS));
    assert_int_equal(type_mask_of("type:OPEN,Close"),
                     FA_BIT(FA_OPEN) | FA_BIT(FA_CLOSE_WRITE) | FA_BIT(FA_CLOSE_NOWRITE));
    assert_int_equal(type_mask_of("type:overflow"), FA_BIT(FA_OVERFLOW));
    assert_int_equal(type_mask_of("type:write !type:dir"),
                     FA_BIT(FA_MODIFY) | FA_BIT(FA_CLOSE_WRITE) | FA_BIT(FA_ATTRIB));
    /* The examples of the documentation compile. */
    filter_free(compile_ok("unit:^nginx\\.service$ type:read"));
    filter_free(compile_ok("type:write"));
}

static void match_event_needs_subject_and_a_selected_type(void **state)
{
    (void)state;
    struct fa_event ev = {
        .types = FA_BIT(FA_CLOSE_WRITE) | FA_BIT(FA_MODIFY),
        .proc = &nginx,
        .path = "/var/log/nginx/access.log",
        .path_len = strlen("/var/log/nginx/access.log"),
    };
    struct filter *f = compile_ok("type:close access\\.log comm:nginx");
    assert_true(filter_match_event(f, &ev));
    ev.types = FA_BIT(FA_OPEN);
    assert_false(filter_match_event(f, &ev));
    ev.types = FA_BIT(FA_CLOSE_NOWRITE);
    ev.proc = &postgres;
    assert_false(filter_match_event(f, &ev));
    filter_free(f);

    /* Overflow markers carry no path and no process. */
    struct fa_event overflow = {.types = FA_BIT(FA_OVERFLOW), .path = "", .path_len = 0};
    f = compile_ok("type:overflow");
    assert_true(filter_match_event(f, &overflow));
    filter_free(f);
    f = compile_ok("log");
    assert_false(filter_match_event(f, &overflow));
    filter_free(f);
    f = compile_ok("!type:overflow");
    assert_false(filter_match_event(f, &overflow));
    filter_free(f);
}

static void path_only_is_false_with_any_process_term(void **state)
{
    (void)state;
    assert_true(path_only("log"));
    assert_true(path_only("path:log !tmp type:open"));
    assert_true(path_only("type:/^close/"));
    const char *proc_terms[] = {"comm:x",      "exe:x", "cmd:x",    "user:x",     "unit:x",
                                "container:x", "pid:1", "!pid:1-3", "log !comm:x"};
    for (size_t i = 0; i < sizeof proc_terms / sizeof proc_terms[0]; i++)
        if (path_only(proc_terms[i]))
            fail_msg("'%s' is path-only", proc_terms[i]);
}

static void invalid_utf8_paths_match_around_bad_bytes(void **state)
{
    (void)state;
    const char path[] = "/tmp/\xff\xfe/caf\xc3/x\x80y/file.log";
    const size_t len = sizeof path - 1;
    const char *hit[] = {"file\\.log$", "^/tmp/", "!nothing", "x", "caf", "!\\.txt$", "."};
    for (size_t i = 0; i < sizeof hit / sizeof hit[0]; i++) {
        struct filter *f = compile_ok(hit[i]);
        if (!filter_match_subject(f, path, len, NULL))
            fail_msg("'%s' does not match a path with invalid UTF-8", hit[i]);
        filter_free(f);
    }
    /* An invalid sequence is a barrier no match crosses. */
    struct filter *f = compile_ok("x.y");
    assert_false(filter_match_subject(f, path, len, NULL));
    filter_free(f);
    /* A truncated sequence at the very end. */
    f = compile_ok("caf");
    assert_true(filter_match_subject(f, "/caf\xc3", 5, NULL));
    filter_free(f);
    /* Valid UTF-8 matches as characters. */
    assert_true(matches("^/café/.$", "/café/é", NULL));
}

static void path_length_is_honoured(void **state)
{
    (void)state;
    struct filter *f = compile_ok("log$");
    assert_true(filter_match_subject(f, "/a.logX", 6, NULL));
    assert_false(filter_match_subject(f, "/a.logX", 7, NULL));
    filter_free(f);
}

static void runaway_pattern_is_bounded_and_hides_the_row(void **state)
{
    (void)state;
    char path[4096];
    memset(path, 'a', sizeof path - 2);
    path[sizeof path - 2] = 'b';
    path[sizeof path - 1] = '\0';
    /* Exponential backtracking: the match limit stops it, and the row is not
     * shown whether the term is negated or not, because the answer is unknown. */
    struct filter *f = compile_ok("^(a+)+$");
    assert_false(filter_match_subject(f, path, strlen(path), NULL));
    filter_free(f);
    f = compile_ok("!^(a+)+$");
    assert_false(filter_match_subject(f, path, strlen(path), NULL));
    filter_free(f);
}

static void regex_errors_carry_pcre2_message_and_offset(void **state)
{
    (void)state;
    expect_error("(", "missing closing parenthesis", 1);
    expect_error("foo comm:a(b", "missing closing parenthesis", 12);
    expect_error("foo [z", "missing terminating ] for character class", 6);
    expect_error("a*  **", "quantifier does not follow a repeatable item", 4);
    expect_error("!exe:x{2,1}", "numbers out of order in {} quantifier", 10);
    expect_error("x\\", "\\ at end of pattern", 2);
    expect_error("a\\C", "\\C", 3);
    /* Offsets count the quotes and escapes of the original text. */
    expect_error("\"a \\\"b\\\" (\"", "missing closing parenthesis", 10);
    expect_error("x \"(\" y", "missing closing parenthesis", 4);
    /* type: regexes are checked the same way. */
    expect_error("type:/(/", "missing closing parenthesis", 7);
    /* An invalid UTF-8 pattern is an error, not a crash. */
    expect_error("ab\xff", "UTF-8 error", 2);
}

static void parser_errors_carry_message_and_offset(void **state)
{
    (void)state;
    expect_error("foo \"bar baz", "unterminated quote", 4);
    expect_error("comm:\"x", "unterminated quote", 5);
    expect_error("\"a\" \"b\\\"", "unterminated quote", 4);
    expect_error("pid:abc", "pid: takes a number or a range A-B", 4);
    expect_error("x pid:12x", "pid: takes a number or a range A-B", 6);
    expect_error("pid:10-", "pid: takes a number or a range A-B", 7);
    expect_error("pid:1-2-3", "pid: takes a number or a range A-B", 6);
    expect_error("pid:-5", "pid: takes a number or a range A-B", 4);
    expect_error("pid:99999999999", "pid: takes a number or a range A-B", 4);
    expect_error("pid:2147483648", "pid: takes a number or a range A-B", 4);
    expect_error("pid:20-10", "pid range A-B needs A <= B", 4);
    expect_error("comm:", "missing value after comm:", 5);
    expect_error("a !unit: b", "missing value after unit:", 8);
    expect_error("x pid:", "missing value after pid:", 6);
    expect_error("\"type:\"", "missing value after type:", 6);
    expect_error("\"\"", "empty term", 0);
    expect_error("a !", "empty term", 3);
    expect_error("type:opne", "unknown event type 'opne' (open,access,", 5);
    expect_error("!type:/^exec/", "type:/RE/ matches no event type", 7);
    expect_error("type:open,,close", "unknown event type ''", 10);
    expect_error("x type:write|bogus", "unknown event type 'bogus'", 13);
    expect_error("type:^close", "a regex: type:/RE/", 5);
    expect_error("type://", "empty regex in type:/RE/", 6);
    expect_error("(?i)   comm:", "missing value after comm:", 12);
}

static void error_line_has_the_documented_format(void **state)
{
    (void)state;
    struct filter_error err;
    char line[1024];
    assert_null(filter_compile("(", &err));
    filter_error_format("(", &err, line, sizeof line);
    assert_string_equal(line,
                        "fanotop: invalid filter '(': missing closing parenthesis at offset 1");

    assert_null(filter_compile("a\n(", &err));
    filter_error_format("a\n(", &err, line, sizeof line);
    assert_string_equal(
        line, "fanotop: invalid filter 'a\\x0a(': missing closing parenthesis at offset 3");

    /* A short buffer is truncated, still a string. */
    char tiny[12];
    memset(tiny, 'z', sizeof tiny);
    filter_error_format("(", &err, tiny, sizeof tiny);
    assert_string_equal(tiny, "fanotop: in");
}

static void compile_without_error_struct_is_safe(void **state)
{
    (void)state;
    assert_null(filter_compile("(", NULL));
    struct filter *f = filter_compile("ok", NULL);
    assert_non_null(f);
    filter_free(f);
    filter_free(NULL);
}

static void one_filter_matches_many_rows_in_a_row(void **state)
{
    (void)state;
    /* The match block is shared by all terms and calls; results must not leak
     * from one call to the next. */
    struct filter *f = compile_ok("comm:nginx \\.log$ !pid:1-10");
    for (int i = 0; i < 1000; i++) {
        char path[64];
        int n = snprintf(path, sizeof path, "/var/log/app/%d.%s", i, i % 3 ? "log" : "gz");
        bool want = i % 3 != 0;
        assert_int_equal(filter_match_subject(f, path, (size_t)n, &nginx), want);
        assert_false(filter_match_subject(f, path, (size_t)n, &postgres));
    }
    filter_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blank_filters_are_empty_and_match_everything),
        cmocka_unit_test(text_is_kept_verbatim),
        cmocka_unit_test(bare_term_is_a_path_regex),
        cmocka_unit_test(terms_are_anded_whatever_the_spacing),
        cmocka_unit_test(field_terms_match_their_process_string),
        cmocka_unit_test(unknown_prefix_is_part_of_the_path_regex),
        cmocka_unit_test(process_fields_of_a_missing_process_are_empty),
        cmocka_unit_test(negation_inverts_any_term),
        cmocka_unit_test(quotes_group_terms_with_spaces),
        cmocka_unit_test(pid_takes_a_number_or_an_inclusive_range),
        cmocka_unit_test(smart_case_follows_upper_case_letters),
        cmocka_unit_test(caseless_prefix_applies_to_every_term),
        cmocka_unit_test(type_terms_select_a_set_of_types),
        cmocka_unit_test(type_names_and_groups_are_those_of_events_option),
        cmocka_unit_test(match_event_needs_subject_and_a_selected_type),
        cmocka_unit_test(path_only_is_false_with_any_process_term),
        cmocka_unit_test(invalid_utf8_paths_match_around_bad_bytes),
        cmocka_unit_test(path_length_is_honoured),
        cmocka_unit_test(runaway_pattern_is_bounded_and_hides_the_row),
        cmocka_unit_test(regex_errors_carry_pcre2_message_and_offset),
        cmocka_unit_test(parser_errors_carry_message_and_offset),
        cmocka_unit_test(error_line_has_the_documented_format),
        cmocka_unit_test(compile_without_error_struct_is_safe),
        cmocka_unit_test(one_filter_matches_many_rows_in_a_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
