/* Where directories are, by file handle, at the current point of the
 * kernel's event queue: each known directory has a link (its parent's
 * handle and its name) or is a root (a path within its filesystem), and a
 * directory's path is the chain of links up to a root. A rename changes one
 * link, and the paths below follow. Pure: no system calls; the resolver
 * fills links from rename events and from the kernel. Not thread-safe. */
#ifndef FANOTOP_DIRLINK_H
#define FANOTOP_DIRLINK_H

#include "base/buf.h"
#include "base/hashmap.h"
#include "capture/decode.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DIRLINK_NONE UINT32_MAX

enum dirlink_kind {
    DIRLINK_UNKNOWN, /* seen, not placed yet */
    DIRLINK_LINK,    /* parent and name */
    DIRLINK_ROOT,    /* a root: its name is its path within the filesystem */
};

struct dirlink_node {
    uint64_t fsid;
    int32_t type;
    uint32_t hb;
    unsigned char *fh; /* the struct file_handle bytes: 8-byte header, hb bytes */
    char *name;        /* LINK: the entry name; ROOT: the path ("/" or "/sub") */
    uint32_t name_len;
    uint32_t parent; /* LINK: index of the parent's node */
    uint8_t kind;
    /* The link came from the kernel while renames queued before then were
     * not all read: it holds only if this directory did not move between
     * the event that needed it and stream index UNSURE_UNTIL. */
    bool unsure;
    uint64_t unsure_until;
    bool gone; /* removed when the kernel was asked */
    /* The path of the directory as last built, while gen matches. */
    char *memo;
    uint32_t memo_len, memo_gen;
};

struct dirlink {
    struct u64multi by_hash; /* hash of the handle -> node index */
    struct dirlink_node *v;
    size_t n, cap, max;
    uint32_t gen; /* bumped whenever a link changes: memos older are stale */
};

/* An empty table that starts over when it holds more than MAX nodes. */
void dirlink_init(struct dirlink *t, size_t max);
void dirlink_free(struct dirlink *t);

/* Forget everything (a queue overflow may have hidden renames). */
void dirlink_clear(struct dirlink *t);

/* Every memo is stale (the mounts that name paths changed); the links
 * stay. */
void dirlink_forget_memos(struct dirlink *t);

/* Filesystem FSID is gone (another may take its id): its directories are
 * placed again when next needed. */
void dirlink_forget_fs(struct dirlink *t, uint64_t fsid);

/* Start over if the table is over its size: call only where no node index
 * is held. */
void dirlink_trim(struct dirlink *t);

/* The node of handle FID, added as DIRLINK_UNKNOWN when ADD; DIRLINK_NONE
 * when absent (or out of memory). Indexes stay valid until dirlink_clear or
 * dirlink_trim. */
uint32_t dirlink_get(struct dirlink *t, const struct decode_fid *fid, bool add);

/* Node I's handle. */
struct decode_fid dirlink_fid(const struct dirlink *t, uint32_t i);

/* Set node I's link: parent node PARENT and entry NAME (LEN bytes). */
bool dirlink_set_link(struct dirlink *t, uint32_t i, uint32_t parent, const char *name, size_t len);

/* Make node I a root with path PATH (LEN bytes) within its filesystem. */
bool dirlink_set_root(struct dirlink *t, uint32_t i, const char *path, size_t len);

/* A directory moved to entry NAME of directory TO (a rename event, in queue
 * order). Nothing when MOVED is not known: it is placed when next needed. */
void dirlink_moved(struct dirlink *t, const struct decode_fid *moved, const struct decode_fid *to,
                   const char *name, size_t len);

/* A directory moved to a place not told (out of what is watched): it is
 * placed again when next needed. */
void dirlink_unplace(struct dirlink *t, const struct decode_fid *moved);

/* Node I's memo, or NULL when there is none for the current links. */
const char *dirlink_memo(const struct dirlink *t, uint32_t i, size_t *len);
void dirlink_set_memo(struct dirlink *t, uint32_t i, const char *path, size_t len);

/* Build the path of node I within its filesystem into OUT (replacing what
 * it holds): the root's path, then each name, "/"-separated. Stops at a node
 * that is not placed: returns its index (OUT then holds "/" and the names
 * below it), or DIRLINK_NONE when the path is whole. Sets *UNSURE when a
 * link on the way is unsure, and *TOO_LONG (returning DIRLINK_NONE) past
 * MAX bytes or on a loop. */
uint32_t dirlink_path(const struct dirlink *t, uint32_t i, struct buf *out, size_t max,
                      bool *unsure, bool *too_long);

#endif
