/* The mount table (/proc/self/mountinfo): which filesystems are mounted
 * where, which of them are real (worth watching), and which mount holds a
 * given path. */
#ifndef FANOTOP_MOUNTS_H
#define FANOTOP_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

struct mount_entry {
    int id; /* mount id (statx's stx_mnt_id) */
    int parent;
    unsigned major, minor; /* the filesystem (superblock) */
    const char *root;      /* the mount's root within its filesystem, "/" for all of it */
    const char *point;     /* mount point, escapes (\040 ...) decoded */
    const char *fstype;    /* "ext4", "tmpfs", "fuse.sshfs" ... */
    const char *source;
    const char *super; /* the superblock's options, still escaped ("rw,lowerdir=...") */
};

struct mount_table {
    struct mount_entry *v;
    size_t n;
    char *text; /* owns the strings */
};

/* Parse TEXT (LEN bytes, mountinfo format) into T, which the caller frees
 * with mounts_free. Malformed lines are skipped. Returns 0, or -1 when out of
 * memory. */
int mounts_parse(const char *text, size_t len, struct mount_table *t);

/* Decode mountinfo's octal escapes (\040 for a space ...) in place. */
void mounts_unescape(char *s);

/* Read and parse /proc/self/mountinfo; -1 with errno on failure. */
int mounts_read(struct mount_table *t);

void mounts_free(struct mount_table *t);

/* True for kernel pseudo filesystems (proc, sysfs, cgroup, devpts, ...): no
 * user files live there, and watching them would only add noise. */
bool mounts_is_pseudo(const char *fstype);

/* The mount holding the existing PATH (statx mount id, else the longest
 * mount point that is a prefix of PATH, which must be absolute and
 * canonical); NULL when none matches. */
const struct mount_entry *mounts_find(const struct mount_table *t, const char *path);

/* True when PATH (canonical) lies under PREFIX or equals it. */
bool mounts_path_under(const char *path, size_t path_len, const char *prefix, size_t prefix_len);

#endif
