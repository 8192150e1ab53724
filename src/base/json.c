#include "config.h"

#include "base/json.h"

#include <stdint.h>
#include <string.h>

void json_init(struct json *j, const char *s, size_t n)
{
    *j = (struct json){.s = s, .n = n};
}

static bool fail(struct json *j)
{
    j->bad = true;
    return false;
}

char json_peek(struct json *j)
{
    while (j->i < j->n) {
        char c = j->s[j->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            return c;
        j->i++;
    }
    return '\0';
}

bool json_open(struct json *j, char open)
{
    if (j->bad || json_peek(j) != open)
        return false;
    j->i++;
    return true;
}

bool json_next(struct json *j, char open, unsigned *n)
{
    char close = open == '{' ? '}' : ']';
    if (j->bad)
        return false;
    char c = json_peek(j);
    if (c == close) {
        j->i++;
        return false;
    }
    if (*n > 0) {
        if (c != ',')
            return fail(j);
        j->i++;
        c = json_peek(j);
    }
    if (c == '\0' || c == close) /* a trailing comma, or the text ends */
        return fail(j);
    (*n)++;
    return true;
}

static int hex4(const char *s)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        char c = s[k];
        int d = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Code point CP as UTF-8 into U; its length. */
static size_t utf8_put(uint32_t cp, char u[4])
{
    if (cp < 0x80) {
        u[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
    u[2] = (char)(0x80 | (cp >> 6 & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* The \u escape whose hex digits start at j->s[j->i], and a low surrogate
 * after a high one; the code point, or -1 (a syntax error). */
static long unicode_escape(struct json *j)
{
    if (j->n - j->i < 4)
        return -1;
    long cp = hex4(j->s + j->i);
    if (cp < 0)
        return -1;
    j->i += 4;
    if (cp >= 0xd800 && cp <= 0xdbff && j->n - j->i >= 6 && j->s[j->i] == '\\' &&
        j->s[j->i + 1] == 'u') {
        long lo = hex4(j->s + j->i + 2);
        if (lo >= 0xdc00 && lo <= 0xdfff) {
            j->i += 6;
            return 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        }
    }
    return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
}

bool json_string(struct json *j, char *out, size_t outlen, size_t *len)
{
    if (j->bad || json_peek(j) != '"')
        return false;
    size_t w = 0;
    for (j->i++;;) {
        if (j->i >= j->n)
            return fail(j);
        unsigned char c = (unsigned char)j->s[j->i++];
        char u[4];
        size_t ul = 1;
        u[0] = (char)c;
        if (c == '"')
            break;
        if (c < 0x20)
            return fail(j);
        if (c == '\\') {
            if (j->i >= j->n)
                return fail(j);
            char e = j->s[j->i++];
            const char *plain = strchr("\"\\/bfnrt", e);
            if (e && plain) {
                static const char to[] = "\"\\/\b\f\n\r\t";
                u[0] = to[plain - "\"\\/bfnrt"];
            } else if (e == 'u') {
                long cp = unicode_escape(j);
                if (cp <= 0) /* a NUL would cut the name short: refuse it */
                    return fail(j);
                ul = utf8_put((uint32_t)cp, u);
            } else {
                return fail(j);
            }
        }
        for (size_t k = 0; k < ul; k++, w++)
            if (w + 1 < outlen)
                out[w] = u[k];
    }
    out[w + 1 < outlen ? w : outlen - 1] = '\0';
    if (len)
        *len = w;
    return true;
}

bool json_key(struct json *j, char *out, size_t outlen)
{
    if (!json_string(j, out, outlen, NULL))
        return fail(j);
    if (json_peek(j) != ':')
        return fail(j);
    j->i++;
    return true;
}

static bool skip_number(struct json *j)
{
    size_t start = j->i;
    if (j->s[j->i] == '-')
        j->i++;
    while (j->i < j->n && strchr("0123456789.eE+-", j->s[j->i]) && j->s[j->i])
        j->i++;
    return j->i > start + (j->s[start] == '-') || fail(j);
}

static bool skip_word(struct json *j, const char *w)
{
    size_t l = strlen(w);
    if (j->n - j->i < l || memcmp(j->s + j->i, w, l) != 0)
        return fail(j);
    j->i += l;
    return true;
}

static bool skip_at(struct json *j, unsigned depth)
{
    char c = json_peek(j);
    if (c == '"') {
        char none[1];
        return json_string(j, none, sizeof none, NULL);
    }
    if (c == '{' || c == '[') {
        if (depth >= JSON_MAX_DEPTH)
            return fail(j);
        j->i++;
        unsigned n = 0;
        while (json_next(j, c, &n)) {
            if (c == '{' && !json_key(j, (char[1]){0}, 1))
                return false;
            if (!skip_at(j, depth + 1))
                return false;
        }
        return !j->bad;
    }
    if (c == 't')
        return skip_word(j, "true");
    if (c == 'f')
        return skip_word(j, "false");
    if (c == 'n')
        return skip_word(j, "null");
    if (c == '-' || (c >= '0' && c <= '9'))
        return skip_number(j);
    return fail(j);
}

bool json_skip(struct json *j)
{
    return !j->bad && skip_at(j, 0);
}

bool json_object(struct json *j, bool (*member)(struct json *j, const char *key, void *ctx),
                 void *ctx)
{
    if (!json_open(j, '{'))
        return false;
    unsigned n = 0;
    char key[64];
    while (json_next(j, '{', &n))
        if (!json_key(j, key, sizeof key) || !member(j, key, ctx))
            return false;
    return !j->bad;
}
