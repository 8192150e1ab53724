/* Replay: format detection, the CSV and JSON Lines record parser (every error
 * with its message, streaming in arbitrary chunks, line numbers), writer ->
 * parser round trips, and the replay source feeding a ring from a file or a
 * pipe. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/iso8601.h"
#include "record/format.h"
#include "record/recwriter.h"
#include "pipe/proctab.h"
#include "record/replay.h"
#include "record/replay_parse.h"
#include "pipe/wire.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define HL        EXPORT_RECORD_HEADER
#define H         (sizeof HL - 1)
#define HDR       HL "\n"
#define GOOD      "2026-11-22T10:00:00.000001Z,4242,4243,1,1000,alice,cat,/usr/bin/cat,ssh.service,"
#define GOOD_LINE GOOD "open|access,/etc/hosts\n"

/* ---- helpers ---- */

struct outcome {
    enum replay_status st;
    struct replay_record rec;
    char err[128];
    uint64_t line;
    size_t used;
};

/* Parse one step from a copy of TEXT as the whole input (EOF). */
static struct outcome parse1(struct replay_parser *p, const char *text, size_t len)
{
    struct outcome o;
    o.st = replay_parse_next(p, text, len, true, &o.used, &o.rec);
    snprintf(o.err, sizeof o.err, "%s", o.st == REPLAY_BAD ? replay_parser_error(p) : "");
    o.line = p->rec_line;
    return o;
}

static struct replay_parser *parser(enum export_format fmt)
{
    static struct replay_parser p;
    replay_parser_init(&p, fmt, 2);
    return &p;
}

/* The error a single CSV line (after the header) gives. */
static const char *csv_error(const char *line)
{
    static char err[128];
    struct outcome o = parse1(parser(EXPORT_CSV), line, strlen(line));
    assert_int_equal(o.st, REPLAY_BAD);
    snprintf(err, sizeof err, "%s", o.err);
    return err;
}

static const char *json_error(const char *line)
{
    static char err[128];
    struct outcome o = parse1(parser(EXPORT_JSONL), line, strlen(line));
    assert_int_equal(o.st, REPLAY_BAD);
    snprintf(err, sizeof err, "%s", o.err);
    return err;
}

/* Everything a stream yields, as text: one line per record or error. */
static void collect(enum export_format fmt, const char *in, size_t len, size_t chunk, char *out,
                    size_t outlen)
{
    struct replay_parser *p = malloc(sizeof *p);
    replay_parser_init(p, fmt, 2);
    size_t have = 0, off = 0, o = 0;
    out[0] = '\0';
    char *buf = malloc(len + 1);
    for (;;) {
        bool eof = have == len;
        struct replay_record rec;
        size_t used;
        enum replay_status st = replay_parse_next(p, buf + off, have - off, eof, &used, &rec);
        off += used;
        if (st == REPLAY_RECORD)
            o += (size_t)snprintf(out + o, outlen - o, "%llu:%lld,%d,%d,%d,%u,%s,%s,%s,%s,%u,%zu:",
                                  (unsigned long long)p->rec_line, (long long)rec.time_ns, rec.pid,
                                  rec.tid, rec.ppid, rec.uid, rec.user.s, rec.comm.s, rec.exe.s,
                                  rec.unit.s, rec.types, rec.path.len);
        if (st == REPLAY_RECORD) {
            memcpy(out + o, rec.path.s, rec.path.len);
            o += rec.path.len;
            out[o++] = '\n';
            out[o] = '\0';
        } else if (st == REPLAY_BAD) {
            o += (size_t)snprintf(out + o, outlen - o, "%llu:BAD %s\n",
                                  (unsigned long long)p->rec_line, replay_parser_error(p));
        } else if (st == REPLAY_MORE) {
            if (eof)
                break;
            size_t n = len - have < chunk ? len - have : chunk;
            memcpy(buf + have, in + have, n);
            have += n;
        }
    }
    free(buf);
    free(p);
}

/* ---- detection ---- */

static void detect_tells_csv_jsonl_empty_and_other(void **state)
{
    (void)state;
    size_t skip = 99;
    assert_int_equal(replay_detect(HDR GOOD_LINE, strlen(HDR GOOD_LINE), false, &skip),
                     REPLAY_DETECT_CSV);
    assert_int_equal(skip, strlen(HDR));
    assert_int_equal(replay_detect(HL "\r\n", H + 2, false, &skip), REPLAY_DETECT_CSV);
    assert_int_equal(skip, H + 2);
    assert_int_equal(replay_detect("\xef\xbb\xbf" HDR, 3 + strlen(HDR), false, &skip),
                     REPLAY_DETECT_CSV);
    assert_int_equal(skip, 3 + strlen(HDR));
    assert_int_equal(replay_detect(HL, H, true, &skip), REPLAY_DETECT_CSV);
    assert_int_equal(replay_detect("{\"time\":", 8, false, &skip), REPLAY_DETECT_JSONL);
    assert_int_equal(skip, 0);
    assert_int_equal(replay_detect("\n{", 2, false, &skip), REPLAY_DETECT_JSONL);
    assert_int_equal(replay_detect("", 0, true, &skip), REPLAY_DETECT_EMPTY);
    assert_int_equal(replay_detect("root:x:0:0", 10, false, &skip), REPLAY_DETECT_UNKNOWN);
    assert_int_equal(replay_detect("path,events\n", 12, false, &skip), REPLAY_DETECT_UNKNOWN);
    assert_int_equal(replay_detect(HL ",extra\n", H + 7, false, &skip), REPLAY_DETECT_UNKNOWN);
    assert_int_equal(replay_detect("\n\n", 2, true, &skip), REPLAY_DETECT_UNKNOWN);
}

