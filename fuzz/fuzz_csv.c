/* libFuzzer target for the writers. Input: an event (numbers from the first
 * bytes, then user, comm, exe, unit and path separated by NUL bytes).
 * Checks: the CSV and JSONL record lines parse back to the same event (time
 * to the microsecond); JSONL is valid UTF-8 without raw control characters;
 * csv_write_field, with every flag combination, is undone by an independent
 * RFC 4180 reader plus the documented unescaping, and with CSV_ESCAPE_UTF8
 * its output is valid UTF-8. */
#include "config.h"

#include "record/csv_write.h"
#include "record/recwriter.h"
#include "record/replay_parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An independent UTF-8 check (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
static bool valid_utf8(const unsigned char *s, size_t n)
{
    static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};
    for (size_t i = 0; i < n;) {
        uint32_t c = s[i], cp;
        size_t k; /* continuation bytes */
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            k = 1, cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            k = 2, cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            k = 3, cp = c & 0x07;
        } else {
            return false;
        }
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + j] & 0x3f);
        }
        if (cp < min[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += k + 1;
    }
    return true;
}

static bool formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Read OUT (one CSV field as csv_write_field wrote it) back to bytes.
 * DEFUSED: the writer was to prefix an apostrophe (which a reader cannot
 * tell from a name that starts with one: the documented cost of defusing). */
static size_t csv_read_back(const char *out, size_t n, unsigned flags, bool defused, char *dst)
{
    size_t d = 0;
    if (n && out[0] == '"') {
        if (n < 2 || out[n - 1] != '"')
            abort();
        for (size_t i = 1; i < n - 1; i++) {
            if (out[i] == '"') {
                if (i + 1 >= n - 1 || out[i + 1] != '"')
                    abort(); /* a lone quote inside */
                i++;
            }
            dst[d++] = out[i];
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            if (out[i] == '"' || out[i] == ',' || out[i] == '\n' || out[i] == '\r')
                abort(); /* needed quoting */
            dst[d++] = out[i];
        }
    }
    size_t start = 0;
    if (defused) {
        if (d < 2 || dst[0] != '\'' || !formula_start(dst[1]))
            abort();
        start = 1;
    }
    if (!(flags & CSV_ESCAPE_UTF8)) {
        memmove(dst, dst + start, d - start);
        return d - start;
    }
    if (!valid_utf8((const unsigned char *)dst, d))
        abort();
    size_t o = 0;
    for (size_t i = start; i < d; i++) {
        if (dst[i] != '\\') {
            dst[o++] = dst[i];
        } else if (i + 1 < d && dst[i + 1] == '\\') {
            dst[o++] = '\\';
            i++;
        } else if (i + 3 < d && dst[i + 1] == 'x') {
            static const char hex[] = "0123456789abcdef";
            const char *hi = memchr(hex, dst[i + 2], 16), *lo = memchr(hex, dst[i + 3], 16);
            if (!hi || !lo || !dst[i + 2] || !dst[i + 3])
                abort();
            dst[o++] = (char)((hi - hex) << 4 | (lo - hex));
            i += 3;
        } else {
            abort(); /* a backslash that is no escape */
        }
    }
    return o;
}

static void check_field(const char *s, size_t len, unsigned flags)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    if (!f || csv_write_field(f, s, len, flags) != 0)
        abort();
    fclose(f);
    /* A defused formula start is never the first byte of the cell text. */
    size_t first = n && out[0] == '"' ? 1 : 0;
    if ((flags & CSV_DEFUSE) && n > first && formula_start(out[first]))
        abort();
    char *back = malloc(n + 1);
    bool defused = (flags & CSV_DEFUSE) && len > 0 && formula_start(s[0]);
    size_t blen = csv_read_back(out, n, flags, defused, back);
    if (blen != len || memcmp(back, s, len) != 0)
        abort();
    free(back);
    free(out);
}

/* The next NUL-separated piece of the input. */
static char *piece(const uint8_t **p, const uint8_t *end, size_t max)
{
    const uint8_t *s = *p;
    const uint8_t *z = memchr(s, 0, (size_t)(end - s));
    size_t n = (size_t)((z ? z : end) - s);
    if (n > max)
        n = max;
    char *out = malloc(n + 1);
    memcpy(out, s, n);
    out[n] = '\0';
    *p = z ? z + 1 : end;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 28)
        return 0;
    int64_t t;
    int32_t pid, tid, ppid;
    uint32_t uid, types;
    memcpy(&t, data, 8);
    memcpy(&pid, data + 8, 4);
    memcpy(&tid, data + 12, 4);
    memcpy(&ppid, data + 16, 4);
    uint16_t tw;
    memcpy(&tw, data + 20, 2);
    memcpy(&uid, data + 23, 4);
    unsigned flags = data[27] & 3;
    types = tw & FA_ALL_TYPES;
    if (!types)
        types = FA_BIT(FA_OPEN);
    if (t < INT64_MIN + 1000)
        t = 0;
    const uint8_t *p = data + 28, *end = data + size;
    char *f[5];
    for (int i = 0; i < 5; i++)
        f[i] = piece(&p, end, 4096);

    struct fa_proc proc = {.id = 1,
                           .pid = pid,
                           .ppid = ppid,
                           .uid = uid,
                           .user = f[0],
                           .comm = f[1],
                           .exe = f[2],
                           .cmdline = "",
                           .unit = f[3]};
    struct fa_event ev = {.time_ns = t,
                          .tid = tid,
                          .types = types,
                          .proc = &proc,
                          .path = f[4],
                          .path_len = strlen(f[4])};
    static struct replay_parser rp;
    for (int fmt = EXPORT_CSV; fmt <= EXPORT_JSONL; fmt++) {
        size_t len;
        char *line = recwriter_line(&ev, fmt, &len);
        if (!line || len == 0 || line[len - 1] != '\n')
            abort();
        if (fmt == EXPORT_JSONL) {
            if (!valid_utf8((const unsigned char *)line, len))
                abort();
            for (size_t i = 0; i + 1 < len; i++)
                if ((unsigned char)line[i] < 0x20)
                    abort();
        }
        replay_parser_init(&rp, fmt, 1);
        struct replay_record rec;
        size_t used;
        if (replay_parse_next(&rp, line, len, true, &used, &rec) != REPLAY_RECORD || used != len)
            abort();
        int64_t us = t % 1000;
        if (rec.time_ns != t - (us < 0 ? us + 1000 : us))
            abort();
        bool overflow = types & FA_BIT(FA_OVERFLOW);
        if (rec.types != (overflow ? FA_BIT(FA_OVERFLOW) : types))
            abort();
        if (!overflow) {
            const struct replay_str *got[5] = {&rec.user, &rec.comm, &rec.exe, &rec.unit,
                                               &rec.path};
            for (int i = 0; i < 5; i++)
                if (got[i]->len != strlen(f[i]) || memcmp(got[i]->s, f[i], got[i]->len) != 0)
                    abort();
            if (rec.pid != pid || rec.tid != tid || rec.ppid != ppid || rec.uid != uid)
                abort();
        }
        free(line);
    }
    check_field(f[4], strlen(f[4]), flags);
    /* Fields may hold NUL bytes too when they come from elsewhere. */
    check_field((const char *)data + 28, size - 28, flags);
    for (int i = 0; i < 5; i++)
        free(f[i]);
    return 0;
}
