/* Output files, written as root on behalf of a user who may not be the only
 * one with a say in the directory. So: a final symbolic link is never
 * followed; a regular file or FIFO that belongs to anyone but the invoking
 * user (privs_invoker) is never written into nor replaced; a device the
 * user names (/dev/null, a terminal) is written as that device, never
 * replaced by a file; opening a FIFO never waits for a reader. A new or
 * replaced file is the invoking user's, mode 0600 unless said otherwise.
 * Any refusal is one line "cannot write PATH: why", and nothing is written.
 *
 * Atomic: a temporary file beside the target, fsync'd and renamed over it,
 * so a reader never sees half a file (a device is written as it is, and a
 * terminal gets what is written escaped, safeout.h). Streamed (a record read while it is
 * written): a replaced file is swapped for a new one at once, then written
 * in place. */
#ifndef FANOTOP_ATOMIC_FILE_H
#define FANOTOP_ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct atomic_file {
    FILE *fp;
    char *path;     /* as given, for messages */
    int dirfd;      /* the directory the file goes into */
    char *name;     /* its name there */
    char *tmp_name; /* the temporary file's name there; NULL when in place */
    bool own_dirfd; /* opened by atomic_file_open, closed with the file */
    uid_t uid;      /* the invoking user when opened: the file becomes theirs */
    gid_t gid;
};

/* Flags for atomic_file_openat. */
enum {
    ATOMIC_FILE_REGULAR = 1u << 0, /* refuse a device or FIFO: only a regular file will do */
};

/* Open PATH for writing with MODE (e.g. 0600; the umask does not apply).
 * On failure fills ERR with "cannot write PATH: <why>" and returns -1. */
int atomic_file_open(struct atomic_file *af, const char *path, mode_t mode, char *err,
                     size_t errlen);

/* atomic_file_open for NAME in the directory DIRFD (kept open by the
 * caller until commit or abort); SHOWN names it in messages. */
int atomic_file_openat(struct atomic_file *af, int dirfd, const char *name, const char *shown,
                       mode_t mode, unsigned flags, char *err, size_t errlen);

/* fflush + fsync + rename; on failure removes the temp file, fills ERR, -1. */
int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen);

/* Close and remove the temp file. */
void atomic_file_abort(struct atomic_file *af);

/* Abort after a failed write: ERR gets "cannot write PATH: <strerror(E)>"
 * (EIO when E is 0). */
void atomic_file_fail(struct atomic_file *af, int e, char *err, size_t errlen);

/* Not atomic, for a stream: a new file is created mode 0600; an existing
 * regular file of the invoking user's is replaced by a new one (mode 0600)
 * before anything is written; a device or the user's FIFO (with a reader)
 * is written as it is. NULL with "cannot write PATH: <why>" in ERR on
 * failure. */
FILE *atomic_file_open_stream(const char *path, char *err, size_t errlen);

/* The checks of atomic_file_open_stream alone, for a refusal before
 * anything starts: -1 with ERR when PATH is refused; 0 with *FP the open
 * device or FIFO (which must not wait to be opened: its reader would see
 * its end); 0 with *FP NULL when PATH is to be made or replaced, by
 * atomic_file_open_stream once there is something to write. */
int atomic_file_probe_stream(const char *path, FILE **fp, char *err, size_t errlen);

#endif
