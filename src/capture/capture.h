/* Live capture: fanotify groups and marks, and the thread that reads events,
 * resolves path and process, and feeds the ring. The only module (with
 * resolve.c) that talks to fanotify. */
#ifndef FANOTOP_CAPTURE_H
#define FANOTOP_CAPTURE_H

#include "run/options.h"
#include "pipe/ring.h"
#include "pipe/source.h"

#include <stddef.h>
#include <sys/types.h>

struct follow;

/* Set up the fanotify groups and marks for OPT (paths, scope, types, queue)
 * synchronously, then start the capture thread writing into R. FOLLOW, when
 * not NULL, restricts events to the followed process trees. Events of this
 * process are never produced. On failure returns NULL, writes one line
 * ("fanotify needs root (CAP_SYS_ADMIN): ...", "cannot watch PATH: ...")
 * into ERR and the exit status into *STATUS (1 setup failure, 2 usage). */
struct source *capture_start(const struct options *opt, struct follow *follow, struct ring *r,
                             char *err, size_t errlen, int *status);

#endif
