/* What the capture's setup (capture.c) and its thread (events.c) share:
 * the state of one live capture. Not for other modules. */
#ifndef FANOTOP_CAPTURE_IMPL_H
#define FANOTOP_CAPTURE_IMPL_H

#include "base/buf.h"
#include "capture/fidq.h"
#include "capture/proc.h"
#include "pipe/source.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CAPTURE_READ_BUF (256 * 1024)

struct capture {
    struct follow_tree *follow;
    pid_t self;
    int fd_group;   /* -1 when absent */
    int fid_group;  /* -1 when absent */
    int slow_group; /* fd mode, for filesystems served by a daemon; the worker's once started */
    struct slowfs *slow;
    int forks;      /* proc connector socket (owned by procs), -1 when absent */
    int queue[2];   /* the groups in the order read (FID first), -1 when absent: proc.h's queues */
    uint32_t types; /* the user's event types */
    bool target_fid;
    bool renames; /* the FID group's marks report FAN_RENAME */
    struct proc_cache *procs;
    struct resolver *res;
    struct fidq *fidq; /* the FID group's events as read */
    /* the FID group's read whose events are being named, for the process
     * cache (fid_span: its fidq_span seq, 0 when none) */
    struct proc_batch fid_batch;
    uint64_t fid_span;
    struct overlays *ovl; /* overlay mounts and their layers; NULL when none */
    /* scope: events must lie under one of these (none = everywhere) */
    char **prefix;
    size_t *prefix_len;
    size_t nprefix;
    /* exec events on filesystems marked only to name processes are checked
     * against the user's devices (SCOPE_MOUNT, SCOPE_FILESYSTEM) */
    dev_t *devs;
    size_t ndevs;
    uint64_t *user_fsids; /* the user's filesystems, for events of the FID group */
    size_t nuser_fsids;
    bool exec_dev_check;
    unsigned char *buf;
    size_t fd_buflen;
    /* per batch */
    int64_t now_rt, now_mono;
    uint64_t n_events, n_filtered, n_errors, n_overflows;
    uint64_t n_stalls;      /* of the worker, since the start */
    struct buf path, path2; /* the current event's */
};

/* The capture thread's source ops: run reads until stopped, destroy frees a
 * struct capture (also one never started). */
extern const struct source_ops capture_ops;
void capture_destroy(void *impl);

/* For the resolver (CTX a struct capture): is PATH in the user's scope? */
bool capture_in_scope(void *ctx, const char *path, size_t len);

#endif
