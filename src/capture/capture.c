/* Live capture. Two fanotify groups: one in FID mode (a directory handle
 * plus a name per event) for directory-entry and inode events, and, where
 * the filesystem's handles can be opened again, for open, access, modify,
 * close and exec too; one in fd mode (the kernel hands us an open fd per
 * event) for those on the other filesystems. Both are read with poll() and
 * large read()s on one thread, which names the process and the path and
 * pushes records into the ring. What is marked, and how, is marks.c's. */
#include "config.h"

#include "capture/capture.h"
#include "base/clock.h"
#include "base/safeout.h"

#include "base/event.h"
#include "base/privs.h"
#include "capture/decode.h"
#include "capture/follow_tree.h"
#include "capture/marks.h"
#include "capture/mounts.h"
#include "capture/nspath.h"
#include "capture/proc.h"
#include "capture/resolve.h"
#include "capture/scope.h"
#include "pipe/wire.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#define READ_BUF (256 * 1024)
#define POLL_MS  100 /* how soon a stop request is noticed */
#define CAPTURE_NICE (-10)
/* A read that returns little means we keep up event by event, paying a
 * wakeup per handful of events: wait this long before reading again, so
 * events gather into large batches (and the kernel merges more of them).
 * Far below what fills a queue of 16384 events at any rate seen here. */
#define GATHER_NS    1000000
#define GATHER_MIN   (READ_BUF / 16)
#define SWEEP_NS     10000000000LL
#define LOOKAHEAD    16  /* events searched for the DELETE that names a DELETE_SELF */
/* Descriptors besides event fds: stdio, the groups, the /proc and proc
 * connector fds, the ring's wake fd, mountinfo, the record or export file,
 * the terminal, /proc files read to name a process, a directory being
 * looked through; and one mount per filesystem during a batch. */
#define FD_FIXED      24
#define FD_MIN_EVENTS 16 /* event fds of the smallest fd-group read we accept */
/* More than one FID-group event with its info records takes (metadata, two
 * handles, a name of at most NAME_MAX bytes); fd-group events have none. */
#define MAX_EVENT_BYTES 4096
#define FOLLOW_CHAIN 8   /* gone ancestors told to follow per event */
#define DRAIN_ROUNDS 64  /* reads of each group before the mount table is taken in */
#define FD_NOTICE_NS 10000000000LL

struct capture {
    struct follow_tree *follow;
    pid_t self;
    int fd_group;   /* -1 when absent */
    int fid_group;  /* -1 when absent */
    int forks;      /* proc connector socket (owned by procs), -1 when absent */
    int queue[2];   /* the groups in the order read (FID first), -1 when absent */
    uint32_t types; /* the user's event types */
    bool target_fid;
    struct proc_cache *procs;
    struct resolver *res;
    struct nspath *views; /* paths as processes in containers see them */
    struct marks *marks;
    struct scope *scope; /* events must lie in it */
    unsigned char *buf;
    size_t fd_buflen;
    size_t fd_limit; /* RLIMIT_NOFILE as set at start */
    uint64_t mount_fails; /* the resolver's count, as last added to n_errors */
    bool lost;            /* the FID group overflowed: new directories may be unmarked */
    bool out_of_fds;      /* a read or an open found no descriptor free */
    uint64_t fd_fails;    /* the resolver's count of those */
    int64_t next_fd_notice;
    /* per batch */
    int64_t now_rt, now_mono;
    uint64_t n_events, n_filtered, n_errors, n_overflows;
    char path[WIRE_MAX_PATH + 1];
    char cpath[WIRE_MAX_PATH + 1];
};

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

/* ---- the capture thread ----------------------------------------------------- */

/* An fd-mode exec-only event from a filesystem marked just to name processes? */
static bool exec_outside(const struct capture *c, const struct decode_event *ev)
{
    if (!marks_dev_check(c->marks) ||
        (ev->mask & (FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE)))
        return false;
    struct stat st;
    if (ev->fd < 0 || fstat(ev->fd, &st) < 0)
        return true;
    return marks_dev_outside(c->marks, st.st_dev);
}

