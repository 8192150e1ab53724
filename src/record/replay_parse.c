#include "config.h"

#include "record/replay_parse.h"

#include "base/event.h"
#include "record/export.h"

#include <stdio.h>
#include <string.h>

#define NFIELDS    12
#define NFIELDS_V1 11 /* files from before start came */

/* The headers a recording may start with, newest first. */
static const char *const record_headers[] = {EXPORT_RECORD_HEADER, EXPORT_RECORD_HEADER_V1};
#define NHEADERS (sizeof record_headers / sizeof record_headers[0])

enum field {
    F_TIME,
    F_PID,
    F_TID,
    F_PPID,
    F_UID,
    F_USER,
    F_COMM,
    F_EXE,
    F_UNIT,
    F_EVENT,
    F_PATH,
    F_START
};

/* Names as in the header; also the JSON keys. */
static const char *const field_names[NFIELDS] = {"time", "pid", "tid",  "ppid",  "uid",  "user",
                                                 "comm", "exe", "unit", "event", "path", "start"};

/* Which header S (N bytes, one whole line or the start of one) is: its
 * length, 0 when N is too short to tell, -1 when it is none. */
static long header_match(const char *s, size_t n, bool whole)
{
    bool maybe = false;
    for (size_t i = 0; i < NHEADERS; i++) {
        size_t hl = strlen(record_headers[i]);
        if (memcmp(s, record_headers[i], n < hl ? n : hl) != 0)
            continue;
        if (n < hl) {
            maybe = true;
            continue;
        }
        if (n == hl && !whole)
            return 0; /* the header may go on: wait for the line end */
        if (n == hl || s[hl] == '\n' || (s[hl] == '\r' && (n == hl + 1 || s[hl + 1] == '\n')))
            return (long)hl;
    }
    return maybe && !whole ? 0 : -1;
}

enum replay_detect replay_detect(const char *buf, size_t len, bool eof, size_t *skip)
{
    static const char bom[] = "\xef\xbb\xbf";
    size_t b = 0;
    if (len == 0)
        return eof ? REPLAY_DETECT_EMPTY : REPLAY_DETECT_MORE;
    /* Spreadsheets save CSV with a byte order mark; accept one. */
    if (memcmp(buf, bom, len < 3 ? len : 3) == 0) {
        if (len < 3)
            return eof ? REPLAY_DETECT_UNKNOWN : REPLAY_DETECT_MORE;
        b = 3;
    }
    const char *s = buf + b;
    size_t n = len - b;
    size_t ws = 0;
    while (ws < n && (s[ws] == ' ' || s[ws] == '\t' || s[ws] == '\r' || s[ws] == '\n'))
        ws++;
    if (ws < n && s[ws] == '{') {
        *skip = b; /* blank lines before it are the parser's to skip (and count) */
        return REPLAY_DETECT_JSONL;
    }
    if (n == 0 || ws == n) {
        if (!eof)
            return REPLAY_DETECT_MORE;
        return len == 0 ? REPLAY_DETECT_EMPTY : REPLAY_DETECT_UNKNOWN;
    }
    long hl = header_match(s, n, eof);
    if (hl == 0)
        return REPLAY_DETECT_MORE;
    if (hl < 0)
        return REPLAY_DETECT_UNKNOWN;
    size_t h = (size_t)hl;
    if (n > h && s[h] == '\r' && n == h + 1 && !eof)
        return REPLAY_DETECT_MORE;
    *skip = b + h + (n > h && s[h] == '\n' ? 1 : n > h + 1 ? 2 : n - h);
    return REPLAY_DETECT_CSV;
}

void replay_parser_init(struct replay_parser *p, enum replay_format fmt, uint64_t first_line)
{
    memset(p->last_second, 0, sizeof p->last_second);
    memset(p->types_memo, 0, sizeof p->types_memo);
    p->fmt = fmt;
    p->line = first_line;
    p->rec_line = first_line;
    p->skipping = false;
    p->err[0] = '\0';
}

const char *replay_parser_error(const struct replay_parser *p)
{
    return p->err;
}