static void detect_waits_for_the_whole_header_when_streaming(void **state)
{
    (void)state;
    size_t skip;
    assert_int_equal(replay_detect("", 0, false, &skip), REPLAY_DETECT_MORE);
    assert_int_equal(replay_detect("time,pid,t", 10, false, &skip), REPLAY_DETECT_MORE);
    assert_int_equal(replay_detect("time,pid,t", 10, true, &skip), REPLAY_DETECT_UNKNOWN);
    assert_int_equal(replay_detect(HL, H, false, &skip), REPLAY_DETECT_MORE);
    assert_int_equal(replay_detect(HL "\r", H + 1, false, &skip), REPLAY_DETECT_MORE);
    assert_int_equal(replay_detect("\xef\xbb", 2, false, &skip), REPLAY_DETECT_MORE);
    assert_int_equal(replay_detect("  ", 2, false, &skip), REPLAY_DETECT_MORE);
}

/* ---- CSV records ---- */

static void csv_record_gives_every_field(void **state)
{
    (void)state;
    struct outcome o = parse1(parser(EXPORT_CSV), GOOD_LINE, strlen(GOOD_LINE));
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.used, strlen(GOOD_LINE));
    assert_int_equal(o.rec.time_ns, INT64_C(1795341600000001000));
    assert_int_equal(o.rec.pid, 4242);
    assert_int_equal(o.rec.tid, 4243);
    assert_int_equal(o.rec.ppid, 1);
    assert_int_equal(o.rec.uid, 1000);
    assert_string_equal(o.rec.user.s, "alice");
    assert_string_equal(o.rec.comm.s, "cat");
    assert_string_equal(o.rec.exe.s, "/usr/bin/cat");
    assert_string_equal(o.rec.unit.s, "ssh.service");
    assert_int_equal(o.rec.types, FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS));
    assert_string_equal(o.rec.path.s, "/etc/hosts");
    assert_int_equal(o.rec.path.len, 10);
}

static void csv_quoted_fields_unquote_across_lines(void **state)
{
    (void)state;
    const char in[] = GOOD "create,\"/a,b \"\"q\"\"\r\nx\"\n" GOOD_LINE;
    char out[4096];
    collect(EXPORT_CSV, in, sizeof in - 1, sizeof in, out, sizeof out);
    assert_string_equal(out, "2:1795341600000001000,4242,4243,1,1000,alice,cat,/usr/bin/cat,"
                             "ssh.service,128,11:/a,b \"q\"\r\nx\n"
                             "4:1795341600000001000,4242,4243,1,1000,alice,cat,/usr/bin/cat,"
                             "ssh.service,3,10:/etc/hosts\n");
}

static void csv_accepts_crlf_and_a_last_line_without_newline(void **state)
{
    (void)state;
    const char in[] = GOOD "open,/a\r\n" GOOD "open,/b";
    char out[4096];
    collect(EXPORT_CSV, in, sizeof in - 1, sizeof in, out, sizeof out);
    assert_non_null(strstr(out, "2:"));
    assert_non_null(strstr(out, ",1,2:/a\n3:"));
    assert_non_null(strstr(out, ",1,2:/b\n"));
    assert_null(strstr(out, "BAD"));
}

static void csv_skips_blank_lines_and_repeated_headers(void **state)
{
    (void)state;
    const char in[] = "\n" GOOD_LINE "\r\n" HDR GOOD_LINE;
    char out[4096];
    collect(EXPORT_CSV, in, sizeof in - 1, sizeof in, out, sizeof out);
    assert_null(strstr(out, "BAD"));
    assert_non_null(strstr(out, "3:"));
    assert_non_null(strstr(out, "6:"));
}

static void csv_error_unterminated_quote(void **state)
{
    (void)state;
    assert_string_equal(csv_error(GOOD "open,\"/never closed\n"), "unterminated quote");
    assert_string_equal(csv_error(GOOD "open,\"/never closed"), "unterminated quote");
}

static void csv_unterminated_quote_costs_one_line(void **state)
{
    (void)state;
    /* The open quote would swallow the next lines; only its own line is lost. */
    const char in[] = GOOD_LINE GOOD "open,\"/bad\n" GOOD_LINE GOOD "open,\"/q\"\n" GOOD_LINE;
    char out[8192];
    collect(EXPORT_CSV, in, sizeof in - 1, sizeof in, out, sizeof out);
    const char *bad = strstr(out, "3:BAD unterminated quote\n");
    assert_non_null(bad);
    assert_non_null(strstr(out, "\n4:"));
    assert_non_null(strstr(out, "\n5:"));
    assert_non_null(strstr(out, "\n6:"));
    assert_null(strstr(bad + 5, "BAD"));
}

static void csv_error_wrong_field_count(void **state)
{
    (void)state;
    assert_string_equal(csv_error("2026-11-22T10:00:00Z,1,1,1,0,u,c,e,un,open\n"),
                        "wrong field count: 10, expected 14");
    /* 13: between the layouts of start alone (12) and of all three (14) */
    assert_string_equal(csv_error(GOOD "open,/a,,extra\n"), "wrong field count: 13, expected 14");
    assert_string_equal(csv_error(GOOD "open,/a,,,,extra\n"), "wrong field count: 15, expected 14");
    assert_string_equal(csv_error("just text\n"), "wrong field count: 1, expected 14");
}

