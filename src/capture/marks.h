/* Which filesystems are marked, and how, for the life of a capture: a
 * filesystem mark (or one per mount) where the whole of it is watched or
 * where execs only name processes, inode marks (scope.h) under a narrow
 * PATH; filesystems served by a daemon or a network in a group of their
 * own (slowfs.h), nothing of them opened or asked on the capture thread.
 * The FID group is also asked for what the resolver needs to name paths
 * in queue order (renames; on the user's filesystems, creates), the
 * resolver is told through which mounts to name each filesystem, and the
 * overlay mounts are kept (overlay.h). Filesystems mounted after start are
 * marked as they appear (our mount table is polled; with no PATH, other
 * mount namespaces' too, each second) and those unmounted are let go, each
 * with a notice. No descriptor is held on any of them. Set up by
 * capture_start, then used by the capture thread only.
 *
 * Why a poll and not fanotify's mount events (FAN_MNT_ATTACH, Linux 6.14):
 * they need a group of their own and a mark per namespace, the namespaces
 * must still be found from processes, and POLLPRI on mountinfo works on
 * every kernel. */
#ifndef FANOTOP_MARKS_H
#define FANOTOP_MARKS_H

#include "capture/capture.h"
#include "capture/decode.h"
#include "capture/overlay.h"
#include "capture/resolve.h"
#include "capture/scope.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct marks;

/* What marks_create needs; the caller's memory, read by marks_create only. */
struct marks_init {
    const struct capture_config *cfg;
    char *const *real;    /* the canonical PATHs, cfg->npaths of them */
    int fd_group;         /* -1 when absent */
    int fid_group;        /* -1 when absent */
    int slow_group;       /* fd mode, for filesystems served by a daemon; -1 when absent */
    bool target_fid;      /* the FID group reports the object of directory events */
    uint32_t types;       /* the user's event types (FA_BIT) */
    struct resolver *res; /* learns each filesystem marked in the FID group */
};

/* Read the mount table and mark what INIT asks for, saying on stderr what
 * is missing (and, verbose, what is watched). NULL on failure with one
 * line in ERR and the exit status in *STATUS. */
struct marks *marks_create(const struct marks_init *init, char *err, size_t errlen, int *status);

/* Safe on NULL. */
void marks_destroy(struct marks *m);

/* The user's scope (PATHs, inode marks); M's. */
struct scope *marks_scope(const struct marks *m);

/* How many filesystems are marked. */
size_t marks_count(const struct marks *m);

/* Does the FID group report FAN_RENAME (Linux 5.17), or only
 * FAN_MOVED_FROM/TO? */
bool marks_renames(const struct marks *m);

/* The overlay mounts of our mount table as last read (NULL: none); M's,
 * replaced when the table changes (ask again after marks_refresh). */
struct overlays *marks_overlays(const struct marks *m);

/* Has a filesystem been marked in the group for those served by a daemon
 * (its worker is needed)? */
bool marks_slow_used(const struct marks *m);

/* That group is gone (its worker could not start): mark no more there. */
void marks_slow_gone(struct marks *m);

/* Is FSID one of the user's filesystems (the others are marked only to
 * name processes by their execs)? */
bool marks_user_fsid(const struct marks *m, uint64_t fsid);

/* With --mount or --filesystem, is DEV outside the user's filesystems?
 * (false without them) */
bool marks_dev_outside(const struct marks *m, dev_t dev);
bool marks_dev_check(const struct marks *m);

/* Capture thread, once running: notices go to NOTICE(CTX, TEXT) from now
 * on; DRAIN(CTX) reads what the kernel has queued (called before an
 * unmounted filesystem is let go); marks made later raise CAP_SYS_ADMIN
 * just for the call. */
void marks_run(struct marks *m, void (*notice)(void *ctx, const char *text),
               void (*drain)(void *ctx), void *ctx);

/* The fd to poll with POLLPRI: readable when our mount table changed. */
int marks_poll_fd(const struct marks *m);

/* Is a look at the mount tables due? CHANGED: the poll fd told of a
 * change; NOW_MONO: the monotonic clock (other namespaces are looked at
 * each second). */
bool marks_due(const struct marks *m, bool changed, int64_t now_mono);

/* Capture thread, when marks_due: look at the mount tables; let go of the
 * filesystems gone (after a DRAIN, each with a notice), then mark those
 * mounted since. */
void marks_refresh(struct marks *m, bool changed, int64_t now_mono);

/* Capture thread, for each FID-group event before its path is used:
 * directories made or moved under PATH are marked (scope_event), and
 * a filesystem whose PATHs cannot be watched by inode marks any more is
 * watched whole, with a notice. */
void marks_event(struct marks *m, const struct decode_event *ev);

/* Capture thread, after a queue overflow of the FID group: directories
 * whose making was in the lost events are looked for and marked. */
void marks_overflow(struct marks *m);

#endif
