/* Single-producer single-consumer ring of variable-length records.
 * Lock-free (C11 atomics), no allocation per record, never blocks the
 * producer: a record that does not fit is dropped and counted as a loss. */
#ifndef FANOTOP_RING_H
#define FANOTOP_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ring;

/* Every record starts 8-byte aligned; this is the per-record overhead. */
#define RING_HDR_SIZE 8
#define RING_ALIGN 8

/* Create a ring of CAPACITY bytes (a power of two, at least 64). Returns NULL
 * with errno EINVAL for a bad capacity or ENOMEM. Free with ring_destroy. */
struct ring *ring_create(size_t capacity);
void ring_destroy(struct ring *r);

size_t ring_capacity(const struct ring *r);
/* Largest payload a single record can carry (capacity/2 minus the header). */
size_t ring_max_payload(const struct ring *r);

/* Producer: reserve LEN bytes of payload, write them, then ring_commit().
 * Returns NULL when the ring is full (errno ENOBUFS) or LEN exceeds
 * ring_max_payload (errno EMSGSIZE); either way the record counts as lost. */
void *ring_reserve(struct ring *r, size_t len);
/* Producer: like ring_reserve, but a full ring is not a loss: for producers
 * that wait and retry (replay reads a file and may take its time). */
void *ring_try_reserve(struct ring *r, size_t len);
/* Producer: publish the record from the last successful ring_reserve. */
void ring_commit(struct ring *r);
/* Producer: reserve, copy and commit in one call. */
bool ring_push(struct ring *r, const void *data, size_t len);

/* Producer: count one record it gave up without reserving as lost (an
 * event whose process identity found no room goes neither). */
void ring_count_loss(struct ring *r);
/* Records dropped by the producer so far (readable from any thread). */
uint64_t ring_losses(const struct ring *r);
/* Records committed by the producer so far (readable from any thread). */
uint64_t ring_pushed(const struct ring *r);

/* Consumer: called for each record in order; return false to stop early
 * (that record counts as consumed). */
typedef bool (*ring_fn)(const void *payload, size_t len, void *ctx);
/* Consumer: hand up to MAX records (0 = no limit) to FN, releasing their
 * space once at the end of the batch. Returns how many were consumed. */
size_t ring_consume(struct ring *r, size_t max, ring_fn fn, void *ctx);
/* Consumer: true when no committed record is waiting. */
bool ring_empty(struct ring *r);

#endif