/* Is a FID-group event from a filesystem of the user's? The others are
 * marked only for exec events, to name processes. */
static bool fid_user_fs(const struct capture *c, const struct decode_event *ev)
{
    const struct decode_fid *f = ev->has_dfid ? &ev->dfid : ev->has_fid ? &ev->fid : NULL;
    if (!f)
        return true; /* nothing to tell by: keep it, marked unresolved */
    return marks_user_fsid(c->marks, f->fsid);
}

/* The ancestors of a process are named once, oldest first, before its own
 * identity: the process tree keeps a writer's parents even when they never
 * touch a watched file and are gone by the time anyone looks. Not counted
 * as a loss when the ring is full: the next identity that needs them sends
 * them again, and the consumer links them late. */
static void send_ancestors(struct capture *c, struct ring *r, const _Atomic bool *stop,
                           struct proc_info *p)
{
    struct proc_info *chain[PROC_ANCESTORS_MAX];
    size_t n = proc_unsent_ancestors(c->procs, p, c->now_mono, chain);
    while (n-- > 0 && (chain[n]->sent = wire_put_proc(r, WIRE_TRY, &chain[n]->ident, stop)))
        ;
}

static void emit(struct capture *c, struct source *src, struct proc_info *p, pid_t tid,
                 uint32_t types, uint32_t flags, const char *path, size_t len)
{
    /* The path as P saw it, when it sees another mount namespace or root. */
    size_t clen = p && c->views && !(flags & FA_EV_UNRESOLVED)
                      ? nspath_event(c->views, &p->view, !p->sent, p->ident.pid, p->ident.ppid,
                                     path, len, c->cpath, sizeof c->cpath)
                      : 0;
    /* Marked the way the kernel and lsof mark it: a file written after its
     * last name went is what fills a disk that du cannot account for. */
    static const char gone[] = " (deleted)";
    if ((flags & FA_EV_DELETED) && path == c->path && len + sizeof gone <= sizeof c->path) {
        memcpy(c->path + len, gone, sizeof gone);
        len += sizeof gone - 1;
        if (clen > 1 && clen + sizeof gone <= sizeof c->cpath) {
            memcpy(c->cpath + clen, gone, sizeof gone);
            clen += sizeof gone - 1;
        }
    }
    struct ring *r = source_ring(src);
    const _Atomic bool *stop = source_stop_flag(src);
    /* Counted whether or not the ring takes it: --verbose accounts for every
     * captured event as written, lost in the ring, or not selected. */
    c->n_events++;
    /* The identity goes first; if the ring had no room it is sent again
     * before this process's next event, and this event, which could not be
     * named, is the one loss counted (ring losses count events). */
    if (p && !p->sent) {
        send_ancestors(c, r, stop, p);
        p->sent = wire_put_proc(r, WIRE_TRY, &p->ident, stop);
        if (!p->sent) {
            ring_count_loss(r);
            return;
        }
    }
    struct fa_event ev = {.time_ns = c->now_rt,
                          .tid = tid,
                          .types = types,
                          .flags = flags,
                          .proc = p ? &p->ident : NULL,
                          .path = path,
                          .path_len = len,
                          .cpath = clen ? c->cpath : NULL,
                          .cpath_len = clen};
    wire_put_event(r, WIRE_DROP, &ev, stop);
}

static void emit_overflow(struct capture *c, struct source *src)
{
    struct fa_event ev = {
        .time_ns = c->now_rt, .types = FA_BIT(FA_OVERFLOW), .path = "", .path_len = 0};
    wire_put_event(source_ring(src), WIRE_DROP, &ev, source_stop_flag(src));
    c->n_overflows++;
}

/* The process of an event, or NULL when it is ours or not followed (counted). */
static struct proc_info *event_proc(struct capture *c, pid_t tid, uint64_t mask, bool counted)
{
    struct proc_info *p = proc_lookup(c->procs, tid, mask, c->now_mono);
    if (!p) {
        c->n_errors++;
        return NULL;
    }
    if (p->self) {
        c->n_filtered += counted;
        return NULL;
    }
    return p;
}