static void csv_error_bad_time(void **state)
{
    (void)state;
    const char *times[] = {"2026-13-01T00:00:00Z",
                           "2026-02-29T00:00:00Z",
                           "2026-11-22T24:00:00Z",
                           "2026-11-22T10:00:00",
                           "2026-11-22T10:00:00.Z",
                           "2026-11-22T10:00:00.1234567891Z",
                           "2026-11-22 10:00:00Z",
                           "1795341600",
                           "",
                           "2026-11-22T10:00:60Z",
                           "2262-04-11T23:47:16.854775808Z"};
    for (size_t i = 0; i < sizeof times / sizeof times[0]; i++) {
        char line[256];
        snprintf(line, sizeof line, "%s,1,1,1,0,u,c,e,un,open,/a\n", times[i]);
        assert_string_equal(csv_error(line), "bad time");
    }
}

static void csv_error_bad_number(void **state)
{
    (void)state;
    const char *t = "2026-11-22T10:00:00Z";
    char line[256];
    snprintf(line, sizeof line, "%s,abc,1,1,0,u,c,e,un,open,/a\n", t);
    assert_string_equal(csv_error(line), "bad number in field pid");
    snprintf(line, sizeof line, "%s,1,,1,0,u,c,e,un,open,/a\n", t);
    assert_string_equal(csv_error(line), "bad number in field tid");
    snprintf(line, sizeof line, "%s,1,1,2147483648,0,u,c,e,un,open,/a\n", t);
    assert_string_equal(csv_error(line), "bad number in field ppid");
    snprintf(line, sizeof line, "%s,1,1,1,-1,u,c,e,un,open,/a\n", t);
    assert_string_equal(csv_error(line), "bad number in field uid");
    snprintf(line, sizeof line, "%s,1,1,1,4294967296,u,c,e,un,open,/a\n", t);
    assert_string_equal(csv_error(line), "bad number in field uid");
    snprintf(line, sizeof line, "%s,1.5,1,1,0,u,c,e,un,open,/a\n", t);
    assert_string_equal(csv_error(line), "bad number in field pid");
    /* Limits themselves are fine. */
    snprintf(line, sizeof line, "%s,-2147483648,2147483647,0,4294967295,u,c,e,un,open,/a\n", t);
    struct outcome o = parse1(parser(EXPORT_CSV), line, strlen(line));
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.rec.pid, INT32_MIN);
    assert_int_equal(o.rec.uid, UINT32_MAX);
}

static void csv_error_unknown_event_type(void **state)
{
    (void)state;
    assert_string_equal(csv_error(GOOD "open|frobnicate,/a\n"), "unknown event type 'frobnicate'");
    assert_string_equal(csv_error(GOOD ",/a\n"), "missing event type");
    assert_string_equal(csv_error(GOOD "open||access,/a\n"), "unknown event type ''");
    /* A name from the file is shown only as printable ASCII. */
    assert_string_equal(csv_error(GOOD "\x1b[2J\xff,/a\n"), "unknown event type '?[2J?'");
}

static void csv_error_structure(void **state)
{
    (void)state;
    assert_string_equal(csv_error(GOOD "open,/a\"b\n"), "stray quote in unquoted field");
    assert_string_equal(csv_error(GOOD "open,\"/a\"b\n"), "text after closing quote");
    assert_string_equal(csv_error(GOOD "open,/a\rb\n"), "bare CR in unquoted field");
    const char nul[] = GOOD "open,/a\0b\n";
    struct outcome o = parse1(parser(EXPORT_CSV), nul, sizeof nul - 1);
    assert_int_equal(o.st, REPLAY_BAD);
    assert_string_equal(o.err, "NUL byte in field");
    assert_int_equal(o.used, sizeof nul - 1); /* the whole line is dropped */
}

static void csv_error_line_too_long_then_resyncs(void **state)
{
    (void)state;
    size_t big = REPLAY_MAX_RECORD + 100;
    size_t len = strlen(GOOD) + 5 + big + 1 + strlen(GOOD_LINE);
    char *in = malloc(len + 1);
    size_t o = (size_t)sprintf(in, GOOD "open,");
    memset(in + o, 'x', big);
    o += big;
    in[o++] = '\n';
    strcpy(in + o, GOOD_LINE);
    char *out = malloc(1 << 16);
    collect(EXPORT_CSV, in, len, 4096, out, 1 << 16);
    assert_non_null(strstr(out, "2:BAD line too long\n"));
    assert_non_null(strstr(out, "\n3:"));
    free(out);
    free(in);
}

static void csv_bad_line_reports_its_line_number(void **state)
{
    (void)state;
    const char in[] = GOOD_LINE GOOD "open,\"a\nb\"\n" GOOD "nope,/a\n" GOOD_LINE;
    char out[4096];
    collect(EXPORT_CSV, in, sizeof in - 1, sizeof in, out, sizeof out);
    assert_non_null(strstr(out, "5:BAD unknown event type 'nope'\n6:"));
}

static void csv_streaming_in_any_chunks_gives_the_same_records(void **state)
{
    (void)state;
    const char in[] =
        GOOD "open,\"/q\"\"\n,\r\n\"\n\n" GOOD "bad|x,/a\n" GOOD "close_write,\"\"\r\n" GOOD
             "open,\"/unterminated\n" GOOD_LINE GOOD "overflow,";
    char whole[8192], part[8192];
    collect(EXPORT_CSV, in, sizeof in - 1, sizeof in, whole, sizeof whole);
    assert_non_null(strstr(whole, "BAD unknown event type 'bad'"));
    assert_non_null(strstr(whole, "BAD unterminated quote"));
    assert_non_null(strstr(whole, ",8192,0:\n")); /* the overflow record at EOF */
    for (size_t chunk = 1; chunk < 40; chunk++) {
        collect(EXPORT_CSV, in, sizeof in - 1, chunk, part, sizeof part);
        assert_string_equal(part, whole);
    }
}

/* ---- JSON Lines ---- */

