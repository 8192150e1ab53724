/* Reading JSON Lines records: a JSON parser just large enough for one flat
 * object per line, writing unescaped strings into the parser's scratch. */
#include "config.h"

#include "record/format.h"
#include "record/replay_parse_internal.h"

#include <stdio.h>
#include <string.h>

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
    for (int k = 0; k < RECORD_NFIELDS; k++)
        if (strlen(record_fields[k].name) == len && memcmp(record_fields[k].name, s, len) == 0)
            return k;
    return -1;
}

static bool is_number_field(int k)
{
    return record_fields[k].kind == RECORD_INT;
}

/* One JSON object from LINE (LEN bytes, no newline). */
static enum replay_status json_line(struct replay_parser *p, const char *line, size_t len,
                                    struct replay_record *rec)
{
    struct jp j = {.s = line, .n = len, .out = p->scratch};
    struct replay_str f[RECORD_NFIELDS];
    bool have[RECORD_NFIELDS] = {false};
    /* Numbers are kept as their token text and converted like CSV fields. */
    jws(&j);
    if (j.i >= j.n || j.s[j.i] != '{')
        return replay_bad(p, "invalid JSON: expected '{'");
    j.i++;
    jws(&j);
    if (j.i < j.n && j.s[j.i] == '}') {
        j.i++;
    } else {
        for (;;) {
            struct replay_str key;
            char *mark = j.out;
            if (j.i >= j.n || j.s[j.i] != '"')
                return replay_bad(p, "invalid JSON: expected a key");
            if (!jstring(&j, &key))
                return replay_bad(p, j.err);
            int k = field_by_name(key.s, key.len);
            j.out = mark;
            jws(&j);
            if (j.i >= j.n || j.s[j.i] != ':')
                return replay_bad(p, "invalid JSON: expected ':'");
            j.i++;
            jws(&j);
            if (k < 0) {
                if (!jvalue_skip(&j, 0))
                    return replay_bad(p, j.err);
            } else if (is_number_field(k)) {
                size_t a, b;
                bool integral;
                if (j.i >= j.n || (j.s[j.i] != '-' && (j.s[j.i] < '0' || j.s[j.i] > '9')))
                    return replay_bad_number(p, k);
                if (!jnumber(&j, &a, &b, &integral))
                    return replay_bad(p, j.err);
                if (!integral)
                    return replay_bad_number(p, k);
                /* Copy the token so the conversion sees a NUL-terminated field. */
                memcpy(j.out, line + a, b - a);
                f[k] = (struct replay_str){j.out, b - a};
                j.out += b - a;
                *j.out++ = '\0';
                have[k] = true;
            } else {
                if (j.i >= j.n || j.s[j.i] != '"') {
                    snprintf(p->err, sizeof p->err, "field %s: expected a string",
                             record_fields[k].name);
                    return REPLAY_BAD;
                }
                if (!jstring(&j, &f[k]))
                    return replay_bad(p, j.err);
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
            return replay_bad(p, "invalid JSON: expected ',' or '}'");
        }
    }
    jws(&j);
    if (j.i != j.n)
        return replay_bad(p, "invalid JSON: text after the object");

    static const int required[] = {RECORD_TIME, RECORD_PID, RECORD_EVENT};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
        if (!have[required[k]]) {
            snprintf(p->err, sizeof p->err, "missing field %s", record_fields[required[k]].name);
            return REPLAY_BAD;
        }
    static const struct replay_str empty = {"", 0}, zero = {"0", 1};
    for (int k = 0; k < RECORD_NFIELDS; k++)
        if (!have[k])
            f[k] = k == RECORD_TID ? f[RECORD_PID] : is_number_field(k) ? zero : empty;
    enum replay_status st = replay_convert(p, f, rec);
    if (st == REPLAY_RECORD && !have[RECORD_PATH] && rec->types &&
        !(rec->types & FA_BIT(FA_OVERFLOW))) {
        snprintf(p->err, sizeof p->err, "missing field path");
        return REPLAY_BAD;
    }
    return st;
}

enum replay_status replay_jsonl_next(struct replay_parser *p, const char *buf, size_t len, bool eof,
                                     size_t *used, struct replay_record *rec)
{
    size_t lim = len < REPLAY_MAX_RECORD ? len : REPLAY_MAX_RECORD;
    const char *nl = memchr(buf, '\n', lim);
    size_t end;
    if (nl) {
        end = (size_t)(nl - buf);
        *used = end + 1;
    } else if (len >= REPLAY_MAX_RECORD) {
        replay_drop_line(p, buf, len, eof, lim, used);
        return replay_bad(p, "line too long");
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
