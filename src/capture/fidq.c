#include "config.h"

#include "capture/fidq.h"

#include "base/buf.h"
#include "base/clock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define META_LEN 24 /* struct fanotify_event_metadata; FIONREAD counts this much per event */
/* More than one event of an FID group with all its records takes: metadata,
 * three handles and two names (FAN_RENAME). A read that leaves this much of
 * its buffer unused found the queue empty. */
#define MAX_EVENT_BYTES 4096

/* An indexed event: where it is in its batch and its index in the stream. */
struct mark {
    uint32_t off;
    uint64_t index;
};

struct batch {
    unsigned char *buf;
    size_t len;   /* bytes of whole, well-formed events */
    bool bad;     /* malformed metadata followed them */
    uint64_t end; /* index after its last event */
    struct mark *marks;
    size_t nmarks, capmarks;
};

/* A read: at offset OFF of the batch in slot SLOT, events FIRST .. LAST
 * (excluded) of the stream. */
struct span {
    struct fidq_span pub;
    size_t slot, off;
    uint64_t first, last;
};

struct fidq {
    int fd;
    size_t bsize, maxb;
    uint64_t watch;
    struct batch *b; /* circular, maxb long: b[head] is the oldest */
    size_t head, n;
    size_t off;    /* next event of b[head] */
    uint64_t next; /* index of the next event fidq_next hands out */
    uint64_t end;  /* index after the last event read */
    bool emptied;
    unsigned char *spare;
    struct span *spans; /* spans[shead .. sn): the reads not all handed out, in order */
    size_t shead, sn, scap;
    uint64_t nreads;
};

static uint32_t get32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

struct fidq *fidq_create(int group, size_t batch, size_t max_batches, uint64_t watch)
{
    struct fidq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->b = calloc(max_batches, sizeof *q->b);
    if (!q->b) {
        free(q);
        return NULL;
    }
    q->fd = group;
    q->bsize = batch;
    q->maxb = max_batches;
    q->watch = watch;
    q->emptied = true;
    return q;
}

static void batch_release(struct fidq *q, struct batch *b)
{
    if (!q->spare)
        q->spare = b->buf;
    else
        free(b->buf);
    b->buf = NULL;
    b->len = b->nmarks = 0;
    b->bad = false;
}

void fidq_destroy(struct fidq *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->maxb; i++) {
        free(q->b[i].buf);
        free(q->b[i].marks);
    }
    free(q->b);
    free(q->spare);
    free(q->spans);
    free(q);
}

/* Index the events of B from offset OFF to N (read at stream index FIRST):
 * count them, note the watched ones, and cut the batch at malformed
 * metadata. */
static bool batch_index(struct fidq *q, struct batch *b, size_t off, size_t n, uint64_t first)
{
    uint64_t index = first;
    while (off < n) {
        const unsigned char *p = b->buf + off;
        if (n - off < META_LEN)
            break;
        uint32_t len = get32(p);
        uint16_t mlen;
        memcpy(&mlen, p + 6, sizeof mlen);
        if (len < META_LEN || mlen < META_LEN || len < mlen || len > n - off)
            break;
        uint64_t mask;
        memcpy(&mask, p + 8, sizeof mask);
        if (mask & q->watch) {
            if (!buf_reserve(&b->marks, &b->capmarks, b->nmarks + 1, sizeof *b->marks, false))
                return false;
            b->marks[b->nmarks++] = (struct mark){(uint32_t)off, index};
        }
        index++;
        off += len;
    }
    b->len = off;
    b->bad = off < n;
    b->end = index;
    return true;
}

/* Room for one more span; false when out of memory. */
static bool span_room(struct fidq *q)
{
    if (q->shead == q->sn)
        q->shead = q->sn = 0;
    if (q->sn < q->scap)
        return true;
    if (q->shead) {
        memmove(q->spans, q->spans + q->shead, (q->sn - q->shead) * sizeof *q->spans);
        q->sn -= q->shead;
        q->shead = 0;
        return true;
    }
    return buf_reserve(&q->spans, &q->scap, q->sn + 1, sizeof *q->spans, false);
}

/* Note the read that put N bytes at offset OFF of batch SLOT (events FIRST
 * up to the batch's end), between monotonic START and END. */
static void span_add(struct fidq *q, size_t slot, size_t off, uint64_t first, int64_t start,
                     int64_t end)
{
    const struct batch *b = &q->b[slot];
    struct span *sp = &q->spans[q->sn++];
    *sp = (struct span){.pub = {.seq = ++q->nreads,
                                .start = start,
                                .end = end,
                                .end_rt = clock_real_ns(),
                                .emptied = q->emptied,
                                .buf = b->buf + off,
                                .len = b->len - off,
                                .events = b->end - first},
                        .slot = slot,
                        .off = off,
                        .first = first,
                        .last = b->end};
}

/* Read into the room left after the last batch's events, where it can
 * take any event: reads ahead while an event is named are mostly small, and
 * a batch each would soon fill the window. */