static void json_record_gives_every_field_in_any_key_order(void **state)
{
    (void)state;
    const char line[] = " { \"path\" : \"/etc/hosts\", \"event\":\"open|access\", \"x\":[1,{\"y\":"
                        "null},true,false,-1.5e3,\"s\"], \"pid\":4242,\"tid\":4243,\"ppid\":1,"
                        "\"uid\":1000,\"user\":\"alice\",\"comm\":\"cat\",\"exe\":\"/usr/bin/cat\","
                        "\"unit\":\"ssh.service\",\"time\":\"2026-11-22T10:00:00.000001Z\"}\r\n";
    struct outcome o = parse1(parser(EXPORT_JSONL), line, sizeof line - 1);
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.used, sizeof line - 1);
    assert_int_equal(o.rec.time_ns, INT64_C(1795341600000001000));
    assert_int_equal(o.rec.pid, 4242);
    assert_int_equal(o.rec.tid, 4243);
    assert_int_equal(o.rec.ppid, 1);
    assert_int_equal(o.rec.uid, 1000);
    assert_string_equal(o.rec.user.s, "alice");
    assert_string_equal(o.rec.comm.s, "cat");
    assert_string_equal(o.rec.exe.s, "/usr/bin/cat");
    assert_string_equal(o.rec.unit.s, "ssh.service");
    assert_int_equal(o.rec.types, FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS));
    assert_string_equal(o.rec.path.s, "/etc/hosts");
}

static void json_defaults_for_missing_optional_keys(void **state)
{
    (void)state;
    const char line[] = "{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":7,\"event\":\"open\","
                        "\"path\":\"/a\"}";
    struct outcome o = parse1(parser(EXPORT_JSONL), line, sizeof line - 1);
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.rec.tid, 7);
    assert_int_equal(o.rec.ppid, 0);
    assert_int_equal(o.rec.uid, 0);
    assert_string_equal(o.rec.comm.s, "");
    /* An overflow marker needs no path. */
    const char ovf[] = "{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":0,\"event\":\"overflow\"}";
    o = parse1(parser(EXPORT_JSONL), ovf, sizeof ovf - 1);
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.rec.types, FA_BIT(FA_OVERFLOW));
}

static void json_escapes_decode_and_lone_surrogates_give_bytes_back(void **state)
{
    (void)state;
    const char line[] = "{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":1,\"event\":\"open\","
                        "\"path\":\"\\/a\\\"\\\\\\b\\f\\n\\r\\t\\u00e9\\u65e5\\ud83c\\udf89"
                        "\\udcff\\udc80\\u0001 \xc3\xa9\"}";
    struct outcome o = parse1(parser(EXPORT_JSONL), line, sizeof line - 1);
    assert_int_equal(o.st, REPLAY_RECORD);
    const char want[] = "/a\"\\\b\f\n\r\t\xc3\xa9\xe6\x97\xa5\xf0\x9f\x8e\x89\xff\x80\x01 \xc3\xa9";
    assert_int_equal(o.rec.path.len, sizeof want - 1);
    assert_memory_equal(o.rec.path.s, want, sizeof want - 1);
}

static void json_errors_have_messages(void **state)
{
    (void)state;
    const char *pre = "{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":1,\"event\":\"open\",";
    char line[512];
#define JERR(tail, msg)                                                                            \
    do {                                                                                           \
        snprintf(line, sizeof line, "%s%s\n", pre, tail);                                          \
        assert_string_equal(json_error(line), msg);                                                \
    } while (0)
    assert_string_equal(json_error("[1,2]\n"), "invalid JSON: expected '{'");
    assert_string_equal(json_error("{\"time\" \"x\"}\n"), "invalid JSON: expected ':'");
    assert_string_equal(json_error("{time:1}\n"), "invalid JSON: expected a key");
    JERR("\"path\":\"/a}", "invalid JSON: unterminated string");
    JERR("\"path\":\"/a\\q\"}", "invalid JSON: bad escape");
    JERR("\"path\":\"/a\\u12\"}", "invalid JSON: bad \\u escape");
    JERR("\"path\":\"\\ud800\"}", "invalid JSON: lone surrogate");
    JERR("\"path\":\"\\ud800\\u0041\"}", "invalid JSON: lone surrogate");
    JERR("\"path\":\"\\udc41\"}", "invalid JSON: lone surrogate");
    JERR("\"path\":\"\\u0000\"}", "NUL character in string");
    JERR("\"path\":\"a\tb\"}", "invalid JSON: control character in string");
    JERR("\"path\":\"/a\"} x", "invalid JSON: text after the object");
    JERR("\"path\":\"/a\" \"x\":1}", "invalid JSON: expected ',' or '}'");
    JERR("\"path\":\"/a\",\"x\":tru}", "invalid JSON: bad value");
    JERR("\"path\":\"/a\",\"x\":[1 2]}", "invalid JSON: expected ',' or ']'");
    JERR("\"path\":\"/a\",\"uid\":1.5}", "bad number in field uid");
    JERR("\"path\":\"/a\",\"ppid\":\"12\"}", "bad number in field ppid");
    JERR("\"path\":\"/a\",\"tid\":99999999999}", "bad number in field tid");
    JERR("\"path\":\"/a\",\"user\":5}", "field user: expected a string");
    JERR("\"path\":\"/a\",\"event\":\"opn\"}", "unknown event type 'opn'");
    JERR("\"path\":\"/a\",\"time\":\"yesterday\"}", "bad time");
    JERR("\"comm\":\"x\"}", "missing field path");
#undef JERR
    assert_string_equal(json_error("{\"pid\":1,\"event\":\"open\",\"path\":\"/a\"}\n"),
                        "missing field time");
    assert_string_equal(json_error("{\"time\":\"2026-11-22T10:00:00Z\",\"event\":\"open\"}\n"),
                        "missing field pid");
    assert_string_equal(json_error("{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":1}\n"),
                        "missing field event");
    char deep[200] = "{\"x\":";
    for (int i = 0; i < 40; i++)
        strcat(deep, "[");
    strcat(deep, "\n");
    assert_string_equal(json_error(deep), "invalid JSON: nested too deep");
}