static enum replay_status bad(struct replay_parser *p, const char *msg)
{
    snprintf(p->err, sizeof p->err, "%s", msg);
    return REPLAY_BAD;
}

/* Consume the rest of the physical line holding BUF[FROM]; a line that
 * continues past the buffer is dropped by the following calls. */
static void drop_line(struct replay_parser *p, const char *buf, size_t len, bool eof, size_t from,
                      size_t *used)
{
    const char *nl = from < len ? memchr(buf + from, '\n', len - from) : NULL;
    if (nl) {
        *used = (size_t)(nl - buf) + 1;
        p->line++;
    } else {
        *used = len;
        p->skipping = !eof;
    }
}

/* ---- field conversion, shared by CSV and JSON ---- */

static bool digits2(const char *s, int *v)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return false;
    *v = (s[0] - '0') * 10 + (s[1] - '0');
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date: shift the year to
 * start in March so the leap day is the last day of the year. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool replay_parse_time(const char *s, size_t len, int64_t *ns)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int c, yy, mo, d, h, mi, sec;
    if (len < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        return false;
    if (!digits2(s, &c) || !digits2(s + 2, &yy) || !digits2(s + 5, &mo) || !digits2(s + 8, &d) ||
        !digits2(s + 11, &h) || !digits2(s + 14, &mi) || !digits2(s + 17, &sec))
        return false;
    int year = c * 100 + yy;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
        h > 23 || mi > 59 || sec > 59)
        return false;
    size_t i = 19;
    int64_t frac = 0;
    if (s[i] == '.') {
        int nd = 0;
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
            if (nd == 9)
                return false;
            frac = frac * 10 + (s[i] - '0');
        }
        if (nd == 0)
            return false;
        for (; nd < 9; nd++)
            frac *= 10;
    }
    if (i + 1 != len || s[i] != 'Z')
        return false;
    int64_t secs = days_from_civil(year, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    /* int64 ns reach from 1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z. */
    const int64_t max_s = INT64_MAX / 1000000000, max_frac = INT64_MAX % 1000000000;
    if (secs > max_s || secs < -max_s - 1 || (secs == max_s && frac > max_frac) ||
        (secs == -max_s - 1 && frac < 1000000000 - max_frac - 1))
        return false;
    /* At the lower end secs * 1e9 alone would overflow: add a negative fraction. */
    *ns = secs < 0 ? (secs + 1) * 1000000000 + (frac - 1000000000) : secs * 1000000000 + frac;
    return true;
}

static bool parse_int(const char *s, size_t len, bool sign, int64_t lo, int64_t hi, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (sign && len > 0 && s[0] == '-') {
        neg = true;
        i = 1;
    }
    if (i == len)
        return false;
    int64_t v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
        if (v > hi + (neg ? 1 : 0)) /* stops before int64 could overflow */
            return false;
    }
    v = neg ? -v : v;
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static enum replay_status bad_number(struct replay_parser *p, int field)
{
    snprintf(p->err, sizeof p->err, "bad number in field %s", field_names[field]);
    return REPLAY_BAD;
}

static enum replay_status bad_type(struct replay_parser *p, const char *s, size_t len)
{
    if (len == 0)
        return bad(p, "missing event type");
    size_t i = 0, j = 0;
    for (;; i = j + 1) {
        for (j = i; j < len && s[j] != '|'; j++)
            ;
        if (fa_type_by_name(s + i, j - i) < 0 || j == len)
            break;
    }
    /* The name comes from the file: show it only as printable ASCII. */
    char name[33];
    size_t n = 0;
    for (size_t k = i; k < j && n < sizeof name - 1; k++)
        name[n++] = s[k] >= 0x20 && s[k] < 0x7f ? s[k] : '?';
    name[n] = '\0';
    snprintf(p->err, sizeof p->err, "unknown event type '%s'%s", name,
             j - i > sizeof name - 1 ? "..." : "");
    return REPLAY_BAD;
}

