/* Filesystems served by a daemon or over a network (FUSE, NFS, CIFS, 9p
 * ...): naming their events can block for as long as the daemon or the
 * server does not answer, in the kernel (which opens an fd per event while
 * the group is read) and in fanotop (which reads an exec'd file's first
 * bytes). Their events go to a group of their own, read and named by a
 * worker thread, so that a stall holds up only their names: the capture
 * thread takes the named events from the worker, and tells a stall (one
 * read or name taking longer than SLOWFS_STALL_NS) with a notice and a
 * count. A worker stuck in the kernel at the end is left behind; the
 * process's exit ends it. */
#ifndef FANOTOP_SLOWFS_H
#define FANOTOP_SLOWFS_H

#include "capture/mounts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SLOWFS_STALL_NS (1000 * INT64_C(1000000)) /* one second */
/* The largest read of the worker: an event fd each, so not too many. */
#define SLOWFS_READ_BYTES (64 * 1024)

/* Is a filesystem of type FSTYPE ("fuse.sshfs", "nfs4") served by a daemon
 * or a network? */
bool slowfs_is_slow(const char *fstype);

/* Does a look at PATH (canonical) go through such a filesystem of table MT:
 * does PATH lie on one, or on a mount reached through one? From the table
 * alone: nothing is asked of the filesystems. */
bool slowfs_reached_through(const struct mount_table *mt, const char *path);

/* The interpreter execs that an exec of the file open at FD makes the
 * kernel do too (proc_exec_followers of its first bytes; reading them
 * makes no event: event fds are FMODE_NONOTIFY). */
int slowfs_exec_followers(int fd);

/* One event as the worker named it. */
struct slowfs_event {
    uint64_t mask;
    int32_t tid;
    int32_t followers; /* interpreter execs that follow an exec (proc_exec_followers) */
    uint32_t flags;    /* FA_EV_* of the name */
    dev_t dev;         /* the file's device, for exec-only events; 0 otherwise */
    const char *path;
    size_t path_len;
};

struct slowfs;

/* Start the worker on fd-mode fanotify group GROUP (which it owns from
 * now on, also on failure; NULL then), reading READ_BYTES at a time (at
 * most SLOWFS_READ_BYTES: as many event fds at once as the descriptor
 * limit leaves it). Start it from a thread whose capabilities and signal
 * mask it should have: it inherits them. */
struct slowfs *slowfs_start(int group, size_t read_bytes);

/* An fd that turns readable when named events wait: poll it. */
int slowfs_wake_fd(const struct slowfs *w);

/* Hand each waiting event to FN (in the order read); returns how many.
 * Events the worker could not queue count in *LOST, kernel queue
 * overflows in *OVERFLOWS. */
size_t slowfs_drain(struct slowfs *w, void (*fn)(const struct slowfs_event *ev, void *ctx),
                    void *ctx, uint64_t *lost, uint64_t *overflows);

/* True once when a read of the worker found no descriptor free for its
 * events since the last call (the kernel drops such an event). */
bool slowfs_out_of_fds(struct slowfs *w);

/* True when the worker is not inside a read or a name and none of its
 * named events wait. */
bool slowfs_idle(struct slowfs *w);

/* True once when the worker has been inside one read or name for longer
 * than SLOWFS_STALL_NS (counted in *STALLS), false until it has come back
 * and stalled again. NOW is monotonic ns. */
bool slowfs_stalled(struct slowfs *w, int64_t now, uint64_t *stalls);

/* Stop the worker and free it; a worker stuck in the kernel is left to the
 * process's exit after a short wait. Safe on NULL. */
void slowfs_stop(struct slowfs *w);

#endif
