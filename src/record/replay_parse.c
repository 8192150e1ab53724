/* The record reader's shared part: telling CSV from JSON Lines, the
 * streaming driver (a record may end past the buffer), and the conversion of
 * field text into a record, with memos for what consecutive records repeat. */
#include "config.h"

#include "record/replay_parse.h"
#include "base/iso8601.h"
#include "record/format.h"
#include "record/replay_parse_internal.h"

#include <stdio.h>
#include <string.h>

/* Is the line S (N bytes, no line end) a record header: the first fields
 * of EXPORT_RECORD_HEADER in order, as many as a version of it had? */
static bool is_header(const char *s, size_t n)
{
    static const char full[] = EXPORT_RECORD_HEADER;
    if (n >= sizeof full || memcmp(s, full, n) != 0 || (full[n] != '\0' && full[n] != ','))
        return false;
    size_t fields = 1;
    for (size_t i = 0; i < n; i++)
        fields += s[i] == ',';
    return record_nfields_known(fields);
}

/* Bytes of the header line at BUF with its line end (LF or CRLF; none at
 * EOF); 0 when BUF does not start with a whole one. */
static size_t header_line(const char *buf, size_t len, bool eof)
{
    size_t max = sizeof EXPORT_RECORD_HEADER + 1;
    const char *nl = memchr(buf, '\n', len < max ? len : max);
    if (!nl && eof && len < max)
        return is_header(buf, len && buf[len - 1] == '\r' ? len - 1 : len) ? len : 0;
    if (!nl)
        return 0;
    size_t n = (size_t)(nl - buf);
    size_t text = n && buf[n - 1] == '\r' ? n - 1 : n;
    return is_header(buf, text) ? n + 1 : 0;
}

enum replay_detect replay_detect(const char *buf, size_t len, bool eof, size_t *skip)
{
    static const char bom[] = "\xef\xbb\xbf";
    size_t hl = sizeof EXPORT_RECORD_HEADER - 1;
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
    size_t h = header_line(s, n, false);
    if (h) {
        *skip = b + h;
        return REPLAY_DETECT_CSV;
    }
    if (memchr(s, '\n', n))
        return REPLAY_DETECT_UNKNOWN;
    /* No line end yet: a header so far, or its whole line at the end. */
    size_t text = s[n - 1] == '\r' ? n - 1 : n;
    if (eof) {
        if (!is_header(s, text))
            return REPLAY_DETECT_UNKNOWN;
        *skip = len;
        return REPLAY_DETECT_CSV;
    }
    if (text <= hl && memcmp(s, EXPORT_RECORD_HEADER, text) == 0 &&
        (text == n || is_header(s, text)))
        return REPLAY_DETECT_MORE;
    return REPLAY_DETECT_UNKNOWN;
}

void replay_parser_init(struct replay_parser *p, enum export_format fmt, uint64_t first_line)
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

enum replay_status replay_bad(struct replay_parser *p, const char *msg)
{
    snprintf(p->err, sizeof p->err, "%s", msg);
    return REPLAY_BAD;
}

void replay_drop_line(struct replay_parser *p, const char *buf, size_t len, bool eof, size_t from,
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

enum replay_status replay_bad_number(struct replay_parser *p, int field)
{
    snprintf(p->err, sizeof p->err, "bad number in field %s", record_fields[field].name);
    return REPLAY_BAD;
}

static enum replay_status bad_type(struct replay_parser *p, const char *s, size_t len)
{
    if (len == 0)
        return replay_bad(p, "missing event type");
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

/* iso8601_parse, remembering the whole seconds of the last good time. */
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
    if (!iso8601_parse(t->s, t->len, ns))
        return false;
    if (t->len >= 20 && t->s[19] == '.') {
        char whole[21];
        memcpy(whole, t->s, 19);
        memcpy(whole + 19, "Z", 2);
        if (iso8601_parse(whole, 20, &p->last_second_ns))
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

enum replay_status replay_convert(struct replay_parser *p, const struct replay_str *f,
                                  struct replay_record *rec)
{
    int64_t v;
    if (!memo_time(p, &f[RECORD_TIME], &rec->time_ns))
        return replay_bad(p, "bad time");
    if (!parse_int(f[RECORD_PID].s, f[RECORD_PID].len, true, INT32_MIN, INT32_MAX, &v))
        return replay_bad_number(p, RECORD_PID);
    rec->pid = (int32_t)v;
    if (!parse_int(f[RECORD_TID].s, f[RECORD_TID].len, true, INT32_MIN, INT32_MAX, &v))
        return replay_bad_number(p, RECORD_TID);
    rec->tid = (int32_t)v;
    if (!parse_int(f[RECORD_PPID].s, f[RECORD_PPID].len, true, INT32_MIN, INT32_MAX, &v))
        return replay_bad_number(p, RECORD_PPID);
    rec->ppid = (int32_t)v;
    if (!parse_int(f[RECORD_UID].s, f[RECORD_UID].len, false, 0, UINT32_MAX, &v))
        return replay_bad_number(p, RECORD_UID);
    rec->uid = (uint32_t)v;
    uint32_t types = 0;
    /* No event type and no path: a process line (an ancestor's identity). */
    bool process = f[RECORD_EVENT].len == 0 && f[RECORD_PATH].len == 0;
    if (!process && !memo_types(p, &f[RECORD_EVENT], &types))
        return bad_type(p, f[RECORD_EVENT].s, f[RECORD_EVENT].len);
    if (types & FA_BIT(FA_OVERFLOW))
        types = FA_BIT(FA_OVERFLOW);
    rec->types = types;
    rec->start_ns = 0;
    if (f[RECORD_START].len && (!memo_time(p, &f[RECORD_START], &rec->start_ns) || !rec->start_ns))
        return replay_bad(p, "bad start time");
    rec->user = f[RECORD_USER];
    rec->comm = f[RECORD_COMM];
    rec->exe = f[RECORD_EXE];
    rec->unit = f[RECORD_UNIT];
    rec->path = f[RECORD_PATH];
    rec->container = f[RECORD_CONTAINER];
    rec->cpath = f[RECORD_CPATH];
    return REPLAY_RECORD;
}

enum replay_status replay_parse_next(struct replay_parser *p, const char *buf, size_t len, bool eof,
                                     size_t *used, struct replay_record *rec)
{
    *used = 0;
    if (len == 0)
        return REPLAY_MORE; /* at EOF too: nothing left */
    if (p->skipping) {
        p->skipping = false;
        replay_drop_line(p, buf, len, eof, 0, used);
        return p->skipping ? REPLAY_MORE : REPLAY_SKIP;
    }
    p->rec_line = p->line;
    if (p->fmt == EXPORT_JSONL)
        return replay_jsonl_next(p, buf, len, eof, used, rec);
    /* A header line again: recordings concatenated with cat. */
    size_t hl = buf[0] == 't' ? header_line(buf, len, eof) : 0;
    if (hl) {
        *used = hl;
        p->line++;
        return REPLAY_SKIP;
    }
    return replay_csv_next(p, buf, len, eof, used, rec);
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
                            .container = rec->container.s,
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
                             .path_len = rec->path.len,
                             .cpath = rec->cpath.s,
                             .cpath_len = rec->cpath.len};
}