/* replay_parse_time, remembering the whole seconds of the last good time. */
static bool memo_time(struct replay_parser *p, const struct replay_str *t, int64_t *ns)
{
    if (t->len >= 20 && t->len <= 30 && t->s[19] == '.' && t->s[t->len - 1] == 'Z' &&
        memcmp(t->s, p->last_second, 19) == 0) {
        int64_t frac = 0;
        size_t i = 20, nd = 0;
        for (; i < t->len - 1 && t->s[i] >= '0' && t->s[i] <= '9'; i++, nd++)
            frac = frac * 10 + (t->s[i] - '0');
        if (i == t->len - 1 && nd >= 1 && nd <= 9) {
            for (; nd < 9; nd++)
                frac *= 10;
            /* Within one second no range check can fail but the last one. */
            if (p->last_second_ns <= INT64_MAX - frac) {
                *ns = p->last_second_ns + frac;
                return true;
            }
        }
    }
    if (!replay_parse_time(t->s, t->len, ns))
        return false;
    if (t->len >= 20 && t->s[19] == '.') {
        char whole[21];
        memcpy(whole, t->s, 19);
        memcpy(whole + 19, "Z", 2);
        if (replay_parse_time(whole, 20, &p->last_second_ns))
            memcpy(p->last_second, t->s, 19);
    }
    return true;
}

/* fa_types_scan, remembered for the few type sets a recording repeats. */
static bool memo_types(struct replay_parser *p, const struct replay_str *e, uint32_t *mask)
{
    if (e->len == 0)
        return false;
    /* Length and the two end letters tell the common sets apart. */
    size_t h = (e->len * 31 + (unsigned char)e->s[0] * 7 + (unsigned char)e->s[e->len - 1]) & 15;
    if (p->types_memo[h].len == e->len && memcmp(p->types_memo[h].text, e->s, e->len) == 0) {
        *mask = p->types_memo[h].mask;
        return true;
    }
    if (!fa_types_scan(e->s, e->len, '|', mask))
        return false;
    if (e->len < sizeof p->types_memo[h].text) {
        memcpy(p->types_memo[h].text, e->s, e->len);
        p->types_memo[h].len = (uint8_t)e->len;
        p->types_memo[h].mask = *mask;
    }
    return true;
}

/* F holds the 11 fields (strings NUL-terminated); fill REC. */
static enum replay_status convert(struct replay_parser *p, const struct replay_str *f,
                                  struct replay_record *rec)
{
    int64_t v;
    if (!memo_time(p, &f[F_TIME], &rec->time_ns))
        return bad(p, "bad time");
    if (!parse_int(f[F_PID].s, f[F_PID].len, true, INT32_MIN, INT32_MAX, &v))
        return bad_number(p, F_PID);
    rec->pid = (int32_t)v;
    if (!parse_int(f[F_TID].s, f[F_TID].len, true, INT32_MIN, INT32_MAX, &v))
        return bad_number(p, F_TID);
    rec->tid = (int32_t)v;
    if (!parse_int(f[F_PPID].s, f[F_PPID].len, true, INT32_MIN, INT32_MAX, &v))
        return bad_number(p, F_PPID);
    rec->ppid = (int32_t)v;
    if (!parse_int(f[F_UID].s, f[F_UID].len, false, 0, UINT32_MAX, &v))
        return bad_number(p, F_UID);
    rec->uid = (uint32_t)v;
    uint32_t types = 0;
    /* No event type and no path: a process line (an ancestor's identity). */
    bool process = f[F_EVENT].len == 0 && f[F_PATH].len == 0;
    if (!process && !memo_types(p, &f[F_EVENT], &types))
        return bad_type(p, f[F_EVENT].s, f[F_EVENT].len);
    if (types & FA_BIT(FA_OVERFLOW))
        types = FA_BIT(FA_OVERFLOW);
    rec->types = types;
    rec->start_ns = 0;
    if (f[F_START].len && (!memo_time(p, &f[F_START], &rec->start_ns) || !rec->start_ns))
        return bad(p, "bad start time");
    rec->user = f[F_USER];
    rec->comm = f[F_COMM];
    rec->exe = f[F_EXE];
    rec->unit = f[F_UNIT];
    rec->path = f[F_PATH];
    return REPLAY_RECORD;
}

