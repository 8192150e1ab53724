/* A source produces records into the ring from its own thread: live
 * fanotify capture (capture.c) or a recording (source_replay.c). Everything
 * after the ring does not know which one feeds it. */
#ifndef FANOTOP_SOURCE_H
#define FANOTOP_SOURCE_H

#include "pipe/ring.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct source;

/* Counters a source keeps; readable from any thread at any time. */
struct source_stats {
    uint64_t events;    /* event records produced */
    uint64_t overflows; /* kernel queue overflows seen (live) */
    uint64_t errors;    /* per-event trouble: vanished pid, stale fd, malformed line */
    uint64_t filtered;  /* events dropped by scope (outside PATH, own pid, not followed) */
};

struct source_ops {
    /* Runs on the source thread until done or until *stop is true. Returns
     * 0 on a normal end. */
    int (*run)(struct source *src, void *impl);
    /* Frees IMPL after the thread has ended. */
    void (*destroy)(void *impl);
    /* Drop capabilities (privs_drop) on the source thread before run: they
     * are per thread, and a live source needs none once its marks exist. */
    bool drop_privileges;
    /* Nice value for the source thread alone, set before the drop (raising
     * priority needs CAP_SYS_NICE); 0 leaves it. */
    int nice;
};

/* Start a thread running OPS->run(src, IMPL) that writes into R. */
struct source *source_start(const struct source_ops *ops, void *impl, struct ring *r);

/* Ask the source to stop, wait for its thread, free it (and its impl). Safe on NULL. */
void source_stop(struct source *src);

/* True once the run function has returned (replay reached its end). */
bool source_finished(const struct source *src);
int source_status(const struct source *src);

void source_get_stats(const struct source *src, struct source_stats *out);

/* Catching up: after SOURCE_SYNC_REQUEST (the followed command has ended,
 * say), SOURCE_SYNCED(TICKET) turns true once a live source has found
 * nothing more waiting for it, with every record it read before in the ring.
 * A replay source never answers: callers keep a time limit. */
uint64_t source_sync_request(struct source *src);
bool source_synced(const struct source *src, uint64_t ticket);

/* For implementations. */
struct ring *source_ring(struct source *src);
const _Atomic bool *source_stop_flag(struct source *src);
bool source_should_stop(const struct source *src);
void source_count(struct source *src, uint64_t events, uint64_t overflows, uint64_t errors,
                  uint64_t filtered);
/* An fd that turns readable on source_sync_request: poll it with the
 * source's own fds and call source_sync_poll when it is readable. */
int source_wake_fd(const struct source *src);
void source_sync_poll(struct source *src);
/* The newest request, read before a look at the source's own fds; after a
 * look that found nothing, answer it with source_sync_done. */
uint64_t source_sync_wanted(const struct source *src);
void source_sync_done(struct source *src, uint64_t wanted);

#endif