static bool followed(struct capture *c, const struct proc_info *p)
{
    if (!c->follow)
        return true;
    /* Members of a followed tree may be gone with their parents before
     * their events are read (a subshell that backgrounds a command and
     * exits), where follow cannot see them in /proc: tell it the ancestry
     * that fork events gave, oldest first. */
    pid_t chain[FOLLOW_CHAIN][2];
    size_t n = 0;
    for (pid_t q = p->ident.ppid, pp; q > 1 && n < FOLLOW_CHAIN; q = pp) {
        if ((pp = proc_fork_parent(c->procs, q)) <= 0)
            break;
        chain[n][0] = q;
        chain[n++][1] = pp;
    }
    while (n-- > 0)
        follow_tree_match(c->follow, chain[n][0], chain[n][1]);
    if (follow_tree_match(c->follow, p->ident.pid, p->ident.ppid))
        return true;
    c->n_filtered++;
    return false;
}

/* A file's DELETE_SELF comes before the DELETE of its last name and carries
 * only the file's own handle, which no longer opens. With target FIDs the
 * DELETE that follows names it: find it among the next few events. */
static bool name_from_delete(struct capture *c, const unsigned char *buf, size_t len, size_t off,
                             const struct decode_event *self, uint32_t *flags, size_t *plen)
{
    struct decode_event ev;
    for (int i = 0; i < LOOKAHEAD && decode_next(buf, len, &off, &ev) == DECODE_OK; i++) {
        if ((ev.mask & FAN_DELETE) && ev.has_fid && ev.has_dfid && ev.name &&
            decode_fid_equal(&ev.fid, &self->fid)) {
            *plen = resolve_dfid(c->res, &ev.dfid, ev.name, ev.name_len, c->path, sizeof c->path,
                                 flags);
            return true;
        }
    }
    return false;
}

/* The path an event of TYPES names, the way its group reports it, into c->path. */
static size_t event_path(struct capture *c, const struct decode_event *ev, uint32_t types,
                         bool fd_mode, const unsigned char *buf, size_t buflen, size_t next,
                         uint32_t *flags)
{
    size_t len = 0;
    if (fd_mode)
        return resolve_fd(c->res, ev->fd, c->path, sizeof c->path, flags);
    if (ev->has_dfid) {
        /* no name, or ".": the event is on the directory itself */
        len = resolve_dfid(c->res, &ev->dfid, ev->name, ev->name_len, c->path, sizeof c->path,
                           flags);
        /* An open file keeps the name it had: is it still there? */
        if ((types & FA_FD_TYPES) && ev->has_fid &&
            resolve_gone(c->res, &ev->fid, ev->name, ev->name_len))
            *flags |= FA_EV_DELETED;
    } else if (ev->has_fid) {
        if (!((ev->mask & FAN_DELETE_SELF) && c->target_fid &&
              name_from_delete(c, buf, buflen, next, ev, flags, &len)))
            len = resolve_fid(c->res, &ev->fid, c->path, sizeof c->path, flags);
    } else {
        *flags |= FA_EV_UNRESOLVED;
        len = 1;
        memcpy(c->path, "?", 2);
    }
    return len;
}