/* ---- CSV ---- */

/* Bytes that end or complicate an unquoted field. */
static const unsigned char csv_special[256] = {
    ['\0'] = 1, ['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1};

/* Does BUF[I..] start like a record (a time stamp and a comma)? */
static bool looks_like_record(const char *buf, size_t len, size_t i)
{
    static const char shape[] = "DDDD-DD-DDTDD:DD:DD";
    for (size_t k = 0; k < sizeof shape - 1; k++) {
        if (i + k >= len)
            return false;
        char c = buf[i + k];
        if (shape[k] == 'D' ? c < '0' || c > '9' : c != shape[k])
            return false;
    }
    return true;
}

/* A record whose first line ends inside quotes ran on into the next lines;
 * when it then fails, that open quote is the likely fault: blame the first
 * line alone and resume at the second, so one stray quote costs one line. */
static enum replay_status csv_fail(struct replay_parser *p, const char *buf, size_t len, bool eof,
                                   size_t pos, unsigned newlines, size_t *used, const char *msg)
{
    if (newlines > 0) {
        const char *nl = memchr(buf, '\n', len);
        *used = (size_t)(nl - buf) + 1;
        p->line++;
        return bad(p, "unterminated quote");
    }
    drop_line(p, buf, len, eof, pos, used);
    return bad(p, msg);
}

static enum replay_status csv_next(struct replay_parser *p, const char *buf, size_t len, bool eof,
                                   size_t *used, struct replay_record *rec)
{
    struct replay_str f[NFIELDS];
    size_t nf = 0, i = 0;
    unsigned qnl = 0;     /* newlines inside quoted fields */
    bool term_nl = false; /* the record ended with a newline (not at EOF) */
    bool first_quoted = false;
    char *out = p->scratch;
    /* Past the limit a record is rejected, whatever the caller's buffer holds. */
    size_t lim = len < REPLAY_MAX_RECORD ? len : REPLAY_MAX_RECORD;
    bool too_long = len >= REPLAY_MAX_RECORD;

    for (;;) {
        char *start = out;
        bool quoted = i < lim && buf[i] == '"';
        if (nf == 0)
            first_quoted = quoted;
        if (quoted) {
            for (i++;; i++) {
                if (i >= lim) {
                    if (too_long)
                        return csv_fail(p, buf, len, eof, i, qnl, used, "line too long");
                    if (!eof)
                        return REPLAY_MORE;
                    if (qnl == 0) {
                        *used = len;
                        return bad(p, "unterminated quote");
                    }
                    return csv_fail(p, buf, len, eof, i, qnl, used, "unterminated quote");
                }
                char c = buf[i];
                if (c == '"') {
                    if (i + 1 >= lim && !eof && !too_long)
                        return REPLAY_MORE;
                    if (i + 1 < lim && buf[i + 1] == '"') {
                        *out++ = '"';
                        i++;
                        continue;
                    }
                    i++;
                    break;
                }
                if (c == '\0')
                    return csv_fail(p, buf, len, eof, i, qnl, used, "NUL byte in field");
                qnl += c == '\n';
                *out++ = c;
            }
        } else {
            size_t from = i;
            while (i < lim && !csv_special[(unsigned char)buf[i]])
                i++;
            memcpy(out, buf + from, i - from);
            out += i - from;
            if (i < lim && buf[i] == '"')
                return csv_fail(p, buf, len, eof, i, qnl, used, "stray quote in unquoted field");
            if (i < lim && buf[i] == '\0')
                return csv_fail(p, buf, len, eof, i, qnl, used, "NUL byte in field");
        }
        *out++ = '\0';
        if (nf < NFIELDS)
            f[nf] = (struct replay_str){start, (size_t)(out - 1 - start)};
        nf++;

        /* The delimiter: a comma, a line end, or the end of the input. */
        if (i >= lim) {
            if (too_long)
                return csv_fail(p, buf, len, eof, i, qnl, used, "line too long");
            if (!eof)
                return REPLAY_MORE;
            *used = i;
            break;
        }
        char c = buf[i];
        if (c == ',') {
            i++;
            continue;
        }
        if (c == '\n') {
            *used = i + 1;
            term_nl = true;
            break;
        }
        if (c == '\r' && i + 1 >= lim && !eof && !too_long)
            return REPLAY_MORE;
        if (c == '\r' && (i + 1 == len || buf[i + 1] == '\n')) {
            term_nl = i + 1 < len;
            *used = i + 1 + term_nl;
            break;
        }
        return csv_fail(p, buf, len, eof, i, qnl, used,
                        quoted ? "text after closing quote" : "bare CR in unquoted field");
    }

    /* A whole record: its extent is known from here on. */
    if (nf == 1 && f[0].len == 0 && !first_quoted) {
        p->line += term_nl;
        return REPLAY_SKIP; /* a blank line */
    }
    enum replay_status st;
    if (nf != NFIELDS && nf != NFIELDS_V1) {
        snprintf(p->err, sizeof p->err, "wrong field count: %zu, expected %d", nf, NFIELDS);
        st = REPLAY_BAD;
    } else {
        if (nf == NFIELDS_V1)
            f[F_START] = (struct replay_str){"", 0};
        st = convert(p, f, rec);
    }
    if (st != REPLAY_RECORD && qnl > 0) {
        /* A legitimate name may hold a newline; but when the next line looks
         * like a record of its own, the quote that swallowed it is the fault. */
        size_t next = (size_t)((const char *)memchr(buf, '\n', len) - buf) + 1;
        if (looks_like_record(buf, len, next)) {
            *used = next;
            p->line++;
            return bad(p, "unterminated quote");
        }
    }
    p->line += qnl + term_nl;
    return st;
}

/* ---- JSON Lines ---- */

struct jp {
    const char *s;
    size_t i, n;
    char *out; /* next free byte of the scratch */
    const char *err;
};

static void jws(struct jp *j)
{
    while (j->i < j->n &&
           (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\r' || j->s[j->i] == '\n'))
        j->i++;
}

static bool jfail(struct jp *j, const char *msg)
{
    if (!j->err)
        j->err = msg;
    return false;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool jhex4(struct jp *j, unsigned *cp)
{
    if (j->i + 4 > j->n)
        return jfail(j, "invalid JSON: bad \\u escape");
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(j->s[j->i + k]);
        if (h < 0)
            return jfail(j, "invalid JSON: bad \\u escape");
        v = v << 4 | (unsigned)h;
    }
    j->i += 4;
    *cp = v;
    return true;
}

static void put_utf8(struct jp *j, unsigned cp)
{
    if (cp < 0x80) {
        *j->out++ = (char)cp;
    } else if (cp < 0x800) {
        *j->out++ = (char)(0xc0 | cp >> 6);
        *j->out++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *j->out++ = (char)(0xe0 | cp >> 12);
        *j->out++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *j->out++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *j->out++ = (char)(0xf0 | cp >> 18);
        *j->out++ = (char)(0x80 | (cp >> 12 & 0x3f));
        *j->out++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *j->out++ = (char)(0x80 | (cp & 0x3f));
    }
}

/* A string at s[i] == '"', unescaped into the scratch (NUL-terminated).
 * Every escape is at least as long as what it stands for, so the scratch
 * never needs more than the line's length. */
static bool jstring(struct jp *j, struct replay_str *dst)
{
    char *start = j->out;
    for (j->i++;;) {
        size_t k = j->i;
        while (k < j->n && j->s[k] != '"' && j->s[k] != '\\' && (unsigned char)j->s[k] >= 0x20)
            k++;
        memcpy(j->out, j->s + j->i, k - j->i);
        j->out += k - j->i;
        j->i = k;
        if (k >= j->n)
            return jfail(j, "invalid JSON: unterminated string");
        char c = j->s[k];
        j->i++;
        if (c == '"')
            break;
        if (c != '\\')
            return jfail(j, "invalid JSON: control character in string");
        if (j->i >= j->n)
            return jfail(j, "invalid JSON: unterminated string");
        char e = j->s[j->i++];
        unsigned cp;
        switch (e) {
        case '"':
        case '\\':
        case '/':
            *j->out++ = e;
            break;
        case 'b':
            *j->out++ = '\b';
            break;
        case 'f':
            *j->out++ = '\f';
            break;
        case 'n':
            *j->out++ = '\n';
            break;
        case 'r':
            *j->out++ = '\r';
            break;
        case 't':
            *j->out++ = '\t';
            break;
        case 'u':
            if (!jhex4(j, &cp))
                return false;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                unsigned lo;
                if (j->i + 2 > j->n || j->s[j->i] != '\\' || j->s[j->i + 1] != 'u')
                    return jfail(j, "invalid JSON: lone surrogate");
                j->i += 2;
                if (!jhex4(j, &lo))
                    return false;
                if (lo < 0xdc00 || lo > 0xdfff)
                    return jfail(j, "invalid JSON: lone surrogate");
                put_utf8(j, 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00));
            } else if (cp >= 0xdc80 && cp <= 0xdcff) {
                /* The writer's escape for a byte that is not UTF-8. */
                *j->out++ = (char)(cp & 0xff);
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                return jfail(j, "invalid JSON: lone surrogate");
            } else if (cp == 0) {
                return jfail(j, "NUL character in string");
            } else {
                put_utf8(j, cp);
            }
            break;
        default:
            return jfail(j, "invalid JSON: bad escape");
        }
    }
    *j->out++ = '\0';
    dst->s = start;
    dst->len = (size_t)(j->out - 1 - start);
    return true;
}

/* A JSON number token; *INTEGRAL says whether it is a plain integer. */
static bool jnumber(struct jp *j, size_t *start, size_t *end, bool *integral)
{
    size_t k = j->i;
    *start = k;
    *integral = true;
    if (k < j->n && j->s[k] == '-')
        k++;
    size_t d = k;
    while (k < j->n && j->s[k] >= '0' && j->s[k] <= '9')
        k++;
    if (k == d)
        return jfail(j, "invalid JSON: bad value");
    if (k < j->n && j->s[k] == '.') {
        *integral = false;
        d = ++k;
        while (k < j->n && j->s[k] >= '0' && j->s[k] <= '9')
            k++;
        if (k == d)
            return jfail(j, "invalid JSON: bad value");
    }
    if (k < j->n && (j->s[k] == 'e' || j->s[k] == 'E')) {
        *integral = false;
        k++;
        if (k < j->n && (j->s[k] == '+' || j->s[k] == '-'))
            k++;
        d = k;
        while (k < j->n && j->s[k] >= '0' && j->s[k] <= '9')
            k++;
        if (k == d)
            return jfail(j, "invalid JSON: bad value");
    }
    *end = j->i = k;
    return true;
}

static bool jvalue_skip(struct jp *j, int depth);

static bool jcontainer_skip(struct jp *j, int depth, char close)
{
    if (depth > 32)
        return jfail(j, "invalid JSON: nested too deep");
    j->i++;
    jws(j);
    if (j->i < j->n && j->s[j->i] == close) {
        j->i++;
        return true;
    }
    for (;;) {
        if (close == '}') {
            struct replay_str key;
            char *mark = j->out;
            if (j->i >= j->n || j->s[j->i] != '"' || !jstring(j, &key))
                return jfail(j, "invalid JSON: expected a key");
            j->out = mark;
            jws(j);
            if (j->i >= j->n || j->s[j->i] != ':')
                return jfail(j, "invalid JSON: expected ':'");
            j->i++;
        }
        if (!jvalue_skip(j, depth + 1))
            return false;
        jws(j);
        if (j->i < j->n && j->s[j->i] == ',') {
            j->i++;
            jws(j);
            continue;
        }
        if (j->i < j->n && j->s[j->i] == close) {
            j->i++;
            return true;
        }
        return jfail(j, close == '}' ? "invalid JSON: expected ',' or '}'"
                                     : "invalid JSON: expected ',' or ']'");
    }
}

static bool jliteral(struct jp *j, const char *word)
{
    size_t n = strlen(word);
    if (j->i + n > j->n || memcmp(j->s + j->i, word, n) != 0)
        return jfail(j, "invalid JSON: bad value");
    j->i += n;
    return true;
}

static bool jvalue_skip(struct jp *j, int depth)
{
    jws(j);
    if (j->i >= j->n)
        return jfail(j, "invalid JSON: expected a value");
    char c = j->s[j->i];
    if (c == '"') {
        struct replay_str tmp;
        char *mark = j->out;
        bool ok = jstring(j, &tmp);
        j->out = mark;
        return ok;
    }
    if (c == '{')
        return jcontainer_skip(j, depth, '}');
    if (c == '[')
        return jcontainer_skip(j, depth, ']');
    if (c == 't')
        return jliteral(j, "true");
    if (c == 'f')
        return jliteral(j, "false");
    if (c == 'n')
        return jliteral(j, "null");
    size_t a, b;
    bool integral;
    return jnumber(j, &a, &b, &integral);
}

static int field_by_name(const char *s, size_t len)
{
    for (int k = 0; k < NFIELDS; k++)
        if (strlen(field_names[k]) == len && memcmp(field_names[k], s, len) == 0)
            return k;
    return -1;
}

static bool is_number_field(int k)
{
    return k == F_PID || k == F_TID || k == F_PPID || k == F_UID;
}

/* One JSON object from LINE (LEN bytes, no newline). */
static enum replay_status json_line(struct replay_parser *p, const char *line, size_t len,
                                    struct replay_record *rec)
{
    struct jp j = {.s = line, .n = len, .out = p->scratch};
    struct replay_str f[NFIELDS];
    bool have[NFIELDS] = {false};
    /* Numbers are kept as their token text and converted like CSV fields. */
    jws(&j);
    if (j.i >= j.n || j.s[j.i] != '{')
        return bad(p, "invalid JSON: expected '{'");
    j.i++;
    jws(&j);
    if (j.i < j.n && j.s[j.i] == '}') {
        j.i++;
    } else {
        for (;;) {
            struct replay_str key;
            char *mark = j.out;
            if (j.i >= j.n || j.s[j.i] != '"')
                return bad(p, "invalid JSON: expected a key");
            if (!jstring(&j, &key))
                return bad(p, j.err);
            int k = field_by_name(key.s, key.len);
            j.out = mark;
            jws(&j);
            if (j.i >= j.n || j.s[j.i] != ':')
                return bad(p, "invalid JSON: expected ':'");
            j.i++;
            jws(&j);
            if (k < 0) {
                if (!jvalue_skip(&j, 0))
                    return bad(p, j.err);
            } else if (is_number_field(k)) {
                size_t a, b;
                bool integral;
                if (j.i >= j.n || (j.s[j.i] != '-' && (j.s[j.i] < '0' || j.s[j.i] > '9')))
                    return bad_number(p, k);
                if (!jnumber(&j, &a, &b, &integral))
                    return bad(p, j.err);
                if (!integral)
                    return bad_number(p, k);
                /* Copy the token so the conversion sees a NUL-terminated field. */
                memcpy(j.out, line + a, b - a);
                f[k] = (struct replay_str){j.out, b - a};
                j.out += b - a;
                *j.out++ = '\0';
                have[k] = true;
            } else {
                if (j.i >= j.n || j.s[j.i] != '"') {
                    snprintf(p->err, sizeof p->err, "field %s: expected a string", field_names[k]);
                    return REPLAY_BAD;
                }
                if (!jstring(&j, &f[k]))
                    return bad(p, j.err);
                have[k] = true;
            }
            jws(&j);
            if (j.i < j.n && j.s[j.i] == ',') {
                j.i++;
                jws(&j);
                continue;
            }
            if (j.i < j.n && j.s[j.i] == '}') {
                j.i++;
                break;
            }
            return bad(p, "invalid JSON: expected ',' or '}'");
        }
    }
    jws(&j);
    if (j.i != j.n)
        return bad(p, "invalid JSON: text after the object");

    static const int required[] = {F_TIME, F_PID, F_EVENT};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
        if (!have[required[k]]) {
            snprintf(p->err, sizeof p->err, "missing field %s", field_names[required[k]]);
            return REPLAY_BAD;
        }
    static const struct replay_str empty = {"", 0}, zero = {"0", 1};
    for (int k = 0; k < NFIELDS; k++)
        if (!have[k])
            f[k] = k == F_TID ? f[F_PID] : is_number_field(k) ? zero : empty;
    enum replay_status st = convert(p, f, rec);
    if (st == REPLAY_RECORD && !have[F_PATH] && rec->types && !(rec->types & FA_BIT(FA_OVERFLOW))) {
        snprintf(p->err, sizeof p->err, "missing field path");
        return REPLAY_BAD;
    }
    return st;
}

static enum replay_status json_next(struct replay_parser *p, const char *buf, size_t len, bool eof,
                                    size_t *used, struct replay_record *rec)
{
    size_t lim = len < REPLAY_MAX_RECORD ? len : REPLAY_MAX_RECORD;
    const char *nl = memchr(buf, '\n', lim);
    size_t end;
    if (nl) {
        end = (size_t)(nl - buf);
        *used = end + 1;
    } else if (len >= REPLAY_MAX_RECORD) {
        drop_line(p, buf, len, eof, lim, used);
        return bad(p, "line too long");
    } else if (!eof) {
        return REPLAY_MORE;
    } else {
        end = len;
        *used = len;
    }
    if (nl)
        p->line++;
    size_t k = 0;
    while (k < end && (buf[k] == ' ' || buf[k] == '\t' || buf[k] == '\r'))
        k++;
    if (k == end)
        return REPLAY_SKIP;
    return json_line(p, buf, end, rec);
}

enum replay_status replay_parse_next(struct replay_parser *p, const char *buf, size_t len, bool eof,
                                     size_t *used, struct replay_record *rec)
{
    *used = 0;
    if (len == 0)
        return REPLAY_MORE; /* at EOF too: nothing left */
    if (p->skipping) {
        p->skipping = false;
        drop_line(p, buf, len, eof, 0, used);
        return p->skipping ? REPLAY_MORE : REPLAY_SKIP;
    }
    p->rec_line = p->line;
    if (p->fmt == REPLAY_JSONL)
        return json_next(p, buf, len, eof, used, rec);
    /* A header line again: recordings concatenated with cat. */
    long hl = buf[0] == 't' ? header_match(buf, len, eof) : -1;
    if (hl == 0)
        return REPLAY_MORE;
    size_t h = hl > 0 ? (size_t)hl : 0;
    if (h &&
        ((h < len && buf[h] == '\n') || (h + 1 < len && buf[h] == '\r' && buf[h + 1] == '\n'))) {
        *used = h + (buf[h] == '\n' ? 1 : 2);
        p->line++;
        return REPLAY_SKIP;
    }
    if (h && !eof && h + 1 >= len)
        return REPLAY_MORE; /* its line end is still to come */
    return csv_next(p, buf, len, eof, used, rec);
}

void replay_record_proc(const struct replay_record *rec, uint32_t id, struct fa_proc *out)
{
    *out = (struct fa_proc){.id = id,
                            .pid = rec->pid,
                            .ppid = rec->ppid,
                            .uid = rec->uid,
                            .user = rec->user.s,
                            .comm = rec->comm.s,
                            .exe = rec->exe.s,
                            .cmdline = "",
                            .unit = rec->unit.s,
                            .start_ns = rec->start_ns};
}

void replay_record_event(const struct replay_record *rec, const struct fa_proc *proc,
                         struct fa_event *out)
{
    *out = (struct fa_event){.time_ns = rec->time_ns,
                             .tid = rec->tid,
                             .types = rec->types,
                             .proc = proc,
                             .path = rec->path.s,
                             .path_len = rec->path.len};
}
