/* Mount namespaces other than ours (containers, `unshare -m`), found from
 * the processes that live in them: each is reached through one of its
 * processes, /proc/PID/root for its files and /proc/PID/mountinfo for its
 * mounts. Holds no descriptor between scans: an open mountinfo would keep
 * that process's root mounted. Not thread-safe: one owner. */
#ifndef FANOTOP_MNTNS_H
#define FANOTOP_MNTNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct mntns;

struct mntns_entry {
    uint64_t ino; /* the namespace's inode number (/proc/PID/ns/mnt) */
    pid_t pid;    /* a process in it, as of the last scan */
    bool fresh;   /* first seen by the last scan */
};

/* Namespaces other than the one of this process; NULL when out of memory
 * or /proc cannot be read. */
struct mntns *mntns_create(void);

/* Safe on NULL. */
void mntns_destroy(struct mntns *n);

/* Look through /proc again: namespaces with no process left are dropped,
 * new ones added, and each gets a live member. Returns how many there are,
 * or -1 when /proc cannot be read. */
long mntns_scan(struct mntns *n);

/* The I-th namespace of the last scan (I < its count). */
const struct mntns_entry *mntns_get(const struct mntns *n, size_t i);

/* The namespace PID is in (0 when it cannot be told). */
uint64_t mntns_of(pid_t pid);

#endif
