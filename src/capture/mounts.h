/* The mount table (/proc/self/mountinfo): which filesystems are mounted
 * where, which of them are real (worth watching), and which mount holds a
 * given path. */
#ifndef FANOTOP_MOUNTS_H
#define FANOTOP_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

/* The same of the mountinfo file PATH (/proc/PID/mountinfo: PID's mount
 * namespace), or of FD, an open mountinfo file read again from its start. */
int mounts_read_file(const char *path, struct mount_table *t);
int mounts_read_fd(int fd, struct mount_table *t);

void mounts_free(struct mount_table *t);

/* True for kernel pseudo filesystems (proc, sysfs, cgroup, devpts, ...): no
 * user files live there, and watching them would only add noise. */
bool mounts_is_pseudo(const char *fstype);

/* The mount holding the existing PATH (statx mount id, else the longest
 * mount point that is a prefix of PATH, which must be absolute and
 * canonical); NULL when none matches. */
const struct mount_entry *mounts_find(const struct mount_table *t, const char *path);

/* The mount of T whose mount point is the longest prefix of PATH, from
 * the table alone (nothing is asked of the filesystems: a path below a
 * symlink may be held by another); NULL when none. */
const struct mount_entry *mounts_by_name(const struct mount_table *t, const char *path);

/* Is mount M of table T reachable at its mount point, from the table alone
 * (no mount on top of it, or of a mount it lies in, nor over a directory
 * above its mount point)? Pure: asks nothing of the filesystems, so that
 * no mount is held for a moment by the look. */
bool mounts_reachable(const struct mount_table *t, const struct mount_entry *m);

/* Is mount M of table T reachable at its mount point (not covered by a
 * later mount)? ROOT is "" for our own table, "/proc/PID/root" for the
 * table of PID's namespace. */
bool mounts_visible(const struct mount_table *t, const struct mount_entry *m, const char *root);

/* The mount id (statx's stx_mnt_id) of PATH relative to DIRFD ("" for
 * DIRFD itself), without asking the filesystem for attributes; -1 when it
 * cannot be told. */
long long mounts_id_at(int dirfd, const char *path);

/* As mounts_id_at, the id that is never given to another mount where the
 * kernel has one (Linux 6.8); 0 when it cannot be told. */
uint64_t mounts_unique_id_at(int dirfd, const char *path);

/* True when PATH (canonical) lies under PREFIX or equals it. */
bool mounts_path_under(const char *path, size_t path_len, const char *prefix, size_t prefix_len);

#endif
