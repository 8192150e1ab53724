/* Naming the objects of fanotify events: an event fd (fd mode) or a file
 * handle plus entry name (FID mode) to a path. Used by the capture thread
 * only; not thread-safe. */
#ifndef FANOTOP_RESOLVE_H
#define FANOTOP_RESOLVE_H

#include "capture/decode.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct resolver;

/* A resolver with an empty handle cache; NULL when /proc/self/fd cannot be
 * opened or memory is short. */
struct resolver *resolve_create(void);
void resolve_destroy(struct resolver *r);

/* Teach R a filesystem for FID events: its FSID (8 bytes, statfs f_fsid) and
 * MOUNT_PATH, a directory of the mount its handles are opened through (paths
 * come out as that mount shows them; through /proc/PID/root, as that
 * process's mount namespace does). A known FSID takes the new path. The
 * mount is opened when first needed and closed by resolve_release, so no
 * descriptor keeps it from being unmounted. 0, or -1 out of memory. */
int resolve_add_fs(struct resolver *r, uint64_t fsid, const char *mount_path);

/* Forget FSID (its filesystem is unmounted): its handles stay unnamed. */
void resolve_drop_fs(struct resolver *r, uint64_t fsid);

/* Close the mounts opened since the last call: call it after each batch of
 * events, and after setup. */
void resolve_release(struct resolver *r);

/* Do handles of the filesystem of MOUNT_FD (an O_RDONLY directory) open
 * again? overlayfs without nfs_export, and some FUSE filesystems, report
 * handles they cannot open: their events cannot be named from handles. */
bool resolve_handles_open(int mount_fd);

/* Whether FSID was given to resolve_add_fs. */
bool resolve_knows_fs(const struct resolver *r, uint64_t fsid);

/* The path of the open file FD into BUF (LEN > 2 bytes, NUL-terminated,
 * cut at LEN - 1). A deleted file loses readlink's " (deleted)" and gets
 * FA_EV_DELETED in *FLAGS; an fd that cannot be named gives "?" and
 * FA_EV_UNRESOLVED. Returns the length. */
size_t resolve_fd(struct resolver *r, int fd, char *buf, size_t len, uint32_t *flags);

/* The path of entry NAME (NAME_LEN bytes; NULL or "." for the directory
 * itself) in directory DIR, through the handle cache. An unknown directory
 * gives "?/NAME" and FA_EV_UNRESOLVED. Returns the length. */
size_t resolve_dfid(struct resolver *r, const struct decode_fid *dir, const char *name,
                    size_t name_len, char *buf, size_t len, uint32_t *flags);

/* The path of the object FID itself (self events on files, which carry no
 * name); "?" and FA_EV_UNRESOLVED when it is gone. Not cached. */
size_t resolve_fid(struct resolver *r, const struct decode_fid *fid, char *buf, size_t len,
                   uint32_t *flags);

/* A name of the file OBJ was removed (a DELETE event's target): its later
 * events may be on a file with no name left. */
void resolve_unlinked(struct resolver *r, const struct decode_fid *obj);

/* Has the file OBJ, reported under entry NAME, lost its last name (a file
 * given to resolve_unlinked, or an O_TMPFILE file, "#INO")? Looks at the
 * file itself once per removal. */
bool resolve_gone(struct resolver *r, const struct decode_fid *obj, const char *name,
                  size_t name_len);

/* open_by_handle_at(2) of FID with FLAGS (plus O_CLOEXEC) through its
 * filesystem's mount fd; -1 with errno set. */
int resolve_open(struct resolver *r, const struct decode_fid *fid, int flags);

/* Directories were renamed or removed: cached directory paths may be stale. */
void resolve_forget(struct resolver *r);

/* Handle cache counters, for tests and benchmarks. */
struct resolve_stats {
    uint64_t hits, misses, stale;
    uint64_t mount_opens; /* mounts opened for a batch */
    uint64_t mount_fails; /* could not be (out of descriptors, unmounted): counted errors */
    uint64_t out_of_fds;  /* ... of them for want of a descriptor */
};
void resolve_get_stats(const struct resolver *r, struct resolve_stats *out);

#endif
