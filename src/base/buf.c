#include "config.h"

#include "base/buf.h"

#include <stdlib.h>
#include <string.h>

/* Per thread, so that a consumer can tell whether its own work came short. */
static _Thread_local uint64_t failures;

uint64_t buf_alloc_failures(void)
{
    return failures;
}

bool buf_grow(struct buf *b, size_t extra)
{
    if (b->oom)
        return false;
    if (b->len + extra + 1 <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        b->oom = true;
        failures++;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void buf_put(struct buf *b, const void *s, size_t n)
{
    if (!buf_grow(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void buf_putc(struct buf *b, char c)
{
    buf_put(b, &c, 1);
}

void buf_put_str(struct buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

void buf_put_int(struct buf *b, int64_t v)
{
    char tmp[24];
    size_t n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[sizeof tmp - 1 - n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        tmp[sizeof tmp - 1 - n++] = '-';
    buf_put(b, tmp + sizeof tmp - n, n);
}

uint32_t buf_add_name(struct buf *b, const char *s, size_t len)
{
    if (b->len + len + 1 > UINT32_MAX || !buf_grow(b, len + 1))
        return UINT32_MAX;
    uint32_t off = (uint32_t)b->len;
    memcpy(b->p + off, s, len);
    b->p[off + len] = '\0';
    b->len += len + 1;
    b->p[b->len] = '\0';
    return off;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    b->oom = false;
    if (b->p)
        b->p[0] = '\0';
}

void buf_free(struct buf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

bool buf_reserve(void *arr, size_t *cap, size_t n, size_t size, bool zero)
{
    void **p = arr;
    if (n <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 64;
    while (ncap < n)
        ncap *= 2;
    void *q = realloc(*p, ncap * size);
    if (!q) {
        failures++;
        return false;
    }
    if (zero)
        memset((char *)q + *cap * size, 0, (ncap - *cap) * size);
    *p = q;
    *cap = ncap;
    return true;
}
