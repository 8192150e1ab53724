#include "config.h"

#include "base/safeout.h"
#include "base/buf.h"
#include "base/textsafe.h"

#include <errno.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

unsigned safeout_flags(void)
{
    return textsafe_flags_for(nl_langinfo(CODESET));
}

/* Messages quote what was typed (a filter's regex): backslashes as they are. */
static unsigned message_flags(void)
{
    return safeout_flags() | TEXTSAFE_BACKSLASH;
}

/* Append the escaped form of S to B, newlines kept as they are. */
static void escape_into(struct buf *b, const char *s, size_t n, unsigned flags)
{
    while (n) {
        const char *nl = memchr(s, '\n', n);
        size_t seg = nl ? (size_t)(nl - s) : n;
        struct textsafe_iter it;
        struct textsafe_glyph g;
        textsafe_init(&it, s, seg, flags);
        while (textsafe_next(&it, &g))
            buf_put(b, g.bytes, g.len);
        if (nl) {
            buf_putc(b, '\n');
            seg++;
        }
        s += seg;
        n -= seg;
    }
}

int safeout_write(FILE *out, const char *s, size_t n)
{
    struct buf b = {0};
    escape_into(&b, s, n, message_flags());
    int rc = 0;
    if (buf_failed(&b)) {
        errno = ENOMEM;
        rc = -1;
    } else if (b.len && fwrite(b.p, 1, b.len, out) != b.len) {
        rc = -1;
    }
    buf_free(&b);
    return rc;
}

void safeout_vsay(const char *fmt, va_list ap)
{
    char small[512];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    char *text = small;
    if ((size_t)n >= sizeof small) {
        text = malloc((size_t)n + 1);
        if (!text)
            text = small; /* out of memory: the message comes out cut */
        else
            vsnprintf(text, (size_t)n + 1, fmt, ap);
    }
    struct buf b = {0};
    buf_put_str(&b, "fanotop: ");
    escape_into(&b, text, strlen(text), message_flags());
    buf_putc(&b, '\n');
    if (!buf_failed(&b))
        fwrite(b.p, 1, b.len, stderr);
    buf_free(&b);
    if (text != small)
        free(text);
}

void safeout_say(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    safeout_vsay(fmt, ap);
    va_end(ap);
}

bool safeout_is_tty(FILE *fp)
{
    return isatty(fileno(fp)) == 1;
}

/* ---- the escaping stream ---------------------------------------------------- */

struct stream {
    FILE *out;
    bool own;
    unsigned flags;
    char carry[4]; /* the start of a UTF-8 sequence cut by the end of a write */
    size_t ncarry;
    struct buf b;
};

/* Bytes at the end of S[0..N) that start a UTF-8 sequence and may go on in
 * the next write: at most 3, a lead byte then continuation bytes. */
static size_t cut_sequence(const unsigned char *s, size_t n)
{
    for (size_t back = 1; back <= 3 && back <= n; back++) {
        unsigned char c = s[n - back];
        if ((c & 0xc0) == 0x80)
            continue; /* a continuation byte: look further back */
        size_t want = c >= 0xf0 && c <= 0xf4   ? 4
                      : c >= 0xe0 && c <= 0xef ? 3
                      : c >= 0xc2 && c <= 0xdf ? 2
                                               : 0;
        return want > back ? back : 0;
    }
    return 0;
}

static ssize_t stream_write(void *cookie, const char *s, size_t n)
{
    struct stream *st = cookie;
    buf_reset(&st->b);
    size_t used = 0;
    if (st->ncarry) {
        /* Finish the cut sequence with the bytes it still needs. */
        char seq[8];
        memcpy(seq, st->carry, st->ncarry);
        size_t k = st->ncarry;
        while (k < 4 && used < n && ((unsigned char)s[used] & 0xc0) == 0x80)
            seq[k++] = s[used++];
        st->ncarry = 0;
        if (used == n && cut_sequence((unsigned char *)seq, k) == k) {
            memcpy(st->carry, seq, k); /* still cut: wait for more */
            st->ncarry = k;
            return (ssize_t)n;
        }
        escape_into(&st->b, seq, k, st->flags);
    }
    size_t rest = n - used;
    size_t keep =
        (st->flags & TEXTSAFE_UTF8) ? cut_sequence((const unsigned char *)s + used, rest) : 0;
    escape_into(&st->b, s + used, rest - keep, st->flags);
    memcpy(st->carry, s + n - keep, keep);
    st->ncarry = keep;
    if (buf_failed(&st->b)) {
        errno = ENOMEM;
        return -1;
    }
    if (st->b.len && fwrite(st->b.p, 1, st->b.len, st->out) != st->b.len)
        return -1;
    return fflush(st->out) == 0 ? (ssize_t)n : -1;
}

static int stream_close(void *cookie)
{
    struct stream *st = cookie;
    int rc = 0;
    if (st->ncarry) {
        buf_reset(&st->b);
        escape_into(&st->b, st->carry, st->ncarry, st->flags);
        if (buf_failed(&st->b) || fwrite(st->b.p, 1, st->b.len, st->out) != st->b.len)
            rc = -1;
    }
    if (fflush(st->out) != 0)
        rc = -1;
    if (st->own && fclose(st->out) != 0)
        rc = -1;
    buf_free(&st->b);
    free(st);
    return rc;
}

FILE *safeout_stream(FILE *out, bool own)
{
    struct stream *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->out = out;
    st->own = own;
    st->flags = safeout_flags();
    cookie_io_functions_t io = {.write = stream_write, .close = stream_close};
    FILE *fp = fopencookie(st, "w", io);
    if (!fp)
        free(st);
    return fp;
}
