/* Output files. Atomic: a temporary file beside the target, fsync'd and
 * renamed over it, so a reader never sees half a file. Streamed (a record
 * read while it is written): opened in place. Either way a file fanotop
 * creates under sudo goes to the user who ran sudo. */
#ifndef FANOTOP_ATOMIC_FILE_H
#define FANOTOP_ATOMIC_FILE_H

#include <stdio.h>
#include <sys/types.h>

struct atomic_file {
    FILE *fp;
    char *path;
    char *tmp_path;
};

/* Open for writing with MODE (e.g. 0600; the umask does not apply). Run as
 * root through sudo (SUDO_UID/SUDO_GID set), the file goes to that user,
 * best effort. On failure fills ERR with "cannot write PATH: <strerror>"
 * and returns -1. */
int atomic_file_open(struct atomic_file *af, const char *path, mode_t mode, char *err,
                     size_t errlen);

/* fflush + fsync + rename; on failure removes the temp file, fills ERR, -1. */
int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen);

/* Close and remove the temp file. */
void atomic_file_abort(struct atomic_file *af);

/* Abort after a failed write: ERR gets "cannot write PATH: <strerror(E)>"
 * (EIO when E is 0). */
void atomic_file_fail(struct atomic_file *af, int e, char *err, size_t errlen);

/* Not atomic, for a stream: a new file is created mode 0600 and, under
 * sudo, handed to the invoking user; an existing one (a FIFO, /dev/null, a
 * file the user made) is truncated and keeps its owner and mode. NULL with
 * "cannot write PATH: <strerror>" in ERR on failure. */
FILE *atomic_file_open_stream(const char *path, char *err, size_t errlen);

#endif
