/* The one growable buffer: bytes appended at the end, an allocation failure
 * remembered (buf_failed) instead of reported per call, so a writer checks
 * once. Also the array growth helper that every growing table uses. */
#ifndef FANOTOP_BUF_H
#define FANOTOP_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Zero-initialised is an empty buffer. P is NUL-terminated after every put
 * that succeeded (when P is not NULL). */
struct buf {
    char *p;
    size_t len, cap;
    bool oom;
};

/* Room for EXTRA more bytes (plus the NUL); false (and oom set) on failure. */
bool buf_grow(struct buf *b, size_t extra);
void buf_put(struct buf *b, const void *s, size_t n);
void buf_putc(struct buf *b, char c);
void buf_put_str(struct buf *b, const char *s);
/* V in decimal. */
void buf_put_int(struct buf *b, int64_t v);
/* Append S plus a NUL kept in the buffer; returns S's offset, or UINT32_MAX
 * when out of memory or past 4 GiB. For packed name tables. */
uint32_t buf_add_name(struct buf *b, const char *s, size_t len);
/* True once an append failed for want of memory. */
static inline bool buf_failed(const struct buf *b)
{
    return b->oom;
}
/* Empty it, keeping the memory (and clearing oom). */
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* Make the array *ARR (of elements of SIZE bytes, capacity *CAP) hold at
 * least N elements, doubling from 64; new elements zeroed when ZERO. False
 * when out of memory (the array is unchanged). */
bool buf_reserve(void *arr, size_t *cap, size_t n, size_t size, bool zero);

/* How many times buf_grow or buf_reserve failed on this thread so far: a
 * caller compares it before and after work that must not come out short
 * unnoticed. */
uint64_t buf_alloc_failures(void);

#endif
