/* Record files (CSV or JSON Lines, record/format.h) written event by event,
 * byte-exact so that replay gives every event back. */
#ifndef FANOTOP_RECWRITER_H
#define FANOTOP_RECWRITER_H

#include "base/event.h"
#include "record/format.h"

#include <stddef.h>
#include <stdio.h>

/* A record-file writer over an open stream. */
struct recwriter;

/* Writes the CSV header at once for EXPORT_CSV. OUT is not closed by us.
 * NULL when out of memory. */
struct recwriter *recwriter_create(FILE *out, enum export_format fmt);

/* Append one event; returns 0, or -1 with errno set when the stream failed.
 * The ancestors of its process (fa_proc.parent) that no line has named yet
 * go first, oldest first, each as a process line: a record with an empty
 * event and path, so that a replay rebuilds the process tree. */
int recwriter_write(struct recwriter *w, const struct fa_event *ev);

/* Flush; returns 0 or -1 with errno. Frees W. */
int recwriter_finish(struct recwriter *w);

/* EV as one record line (with the trailing newline) in a malloc'd,
 * NUL-terminated buffer (*LEN: its length), for tests and writers other
 * than stdio; NULL when out of memory. */
char *recwriter_line(const struct fa_event *ev, enum export_format fmt, size_t *len);

/* The process line of P (see recwriter_write) at TIME_NS, the same way. */
char *recwriter_process_line(const struct fa_proc *p, int64_t time_ns, enum export_format fmt,
                             size_t *len);

#endif