/* One event of either group: BUF[NEXT..BUFLEN) holds the events after it. */
static void file_event(struct capture *c, struct source *src, const struct decode_event *ev,
                       bool fd_mode, const struct proc_batch *b, size_t next)
{
    const unsigned char *buf = b->buf;
    size_t buflen = b->len;
    uint64_t mask = ev->mask;
    uint32_t types = decode_types(mask) & c->types;
    if (!fd_mode) {
        /* A renamed directory makes every cached path below it stale. */
        if ((mask & FAN_ONDIR) && (mask & (FAN_MOVED_FROM | FAN_MOVED_TO | FAN_MOVE_SELF)))
            resolve_forget(c->res);
        /* Directories made or moved under PATH are marked before the
         * events in them can come. */
        marks_event(c->marks, ev);
        if ((mask & FAN_DELETE) && !(mask & FAN_ONDIR) && c->target_fid && ev->has_fid)
            resolve_unlinked(c->res, &ev->fid);
        /* FAN_ONDIR is asked for directory renames; their opens and reads
         * are not file access (the fd group never reports them). */
        if (mask & FAN_ONDIR)
            types &= ~(uint32_t)FA_FD_TYPES;
        if (types && !fid_user_fs(c, ev))
            types = 0;
    }
    bool exec = (mask & FAN_OPEN_EXEC) && !(mask & FAN_ONDIR);
    if (!types && !exec)
        return;
    struct proc_info *p = event_proc(c, ev->pid, mask, types != 0);
    if (!p)
        return;
    uint32_t flags = decode_flags(mask);
    size_t len = 0;
    if (exec) {
        /* An exec names its process even when it is not shown; by the path
         * alone: fanotop opens no other program's file. */
        len = event_path(c, ev, types | FA_BIT(FA_OPEN_EXEC), fd_mode, buf, buflen, next, &flags);
        proc_exec(c->procs, p, (flags & FA_EV_UNRESOLVED) ? NULL : c->path, len, b, next);
    }
    if (!types || !followed(c, p))
        return;
    if (!exec)
        len = event_path(c, ev, types, fd_mode, buf, buflen, next, &flags);
    if (!scope_covers(c->scope, c->path, len) || (fd_mode && exec_outside(c, ev))) {
        c->n_filtered++;
        return;
    }
    emit(c, src, p, ev->pid, types, flags, c->path, len);
}

/* Tell the process cache whether each queue but Q holds events now. */
static void look_again(struct capture *c, int q)
{
    int64_t t = clock_mono_ns();
    for (int i = 0; i < 2; i++) {
        struct pollfd one = {.fd = c->queue[i], .events = POLLIN};
        if (i != q && one.fd >= 0 && poll(&one, 1, 0) >= 0)
            proc_queue_polled(c->procs, i, one.revents & POLLIN, t);
    }
}

/* Read one batch from GROUP; returns the bytes read (0 when none). *EMPTIED
 * tells whether the read took all that was queued: the kernel stops filling
 * the buffer only at an event that does not fit, and none is this large. */
static size_t read_group(struct capture *c, struct source *src, int q, int group, bool fd_mode,
                         bool *emptied)
{
    size_t want = fd_mode ? c->fd_buflen : READ_BUF;
    int64_t start = clock_mono_ns();
    ssize_t n = read(group, c->buf, want);
    size_t largest = fd_mode ? FAN_EVENT_METADATA_LEN : MAX_EVENT_BYTES;
    *emptied = n < 0 || (size_t)n + largest <= want;
    if (n < 0) {
        if (errno == EMFILE || errno == ENFILE)
            c->out_of_fds = true;
        if (errno != EAGAIN && errno != EINTR)
            c->n_errors++; /* EMFILE, ENOMEM ...: the kernel keeps or drops; we go on */
        return 0;
    }
    c->now_rt = clock_real_ns();
    c->now_mono = clock_mono_ns();
    /* Process changes read after the batch: each one's time tells whether
     * it comes before the batch's events, after them, or among them; and
     * whether the other queue, if it holds events now, may hold some from
     * before them. */
    struct proc_batch batch = {
        .start = start, .end = c->now_mono, .emptied = *emptied, .buf = c->buf, .len = (size_t)n};
    if (proc_events_read(c->procs, c->now_mono) || proc_changes_waiting(c->procs))
        look_again(c, q);
    proc_batch_begin(c->procs, q, &batch);
    size_t off = 0;
    struct decode_event ev;
    enum decode_status st;
    while ((st = decode_next(c->buf, (size_t)n, &off, &ev)) == DECODE_OK) {
        batch.events++;
        if (ev.mask & FAN_Q_OVERFLOW) {
            emit_overflow(c, src);
            c->lost = c->lost || !fd_mode;
        }
        else
            file_event(c, src, &ev, fd_mode, &batch, off);
        if (ev.bad_info)
            c->n_errors++;
        /* Every event fd is closed here, exactly once, whatever happened above. */
        if (fd_mode && ev.fd >= 0)
            close(ev.fd);
    }
    if (st == DECODE_BAD)
        c->n_errors++;
    proc_batch_end(c->procs, q, &batch);
    return (size_t)n;
}

