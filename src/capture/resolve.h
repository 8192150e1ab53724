/* Naming the objects of fanotify events: an event fd (fd mode) or a file
 * handle plus entry name (FID mode) to a path. FID-mode names are those the
 * objects had at the event being handled, not when it is read: directories
 * are placed by their rename events in queue order (see dirlink.h), and
 * what the kernel says now is checked against the renames queued after the
 * event (see fidq.h). A name that cannot be known for certain is flagged
 * FA_EV_UNCERTAIN, one that cannot be known at all FA_EV_UNRESOLVED (and
 * starts with "?"). Used by the capture thread only; not thread-safe.
 *
 * For this to hold, the FID group must report every rename of a directory
 * whose path is asked for (FAN_RENAME | FAN_ONDIR on Linux 5.17 and later,
 * else FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR), and resolve_track must
 * see every event of it in order. */
#ifndef FANOTOP_RESOLVE_H
#define FANOTOP_RESOLVE_H

#include "base/buf.h"
#include "capture/decode.h"
#include "capture/fidq.h"
#include "capture/hostpath.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest path named; a longer one gives "?/NAME" and FA_EV_UNRESOLVED (and
 * FA_EV_UNDER_PATH below an anchor). The kernel names none longer than a
 * page: these are built from names. */
#define RESOLVE_PATH_MAX (256 * 1024)

struct resolver;

/* A resolver with empty caches; NULL when /proc/self/fd cannot be opened
 * or memory is short. */
struct resolver *resolve_create(void);
void resolve_destroy(struct resolver *r);

/* Teach R a filesystem for FID events: its FSID (8 bytes, statfs f_fsid) and
 * MOUNT_PATH, a directory of the mount its handles are opened through: best
 * a mount of the whole filesystem, for handles of files outside a
 * bind-mounted subdirectory do not open through it; through /proc/PID/root
 * for a mount of another mount namespace. A known FSID takes the new path.
 * The mount is opened when first needed and closed by resolve_release, so
 * no descriptor keeps it from being unmounted. 0, or -1 out of memory. */
int resolve_add_fs(struct resolver *r, uint64_t fsid, const char *mount_path);

/* Forget FSID (its filesystem is unmounted): its handles stay unnamed, and
 * what was known of its directories goes (another filesystem may take its
 * id). */
void resolve_drop_fs(struct resolver *r, uint64_t fsid);

/* Close the mounts opened since the last call: call it after each batch of
 * events, and after setup. */
void resolve_release(struct resolver *r);

/* Mount ID (mountinfo's first field) shows directory ROOT of filesystem FSID
 * at POINT: FID paths are named on the host through these (hostpath.h), and
 * a file no mount shows is "?" and its path within the filesystem. False
 * when out of memory. */
bool resolve_add_mount(struct resolver *r, uint64_t fsid, int id, const char *root,
                       const char *point);

/* The mounts of filesystem FSID change (its mount table did): those given
 * before are forgotten, resolve_add_mount gives them again. */
void resolve_clear_mounts(struct resolver *r, uint64_t fsid);

/* Of the names a file has through several mounts, give one IN_SCOPE(CTX,
 * path, len) accepts, when there is one. */
void resolve_set_scope(struct resolver *r, hostpath_scope_fn in_scope, void *ctx);

/* The directory open at DIRFD (not kept) is a PATH of the user's: a path
 * that cannot be named but lies below it gets FA_EV_UNDER_PATH. False when
 * it has no handle, or out of memory. */
bool resolve_add_anchor(struct resolver *r, int dirfd);

/* The FID group's window (not owned): the events after the current one are
 * searched for renames. RENAMES: the group reports FAN_RENAME with target
 * handles (else only FAN_MOVED_FROM/TO). Without a window, paths are those
 * of when the event is read. */
void resolve_set_queue(struct resolver *r, struct fidq *q, bool renames);

/* Do handles of the filesystem of MOUNT_FD (an O_RDONLY directory) open
 * again? overlayfs without nfs_export, and some FUSE filesystems, report
 * handles they cannot open: their events cannot be named from handles. */
bool resolve_handles_open(int mount_fd);

/* Whether FSID was given to resolve_add_fs. */
bool resolve_knows_fs(const struct resolver *r, uint64_t fsid);

/* The path of the open file FD into OUT (replacing what it holds). A
 * deleted file loses readlink's " (deleted)" and gets FA_EV_DELETED in
 * *FLAGS; an fd that cannot be named gives "?" and FA_EV_UNRESOLVED. Returns
 * the length. */
size_t resolve_fd(struct resolver *r, int fd, struct buf *out, uint32_t *flags);

/* The path of entry NAME (NAME_LEN bytes; NULL or "." for the directory
 * itself) of directory DIR at the current event, into OUT. OBJ, when not
 * NULL, is the handle of a file the event is an access of: a file with no
 * name left gets FA_EV_DELETED, and one made with O_TMPFILE ("#INO") is
 * named by the name linkat gave it, from the events after that on. A
 * directory that cannot be placed gives "?", the part of its path that is
 * known, and FA_EV_UNRESOLVED. Returns the length. */
size_t resolve_dfid(struct resolver *r, const struct decode_fid *dir, const char *name,
                    size_t name_len, const struct decode_fid *obj, struct buf *out,
                    uint32_t *flags);

/* The path of the object FID itself (self events on files, which carry no
 * name) at the current event: from the first rename or removal of it queued
 * after, else from the kernel; "?" and FA_EV_UNRESOLVED when it is gone. */
size_t resolve_fid(struct resolver *r, const struct decode_fid *fid, struct buf *out,
                   uint32_t *flags);

/* Every event of the FID group, in queue order, after it was named:
 * renames move directories, removals and links change what files are
 * called, an overflow (which may have hidden renames) empties the caches. */
void resolve_track(struct resolver *r, const struct decode_event *ev);

/* open_by_handle_at(2) of FID with FLAGS (plus O_CLOEXEC) through its
 * filesystem's mount fd; -1 with errno set. */
int resolve_open(struct resolver *r, const struct decode_fid *fid, int flags);

/* Cache counters, for tests and benchmarks: directory paths from the
 * cache, placed from the kernel, from rename events, and handles that no
 * longer opened. */
struct resolve_stats {
    uint64_t hits, misses, from_renames, stale;
    uint64_t mount_opens; /* mounts opened for a batch */
    uint64_t mount_fails; /* could not be (out of descriptors, unmounted): counted errors */
    uint64_t out_of_fds;  /* ... of them for want of a descriptor */
};
void resolve_get_stats(const struct resolver *r, struct resolve_stats *out);

#endif
