/* The FID group's queue as read so far: read() batches kept in the kernel's
 * order until every event in them has been handled, so that the events
 * queued after the one being named can be searched. A directory renamed
 * after an event was queued says, in its rename event further on, where it
 * was at that event; this window is where that rename is found. Used by the
 * capture thread only. */
#ifndef FANOTOP_FIDQ_H
#define FANOTOP_FIDQ_H

#include "capture/decode.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fidq;

/* A window over fanotify group GROUP (non-blocking), read BATCH bytes at a
 * time, holding at most MAX_BATCHES batches; events whose mask has a bit of
 * WATCH are indexed for fidq_scan. NULL when out of memory. */
struct fidq *fidq_create(int group, size_t batch, size_t max_batches, uint64_t watch);
void fidq_destroy(struct fidq *q);

/* Read one batch into the window. Returns the bytes read (0: nothing, or an
 * error other than EAGAIN, counted in *ERRORS). */
size_t fidq_read(struct fidq *q, uint64_t *errors);

/* Whether the last read took all that the kernel had queued. */
bool fidq_emptied(const struct fidq *q);

/* One read() into the window, kept until its events are handed out. */
struct fidq_span {
    uint64_t seq;             /* 1, 2, ... in the order read */
    int64_t start, end;       /* monotonic ns: the read began, it returned */
    int64_t end_rt;           /* real time it returned */
    bool emptied;             /* it took all that the kernel had queued */
    const unsigned char *buf; /* its events: LEN bytes */
    size_t len;
    uint64_t events; /* how many */
};

/* The read the current event came from; *REST: the offset in its BUF of
 * the events after the current one. NULL before the first fidq_next. Valid
 * until the next fidq_next. */
const struct fidq_span *fidq_current_span(const struct fidq *q, size_t *rest);

/* Are events read and not handed out by fidq_next yet? */
bool fidq_pending(const struct fidq *q);

/* The next event not yet handled, into *EV (pointers into the window, valid
 * until the next call); it becomes the current event. False when the window
 * is used up. Malformed metadata ends its batch and counts in *ERRORS. */
bool fidq_next(struct fidq *q, struct decode_event *ev, uint64_t *errors);

/* Read until the kernel's queue is found empty or the window is full. True
 * when every event queued before the call is in the window. */
bool fidq_catch_up(struct fidq *q);

/* Index of the current event in the stream (0 for the first ever read), and
 * of the first event not yet read. */
uint64_t fidq_current(const struct fidq *q);
uint64_t fidq_end(const struct fidq *q);

/* The index the stream will have reached once everything queued in the
 * kernel now has been read: fidq_end plus the kernel's queued count. */
uint64_t fidq_horizon(const struct fidq *q);

/* Call VISIT(EV, INDEX, CTX) on each indexed event after the current one,
 * in order, up to index UNTIL (excluded) or the window's end, until it
 * returns true; true then. */
bool fidq_scan(const struct fidq *q, uint64_t until,
               bool (*visit)(const struct decode_event *ev, uint64_t index, void *ctx), void *ctx);

#endif
