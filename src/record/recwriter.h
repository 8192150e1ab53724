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

/* Append one event; returns 0, or -1 with errno set when the stream failed. */
int recwriter_write(struct recwriter *w, const struct fa_event *ev);

/* Flush; returns 0 or -1 with errno. Frees W. */
int recwriter_finish(struct recwriter *w);

/* EV as one record line (with the trailing newline) in a malloc'd,
 * NUL-terminated buffer (*LEN: its length), for tests and writers other
 * than stdio; NULL when out of memory. */
char *recwriter_line(const struct fa_event *ev, enum export_format fmt, size_t *len);

#endif