/* What the capture thread's helpers (marks.c) call back with. */
struct run_ctx {
    struct capture *c;
    struct source *src;
};

/* A notice of the capture (a filesystem mounted or gone ...), for the
 * status line or stderr; lost only when the ring is full. */
static void capture_notice(void *ctx, const char *text)
{
    struct run_ctx *x = ctx;
    wire_put_notice(source_ring(x->src), WIRE_TRY, text, source_stop_flag(x->src));
}

/* Mounts the resolver could not open (out of descriptors, unmounted) are
 * per-event trouble: counted with the errors. Running out of descriptors
 * loses events: a notice says so, at most every ten seconds. */
static void count_losses(struct run_ctx *x, int64_t now)
{
    struct capture *c = x->c;
    struct resolve_stats st;
    resolve_get_stats(c->res, &st);
    c->n_errors += st.mount_fails - c->mount_fails;
    c->mount_fails = st.mount_fails;
    c->out_of_fds = c->out_of_fds || st.out_of_fds > c->fd_fails;
    c->fd_fails = st.out_of_fds;
    if (c->out_of_fds && now >= c->next_fd_notice) {
        capture_notice(x, "out of file descriptors: events are lost or left unnamed "
                          "(raise the limit with ulimit -n)");
        c->next_fd_notice = now + FD_NOTICE_NS;
    }
    c->out_of_fds = false;
}

/* Room for event fds in one read of the fd group: what the limit leaves
 * after the descriptors everything else may hold at once. */
static size_t fd_read_len(const struct capture *c)
{
    size_t other = FD_FIXED + marks_count(c->marks);
    size_t fds = c->fd_limit > other + FD_MIN_EVENTS ? c->fd_limit - other : FD_MIN_EVENTS;
    size_t len = fds * FAN_EVENT_METADATA_LEN;
    return len < READ_BUF ? len : READ_BUF;
}

/* The FID group first: it carries the exec events, which name the
 * programs whose events the fd group may hold too. Each group's index is
 * also its queue's for the process cache (c->queue). */
enum { PFD_FID, PFD_FD, PFD_FORKS, PFD_MOUNTS, PFD_WAKE, PFD_N };

static size_t drain_groups(struct capture *c, struct source *src);

static void capture_drain(void *ctx)
{
    struct run_ctx *x = ctx;
    drain_groups(x->c, x->src);
}

/* Read both groups until they are empty (or a busy system has had a fair
 * share of reads); the bytes read. */
static size_t drain_groups(struct capture *c, struct source *src)
{
    size_t got = 0;
    for (int round = 0; round < DRAIN_ROUNDS; round++) {
        bool all = true;
        for (int i = PFD_FID; i <= PFD_FD; i++) {
            bool emptied = true;
            if (c->queue[i] >= 0)
                got += read_group(c, src, i, c->queue[i], i == PFD_FD, &emptied);
            all = all && emptied;
        }
        resolve_release(c->res);
        if (all)
            break;
    }
    return got;
}

