/* The host paths of files of a filesystem: which mounts show which part of
 * it (the directory of the filesystem each one shows, and where), and which
 * of a file's names to give when several mounts show it. A bind mount of a
 * subdirectory names only what lies below that subdirectory. Pure. */
#ifndef FANOTOP_HOSTPATH_H
#define FANOTOP_HOSTPATH_H

#include "base/buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hostpath_mount {
    uint64_t fsid;
    int id;     /* mountinfo's mount id */
    char *root; /* the directory of the filesystem it shows ("/", "/sub") */
    size_t root_len;
    char *point; /* where */
    size_t point_len;
};

/* Scope test for a candidate host path: prefer names it accepts. */
typedef bool (*hostpath_scope_fn)(void *ctx, const char *path, size_t len);

struct hostpath {
    struct hostpath_mount *v;
    size_t n, cap;
    hostpath_scope_fn in_scope; /* NULL: no preference */
    void *ctx;
};

/* Zero-initialised is empty too. */
void hostpath_free(struct hostpath *h);

/* Mount ID of filesystem FSID shows its directory ROOT at POINT. A mount
 * of the whole filesystem given earlier is preferred over later ones. False
 * when out of memory. */
bool hostpath_add(struct hostpath *h, uint64_t fsid, int id, const char *root, const char *point);

/* Forget the mounts of filesystem FSID. */
void hostpath_drop(struct hostpath *h, uint64_t fsid);

/* The mount with id ID, or NULL. */
const struct hostpath_mount *hostpath_by_id(const struct hostpath *h, int id);

/* The host path of REL (LEN bytes, a path within filesystem FSID starting
 * with "/") into OUT: through the first mount whose name for it is in scope,
 * else the first mount of the whole filesystem, else the first that shows
 * it. False when no mount shows it (OUT is then empty). */
bool hostpath_name(const struct hostpath *h, uint64_t fsid, const char *rel, size_t len,
                   struct buf *out);

#endif