static size_t read_more(struct fidq *q, uint64_t *errors)
{
    size_t slot = (q->head + q->n - 1) % q->maxb;
    struct batch *b = &q->b[slot];
    size_t want = q->bsize - b->len, off = b->len;
    if (!span_room(q)) {
        (*errors)++;
        return 0;
    }
    int64_t start = clock_mono_ns();
    ssize_t n = read(q->fd, b->buf + b->len, want);
    int64_t end = clock_mono_ns();
    q->emptied = n < 0 || (size_t)n + MAX_EVENT_BYTES <= want;
    if (n <= 0) {
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            (*errors)++;
        return 0;
    }
    if (!batch_index(q, b, b->len, b->len + (size_t)n, q->end)) {
        (*errors)++;
        b->bad = true;
        return 0;
    }
    span_add(q, slot, off, q->end, start, end);
    q->end = b->end;
    return (size_t)n;
}

/* Whether the last batch has room for a read that can take any event. */
static bool room_in_last(const struct fidq *q)
{
    if (!q->n)
        return false;
    const struct batch *last = &q->b[(q->head + q->n - 1) % q->maxb];
    return !last->bad && q->bsize - last->len >= 2 * MAX_EVENT_BYTES;
}

size_t fidq_read(struct fidq *q, uint64_t *errors)
{
    if (room_in_last(q))
        return read_more(q, errors);
    if (q->n == q->maxb)
        return 0;
    if (!span_room(q)) {
        (*errors)++;
        return 0;
    }
    unsigned char *buf = q->spare ? q->spare : malloc(q->bsize);
    q->spare = NULL;
    if (!buf) {
        (*errors)++;
        return 0;
    }
    int64_t start = clock_mono_ns();
    ssize_t n = read(q->fd, buf, q->bsize);
    int64_t end = clock_mono_ns();
    q->emptied = n < 0 || (size_t)n + MAX_EVENT_BYTES <= q->bsize;
    if (n <= 0) {
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            (*errors)++; /* EMFILE, ENOMEM ...: the kernel keeps or drops; we go on */
        q->spare = buf;
        return 0;
    }
    size_t slot = (q->head + q->n) % q->maxb;
    struct batch *b = &q->b[slot];
    b->buf = buf;
    b->nmarks = 0;
    if (!batch_index(q, b, 0, (size_t)n, q->end)) {
        batch_release(q, b);
        (*errors)++;
        return 0;
    }
    if (q->n == 0)
        q->off = 0;
    q->n++;
    span_add(q, slot, 0, q->end, start, end);
    q->end = b->end;
    return (size_t)n;
}

bool fidq_emptied(const struct fidq *q)
{
    return q->emptied;
}

static void drop_head(struct fidq *q)
{
    batch_release(q, &q->b[q->head]);
    q->head = (q->head + 1) % q->maxb;
    q->n--;
    q->off = 0;
}

bool fidq_next(struct fidq *q, struct decode_event *ev, uint64_t *errors)
{
    while (q->n) {
        struct batch *b = &q->b[q->head];
        if (q->off < b->len && decode_next(b->buf, b->len, &q->off, ev) == DECODE_OK) {
            /* the reads all handed out before this event are forgotten */
            while (q->shead < q->sn && q->spans[q->shead].last <= q->next)
                q->shead++;
            q->next++;
            return true;
        }
        if (b->bad)
            (*errors)++;
        q->next = b->end; /* also past events that decode_next refused */
        drop_head(q);
    }
    return false;
}

bool fidq_catch_up(struct fidq *q)
{
    uint64_t errors = 0;
    for (;;) {
        if (q->n == q->maxb && !room_in_last(q))
            return false;
        fidq_read(q, &errors);
        if (q->emptied || errors)
            return q->emptied;
    }
}

const struct fidq_span *fidq_current_span(const struct fidq *q, size_t *rest)
{
    const struct span *sp = q->shead < q->sn ? &q->spans[q->shead] : NULL;
    if (!q->next || !q->n || !sp || sp->first > q->next - 1 || sp->slot != q->head)
        return NULL;
    *rest = q->off - sp->off;
    return &sp->pub;
}

bool fidq_pending(const struct fidq *q)
{
    return q->next < q->end;
}

uint64_t fidq_current(const struct fidq *q)
{
    return q->next ? q->next - 1 : 0;
}

uint64_t fidq_end(const struct fidq *q)
{
    return q->end;
}

uint64_t fidq_horizon(const struct fidq *q)
{
    int queued = 0;
    if (ioctl(q->fd, FIONREAD, &queued) < 0 || queued < 0)
        queued = 0;
    return q->end + (uint64_t)queued / META_LEN;
}

bool fidq_scan(const struct fidq *q, uint64_t until,
               bool (*visit)(const struct decode_event *ev, uint64_t index, void *ctx), void *ctx)
{
    for (size_t k = 0; k < q->n; k++) {
        const struct batch *b = &q->b[(q->head + k) % q->maxb];
        for (size_t i = 0; i < b->nmarks; i++) {
            const struct mark *m = &b->marks[i];
            if (m->index < q->next)
                continue;
            if (m->index >= until)
                return false;
            size_t off = m->off;
            struct decode_event ev;
            if (decode_next(b->buf, b->len, &off, &ev) == DECODE_OK && visit(&ev, m->index, ctx))
                return true;
        }
    }
    return false;
}
