/* Live capture: fanotify groups and marks, and the thread that reads events,
 * resolves path and process, and feeds the ring. Its modules (capture.c and
 * events.c, marks, scope, resolve, fidq, slowfs) are the only ones that
 * talk to fanotify. */
#ifndef FANOTOP_CAPTURE_H
#define FANOTOP_CAPTURE_H

#include "pipe/ring.h"
#include "pipe/source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct follow_tree;

/* How far a PATH's watch reaches. */
enum capture_scope {
    CAPTURE_SCOPE_PATH,       /* the PATH itself, and filesystems mounted below it */
    CAPTURE_SCOPE_MOUNT,      /* the mount that holds PATH */
    CAPTURE_SCOPE_FILESYSTEM, /* the whole filesystem that holds PATH */
};

/* What to capture; the caller's memory, read during capture_start only
 * (FOLLOW for as long as the capture runs). */
struct capture_config {
    char *const *paths; /* NPATHS PATHs to watch; none = every filesystem */
    size_t npaths;
    enum capture_scope scope;
    uint32_t types;      /* FA_BIT mask of the event types wanted */
    bool unlimited_queue; /* FAN_UNLIMITED_QUEUE */
    bool verbose;         /* say on stderr what is watched and how */
    struct follow_tree *follow; /* only events of these trees; NULL = every process */
};

/* Set up the fanotify groups and marks for CFG synchronously, then start
 * the capture thread writing into R. Events of this process are never
 * produced. On failure returns NULL, writes one line ("fanotify needs root
 * (CAP_SYS_ADMIN): ...", "cannot watch PATH: ...") into ERR and the exit
 * status into *STATUS (1 setup failure, 2 usage). */
struct source *capture_start(const struct capture_config *cfg, struct ring *r, char *err,
                             size_t errlen, int *status);

#endif
