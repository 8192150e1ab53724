/* Paths as a process in another mount namespace (a container) or under
 * another root (a chroot) sees them, beside the host path that fanotop
 * names. Each such view is learnt once, from one of its processes
 * (/proc/PID/mountinfo, /proc/PID/root), and cached per mount namespace and
 * root: an event then costs a lookup and a few prefix comparisons, never a
 * /proc read. Capture thread only: not thread-safe.
 *
 * A host path is found in a view through the overlay layers its mounts are
 * made of (upperdir, lowerdir: a container's root file system), else
 * through the filesystem and directory a mount of the view shows (volumes,
 * bind mounts), else, for a chroot in fanotop's own namespace, under its
 * root. */
#ifndef FANOTOP_NSPATH_H
#define FANOTOP_NSPATH_H

#include "capture/mounts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- one view, pure ------------------------------------------------------- */

/* An overlay layer of a view's mount: host directory DIR shows at POINT. */
struct nspath_layer {
    char *dir; /* owned */
    size_t dir_len;
    const char *point; /* in the view's mount table */
};

/* A mount namespace as one of its processes sees it. */
struct nspath_view {
    struct mount_table mounts; /* its mountinfo: points relative to its root */
    char *root;                /* its root as a host path (a chroot in our namespace), or NULL */
    struct nspath_layer *layers;
    size_t nlayers;
};

/* Make V from MOUNTS (the view's /proc/PID/mountinfo, parsed; V takes it
 * over, also on failure) and ROOT (may be NULL: nspath_view.root). 0, or -1
 * out of memory. */
int nspath_view_init(struct nspath_view *v, struct mount_table *mounts, const char *root);
void nspath_view_free(struct nspath_view *v);

/* PATH (LEN bytes, a host path: as fanotop's own mount table HOST names
 * it) as V sees it, into OUT (OUTLEN bytes, NUL-terminated, cut): its
 * length, or 0 when V cannot see it. */
size_t nspath_translate(const struct mount_table *host, const struct nspath_view *v,
                        const char *path, size_t len, char *out, size_t outlen);

/* ---- the views of a live system ---------------------------------------------- */

struct nspath;

/* Learns fanotop's own mount namespace, root and mount table; NULL when
 * out of memory. */
struct nspath *nspath_create(void);
void nspath_destroy(struct nspath *n);

/* The view of process PID, learnt from /proc when new: a handle for
 * nspath_map, or 0 when PID sees paths as fanotop does (or is gone). */
uint32_t nspath_of(struct nspath *n, pid_t pid);

/* Is handle VIEW still cached? (Views unused for long make room for others.) */
bool nspath_known(const struct nspath *n, uint32_t view);

/* PATH (LEN bytes) as the processes of VIEW see it, into OUT (OUTLEN bytes):
 * its length when it differs from PATH ("?" when it is not visible there,
 * like an overlay's work directory); 0 when it is the same, or VIEW is 0 or
 * no longer known. */
size_t nspath_map(struct nspath *n, uint32_t view, const char *path, size_t len, char *out,
                  size_t outlen);

/* For an event of process PID (parent PPID) on PATH: nspath_map through
 * *VIEW, which is learnt anew when RENEW (a new identity of the process)
 * or when it went stale; a process already gone is taken to see what its
 * parent sees. */
size_t nspath_event(struct nspath *n, uint32_t *view, bool renew, pid_t pid, pid_t ppid,
                    const char *path, size_t len, char *out, size_t outlen);

#endif