static void json_streaming_and_line_numbers(void **state)
{
    (void)state;
    const char in[] =
        "{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":1,\"event\":\"open\",\"path\":\"/a\"}"
        "\n\n   \n{oops}\n{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":2,\"event\":"
        "\"open\",\"path\":\"/b\"}";
    char whole[4096], part[4096];
    collect(EXPORT_JSONL, in, sizeof in - 1, sizeof in, whole, sizeof whole);
    assert_non_null(strstr(whole, "2:"));
    assert_non_null(strstr(whole, "5:BAD invalid JSON: expected a key\n6:"));
    for (size_t chunk = 1; chunk < 30; chunk += 3) {
        collect(EXPORT_JSONL, in, sizeof in - 1, chunk, part, sizeof part);
        assert_string_equal(part, whole);
    }
}

/* ---- times and round trips ---- */

static void time_parse_inverts_the_writer(void **state)
{
    (void)state;
    int64_t samples[] = {0,
                         1000,
                         -1000,
                         INT64_C(1795389288123456000),
                         INT64_C(951782400) * 1000000000,
                         INT64_C(-2208988800) * 1000000000 + 5000,
                         INT64_MAX / 1000 * 1000,
                         INT64_MIN / 1000 * 1000 + 1000000000,
                         INT64_MIN / 1000 * 1000};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char buf[40];
        size_t n = iso8601_format(samples[i], buf, sizeof buf);
        int64_t back;
        assert_true(iso8601_parse(buf, n, &back));
        assert_int_equal(back, samples[i]);
    }
    int64_t ns;
    assert_true(iso8601_parse("2026-11-22T10:00:00.5Z", 22, &ns));
    assert_int_equal(ns % 1000000000, 500000000);
    assert_true(iso8601_parse("2026-11-22T10:00:00.123456789Z", 30, &ns));
    assert_int_equal(ns % 1000000000, 123456789);
}

static void writer_output_parses_back_to_the_same_event(void **state)
{
    (void)state;
    const char *paths[] = {"/plain",
                           "/a,b",
                           "say \"hi\"",
                           "l1\nl2\r\n",
                           "=1+2",
                           "\xff\xfe\\",
                           "\xed\xa0\x80\xc0\xaf\xe2\x82",
                           "h\xc3\xa9 \xf0\x9f\x8e\x89",
                           "",
                           "\""};
    struct fa_proc p = {.id = 3,
                        .pid = -5,
                        .ppid = 2147483647,
                        .uid = 4294967295u,
                        .user = "u,\"",
                        .comm = "c\n\xff",
                        .exe = "\\e",
                        .cmdline = "",
                        .unit = "docker:abc"};
    for (int fmt = EXPORT_CSV; fmt <= EXPORT_JSONL; fmt++) {
        for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
            struct fa_event ev = {.time_ns = INT64_C(1795389288123456000),
                                  .tid = 9,
                                  .types = FA_BIT(FA_CREATE) | FA_BIT(FA_MOVED_TO),
                                  .proc = &p,
                                  .path = paths[i],
                                  .path_len = strlen(paths[i])};
            size_t len;
            char *line = recwriter_line(&ev, fmt, &len);
            struct outcome o =
                parse1(parser(fmt), line, len);
            assert_int_equal(o.st, REPLAY_RECORD);
            assert_int_equal(o.used, len);
            assert_int_equal(o.rec.time_ns, ev.time_ns);
            assert_int_equal(o.rec.pid, p.pid);
            assert_int_equal(o.rec.tid, 9);
            assert_int_equal(o.rec.ppid, p.ppid);
            assert_int_equal(o.rec.uid, p.uid);
            assert_string_equal(o.rec.user.s, p.user);
            assert_string_equal(o.rec.comm.s, p.comm);
            assert_string_equal(o.rec.exe.s, p.exe);
            assert_string_equal(o.rec.unit.s, p.unit);
            assert_int_equal(o.rec.types, ev.types);
            assert_int_equal(o.rec.path.len, ev.path_len);
            assert_memory_equal(o.rec.path.s, ev.path, ev.path_len);
            free(line);
        }
    }
}

/* ---- the replay source ---- */

struct got {
    int events;
    char paths[64][64];
    const struct fa_proc *procs[64];
    char notice[256];
};

static void on_event(const struct fa_event *ev, void *ctx)
{
    struct got *g = ctx;
    if (g->events < 64) {
        snprintf(g->paths[g->events], sizeof g->paths[0], "%.*s", (int)ev->path_len, ev->path);
        g->procs[g->events] = ev->proc;
    }
    g->events++;
}

static void on_notice(const char *text, void *ctx)
{
    struct got *g = ctx;
    snprintf(g->notice, sizeof g->notice, "%s", text);
}

