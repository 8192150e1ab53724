#include "config.h"

#include "pipe/ring.h"

#include <errno.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* A record header. A len of RING_PAD marks the unused tail of the buffer
 * when a record did not fit before the wrap point. */
struct rec_hdr {
    uint32_t len;
    uint32_t reserved;
};
#define RING_PAD UINT32_MAX
#define CACHE_LINE 64

struct ring {
    /* Written by the producer, read by the consumer. */
    alignas(CACHE_LINE) _Atomic uint64_t head;
    _Atomic uint64_t losses;
    _Atomic uint64_t pushed;
    /* Producer-private: its view of tail, refreshed only when the ring looks full,
     * so the producer does not touch the consumer's cache line on every record. */
    uint64_t cached_tail;
    uint64_t pending_head; /* head after the reserved-but-uncommitted record */

    /* Written by the consumer, read by the producer. */
    alignas(CACHE_LINE) _Atomic uint64_t tail;

    alignas(CACHE_LINE) size_t cap;
    size_t mask;
    unsigned char *buf;
};

static size_t round_up(size_t n)
{
    return (n + RING_ALIGN - 1) & ~(size_t)(RING_ALIGN - 1);
}

struct ring *ring_create(size_t capacity)
{
    if (capacity < 64 || (capacity & (capacity - 1)) || capacity > ((size_t)1 << 32)) {
        errno = EINVAL;
        return NULL;
    }
    struct ring *r = aligned_alloc(CACHE_LINE, sizeof *r); /* sizeof is a multiple of 64 */
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    r->buf = aligned_alloc(CACHE_LINE, capacity);
    if (!r->buf) {
        free(r);
        return NULL;
    }
    r->cap = capacity;
    r->mask = capacity - 1;
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    atomic_init(&r->losses, 0);
    atomic_init(&r->pushed, 0);
    return r;
}

void ring_destroy(struct ring *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r);
}

size_t ring_capacity(const struct ring *r)
{
    return r->cap;
}

size_t ring_max_payload(const struct ring *r)
{
    return r->cap / 2 - RING_HDR_SIZE;
}

static void *lose(struct ring *r, int err)
{
    atomic_fetch_add_explicit(&r->losses, 1, memory_order_relaxed);
    errno = err;
    return NULL;
}

static void *reserve(struct ring *r, size_t len, bool count_loss)
{
    if (len > ring_max_payload(r))
        return lose(r, EMSGSIZE);
    size_t need = RING_HDR_SIZE + round_up(len);
    /* Only the producer writes head, so a relaxed load of our own value is enough. */
    uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    size_t off = head & r->mask;
    size_t to_end = r->cap - off;
    size_t total = need <= to_end ? need : to_end + need; /* pad the tail, then wrap */

    if (head + total - r->cached_tail > r->cap) {
        /* Acquire pairs with the consumer's release: its reads of the space are done. */
        r->cached_tail = atomic_load_explicit(&r->tail, memory_order_acquire);
        if (head + total - r->cached_tail > r->cap) {
            if (count_loss)
                return lose(r, ENOBUFS);
            errno = ENOBUFS;
            return NULL;
        }
    }
    if (need > to_end) {
        struct rec_hdr *pad = (struct rec_hdr *)(r->buf + off);
        pad->len = RING_PAD;
        head += to_end;
        off = 0;
    }
    struct rec_hdr *h = (struct rec_hdr *)(r->buf + off);
    h->len = (uint32_t)len;
    h->reserved = 0;
    r->pending_head = head + need;
    return r->buf + off + RING_HDR_SIZE;
}

void *ring_reserve(struct ring *r, size_t len)
{
    return reserve(r, len, true);
}

void *ring_try_reserve(struct ring *r, size_t len)
{
    return reserve(r, len, false);
}

void ring_commit(struct ring *r)
{
    /* Release: the record's bytes (and any pad header) become visible before head. */
    atomic_store_explicit(&r->head, r->pending_head, memory_order_release);
    atomic_fetch_add_explicit(&r->pushed, 1, memory_order_relaxed);
}

bool ring_push(struct ring *r, const void *data, size_t len)
{
    void *p = ring_reserve(r, len);
    if (!p)
        return false;
    if (len)
        memcpy(p, data, len);
    ring_commit(r);
    return true;
}

void ring_count_loss(struct ring *r)
{
    atomic_fetch_add_explicit(&r->losses, 1, memory_order_relaxed);
}

uint64_t ring_losses(const struct ring *r)
{
    return atomic_load_explicit(&((struct ring *)r)->losses, memory_order_relaxed);
}

uint64_t ring_pushed(const struct ring *r)
{
    return atomic_load_explicit(&((struct ring *)r)->pushed, memory_order_relaxed);
}

size_t ring_consume(struct ring *r, size_t max, ring_fn fn, void *ctx)
{
    uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    /* One acquire load per batch: it pairs with the producer's release, so
     * every record up to head is fully written. */
    uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
    size_t n = 0;
    while (tail != head && (max == 0 || n < max)) {
        size_t off = tail & r->mask;
        const struct rec_hdr *h = (const struct rec_hdr *)(r->buf + off);
        if (h->len == RING_PAD) {
            tail += r->cap - off;
            continue;
        }
        size_t len = h->len;
        tail += RING_HDR_SIZE + round_up(len);
        n++;
        if (!fn(r->buf + off + RING_HDR_SIZE, len, ctx))
            break;
    }
    /* Release: our reads of the batch complete before the producer may reuse it. */
    atomic_store_explicit(&r->tail, tail, memory_order_release);
    return n;
}

bool ring_empty(struct ring *r)
{
    uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    return tail == atomic_load_explicit(&r->head, memory_order_acquire);
}
