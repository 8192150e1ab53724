/* Reading CSV records (RFC 4180; lines end with LF or CRLF). */
#include "config.h"

#include "record/format.h"
#include "record/replay_parse_internal.h"

#include <stdio.h>
#include <string.h>

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
        return replay_bad(p, "unterminated quote");
    }
    replay_drop_line(p, buf, len, eof, pos, used);
    return replay_bad(p, msg);
}

enum replay_status replay_csv_next(struct replay_parser *p, const char *buf, size_t len, bool eof,
                                   size_t *used, struct replay_record *rec)
{
    struct replay_str f[RECORD_NFIELDS];
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
                        return replay_bad(p, "unterminated quote");
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
        if (nf < RECORD_NFIELDS)
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
    if (!record_nfields_known(nf)) {
        snprintf(p->err, sizeof p->err, "wrong field count: %zu, expected %d", nf, RECORD_NFIELDS);
        st = REPLAY_BAD;
    } else {
        for (size_t k = nf; k < RECORD_NFIELDS; k++) /* an older file's record */
            f[k] = (struct replay_str){"", 0};
        st = replay_convert(p, f, rec);
    }
    if (st != REPLAY_RECORD && qnl > 0) {
        /* A legitimate name may hold a newline; but when the next line looks
         * like a record of its own, the quote that swallowed it is the fault. */
        size_t next = (size_t)((const char *)memchr(buf, '\n', len) - buf) + 1;
        if (looks_like_record(buf, len, next)) {
            *used = next;
            p->line++;
            return replay_bad(p, "unterminated quote");
        }
    }
    p->line += qnl + term_nl;
    return st;
}
