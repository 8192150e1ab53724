#include "config.h"

#include "base/textline.h"

#include <string.h>

static void cell_blank(struct textcell *c)
{
    c->bytes[0] = ' ';
    c->bytes[1] = '\0';
    c->len = 1;
    c->width = 1;
}

void textline_init(struct textline *l, int width, unsigned flags, uint8_t style)
{
    if (width < 0)
        width = 0;
    if (width > TEXTLINE_MAX)
        width = TEXTLINE_MAX;
    l->width = width;
    l->flags = flags;
    for (int x = 0; x < width; x++) {
        cell_blank(&l->cell[x]);
        l->cell[x].style = style;
    }
}

void textline_style(struct textline *l, int x, int w, uint8_t style)
{
    for (int i = x < 0 ? 0 : x; i < x + w && i < l->width; i++)
        l->cell[i].style = style;
}

/* Write one glyph at column X, keeping double-width pairs whole: a half left
 * behind by an overwrite becomes a space, and a wide glyph that would stick
 * out of the line (or out of LIMIT) becomes a space. */
static void cell_set(struct textline *l, int x, int limit, const char *bytes, size_t len, int width,
                     uint8_t style)
{
    if (x < 0 || x >= l->width)
        return;
    if (limit > l->width)
        limit = l->width;
    struct textcell *c = &l->cell[x];
    if (c->width == 0 && x > 0)
        cell_blank(&l->cell[x - 1]);
    if (c->width == 2 && x + 1 < l->width)
        cell_blank(&l->cell[x + 1]);
    if (width == 2 && x + 1 >= limit) {
        cell_blank(c);
        c->style = style;
        return;
    }
    memcpy(c->bytes, bytes, len);
    c->bytes[len] = '\0';
    c->len = (uint8_t)len;
    c->width = (uint8_t)width;
    c->style = style;
    if (width == 2) {
        struct textcell *r = &l->cell[x + 1];
        if (r->width == 2 && x + 2 < l->width)
            cell_blank(&l->cell[x + 2]);
        r->bytes[0] = '\0';
        r->len = 0;
        r->width = 0;
        r->style = style;
    }
}

static void cell_space(struct textline *l, int x, uint8_t style)
{
    cell_set(l, x, l->width, " ", 1, 1, style);
}

size_t textline_width(const struct textline *l, const char *s, size_t n, unsigned flags)
{
    return textsafe_width(s, n, l->flags | flags);
}

int textline_put(struct textline *l, int x, int w, const char *s, size_t n,
                 const struct textfit *fit)
{
    if (x < 0) {
        w += x;
        x = 0;
    }
    if (x + w > l->width)
        w = l->width - x;
    if (w <= 0)
        return 0;
    unsigned flags = l->flags | fit->flags;
    size_t total = textsafe_width(s, n, flags);
    size_t start = 0; /* first column of the string that is shown */
    int at = x;
    if (total <= (size_t)w) {
        if (fit->right)
            at = x + w - (int)total;
    } else {
        size_t extra = total - (size_t)w;
        size_t skip = fit->skip < extra ? fit->skip : extra;
        start = fit->tail ? extra - skip : skip;
    }
    size_t end = start + (size_t)w;
    struct textsafe_iter it;
    struct textsafe_glyph g;
    textsafe_init(&it, s, n, flags);
    size_t col = 0;
    while (col < end && textsafe_next(&it, &g)) {
        size_t next = col + g.width;
        uint8_t st = g.escaped ? fit->esc_style : fit->style;
        if (col >= start && next <= end) {
            cell_set(l, at + (int)(col - start), x + w, g.bytes, g.len, g.width, st);
        } else {
            /* a double-width glyph cut by an edge: the visible half is blank */
            for (size_t c = col; c < next; c++)
                if (c >= start && c < end)
                    cell_space(l, at + (int)(c - start), st);
        }
        col = next;
    }
    if (total > (size_t)w) {
        const char *ell = (l->flags & TEXTSAFE_UTF8) ? "\xe2\x80\xa6" : "~";
        size_t ell_len = strlen(ell);
        if (start > 0)
            cell_set(l, x, x + w, ell, ell_len, 1, fit->esc_style);
        if (start + (size_t)w < total)
            cell_set(l, x + w - 1, x + w, ell, ell_len, 1, fit->esc_style);
        return w;
    }
    return (int)total;
}

int textline_puts(struct textline *l, int x, const char *s, uint8_t style)
{
    struct textfit fit = {.style = style, .esc_style = style, .flags = TEXTSAFE_BACKSLASH};
    if (x >= l->width)
        return x;
    return x + textline_put(l, x, l->width - x, s, strlen(s), &fit);
}

size_t textline_text(const struct textline *l, char *out, size_t len)
{
    size_t at = 0, copied = 0;
    for (int x = 0; x < l->width; x++) {
        const struct textcell *c = &l->cell[x];
        if (copied == at && at + c->len < len) {
            memcpy(out + at, c->bytes, c->len);
            copied += c->len;
        }
        at += c->len;
    }
    if (len)
        out[copied] = '\0';
    return at;
}
