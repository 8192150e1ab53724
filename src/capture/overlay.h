/* Overlay mounts (container root filesystems): a process working in one
 * makes events twice, once on the overlay's own file (named by the merged
 * path it used) and once on the file of a layer (lower or upper directory)
 * that the overlay reads or writes for it, and the overlay's own
 * filesystem reports no create, delete or rename. This module tells the
 * layer events apart: the twins of an access through the overlay are
 * folded, a change of the upper layer is named by the merged path it shows
 * as, and the overlay's workings (its work directory, copy-up) are dropped.
 * Used by the capture thread only; not thread-safe. */
#ifndef FANOTOP_OVERLAY_H
#define FANOTOP_OVERLAY_H

#include "base/buf.h"
#include "capture/mounts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct overlays;

/* The overlay mounts of MT with their layers (given as absolute paths in
 * the mount options; those on a filesystem served by a daemon are left
 * out); NULL when there is none, or out of memory. */
struct overlays *overlay_scan(const struct mount_table *mt);
void overlay_free(struct overlays *o);

/* An event by PID named PATH (LEN bytes) by its open fd: when PATH lies in
 * an overlay's merged tree, PID accessed that file through the overlay (at
 * NOW, monotonic ns). */
void overlay_seen(struct overlays *o, pid_t pid, const char *path, size_t len, int64_t now);

/* An FID-group event of TYPES (FA_BIT mask) by PID on the file PATH (a host
 * path). Returns the types that stand for something the merged tree does
 * not show otherwise (0: drop it), and may replace PATH by the merged path:
 * accesses of a layer file by a process in the overlay or that used the
 * merged path for it are folded; create, delete, attrib and moves in the
 * upper directory are named by the merged path, moves into and out of the
 * work directory are dropped, and a whiteout moved in is a delete. */
uint32_t overlay_layer_event(struct overlays *o, pid_t pid, uint32_t types, struct buf *path,
                             int64_t now);

/* Does PATH (LEN bytes) lie in an overlay's lower or upper directory? */
bool overlay_in_layer(const struct overlays *o, const char *path, size_t len);

/* A rename by PID from FROM to TO (host paths) of a WHITEOUT (a character
 * device 0:0) or not, told before the events that name its two ends. */
void overlay_rename(struct overlays *o, pid_t pid, const char *from, size_t flen, const char *to,
                    size_t tlen, bool whiteout);

/* Is the event fd FD, which readlink named PATH, a layer file opened by an
 * overlay (whose private mount makes PATH name another file, or none)? */
bool overlay_hidden_fd(const struct overlays *o, int fd, const char *path);

#endif
