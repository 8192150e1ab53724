#include "config.h"

#include "base/textsafe.h"
#include "base/utf8.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

/* Code points that change how a terminal shows what follows, or hide text:
 * C1 controls (0x9b is an 8-bit CSI), bidi marks, overrides and isolates,
 * line and paragraph separators, zero-width spaces and joiners, tags. */
static bool unsafe_cp(uint32_t cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x180e ||
           (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
           (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb) ||
           (cp >= 0xe0000 && cp <= 0xe007f);
}

/* Columns CP takes: 1 or 2, 0 for a combining mark, -1 when it must be escaped. */
static int cp_width(uint32_t cp)
{
    if (unsafe_cp(cp))
        return -1;
    int w = wcwidth((wchar_t)cp);
    return w > 2 ? -1 : w;
}

void textsafe_init(struct textsafe_iter *it, const char *s, size_t n, unsigned flags)
{
    memset(it, 0, sizeof *it);
    it->s = (const unsigned char *)s;
    it->n = s ? n : 0;
    it->flags = flags;
}

static void glyph_ascii(struct textsafe_glyph *g, char c, bool escaped)
{
    g->bytes[0] = c;
    g->bytes[1] = '\0';
    g->len = 1;
    g->width = 1;
    g->escaped = escaped;
}

/* Start handing out the escape ESC (an ASCII string) one character at a time. */
static void start_escape(struct textsafe_iter *it, const char *esc)
{
    size_t n = strlen(esc);
    memcpy(it->esc, esc, n);
    it->esc_len = (uint8_t)n;
    it->esc_pos = 0;
}

/* Append the combining marks that follow the base character, while they
 * fit: a mark with no room stays for the next call, which escapes it. */
static void take_marks(struct textsafe_iter *it, struct textsafe_glyph *g)
{
    for (int marks = 0; marks < TEXTSAFE_MAX_MARKS && it->pos < it->n; marks++) {
        uint32_t cp;
        size_t k = utf8_decode(it->s + it->pos, it->n - it->pos, &cp);
        if (!k || cp < 0x80 || cp_width(cp) != 0 || g->len + k >= sizeof g->bytes)
            return;
        memcpy(g->bytes + g->len, it->s + it->pos, k);
        g->len = (uint8_t)(g->len + k);
        g->bytes[g->len] = '\0';
        it->pos += k;
    }
}

bool textsafe_next(struct textsafe_iter *it, struct textsafe_glyph *g)
{
    if (it->esc_pos < it->esc_len) {
        glyph_ascii(g, it->esc[it->esc_pos++], true);
        return true;
    }
    if (it->pos >= it->n)
        return false;
    unsigned char c = it->s[it->pos];
    char esc[16];
    if (c >= 0x20 && c < 0x7f) {
        it->pos++;
        if (c == '\\' && !(it->flags & TEXTSAFE_BACKSLASH)) {
            start_escape(it, "\\\\");
            return textsafe_next(it, g);
        }
        glyph_ascii(g, (char)c, false);
        if (it->flags & TEXTSAFE_UTF8)
            take_marks(it, g);
        return true;
    }
    if (c < 0x80) {
        it->pos++;
        if (c == '\n')
            start_escape(it, "\\n");
        else if (c == '\t')
            start_escape(it, "\\t");
        else if (c == '\r')
            start_escape(it, "\\r");
        else {
            snprintf(esc, sizeof esc, "\\x%02x", c);
            start_escape(it, esc);
        }
        return textsafe_next(it, g);
    }
    uint32_t cp = 0;
    size_t k = (it->flags & TEXTSAFE_UTF8) ? utf8_decode(it->s + it->pos, it->n - it->pos, &cp) : 0;
    if (!k) {
        it->pos++;
        snprintf(esc, sizeof esc, "\\x%02x", c);
        start_escape(it, esc);
        return textsafe_next(it, g);
    }
    it->pos += k;
    int w = cp_width(cp);
    if (w <= 0) { /* unprintable, or a combining mark with nothing to sit on */
        snprintf(esc, sizeof esc, "\\u{%04x}", (unsigned)cp);
        start_escape(it, esc);
        return textsafe_next(it, g);
    }
    memcpy(g->bytes, it->s + it->pos - k, k);
    g->bytes[k] = '\0';
    g->len = (uint8_t)k;
    g->width = (uint8_t)w;
    g->escaped = false;
    take_marks(it, g);
    return true;
}

size_t textsafe_width(const char *s, size_t n, unsigned flags)
{
    struct textsafe_iter it;
    struct textsafe_glyph g;
    size_t w = 0;
    textsafe_init(&it, s, n, flags);
    while (textsafe_next(&it, &g))
        w += g.width;
    return w;
}

size_t textsafe_escape(const char *s, size_t n, unsigned flags, char *out, size_t len)
{
    struct textsafe_iter it;
    struct textsafe_glyph g;
    size_t need = 0, at = 0;
    bool full = false;
    textsafe_init(&it, s, n, flags);
    while (textsafe_next(&it, &g)) {
        if (!full && at + g.len < len) {
            memcpy(out + at, g.bytes, g.len);
            at += g.len;
        } else {
            full = true; /* never resume after a glyph that did not fit */
        }
        need += g.len;
    }
    if (len)
        out[at] = '\0';
    return need;
}

unsigned textsafe_flags_for(const char *codeset)
{
    if (codeset && (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0))
        return TEXTSAFE_UTF8;
    return 0;
}
