/* The user's scope: the PATHs events must lie under, and the directories
 * under them watched one by one with inode marks (FAN_EVENT_ON_CHILD), so
 * that processes working elsewhere on the same filesystem pay nothing.
 * Directories are marked as they are made or moved in (and what is
 * already in them is looked through, to mark their subdirectories too),
 * and let go as they are moved out; the kernel drops the mark of one that
 * is removed. Used by capture setup, then by the capture thread only. */
#ifndef FANOTOP_SCOPE_H
#define FANOTOP_SCOPE_H

#include "capture/decode.h"
#include "capture/resolve.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Directories marked one by one, at the most (above it, the filesystem is
 * watched whole); lower when the kernel's fs.fanotify.max_user_marks is. */
#define SCOPE_MAX_DIRS 32768

struct scope;

struct scope_marks {
    int group;          /* the FID group the marks go to */
    uint64_t dir_mask;  /* a directory under PATH (FAN_EVENT_ON_CHILD | FAN_ONDIR ...) */
    uint64_t file_mask; /* a PATH that is a file; 0: none */
    /* The directories under PATH, its parent and its ancestors also report
     * FAN_RENAME (Linux 5.17): the resolver places directories by it. */
    bool renames;
};

/* A scope with no PATH (everything is in it); RES names handles. NULL
 * when out of memory. */
struct scope *scope_create(const struct scope_marks *marks, struct resolver *res);

/* Safe on NULL. */
void scope_destroy(struct scope *s);

/* Events must lie under REAL (canonical) or another PATH added. false when
 * out of memory. */
bool scope_add_prefix(struct scope *s, const char *real);

/* Was a PATH added? */
bool scope_has_paths(const struct scope *s);

/* Is PATH (LEN bytes) in the scope? True when no PATH was added. */
bool scope_covers(const struct scope *s, const char *path, size_t len);

/* Watch REAL (a canonical PATH added with scope_add_prefix, on the
 * filesystem FSID, which RES knows, and not its mount root) by inode
 * marks: its directories, or the file, and the name in its parent. 0, or
 * -1 with errno (ENOSPC: more directories than the limit) when it cannot
 * be: the caller then watches FSID whole (scope_widen). */
int scope_watch(struct scope *s, const char *real, uint64_t fsid);

/* Whether FSID has PATHs watched by inode marks. */
bool scope_fs_marked(const struct scope *s, uint64_t fsid);

/* Capture thread, for each event of the FID group before its path is
 * used: mark the directories it made or moved in, let go those it moved
 * out. Returns the FSID whose PATHs can no longer be watched by inode
 * marks (the limit crossed, a mark refused), to be watched whole, or 0. */
uint64_t scope_event(struct scope *s, const struct decode_event *ev);

/* Capture thread, after a queue overflow: events that told of new
 * directories may be lost, so look through every PATH again and mark what
 * is not. Returns the FSID to be watched whole (as scope_event), or 0. */
uint64_t scope_rescan(struct scope *s);

/* FSID is watched whole now, or is gone: remove its inode marks (REMOVE:
 * false when the filesystem is gone with them) and stop marking there. */
void scope_widen(struct scope *s, uint64_t fsid, bool remove);

/* Counters, for --verbose. */
struct scope_stats {
    size_t dirs;           /* directories marked now */
    size_t limit;          /* at the most */
    uint64_t found_before; /* entries already in a directory when it was first marked */
};
void scope_get_stats(const struct scope *s, struct scope_stats *out);

#endif
