/* The records that travel through the ring from a source (live capture or
 * replay) to the consumer. A process identity travels once as a PROC record;
 * events then carry only its id, which keeps event records small. */
#ifndef FANOTOP_WIRE_H
#define FANOTOP_WIRE_H

#include "base/event.h"
#include "pipe/proctab.h"
#include "pipe/ring.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum wire_kind {
    WIRE_PROC = 1,   /* a process identity (struct fa_proc) */
    WIRE_EVENT = 2,  /* one event */
    WIRE_NOTICE = 3, /* a one-line message from the source for the status line */
};

/* Longest process field the wire carries; longer ones are cut (cmdline
 * mostly). Paths are carried whole: a record larger than the ring can hold
 * is a counted loss. */
#define WIRE_MAX_FIELD 4096

/* Producer side. Each returns false when the record was not queued (the ring
 * counted the loss, or, with WAIT, stop became true while waiting). */
enum wire_mode {
    WIRE_DROP, /* live capture: never block, a full ring is a counted loss */
    WIRE_TRY,  /* never block, and a full ring is not counted: the caller decides */
    WIRE_WAIT, /* replay: wait for room */
};
bool wire_put_proc(struct ring *r, enum wire_mode mode, const struct fa_proc *p,
                   const _Atomic bool *stop);
bool wire_put_event(struct ring *r, enum wire_mode mode, const struct fa_event *ev,
                    const _Atomic bool *stop);
bool wire_put_notice(struct ring *r, enum wire_mode mode, const char *text,
                     const _Atomic bool *stop);

/* Consumer side: what one record decodes to. */
struct wire_sink {
    void (*event)(const struct fa_event *ev, void *ctx);
    void (*notice)(const char *text, void *ctx); /* may be NULL */
    void *ctx;
};

/* Decode one ring payload: PROC records go into TAB, EVENT and NOTICE records
 * to SINK (the event's proc points into TAB). Returns false for a malformed
 * record (which is skipped). */
bool wire_decode(const void *payload, size_t len, struct proctab *tab,
                 const struct wire_sink *sink);

/* Drain up to MAX records (0 = all waiting) from R through wire_decode.
 * Returns the number of records consumed. */
size_t wire_drain(struct ring *r, size_t max, struct proctab *tab, const struct wire_sink *sink);

#endif