static int capture_run(struct source *src, void *impl)
{
    struct capture *c = impl;
    /* Capabilities are per thread: this one keeps CAP_SYS_ADMIN permitted,
     * not effective, to mark filesystems mounted later (marks.c raises it
     * for that call alone). */
    char err[256];
    privs_drop_keep(1ULL << CAP_SYS_ADMIN, err, sizeof err); /* hardening only */
    c->queue[PFD_FID] = c->fid_group;
    c->queue[PFD_FD] = c->fd_group;
    struct run_ctx x = {.c = c, .src = src};
    marks_run(c->marks, capture_notice, capture_drain, &x);
    struct pollfd pfd[PFD_N];
    int fds[PFD_N] = {c->fid_group, c->fd_group, c->forks, marks_poll_fd(c->marks),
                      source_wake_fd(src)};
    for (int i = 0; i < PFD_N; i++)
        pfd[i] = (struct pollfd){.fd = fds[i], .events = i == PFD_MOUNTS ? POLLPRI : POLLIN};
    int64_t next_sweep = clock_mono_ns() + SWEEP_NS;
    for (int i = PFD_FID; i <= PFD_FD; i++)
        if (c->queue[i] >= 0)
            proc_queue_polled(c->procs, i, false, next_sweep - SWEEP_NS);
    while (!source_should_stop(src)) {
        /* Queues found empty, by poll or by reads that took all they held,
         * mean that every event queued before has been read and is in the
         * ring: that answers the sync requests made before the look. The
         * mount table's poll fd is not a queue: a change must not hold it. */
        uint64_t wanted = source_sync_wanted(src);
        int64_t looked = clock_mono_ns();
        int r = poll(pfd, PFD_N, 0);
        int in = pfd[PFD_FD].revents | pfd[PFD_FID].revents | pfd[PFD_FORKS].revents |
                 pfd[PFD_WAKE].revents;
        bool queued = r > 0 && (in & POLLIN);
        if (!queued) {
            source_sync_done(src, wanted);
            if (r == 0) {
                looked = clock_mono_ns();
                r = poll(pfd, PFD_N, POLL_MS);
            }
        }
        if (r < 0 && errno != EINTR)
            return 1;
        if (r > 0 && (pfd[PFD_WAKE].revents & POLLIN))
            source_sync_poll(src);
        /* Process changes first: a child's fork is reported before its file
         * events, and a change before a queue found empty comes before
         * every event read from it later. */
        if (c->forks >= 0)
            proc_events_read(c->procs, clock_mono_ns());
        for (int i = PFD_FID; r >= 0 && i <= PFD_FD; i++)
            if (c->queue[i] >= 0)
                proc_queue_polled(c->procs, i, pfd[i].revents & POLLIN, looked);
        size_t got = 0;
        bool all_emptied = true;
        c->fd_buflen = fd_read_len(c);
        for (int i = PFD_FID; r > 0 && i <= PFD_FD; i++) {
            bool emptied = true;
            if (pfd[i].revents & POLLIN)
                got += read_group(c, src, i, c->queue[i], i == PFD_FD, &emptied);
            all_emptied = all_emptied && emptied;
        }
        if (c->lost) {
            marks_overflow(c->marks);
            c->lost = false;
        }
        resolve_release(c->res);
        if (r > 0 && all_emptied)
            source_sync_done(src, wanted);
        int64_t now = clock_mono_ns();
        bool changed = r > 0 && (pfd[PFD_MOUNTS].revents & (POLLPRI | POLLERR));
        if (marks_due(c->marks, changed, now))
            marks_refresh(c->marks, changed, now);
        resolve_release(c->res);
        count_losses(&x, now);
        source_count(src, c->n_events, c->n_overflows, c->n_errors, c->n_filtered);
        c->n_events = c->n_overflows = c->n_errors = c->n_filtered = 0;
        if (now >= next_sweep) {
            proc_cache_sweep(c->procs, now);
            next_sweep = now + SWEEP_NS;
        }
        if (got && got < GATHER_MIN) {
            struct timespec ts = {0, GATHER_NS};
            nanosleep(&ts, NULL);
        }
    }
    return 0;
}

static void capture_destroy(void *impl)
{
    struct capture *c = impl;
    if (!c)
        return;
    if (c->fd_group >= 0)
        close(c->fd_group);
    if (c->fid_group >= 0)
        close(c->fid_group);
    marks_destroy(c->marks);
    proc_cache_destroy(c->procs);
    resolve_destroy(c->res);
    nspath_destroy(c->views);
    free(c->buf);
    free(c);
}

