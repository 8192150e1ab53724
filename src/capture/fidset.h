/* A set of file handles (filesystem id + struct file_handle bytes, as
 * fanotify reports them), with a small value per handle: the directories
 * marked one by one, for instance. Not thread-safe: one owner. */
#ifndef FANOTOP_FIDSET_H
#define FANOTOP_FIDSET_H

#include "capture/decode.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fidset;

/* An empty set; NULL when out of memory. */
struct fidset *fidset_create(void);

/* Safe on NULL. */
void fidset_destroy(struct fidset *s);

/* The slot of FID, or -1 when absent. Slots stay valid until removed. */
long fidset_find(const struct fidset *s, const struct decode_fid *fid);

/* Add FID with value VAL; *ADDED false when it was there (its value kept).
 * Returns its slot, or -1 when out of memory. */
long fidset_add(struct fidset *s, const struct decode_fid *fid, uint64_t val, bool *added);

/* Remove the handle in SLOT. */
void fidset_remove(struct fidset *s, long slot);

/* The handle (pointing into the set, valid until it is removed) and the
 * value in SLOT. */
void fidset_get(const struct fidset *s, long slot, struct decode_fid *fid, uint64_t *val);

/* Handles held. */
size_t fidset_count(const struct fidset *s);

/* Walk the slots in use: start with *POS = 0; -1 at the end. Do not add
 * during a walk; removing the slot just returned is fine. */
long fidset_next(const struct fidset *s, size_t *pos);

/* A handle kept in caller memory: BYTES holds the struct file_handle bytes
 * FID points to. */
struct fidset_handle {
    struct decode_fid fid;
    unsigned char bytes[8 + 128];
};

/* Fill H with the handle of PATH relative to DIRFD (NULL or "" for DIRFD
 * itself), the way fanotify reports it, on the filesystem of id FSID.
 * Does not follow a final symlink. false with errno set. */
bool fidset_handle_at(struct fidset_handle *h, int dirfd, const char *path, uint64_t fsid);

#endif
