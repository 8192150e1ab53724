/* What marks.c (setup) and marks_live.c (mounts that come and go while
 * the capture runs) share: the filesystems marked, and the helpers both
 * mark and tell with. Not for other modules. */
#ifndef FANOTOP_MARKS_INTERNAL_H
#define FANOTOP_MARKS_INTERNAL_H

#include "base/clock.h"
#include "capture/marks.h"
#include "capture/mntns.h"
#include "capture/mounts.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define NS_SCAN_NS CLOCK_NS_PER_S /* other mount namespaces: looked at once a second */
#define ROOT_MAX   48             /* "/proc/PID/root" */

/* One filesystem (superblock) marked. */
struct target {
    unsigned major, minor;
    char *point; /* a directory of the mount it is reached through */
    char *shown; /* that mount point as its namespace shows it */
    char *fstype;
    char *why;     /* the PATH or "all" that makes it the user's (for --verbose) */
    char how[160]; /* how it is marked, for --verbose */
    uint64_t fsid;
    pid_t ns_pid;           /* reached through this process's mount namespace; 0: ours */
    uint64_t ns_ino;        /* that namespace */
    bool user;              /* inside the user's scope */
    bool mount_scope;       /* --mount: fd events through the PATHs' mounts only */
    bool inode;             /* its PATHs are watched by inode marks */
    bool root_path;         /* a PATH on it is its mount root */
    bool fid;               /* marked in the FID group (the resolver knows it) */
    bool slow;              /* served by a daemon: in the slow group, never opened here */
    uint64_t mounts_sig;    /* the mounts of it the resolver names it through */
    bool fs_mark;           /* has a filesystem mark (in either group) */
    bool stale;             /* that mark is gone with its filesystem */
    bool seen_own, seen_ns; /* in the last look at our table, at other namespaces' */
    bool fresh;             /* found by this look: not marked yet */
};

struct marks {
    const struct capture_config *cfg; /* setup only */
    int fd_group, fid_group, slow_group;
    bool target_fid;
    bool renames;   /* the FID group takes FAN_RENAME */
    bool slow_used; /* a filesystem is marked in the slow group */
    uint32_t types;
    bool verbose;
    bool whole;  /* no PATH: every filesystem is the user's */
    bool follow; /* following processes: PATHs keep their wide marks */
    enum capture_scope scope;
    char **real; /* the PATHs */
    size_t npaths;
    struct resolver *res;
    struct scope *sc;
    struct target *t;
    size_t nt;
    uint64_t *user_fsids; /* of the user's targets, for the hot path */
    size_t nuser;
    dev_t *devs; /* the PATHs' devices, for --mount and --filesystem */
    size_t ndevs;
    bool dev_check;
    int mi_fd; /* /proc/self/mountinfo, polled for changes */
    struct mntns *ns;
    struct overlays *ovl; /* the overlay mounts of our table */
    uint64_t ovl_sig;     /* which ones they are */
    int64_t next_ns_scan;
    bool running;
    void (*notice)(void *ctx, const char *text);
    void (*drain)(void *ctx);
    void *notice_ctx;
    char missing[512];   /* filesystems with no FID events, for one notice */
    uint64_t found_told; /* scope_stats.found_before, as last told */
};

/* A line for the user: on stderr at setup ("fanotop: notice: ..." when
 * NOTICE), as a notice of the capture once running; escaped for a terminal. */
void marks_say(struct marks *m, bool notice, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The --verbose line of T, once marked; WHEN is appended (", mounted after start"). */
void marks_tell(struct marks *m, const struct target *t, const char *when);

/* " in the mount namespace of pid N" for T reached through another
 * namespace (into BUF, LEN bytes), else "". */
const char *marks_where(const struct target *t, char *buf, size_t len);

/* Mark T (seen in MT, NULL when gone, under ROOT); -1 with one line in
 * ERR when a PATH on it cannot be watched at all. */
int marks_mark_one(struct marks *m, struct target *t, const struct mount_table *mt,
                   const char *root, char *err, size_t errlen);

/* T's PATHs cannot be watched by inode marks any more (E: why): a notice,
 * and its inode marks removed; the caller marks it whole. */
void marks_widen(struct marks *m, struct target *t, int e);

/* The target of the filesystem MAJOR:MINOR, or NULL. */
struct target *marks_find_target(struct marks *m, unsigned major, unsigned minor);

/* The target of mount E (under ROOT, of namespace NS, NULL: ours), made
 * (fresh) if new; NULL when out of memory. */
struct target *marks_target_of(struct marks *m, const struct mount_entry *e, const char *root,
                               const struct mntns_entry *ns);

/* Reach T through mount E (under ROOT, of NS); false when out of memory. */
bool marks_set_point(struct target *t, const struct mount_entry *e, const char *root,
                     const struct mntns_entry *ns);

/* T's reason to be the user's; false when out of memory. */
bool marks_set_why(struct target *t, const char *why);

/* Name T's files through the mounts of it in MT (of the namespace under
 * ROOT), and open its handles through one of the whole filesystem where
 * there is one; NULL MT: as before. False when out of memory. */
bool marks_name_mounts(struct marks *m, struct target *t, const struct mount_table *mt,
                       const char *root);

/* Which mounts of T MT has: a change of it is a change of T's names. */
uint64_t marks_mounts_sig(const struct target *t, const struct mount_table *mt);

/* Take in the overlay mounts of our table MT, if they changed. */
void marks_scan_overlays(struct marks *m, const struct mount_table *mt);

/* Free T's strings (not T). */
void marks_target_free(struct target *t);

/* The hot path's list of the user's filesystem ids, from the targets. */
void marks_rebuild_user(struct marks *m);

/* Look at the other mount namespaces: mark what they have that is new,
 * let go of what they had. */
void marks_refresh_ns(struct marks *m);

/* Let go of the filesystems found gone (after a drain, once running), each
 * with a notice. */
void marks_let_go(struct marks *m);

#endif
