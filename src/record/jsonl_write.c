#include "config.h"

#include "record/jsonl_write.h"
#include "base/utf8.h"

#include <string.h>

static const char hexdigits[] = "0123456789abcdef";

/* A JSON string per RFC 8259. JSON text must be UTF-8, but names are bytes:
 * each byte that is not part of valid UTF-8 becomes the escape of the lone
 * surrogate U+DC00+byte ("\udc80".."\udcff"), as Python's surrogateescape
 * error handler does. Valid UTF-8 never encodes a surrogate, so the mapping
 * is reversible: replay turns the escape back into the byte, and so does
 * json.loads(...) followed by .encode("utf-8", "surrogateescape"). */
static void json_string(struct buf *b, const char *s, size_t len)
{
    buf_putc(b, '"');
    size_t run = 0; /* start of the bytes copied as they are */
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        size_t n = c >= 0x80 ? utf8_len((const unsigned char *)s + i, len - i) : 0;
        if (n) {
            i += n;
            continue;
        }
        buf_put(b, s + run, i - run);
        char esc[6] = {'\\', 0};
        size_t en = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default: /* other controls as \u00XX, invalid bytes as \udcXX */
            memcpy(esc + 1, c < 0x80 ? "u00" : "udc", 3);
            esc[4] = hexdigits[c >> 4];
            esc[5] = hexdigits[c & 15];
            en = 6;
        }
        buf_put(b, esc, en);
        run = ++i;
    }
    buf_put(b, s + run, len - run);
    buf_putc(b, '"');
}

void jsonl_put_record(struct buf *b, const struct record_values *rv)
{
    buf_putc(b, '{');
    for (int f = 0; f < RECORD_NFIELDS; f++) {
        const struct record_field_def *d = &record_fields[f];
        buf_put(b, d->json_key + !f, d->json_key_len - !f); /* no comma before the first */
        switch (d->kind) {
        case RECORD_INT:
            buf_put_int(b, rv->v[f].num);
            break;
        case RECORD_PLAIN:
            buf_putc(b, '"');
            buf_put(b, rv->v[f].s, rv->v[f].len);
            buf_putc(b, '"');
            break;
        case RECORD_BYTES:
            json_string(b, rv->v[f].s, rv->v[f].len);
            break;
        }
    }
    buf_put(b, "}\n", 2);
}
