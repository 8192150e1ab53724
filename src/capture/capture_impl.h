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
/* Descriptors besides event fds: stdio, the groups, the /proc and proc
 * connector fds, the ring's wake fd, mountinfo, the record or export file,
 * the terminal, /proc files read to name a process, a directory being
 * looked through, the worker's wake and stop fds and its /proc/self/fd;
 * and one mount per filesystem during a batch. */
#define CAPTURE_FD_FIXED 28
#define CAPTURE_FD_MIN   16 /* event fds of the smallest read of an fd-mode group we accept */

struct capture {
    struct follow_tree *follow;
    pid_t self;
    int fd_group;   /* -1 when absent */
    int fid_group;  /* -1 when absent */
    int slow_group; /* fd mode, for filesystems served by a daemon; -1 once the worker has it */
    struct slowfs *slow;
    int forks;      /* proc connector socket (owned by procs), -1 when absent */
    int queue[2];   /* the FID group, the fd group (-1 when absent): proc.h's queues */
    uint32_t types; /* the user's event types */
    bool target_fid;
    struct proc_cache *procs;
    struct resolver *res;
    struct nspath *views; /* paths as processes in containers see them */
    struct fidq *fidq;    /* the FID group's events as read */
    /* the FID group's read whose events are being named, for the process
     * cache (fid_span: its fidq_span seq, 0 when none) */
    struct proc_batch fid_batch;
    uint64_t fid_span;
    struct marks *marks; /* what is marked, the overlays and the scope */
    struct scope *scope; /* events must lie in it (the marks') */
    unsigned char *buf;
    size_t fd_buflen;
    size_t fd_limit;      /* RLIMIT_NOFILE as set at start */
    size_t slow_fds;      /* event fds one read of the worker takes, once it runs */
    uint64_t mount_fails; /* the resolver's count, as last added to n_errors */
    bool lost;            /* the FID group overflowed: new directories may be unmarked */
    bool out_of_fds;      /* a read or an open found no descriptor free */
    uint64_t fd_fails;    /* the resolver's count of those */
    int64_t next_fd_notice;
    /* per batch */
    int64_t now_rt, now_mono;
    uint64_t n_events, n_filtered, n_errors, n_overflows;
    uint64_t n_stalls;      /* of the worker, since the start */
    struct buf path, path2; /* the current event's */
    struct buf cpath;       /* its path as its process saw it (nspath) */
};

/* The capture thread's source ops: run reads until stopped, destroy frees a
 * struct capture (also one never started). */
extern const struct source_ops capture_ops;
void capture_destroy(void *impl);

#endif
