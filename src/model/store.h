/* The store: what the consumer has seen. A recent-events log of bounded depth
 * and aggregates per (path, process) pair, from which views roll up paths,
 * processes, types, units and the directory tree. Bounded memory: at most
 * max_rows paths, the least recently seen evicted and counted; at most
 * max_pairs pairs, the least recently seen folded into their path's
 * store_others pair (the path and its counts stay) and counted.
 * Single-threaded: only the consumer (UI or batch) thread touches it. */
#ifndef FANOTOP_STORE_H
#define FANOTOP_STORE_H

#include "base/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

struct store_config {
    size_t max_rows;  /* distinct paths kept; 0 = default (STORE_DEFAULT_MAX_ROWS) */
    size_t log_depth; /* recent events kept; 0 = default (STORE_DEFAULT_LOG_DEPTH) */
    /* (path, process) pairs kept; 0 = STORE_PAIRS_PER_PATH * max_rows; never
     * fewer than max_rows */
    size_t max_pairs;
    /* Rate intervals follow the events' own times, one recorded second each
     * (a replay); store_tick then does nothing. */
    bool event_clock;
};
#define STORE_DEFAULT_MAX_ROWS 200000
#define STORE_DEFAULT_LOG_DEPTH 100000
#define STORE_PAIRS_PER_PATH    4
#define STORE_RATE_HISTORY 60 /* seconds of events/s history for the sparkline */

/* The process a folded pair's counts are kept under: comm "(others)". */
extern const struct fa_proc store_others;

struct store *store_create(const struct store_config *cfg);
void store_destroy(struct store *st);

/* Account one event. The path is copied; EV->proc must outlive the store
 * (it points into a proctab). Overflow events are counted and logged. */
void store_add(struct store *st, const struct fa_event *ev);

/* Close rate intervals up to NOW (wall clock ns); call about once a tick. */
void store_tick(struct store *st, int64_t now_ns);
/* With event_clock: the events have ended (the recording has); close the
 * second the last one fell in, so that rates show it. */
void store_clock_end(struct store *st);

/* Forget every count and the log (the Del key); totals restart at zero. */
void store_reset(struct store *st);

struct store_totals {
    uint64_t events;    /* events accounted since start or reset */
    uint64_t overflows; /* overflow markers seen */
    uint64_t evictions; /* paths evicted by max_rows */
    uint64_t folded;    /* pairs folded into store_others by max_pairs */
    uint64_t per_type[FA_NTYPES];
    size_t paths;       /* distinct paths held */
    size_t pairs;       /* distinct (path, process) pairs held */
    double rate;        /* events/s over the last closed second */
    int64_t first_ns;   /* times of the oldest and the newest event, 0 before any */
    int64_t last_ns;
};
void store_get_totals(const struct store *st, struct store_totals *out);

/* Copy up to N per-second event counts (oldest first) into OUT; returns how
 * many were written (at most STORE_RATE_HISTORY). */
size_t store_rate_history(const struct store *st, double *out, size_t n);

/* Approximate bytes of heap the store holds (for --max-rows sizing and docs). */
size_t store_memory(const struct store *st);

/* Recent-events log, oldest first: I from 0 to store_log_count()-1. The
 * event's strings stay valid until the next store_add or store_reset. */
size_t store_log_count(const struct store *st);
void store_log_get(const struct store *st, size_t i, struct fa_event *out);

#endif