static void nap_ms(int ms)
{
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* Drain until the source has finished and the ring is empty. */
static void drain_all(struct source *src, struct ring *r, struct proctab *tab, struct got *g)
{
    struct wire_sink sink = {on_event, on_notice, g};
    for (;;) {
        bool done = source_finished(src);
        if (wire_drain(r, 0, tab, &sink) == 0 && done)
            break;
        if (!done)
            nap_ms(1);
    }
}

static char *write_temp(const char *content, size_t len)
{
    static char path[64];
    strcpy(path, "/tmp/fanotop-test-replay.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, len), (ssize_t)len);
    close(fd);
    return path;
}

/* A recording in a file, replayed to its end into a proctab. */
struct replayed {
    char *path;
    struct ring *r;
    struct proctab *tab;
    struct source *src;
    struct got g;
};

static void replay_text(struct replayed *x, const char *in, size_t len)
{
    memset(x, 0, sizeof *x);
    x->path = write_temp(in, len);
    x->r = ring_create(1 << 16);
    x->tab = proctab_create();
    char err[256];
    x->src = replay_start(x->path, 0, x->r, err, sizeof err);
    assert_non_null(x->src);
    drain_all(x->src, x->r, x->tab, &x->g);
}

static void replayed_free(struct replayed *x)
{
    source_stop(x->src);
    proctab_destroy(x->tab);
    ring_destroy(x->r);
    unlink(x->path);
}

static void replay_start_refuses_empty_missing_and_foreign_files(void **state)
{
    (void)state;
    struct ring *r = ring_create(1 << 16);
    char err[256];
    assert_null(replay_start("/nonexistent/rec.csv", 0, r, err, sizeof err));
    assert_string_equal(err, "replay: /nonexistent/rec.csv: No such file or directory");
    char *p = write_temp("", 0);
    assert_null(replay_start(p, 0, r, err, sizeof err));
    char want[256];
    snprintf(want, sizeof want, "replay: %s: empty file", p);
    assert_string_equal(err, want);
    unlink(p);
    p = write_temp("path,events\n/a,1\n", 17);
    assert_null(replay_start(p, 0, r, err, sizeof err));
    snprintf(want, sizeof want,
             "replay: %s: not a fanotop recording (expected the CSV header time,pid,... or JSON "
             "Lines)",
             p);
    assert_string_equal(err, want);
    unlink(p);
    assert_null(replay_start("/tmp", 0, r, err, sizeof err));
    assert_string_equal(err, "replay: /tmp: Is a directory");
    ring_destroy(r);
}

static void replay_file_feeds_events_identities_and_a_malformed_notice(void **state)
{
    (void)state;
    const char in[] = HDR "2026-11-22T10:00:00Z,10,10,1,0,root,sh,/bin/sh,,open,/a\n"
                          "2026-11-22T10:00:01Z,10,11,1,0,root,sh,/bin/sh,,access,/b\n"
                          "not a line\n"
                          "2026-11-22T10:00:02Z,10,10,1,0,root,ls,/bin/ls,,open_exec,/bin/ls\n"
                          "2026-11-22T10:00:03Z,0,0,0,0,,,,,overflow,\n"
                          "2026-11-22T10:00:04Z,10,10,1,0,root,sh,/bin/sh,,bogus,/c\n"
                          "2026-11-22T10:00:05Z,10,10,1,0,root,sh,/bin/sh,,modify,/d\n";
    struct replayed x;
    replay_text(&x, in, sizeof in - 1);
    struct source *src = x.src;
    const struct got g = x.g;
    assert_int_equal(source_status(src), 0);
    assert_int_equal(g.events, 5);
    assert_string_equal(g.paths[0], "/a");
    assert_string_equal(g.paths[2], "/bin/ls");
    assert_string_equal(g.paths[3], "");
    assert_string_equal(g.paths[4], "/d");
    /* Same tuple: same identity; exec (new comm): a new one; back: another. */
    assert_ptr_equal(g.procs[0], g.procs[1]);
    assert_string_equal(g.procs[0]->comm, "sh");
    assert_string_equal(g.procs[0]->cmdline, "");
    assert_string_equal(g.procs[2]->comm, "ls");
    assert_int_equal(g.procs[2]->pid, 10);
    assert_true(g.procs[2]->id != g.procs[0]->id);
    assert_string_equal(g.procs[4]->comm, "sh");
    assert_true(g.procs[4]->id != g.procs[2]->id);
    assert_string_equal(g.notice,
                        "replay: 2 malformed lines skipped, first at line 4: wrong field count: 1, "
                        "expected 14");
    struct source_stats st;
    source_get_stats(src, &st);
    assert_int_equal(st.events, 4);
    assert_int_equal(st.overflows, 1);
    assert_int_equal(st.errors, 2);
    replayed_free(&x);
}

static void replay_jsonl_gives_back_the_original_bytes(void **state)
{
    (void)state;
    const char in[] = "{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":5,\"event\":\"open\","
                      "\"path\":\"/x\\udcff\\udcfe\"}\n"
                      "{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":5,\"event\":\"open\"}\n";
    struct replayed x;
    replay_text(&x, in, sizeof in - 1);
    assert_int_equal(x.g.events, 1);
    assert_string_equal(x.g.paths[0], "/x\xff\xfe");
    assert_string_equal(x.g.notice,
                        "replay: 1 malformed line skipped, at line 2: missing field path");
    replayed_free(&x);
}

static void replay_streams_from_a_pipe_before_it_ends(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    int saved = dup(STDIN_FILENO);
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    const char first[] = HDR "2026-11-22T10:00:00Z,10,10,1,0,root,sh,/bin/sh,,open,\"/a\n";
    assert_int_equal(write(fds[1], first, sizeof first - 1), (ssize_t)sizeof first - 1);
    struct ring *r = ring_create(1 << 16);
    struct proctab *tab = proctab_create();
    char err[256];
    struct source *src = replay_start("-", 0, r, err, sizeof err);
    assert_non_null(src);
    struct got g = {0};
    struct wire_sink sink = {on_event, on_notice, &g};
    /* The quoted field is still open: nothing may come out yet. */
    nap_ms(50);
    wire_drain(r, 0, tab, &sink);
    assert_int_equal(g.events, 0);
    const char rest[] = "b\"\n";
    assert_int_equal(write(fds[1], rest, 3), 3);
    /* The writer stays open: the event must arrive anyway (generous bound). */
    for (int i = 0; i < 5000 && g.events == 0; i++) {
        wire_drain(r, 0, tab, &sink);
        nap_ms(1);
    }
    assert_int_equal(g.events, 1);
    assert_string_equal(g.paths[0], "/a\nb");
    assert_false(source_finished(src));
    /* Stopping while the thread waits on the silent pipe returns promptly. */
    source_stop(src);
    close(fds[1]);
    dup2(saved, STDIN_FILENO);
    close(saved);
    proctab_destroy(tab);
    ring_destroy(r);
}

/* ---- the start field and process lines ---- */

#define V1 EXPORT_RECORD_HEADER_V1 "\n"

static void first_format_without_start_still_reads(void **state)
{
    (void)state;
    size_t skip;
    assert_int_equal(replay_detect(V1 GOOD_LINE, strlen(V1 GOOD_LINE), false, &skip),
                     REPLAY_DETECT_CSV);
    assert_int_equal(skip, strlen(V1));
    /* Only the old header, streaming: it may yet go on as the new one. */
    assert_int_equal(replay_detect(V1, strlen(V1) - 1, false, &skip), REPLAY_DETECT_MORE);
    assert_int_equal(replay_detect(V1, strlen(V1) - 1, true, &skip), REPLAY_DETECT_CSV);
    /* Lines of either kind, and either header again (cat old new). */
    const char in[] = GOOD "open,/old\n" HDR GOOD "open,/new,2026-11-22T09:00:00.5Z\n" V1
        GOOD "open,/old2\n";
    char out[4096];
    collect(EXPORT_CSV, in, sizeof in - 1, sizeof in, out, sizeof out);
    assert_null(strstr(out, "BAD"));
    assert_non_null(strstr(out, ":/old\n"));
    assert_non_null(strstr(out, ":/new\n"));
    assert_non_null(strstr(out, ":/old2\n"));
    struct outcome o = parse1(parser(EXPORT_CSV), GOOD_LINE, strlen(GOOD_LINE));
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.rec.start_ns, 0);
}

/* Every layout the header has had: before start (V1), start without
 * container and cpath (V2), all three; a header of any other length is
 * none, and so is a record of another field count. */
static void every_earlier_layout_reads(void **state)
{
    (void)state;
    static const char *const headers[] = {EXPORT_RECORD_HEADER_V1 "\n",
                                          EXPORT_RECORD_HEADER_V2 "\n", HDR};
    size_t skip;
    for (size_t i = 0; i < 3; i++) {
        size_t hl = strlen(headers[i]);
        assert_int_equal(replay_detect(headers[i], hl, false, &skip), REPLAY_DETECT_CSV);
        assert_int_equal(skip, hl);
    }
    const char cut[] = EXPORT_RECORD_HEADER_V2 ",container\n";
    assert_int_equal(replay_detect(cut, strlen(cut), true, &skip), REPLAY_DETECT_UNKNOWN);
    /* The records of each, and each header again (recordings concatenated;
     * the last one without a line end). */
    const char in[] = GOOD
        "open,/v1\n" EXPORT_RECORD_HEADER_V2 "\n" GOOD "open,/v2,2026-11-22T09:00:00.5Z\n" HDR GOOD
        "open,/v3,2026-11-22T09:00:00.5Z,docker:web-1,/etc/x\n" EXPORT_RECORD_HEADER_V1 "\n" GOOD
        "open,/v1again\n" GOOD "open,/bad,,docker:web-1\n" EXPORT_RECORD_HEADER_V2;
    char out[4096];
    collect(EXPORT_CSV, in, sizeof in - 1, 7, out, sizeof out);
    assert_non_null(strstr(out, ":/v1\n"));
    assert_non_null(strstr(out, ":/v2\n"));
    assert_non_null(strstr(out, ":/v3\n"));
    assert_non_null(strstr(out, ":/v1again\n"));
    assert_non_null(strstr(out, "BAD wrong field count: 13, expected 14\n"));
    const char *bad = strstr(out, "BAD");
    assert_null(strstr(bad + 3, "BAD")); /* the only one */
    /* What each carries: start from V2 on, container and cpath in the last. */
    const char v2[] = GOOD "open,/v2,2026-11-22T09:00:00.5Z\n";
    struct outcome o = parse1(parser(EXPORT_CSV), v2, strlen(v2));
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.rec.start_ns, INT64_C(1795338000500000000));
    assert_int_equal(o.rec.container.len, 0);
    assert_int_equal(o.rec.cpath.len, 0);
    const char v3[] = GOOD "open,/v3,,docker:web-1,/etc/x\n";
    o = parse1(parser(EXPORT_CSV), v3, strlen(v3));
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.rec.start_ns, 0);
    assert_string_equal(o.rec.container.s, "docker:web-1");
    assert_string_equal(o.rec.cpath.s, "/etc/x");
    const char v1[] = GOOD "open,/v1\n";
    o = parse1(parser(EXPORT_CSV), v1, strlen(v1));
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.rec.start_ns, 0);
    assert_int_equal(o.rec.container.len + o.rec.cpath.len, 0);
    /* JSON Lines: the keys a layout lacks are empty. */
    const char j[] =
        "{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":1,\"event\":\"open\",\"path\":\"/a\","
        "\"container\":\"podman:db\"}\n";
    o = parse1(parser(EXPORT_JSONL), j, strlen(j));
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_string_equal(o.rec.container.s, "podman:db");
    assert_int_equal(o.rec.start_ns, 0);
    assert_int_equal(o.rec.cpath.len, 0);
}

