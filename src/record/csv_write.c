#include "config.h"

#include "record/csv_write.h"
#include "base/utf8.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

static const char hexdigits[] = "0123456789abcdef";

static bool csv_formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static void csv_field(struct buf *b, const char *s, size_t len, unsigned flags)
{
    bool quote = false, plain = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            quote = true;
            plain = plain && c != '"';
        } else if ((flags & CSV_ESCAPE_UTF8) && (c == '\\' || c >= 0x80)) {
            plain = false;
        }
    }
    bool defuse = (flags & CSV_DEFUSE) && len > 0 && csv_formula_start(s[0]);
    if (quote)
        buf_putc(b, '"');
    if (defuse)
        buf_putc(b, '\'');
    if (plain) {
        buf_put(b, s, len);
    } else {
        for (size_t i = 0; i < len;) {
            unsigned char c = (unsigned char)s[i];
            if (c == '"') {
                buf_put(b, "\"\"", 2);
                i++;
            } else if (!(flags & CSV_ESCAPE_UTF8) || (c < 0x80 && c != '\\')) {
                buf_putc(b, (char)c);
                i++;
            } else if (c == '\\') {
                buf_put(b, "\\\\", 2);
                i++;
            } else {
                size_t n = utf8_len((const unsigned char *)s + i, len - i);
                if (n) {
                    buf_put(b, s + i, n);
                    i += n;
                } else {
                    char esc[4] = {'\\', 'x', hexdigits[c >> 4], hexdigits[c & 15]};
                    buf_put(b, esc, 4);
                    i++;
                }
            }
        }
    }
    if (quote)
        buf_putc(b, '"');
}

int csv_write_field(FILE *out, const char *s, size_t len, unsigned flags)
{
    bool plain = !((flags & CSV_DEFUSE) && len > 0 && csv_formula_start(s[0]));
    for (size_t i = 0; i < len && plain; i++) {
        unsigned char c = (unsigned char)s[i];
        plain = c != ',' && c != '"' && c != '\r' && c != '\n' &&
                !((flags & CSV_ESCAPE_UTF8) && (c == '\\' || c >= 0x80));
    }
    if (plain) /* most fields: no buffer needed */
        return len == 0 || fwrite(s, 1, len, out) == len ? 0 : -1;
    struct buf b = {0};
    csv_field(&b, s, len, flags);
    int rc = 0;
    if (b.oom) {
        errno = ENOMEM;
        rc = -1;
    } else if (b.len && fwrite(b.p, 1, b.len, out) != b.len) {
        rc = -1;
    }
    free(b.p);
    return rc;
}

void csv_put_record(struct buf *b, const struct record_values *rv)
{
    for (int f = 0; f < RECORD_NFIELDS; f++) {
        if (f)
            buf_putc(b, ',');
        switch (record_fields[f].kind) {
        case RECORD_INT:
            buf_put_int(b, rv->v[f].num);
            break;
        case RECORD_PLAIN:
            buf_put(b, rv->v[f].s, rv->v[f].len);
            break;
        case RECORD_BYTES:
            csv_field(b, rv->v[f].s, rv->v[f].len, 0);
            break;
        }
    }
    buf_putc(b, '\n');
}
