/* Live capture, set up. Two fanotify groups: one in FID mode (a directory
 * handle plus a name per event) for directory-entry and inode events, and,
 * where the filesystem's handles can be opened again, for open, access,
 * modify, close and exec too; one in fd mode (the kernel hands us an open fd
 * per event) for those on the other filesystems; and, for filesystems served
 * by a daemon or a network, a third in fd mode that a worker reads
 * (slowfs.h). What is marked, and how, is marks.c's; the capture thread
 * (events.c) reads the groups. */
#include "config.h"

#include "capture/capture.h"

#include "base/clock.h"
#include "base/event.h"
#include "capture/capture_impl.h"
#include "capture/follow_tree.h"
#include "capture/marks.h"
#include "capture/proc.h"
#include "capture/resolve.h"
#include "capture/slowfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/resource.h>
#include <unistd.h>

/* Batches of the FID group kept while the events after one being named are
 * searched: far more than a full queue of the default 16384 events. */
#define FIDQ_BATCHES 64
/* The events that the window indexes for those searches. */
#define FIDQ_WATCH                                                                                 \
    (FAN_RENAME | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_DELETE | FAN_CREATE | FAN_Q_OVERFLOW)

static void set_err(char *err, size_t errlen, int *status, int code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void set_err(char *err, size_t errlen, int *status, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    *status = code;
}

static int init_group(unsigned flags, unsigned event_flags, bool *tid)
{
    int fd = fanotify_init(flags | FAN_REPORT_TID, event_flags);
    if (fd >= 0 || errno != EINVAL) {
        *tid = fd >= 0;
        return fd;
    }
    *tid = false;
    return fanotify_init(flags, event_flags); /* before Linux 4.20: pids only */
}

/* Descriptors: the fd groups' reads take one per event (the capture
 * thread's and the worker's, at once), and a batch opens each filesystem
 * it names. Raise the soft limit as far as the hard one allows (and the
 * hard one, with CAP_SYS_RESOURCE); below the least that works, fail with
 * one line rather than lose events in silence. */
static int size_fds(struct capture *c, char *err, size_t errlen, int *status)
{
    size_t nfs = marks_count(c->marks);
    size_t want =
        CAPTURE_FD_FIXED + nfs + (CAPTURE_READ_BUF + SLOWFS_READ_BYTES) / FAN_EVENT_METADATA_LEN;
    size_t least = CAPTURE_FD_FIXED + nfs + CAPTURE_FD_MIN;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0) {
        c->fd_limit = least;
        return 0;
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        struct rlimit nr = {.rlim_cur = want, .rlim_max = rl.rlim_max};
        if (nr.rlim_max != RLIM_INFINITY && nr.rlim_max < want)
            nr.rlim_max = want; /* needs CAP_SYS_RESOURCE; falls back below */
        if (setrlimit(RLIMIT_NOFILE, &nr) < 0) {
            nr = (struct rlimit){.rlim_cur = rl.rlim_max, .rlim_max = rl.rlim_max};
            setrlimit(RLIMIT_NOFILE, &nr);
        }
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    c->fd_limit = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > want ? want : rl.rlim_cur;
    if (c->fd_limit >= least)
        return 0;
    snprintf(err, errlen,
             "too few file descriptors: watching %zu filesystems needs at least %zu, the limit "
             "is %zu (raise it with ulimit -n)",
             nfs, least, c->fd_limit);
    *status = 1;
    return -1;
}

static int open_groups(struct capture *c, const struct capture_config *cfg, char *err,
                       size_t errlen, int *status)
{
    unsigned base = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK;
    if (cfg->unlimited_queue)
        base |= FAN_UNLIMITED_QUEUE;
    bool tid;
    c->fd_group = init_group(base, O_RDONLY | O_LARGEFILE | O_CLOEXEC, &tid);
    if (c->fd_group < 0) {
        int e = errno;
        if (e == EPERM)
            set_err(err, errlen, status, 1, "fanotify needs root (CAP_SYS_ADMIN): %s", strerror(e));
        else if (e == ENOSYS)
            set_err(err, errlen, status, 1, "this kernel has no fanotify: %s", strerror(e));
        else
            set_err(err, errlen, status, 1, "cannot create a fanotify group: %s", strerror(e));
        return -1;
    }
    /* Filesystems served by a daemon may be mounted at any time: their
     * group is there from the start (its worker starts with the first). */
    c->slow_group = init_group(base, O_RDONLY | O_LARGEFILE | O_CLOEXEC, &tid);
    /* Also without FID event types: it carries fd events where it can. */
    unsigned fid = base | FAN_REPORT_DFID_NAME | FAN_REPORT_FID;
    c->fid_group = init_group(fid | FAN_REPORT_TARGET_FID, O_RDONLY | O_CLOEXEC, &tid);
    c->target_fid = c->fid_group >= 0;
    if (c->fid_group < 0 && errno == EINVAL)
        c->fid_group = init_group(fid, O_RDONLY | O_CLOEXEC, &tid);
    if (c->fid_group < 0 && (c->types & FA_FID_TYPES))
        fprintf(stderr,
                "fanotop: notice: no create/delete/move/attrib events: this kernel cannot "
                "report file handles with names (Linux 5.9 or later): %s\n",
                strerror(errno));
    return 0;
}

static void free_paths(char **real, size_t n)
{
    for (size_t i = 0; real && i < n; i++)
        free(real[i]);
    free(real);
}

struct source *capture_start(const struct capture_config *cfg, struct ring *r, char *err,
                             size_t errlen, int *status)
{
    struct capture *c = calloc(1, sizeof *c);
    char **real = calloc(cfg->npaths + 1, sizeof *real);
    if (!c || !real) {
        free(c);
        free(real);
        set_err(err, errlen, status, 1, "out of memory");
        return NULL;
    }
    c->fd_group = c->fid_group = c->slow_group = c->forks = -1;
    c->follow = cfg->follow;
    c->self = getpid();
    c->types = cfg->types & ~FA_BIT(FA_OVERFLOW);

    /* Usage errors first: a PATH that is not there. */
    for (size_t i = 0; i < cfg->npaths; i++) {
        real[i] = realpath(cfg->paths[i], NULL);
        if (!real[i]) {
            set_err(err, errlen, status, 2, "cannot watch %s: %s", cfg->paths[i], strerror(errno));
            goto fail;
        }
    }
    if (open_groups(c, cfg, err, errlen, status) < 0)
        goto fail;
    c->res = resolve_create();
    c->procs = proc_cache_create(c->self);
    if (!c->res || !c->procs) {
        set_err(err, errlen, status, 1, "cannot set up path resolution: %s", strerror(errno));
        goto fail;
    }
    struct marks_init mi = {.cfg = cfg,
                            .real = real,
                            .fd_group = c->fd_group,
                            .fid_group = c->fid_group,
                            .slow_group = c->slow_group,
                            .target_fid = c->target_fid,
                            .types = c->types,
                            .res = c->res};
    if (!(c->marks = marks_create(&mi, err, errlen, status)))
        goto fail;
    c->scope = marks_scope(c->marks);
    if (size_fds(c, err, errlen, status) < 0)
        goto fail;
    if (c->fid_group >= 0) {
        c->fidq = fidq_create(c->fid_group, CAPTURE_READ_BUF, FIDQ_BATCHES, FIDQ_WATCH);
        if (!c->fidq) {
            set_err(err, errlen, status, 1, "out of memory");
            goto fail;
        }
        resolve_set_queue(c->res, c->fidq, marks_renames(c->marks));
    }
    /* Subscribed now, while we may (root): names the parents of processes
     * that are gone before their events are read. */
    c->forks = proc_events_start(c->procs);
    /* The followed command was forked before that subscription: its fork
     * is told here, or its events read after it is gone from /proc (and
     * reaped) would have no parent to be followed by. */
    pid_t child = follow_tree_child(cfg->follow);
    if (child > 0)
        proc_note_fork(c->procs, child, child, c->self, clock_mono_ns());
    if (cfg->verbose && c->forks < 0)
        fprintf(stderr, "fanotop: no process events from the kernel (proc connector): parents "
                        "of short-lived processes may be unknown\n");
    c->buf = malloc(CAPTURE_READ_BUF);
    if (!c->buf) {
        set_err(err, errlen, status, 1, "out of memory");
        goto fail;
    }
    free_paths(real, cfg->npaths);
    struct source *src = source_start(&capture_ops, c, r);
    if (!src) {
        set_err(err, errlen, status, 1, "cannot start the capture thread");
        capture_destroy(c);
    }
    return src;
fail:
    free_paths(real, cfg->npaths);
    capture_destroy(c);
    return NULL;
}