static void start_field_and_process_lines_parse(void **state)
{
    (void)state;
    const char line[] = GOOD "open,/a,2026-11-22T09:00:00.250000Z\n";
    struct outcome o = parse1(parser(EXPORT_CSV), line, strlen(line));
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.rec.start_ns, INT64_C(1795338000250000000));
    /* A process line: no event type, no path. */
    const char proc[] = GOOD ",,2026-11-22T09:00:00Z\n";
    o = parse1(parser(EXPORT_CSV), proc, strlen(proc));
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.rec.types, 0);
    assert_string_equal(o.rec.comm.s, "cat");
    assert_string_equal(csv_error(GOOD ",/a,\n"), "missing event type");
    assert_string_equal(csv_error(GOOD "open,/a,yesterday\n"), "bad start time");
    /* JSON Lines: the start key, a process line. */
    const char js[] = "{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":5,\"ppid\":4,\"event\":\"\","
                      "\"path\":\"\",\"start\":\"2026-11-22T09:00:00Z\"}\n";
    o = parse1(parser(EXPORT_JSONL), js, strlen(js));
    assert_int_equal(o.st, REPLAY_RECORD);
    assert_int_equal(o.rec.types, 0);
    assert_int_equal(o.rec.ppid, 4);
    assert_int_equal(o.rec.start_ns, INT64_C(1795338000) * 1000000000);
    assert_string_equal(json_error("{\"time\":\"2026-11-22T10:00:00Z\",\"pid\":5,"
                                   "\"event\":\"open\",\"path\":\"/a\",\"start\":7}\n"),
                        "field start: expected a string");
}

