/* Consumer-side table of process identities by id. Entries live as long as
 * the table, so events may point at them, and never change but for their
 * parent link and a name and command line read late (so a filter's answer
 * for an identity without a command line may change): the table links
 * each identity to an identity of the process that forked it
 * (fa_proc.parent), the same way for every source, so a replay rebuilds
 * the process tree the live capture showed. Consumer thread only. */
#ifndef FANOTOP_PROCTAB_H
#define FANOTOP_PROCTAB_H

#include "base/event.h"

struct proctab;

struct proctab *proctab_create(void);
void proctab_destroy(struct proctab *t);

/* Copy P (strings included, P->parent ignored) under P->id; an id seen
 * before keeps its first entry (a source re-sends an identity after a ring
 * loss). Its parent is the identity with pid P->ppid that started last at or
 * before P->start_ns (the latest added, when a start time is unknown), now
 * or, when none is held yet, once one is added; never a link that would
 * close a loop. An identity that differs from the latest of its process
 * (same pid and start) only by a command line that one lacks, and by a
 * name where that one was named after the file it runs, is not a new
 * entry: that one takes the name and the command line, and P->id names it.
 * Returns the stored entry, or NULL when out of memory. */
const struct fa_proc *proctab_add(struct proctab *t, const struct fa_proc *p);

/* The entry for ID, or NULL. */
const struct fa_proc *proctab_get(const struct proctab *t, uint32_t id);

/* An identity for events whose process is unknown: id 0, the given pid (0
 * for none), comm "?". Never NULL; stable like every entry. */
const struct fa_proc *proctab_placeholder(struct proctab *t, int32_t pid);

/* The identity of a process nobody knows: id 0, pid 0, comm "?", every
 * other string empty. */
extern const struct fa_proc proctab_unknown;

/* Number of identities held. */
size_t proctab_count(const struct proctab *t);

#endif