static const struct source_ops capture_ops = {
    .run = capture_run,
    .destroy = capture_destroy,
    .drop_privileges = false, /* capture_run drops them, keeping one spare */
    /* The kernel's queue overflows when the reader gets no CPU while the
     * watched load has it all: the reader goes first, and sleeps when idle. */
    .nice = CAPTURE_NICE,
};

/* ---- setup ------------------------------------------------------------------- */

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

/* Descriptors: the fd group's reads take one per event, and a batch opens
 * each filesystem it names. Raise the soft limit as far as the hard one
 * allows (and the hard one, with CAP_SYS_RESOURCE); below the least that
 * works, fail with one line rather than lose events in silence. */
static int size_fds(struct capture *c, char *err, size_t errlen, int *status)
{
    size_t nfs = marks_count(c->marks);
    size_t want = FD_FIXED + nfs + READ_BUF / FAN_EVENT_METADATA_LEN;
    size_t least = FD_FIXED + nfs + FD_MIN_EVENTS;
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

/* Events a group made now holds at most (the kernel drops the rest); 0: no bound. */
static uint64_t queue_limit(const struct capture_config *cfg)
{
    unsigned long long max = 16384; /* the kernel's default */
    FILE *f = cfg->unlimited_queue ? NULL : fopen("/proc/sys/fs/fanotify/max_queued_events", "re");
    if (f) {
        if (fscanf(f, "%llu", &max) != 1)
            max = 16384;
        fclose(f);
    }
    return cfg->unlimited_queue ? 0 : (uint64_t)max;
}

static int open_groups(struct capture *c, const struct capture_config *cfg, char *err, size_t errlen,
                       int *status)
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
    /* Also without FID event types: it carries fd events where it can. */
    unsigned fid = base | FAN_REPORT_DFID_NAME | FAN_REPORT_FID;
    c->fid_group = init_group(fid | FAN_REPORT_TARGET_FID, O_RDONLY | O_CLOEXEC, &tid);
    c->target_fid = c->fid_group >= 0;
    if (c->fid_group < 0 && errno == EINVAL)
        c->fid_group = init_group(fid, O_RDONLY | O_CLOEXEC, &tid);
    if (c->fid_group < 0 && (c->types & FA_FID_TYPES))
        safeout_say("notice: no create/delete/move/attrib events: this kernel cannot "
                    "report file handles with names (Linux 5.9 or later): %s",
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
    c->fd_group = c->fid_group = c->forks = -1;
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
    uint64_t limit = queue_limit(cfg); /* read before the groups take it */
    if (open_groups(c, cfg, err, errlen, status) < 0)
        goto fail;
    c->res = resolve_create();
    c->procs = proc_cache_create(c->self);
    c->views = nspath_create(); /* none (out of memory): no container paths */
    if (!c->res || !c->procs) {
        set_err(err, errlen, status, 1, "cannot set up path resolution: %s", strerror(errno));
        goto fail;
    }
    struct marks_init mi = {.cfg = cfg,
                            .real = real,
                            .fd_group = c->fd_group,
                            .fid_group = c->fid_group,
                            .target_fid = c->target_fid,
                            .types = c->types,
                            .res = c->res};
    if (!(c->marks = marks_create(&mi, err, errlen, status)))
        goto fail;
    c->scope = marks_scope(c->marks);
    if (size_fds(c, err, errlen, status) < 0)
        goto fail;
    /* Subscribed now, while we may (root): forks, execs and changes of user
     * and name, each put at its place among the file events. */
    c->forks = proc_events_start(c->procs);
    proc_queue_limit(c->procs, limit);
    /* The followed command was forked before that subscription: its fork
     * is told here, or its events read after it is gone from /proc (and
     * reaped) would have no parent to be followed by. */
    pid_t child = follow_tree_child(cfg->follow);
    if (child > 0)
        proc_note_fork(c->procs, child, child, c->self, clock_mono_ns());
    if (cfg->verbose && c->forks < 0)
        safeout_say("no process events from the kernel (proc connector): changes of user "
                    "and name show at exec only, parents of short-lived processes may be "
                    "unknown");
    c->buf = malloc(READ_BUF);
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