/* A replay of a record with process lines rebuilds the process links. */
static void replay_links_processes_through_process_lines(void **state)
{
    (void)state;
    const char in[] = HDR "2026-11-22T10:00:00Z,900,900,800,0,root,bash,/bin/bash,,,,"
                          "2026-11-22T09:00:00Z\n"
                          "2026-11-22T10:00:01Z,950,950,900,0,root,sed,/bin/sed,,open,/etc/x,"
                          "2026-11-22T09:30:00Z\n";
    struct replayed x;
    replay_text(&x, in, sizeof in - 1);
    assert_int_equal(x.g.events, 1); /* a process line is no event */
    assert_string_equal(x.g.procs[0]->comm, "sed");
    assert_non_null(x.g.procs[0]->parent);
    assert_string_equal(x.g.procs[0]->parent->comm, "bash");
    assert_int_equal(x.g.procs[0]->start_ns, INT64_C(1795339800) * 1000000000);
    replayed_free(&x);
}

static void replay_never_drops_when_the_ring_is_full(void **state)
{
    (void)state;
    size_t n = 20000, len = 0;
    char *in = malloc(n * 80 + 100);
    len += (size_t)sprintf(in, HDR);
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(in + len, "2026-11-22T10:00:00Z,%zu,1,1,0,u,c,e,,open,/f%zu\n",
                               i % 7, i);
    char *path = write_temp(in, len);
    struct ring *r = ring_create(4096); /* far smaller than the file */
    struct proctab *tab = proctab_create();
    char err[256];
    struct source *src = replay_start(path, 0, r, err, sizeof err);
    assert_non_null(src);
    struct got g = {0};
    drain_all(src, r, tab, &g);
    assert_int_equal(g.events, n);
    assert_int_equal(ring_losses(r), 0);
    source_stop(src);
    proctab_destroy(tab);
    ring_destroy(r);
    unlink(path);
    free(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detect_tells_csv_jsonl_empty_and_other),
        cmocka_unit_test(detect_waits_for_the_whole_header_when_streaming),
        cmocka_unit_test(csv_record_gives_every_field),
        cmocka_unit_test(csv_quoted_fields_unquote_across_lines),
        cmocka_unit_test(csv_accepts_crlf_and_a_last_line_without_newline),
        cmocka_unit_test(csv_skips_blank_lines_and_repeated_headers),
        cmocka_unit_test(csv_error_unterminated_quote),
        cmocka_unit_test(csv_unterminated_quote_costs_one_line),
        cmocka_unit_test(csv_error_wrong_field_count),
        cmocka_unit_test(csv_error_bad_time),
        cmocka_unit_test(csv_error_bad_number),
        cmocka_unit_test(csv_error_unknown_event_type),
        cmocka_unit_test(csv_error_structure),
        cmocka_unit_test(csv_error_line_too_long_then_resyncs),
        cmocka_unit_test(csv_bad_line_reports_its_line_number),
        cmocka_unit_test(csv_streaming_in_any_chunks_gives_the_same_records),
        cmocka_unit_test(json_record_gives_every_field_in_any_key_order),
        cmocka_unit_test(json_defaults_for_missing_optional_keys),
        cmocka_unit_test(json_escapes_decode_and_lone_surrogates_give_bytes_back),
        cmocka_unit_test(json_errors_have_messages),
        cmocka_unit_test(json_streaming_and_line_numbers),
        cmocka_unit_test(time_parse_inverts_the_writer),
        cmocka_unit_test(writer_output_parses_back_to_the_same_event),
        cmocka_unit_test(replay_start_refuses_empty_missing_and_foreign_files),
        cmocka_unit_test(replay_file_feeds_events_identities_and_a_malformed_notice),
        cmocka_unit_test(replay_jsonl_gives_back_the_original_bytes),
        cmocka_unit_test(replay_streams_from_a_pipe_before_it_ends),
        cmocka_unit_test(replay_never_drops_when_the_ring_is_full),
        cmocka_unit_test(first_format_without_start_still_reads),
        cmocka_unit_test(every_earlier_layout_reads),
        cmocka_unit_test(start_field_and_process_lines_parse),
        cmocka_unit_test(replay_links_processes_through_process_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
