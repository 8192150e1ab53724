/* Test helper shared by the store and view tests: one event into a store. */
#ifndef FANOTOP_TESTS_STORE_EVENTS_H
#define FANOTOP_TESTS_STORE_EVENTS_H

#include "model/store.h"

#include <string.h>

/* An event of TYPES on PATH at T by thread TID of process P (may be NULL). */
static inline void store_events_add(struct store *st, const struct fa_proc *p, int32_t tid,
                                    const char *path, uint32_t types, int64_t t)
{
    struct fa_event ev = {.time_ns = t,
                          .tid = tid,
                          .types = types,
                          .proc = p,
                          .path = path,
                          .path_len = strlen(path)};
    store_add(st, &ev);
}

#endif
