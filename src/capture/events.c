/* The capture thread: it reads the groups (and takes what the worker for
 * filesystems served by a daemon named), and turns each event into a record:
 * the process at that point of the queue, the path at that point, the
 * scope, then the ring. */
#include "config.h"

#include "capture/capture_impl.h"

#include "base/clock.h"
#include "base/event.h"
#include "base/privs.h"
#include "capture/decode.h"
#include "capture/follow_tree.h"
#include "capture/marks.h"
#include "capture/overlay.h"
#include "capture/proc.h"
#include "capture/resolve.h"
#include "capture/scope.h"
#include "capture/slowfs.h"
#include "pipe/wire.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS      100 /* how soon a stop request is noticed */
#define CAPTURE_NICE (-10)
/* A read that returns little means we keep up event by event, paying a
 * wakeup per handful of events: wait this long before reading again, so
 * events gather into large batches (and the kernel merges more of them).
 * Far below what fills a queue of 16384 events at any rate seen here. */
#define GATHER_NS    1000000
#define GATHER_MIN   (CAPTURE_READ_BUF / 16)
#define SWEEP_NS     10000000000LL
#define FOLLOW_CHAIN 8  /* gone ancestors told to follow per event */
#define DRAIN_ROUNDS 64 /* reads of each group before the mount table is taken in */
#define FD_NOTICE_NS 10000000000LL

/* Is PATH in the user's scope? PATH is canonical; so are the names the
 * kernel and the resolver give, but for "?..." (not a certain name), which
 * lies under none. */
static bool in_prefix(const struct capture *c, const char *path, size_t len)
{
    return scope_covers(c->scope, path, len);
}

/* An fd-mode exec-only event from a filesystem marked just to name processes? */
static bool exec_outside(const struct capture *c, const struct decode_event *ev)
{
    if (!marks_dev_check(c->marks) || (ev->mask & (FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE)))
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

/* The overlay mounts, as the mount table last showed them (NULL: none);
 * asked each time, for a change of the table replaces them. */
static struct overlays *ovl(const struct capture *c)
{
    return marks_overlays(c->marks);
}

/* The marks of c->path in the record: "?" before a name that is the
 * file's later one (where it was at the event is not known), and, the way
 * the kernel and lsof mark it, " (deleted)" after the name of a file written
 * after its last name went, which is what fills a disk du cannot account for. */
static void mark_path(struct capture *c, uint32_t flags)
{
    if ((flags & FA_EV_UNCERTAIN) && !(flags & FA_EV_UNRESOLVED)) {
        buf_putc(&c->path, '?');
        if (!buf_failed(&c->path)) {
            memmove(c->path.p + 1, c->path.p, c->path.len - 1);
            c->path.p[0] = '?';
        }
    }
    if (flags & FA_EV_DELETED)
        buf_put_str(&c->path, " (deleted)");
}

static void emit(struct capture *c, struct source *src, struct proc_info *p, pid_t tid,
                 uint32_t types, uint32_t flags)
{
    mark_path(c, flags);
    if (buf_failed(&c->path)) {
        c->n_errors++;
        buf_reset(&c->path);
        return;
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
                          .path = c->path.p,
                          .path_len = c->path.len};
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

/* The path an event of TYPES names, the way its group reports it, into
 * c->path. An access of an open file passes the file's handle along: a file
 * that lost its last name, or one made with O_TMPFILE, is told by it. */
static void event_path(struct capture *c, const struct decode_event *ev, uint32_t types,
                       bool fd_mode, uint32_t *flags)
{
    if (fd_mode)
        resolve_fd(c->res, ev->fd, &c->path, flags);
    else if (ev->has_dfid)
        resolve_dfid(c->res, &ev->dfid, ev->name, ev->name_len,
                     (types & FA_FD_TYPES) && ev->has_fid ? &ev->fid : NULL, &c->path, flags);
    else if (ev->has_fid)
        resolve_fid(c->res, &ev->fid, &c->path, flags);
    else {
        *flags |= FA_EV_UNRESOLVED;
        buf_reset(&c->path);
        buf_putc(&c->path, '?');
    }
}

/* An exec names its process even when it is not shown. The file's first
 * bytes tell whether an interpreter's exec follows. */
static void name_by_exec(struct capture *c, struct proc_info *p, const struct decode_event *ev,
                         bool fd_mode, uint32_t flags)
{
    int fd = fd_mode ? ev->fd : ev->has_fid ? resolve_open(c->res, &ev->fid, O_RDONLY) : -1;
    bool named = !(flags & (FA_EV_UNRESOLVED | FA_EV_UNCERTAIN));
    proc_exec(c->procs, p, named ? c->path.p : NULL, named ? c->path.len : 0,
              slowfs_exec_followers(fd));
    if (!fd_mode && fd >= 0)
        close(fd);
}

/* event_path, and true for an overlay's twin of an event on its merged
 * tree that the fd group names by a path that is not the file's. Every
 * other event named by its open fd is an access through the overlay if it
 * lies in a merged tree. */
static bool overlay_path(struct capture *c, const struct decode_event *ev, uint32_t types,
                         bool fd_mode, uint32_t *flags)
{
    event_path(c, ev, types, fd_mode, flags);
    struct overlays *o = ovl(c);
    if (!o || !fd_mode || (*flags & FA_EV_UNRESOLVED))
        return false;
    if (overlay_hidden_fd(o, ev->fd, c->path.p))
        return true;
    overlay_seen(o, ev->pid, c->path.p, c->path.len, c->now_mono);
    return false;
}

static size_t read_fd_group(struct capture *c, struct source *src, bool *emptied);

/* The types of FID-group event of PID named c->path that an overlay does
 * not show otherwise (see overlay_layer_event). The overlay's own event on
 * its merged tree is queued in the fd group just after the layer twin: an
 * access not explained yet reads the fd group first. */
static uint32_t overlay_layer(struct capture *c, struct source *src, pid_t pid, uint32_t types)
{
    uint32_t kept = overlay_layer_event(ovl(c), pid, types, &c->path, c->now_mono);
    if (!(kept & FA_FD_TYPES) || c->fd_group < 0 ||
        !overlay_in_layer(ovl(c), c->path.p, c->path.len))
        return kept & c->types;
    buf_reset(&c->path2);
    buf_put(&c->path2, c->path.p, c->path.len);
    bool emptied;
    read_fd_group(c, src, &emptied);
    buf_reset(&c->path);
    buf_put(&c->path, c->path2.p, c->path2.len);
    return overlay_layer_event(ovl(c), pid, types, &c->path, c->now_mono) & c->types;
}

/* A rename, told to the overlays before its two ends' events (and before
 * it moves anything in the resolver). */
static void overlay_note_rename(struct capture *c, const struct decode_event *ev)
{
    uint32_t flags = 0;
    resolve_dfid(c->res, &ev->old_dfid, ev->old_name, ev->old_name_len, NULL, &c->path2, &flags);
    resolve_dfid(c->res, &ev->new_dfid, ev->new_name, ev->new_name_len, NULL, &c->path, &flags);
    if (flags & FA_EV_UNRESOLVED)
        return;
    /* what moved is told by its inode, which stays what it is */
    struct stat st;
    int fd = ev->has_fid ? resolve_open(c->res, &ev->fid, O_PATH) : -1;
    bool whiteout = fd >= 0 && fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == 0;
    if (fd >= 0)
        close(fd);
    overlay_rename(ovl(c), ev->pid, c->path2.p, c->path2.len, c->path.p, c->path.len, whiteout);
}

/* One event of either group (in the FID group's window, its current one). */
static void file_event(struct capture *c, struct source *src, const struct decode_event *ev,
                       bool fd_mode)
{
    uint64_t mask = ev->mask;
    uint32_t types = decode_types(mask) & c->types;
    if (!fd_mode) {
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
    bool twin = false;
    if (exec) {
        twin = overlay_path(c, ev, types | FA_BIT(FA_OPEN_EXEC), fd_mode, &flags);
        if (!twin)
            name_by_exec(c, p, ev, fd_mode, flags);
    }
    if (!types || !followed(c, p))
        return;
    if (!exec)
        twin = overlay_path(c, ev, types, fd_mode, &flags);
    if (twin) {
        c->n_filtered++;
        return;
    }
    if (ovl(c) && !fd_mode && !(flags & FA_EV_UNRESOLVED)) {
        types = overlay_layer(c, src, ev->pid, types);
        if (!types) {
            c->n_filtered++;
            return;
        }
    }
    /* A name not known for certain is in scope by the name it has now; one
     * not known at all, when it is known to lie under a PATH. */
    if ((!in_prefix(c, c->path.p, c->path.len) && !(flags & FA_EV_UNDER_PATH)) ||
        (fd_mode && exec_outside(c, ev))) {
        c->n_filtered++;
        return;
    }
    emit(c, src, p, ev->pid, types, flags);
}

/* An event of a filesystem served by a daemon, named by the worker. */
static void slow_event(const struct slowfs_event *sev, void *ctx)
{
    struct capture *c = ((void **)ctx)[0];
    struct source *src = ((void **)ctx)[1];
    uint32_t types = decode_types(sev->mask) & c->types;
    bool exec = sev->mask & FAN_OPEN_EXEC;
    if (!types && !exec)
        return;
    struct proc_info *p = event_proc(c, sev->tid, sev->mask, types != 0);
    if (!p)
        return;
    buf_reset(&c->path);
    buf_put(&c->path, sev->path, sev->path_len);
    uint32_t flags = sev->flags | decode_flags(sev->mask);
    if (exec) {
        bool named = !(flags & FA_EV_UNRESOLVED);
        proc_exec(c->procs, p, named ? c->path.p : NULL, named ? c->path.len : 0, sev->followers);
    }
    if (!types || !followed(c, p))
        return;
    if (!in_prefix(c, c->path.p, c->path.len) ||
        (sev->dev && marks_dev_outside(c->marks, sev->dev))) {
        c->n_filtered++;
        return;
    }
    emit(c, src, p, sev->tid, types, flags);
}

/* Take what the worker named; tell a stall once. True when it is idle with
 * nothing waiting. */
static bool read_slow(struct capture *c, struct source *src, size_t *got)
{
    void *ctx[2] = {c, src};
    uint64_t lost = 0, overflows = 0;
    c->now_rt = clock_real_ns();
    c->now_mono = clock_mono_ns();
    *got += slowfs_drain(c->slow, slow_event, ctx, &lost, &overflows);
    while (lost--)
        ring_count_loss(source_ring(src));
    while (overflows--)
        emit_overflow(c, src);
    c->out_of_fds = c->out_of_fds || slowfs_out_of_fds(c->slow);
    if (slowfs_stalled(c->slow, c->now_mono, &c->n_stalls)) {
        c->n_errors++;
        char msg[160];
        snprintf(msg, sizeof msg,
                 "a filesystem served by a daemon or a network does not answer: its events "
                 "wait, the others go on (%llu so far)",
                 (unsigned long long)c->n_stalls);
        wire_put_notice(source_ring(src), WIRE_DROP, msg, source_stop_flag(src));
    }
    return slowfs_idle(c->slow);
}

/* Read one batch from the fd group; returns the bytes read (0 when none).
 * *EMPTIED tells whether the read took all that was queued: the kernel stops
 * filling the buffer only at an event that does not fit. */
static size_t read_fd_group(struct capture *c, struct source *src, bool *emptied)
{
    size_t want = c->fd_buflen;
    ssize_t n = read(c->fd_group, c->buf, want);
    *emptied = n < 0 || (size_t)n + FAN_EVENT_METADATA_LEN <= want;
    if (n < 0) {
        if (errno == EMFILE || errno == ENFILE)
            c->out_of_fds = true;
        if (errno != EAGAIN && errno != EINTR)
            c->n_errors++; /* EMFILE, ENOMEM ...: the kernel keeps or drops; we go on */
        return 0;
    }
    c->now_rt = clock_real_ns();
    c->now_mono = clock_mono_ns();
    size_t off = 0;
    struct decode_event ev;
    enum decode_status st;
    while ((st = decode_next(c->buf, (size_t)n, &off, &ev)) == DECODE_OK) {
        if (ev.mask & FAN_Q_OVERFLOW)
            emit_overflow(c, src);
        else
            file_event(c, src, &ev, true);
        if (ev.bad_info)
            c->n_errors++;
        /* Every event fd is closed here, exactly once, whatever happened above. */
        if (ev.fd >= 0)
            close(ev.fd);
    }
    if (st == DECODE_BAD)
        c->n_errors++;
    return (size_t)n;
}

/* Read one batch from the FID group and handle every event in the window,
 * which the naming of one may have read further into. */
static size_t read_fid_group(struct capture *c, struct source *src, bool *emptied)
{
    size_t n = fidq_read(c->fidq, &c->n_errors);
    c->now_rt = clock_real_ns();
    c->now_mono = clock_mono_ns();
    struct decode_event ev;
    while (fidq_next(c->fidq, &ev, &c->n_errors)) {
        if (ev.mask & FAN_Q_OVERFLOW) {
            emit_overflow(c, src);
            c->lost = true;
        } else {
            /* Directories made or moved under PATH are marked before the
             * events in them can come. */
            marks_event(c->marks, &ev);
            if (ovl(c) && (ev.mask & FAN_RENAME) && ev.has_old && ev.has_new)
                overlay_note_rename(c, &ev);
            else
                file_event(c, src, &ev, false);
        }
        /* after its own name: a rename moves what comes after it */
        resolve_track(c->res, &ev);
        if (ev.bad_info)
            c->n_errors++;
    }
    *emptied = fidq_emptied(c->fidq);
    return n;
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

/* What the limit leaves for event fds once everything else may hold what
 * it needs at once. */
static size_t fds_spare(const struct capture *c)
{
    size_t other = CAPTURE_FD_FIXED + marks_count(c->marks) + c->slow_fds;
    return c->fd_limit > other + CAPTURE_FD_MIN ? c->fd_limit - other : CAPTURE_FD_MIN;
}

/* Room for event fds in one read of the fd group. */
static size_t fd_read_len(const struct capture *c)
{
    size_t len = fds_spare(c) * FAN_EVENT_METADATA_LEN;
    return len < CAPTURE_READ_BUF ? len : CAPTURE_READ_BUF;
}

enum { PFD_FD, PFD_FID, PFD_FORKS, PFD_MOUNTS, PFD_SLOW, PFD_WAKE, PFD_N };

/* Read both groups until they are empty (or a busy system has had a fair
 * share of reads); the bytes read. */
static size_t drain_groups(struct capture *c, struct source *src)
{
    size_t got = 0;
    for (int round = 0; round < DRAIN_ROUNDS; round++) {
        bool all = true, emptied = true;
        if (c->fd_group >= 0)
            got += read_fd_group(c, src, &emptied);
        all = emptied;
        emptied = true;
        if (c->fidq)
            got += read_fid_group(c, src, &emptied);
        all = all && emptied;
        resolve_release(c->res);
        if (all)
            break;
    }
    return got;
}

static void capture_drain(void *ctx)
{
    struct run_ctx *x = ctx;
    drain_groups(x->c, x->src);
}

/* Start the worker once a filesystem served by a daemon is marked: in this
 * thread, whose capabilities and signal mask it takes. Its reads get a
 * share of the descriptors the limit leaves. */
static void start_slow(struct capture *c, struct source *src, struct pollfd *pfd)
{
    if (c->slow || c->slow_group < 0 || !marks_slow_used(c->marks))
        return;
    size_t fds = fds_spare(c) / 4;
    if (fds < CAPTURE_FD_MIN)
        fds = CAPTURE_FD_MIN;
    if (fds > SLOWFS_READ_BYTES / FAN_EVENT_METADATA_LEN)
        fds = SLOWFS_READ_BYTES / FAN_EVENT_METADATA_LEN;
    c->slow = slowfs_start(c->slow_group, fds * FAN_EVENT_METADATA_LEN);
    c->slow_group = -1; /* the worker's, also when it could not start */
    if (!c->slow) {
        marks_slow_gone(c->marks);
        wire_put_notice(source_ring(src), WIRE_DROP,
                        "cannot start the worker for filesystems served by a daemon: their "
                        "events are not shown",
                        source_stop_flag(src));
        return;
    }
    c->slow_fds = fds;
    pfd[PFD_SLOW].fd = slowfs_wake_fd(c->slow);
}

static int capture_run(struct source *src, void *impl)
{
    struct capture *c = impl;
    /* Capabilities are per thread: this one keeps CAP_SYS_ADMIN permitted,
     * not effective, to mark filesystems mounted later (marks.c raises it
     * for that call alone). */
    char err[256];
    privs_drop_keep(1ULL << CAP_SYS_ADMIN, err, sizeof err); /* hardening only */
    struct run_ctx x = {.c = c, .src = src};
    marks_run(c->marks, capture_notice, capture_drain, &x);
    struct pollfd pfd[PFD_N];
    int fds[PFD_N] = {c->fd_group, c->fid_group,       c->forks, marks_poll_fd(c->marks),
                      -1,          source_wake_fd(src)};
    for (int i = 0; i < PFD_N; i++)
        pfd[i] = (struct pollfd){.fd = fds[i], .events = i == PFD_MOUNTS ? POLLPRI : POLLIN};
    start_slow(c, src, pfd);
    int64_t next_sweep = clock_mono_ns() + SWEEP_NS;
    while (!source_should_stop(src)) {
        /* Queues found empty, by poll or by reads that took all they held,
         * mean that every event queued before has been read and is in the
         * ring: that answers the sync requests made before the look (the
         * worker's too, once it is idle). The mount table's poll fd is not
         * a queue: a change must not hold it. */
        uint64_t wanted = source_sync_wanted(src);
        int r = poll(pfd, PFD_N, 0);
        int in = pfd[PFD_FD].revents | pfd[PFD_FID].revents | pfd[PFD_FORKS].revents |
                 pfd[PFD_SLOW].revents | pfd[PFD_WAKE].revents;
        bool queued = r > 0 && (in & POLLIN);
        if (!queued) {
            if (!c->slow || slowfs_idle(c->slow))
                source_sync_done(src, wanted);
            if (r == 0)
                r = poll(pfd, PFD_N, POLL_MS);
        }
        if (r < 0 && errno != EINTR)
            return 1;
        if (r > 0 && (pfd[PFD_WAKE].revents & POLLIN))
            source_sync_poll(src);
        /* Forks first, always: a child's fork is reported before its file
         * events, which may be in the batch read next. */
        if (c->forks >= 0)
            proc_events_read(c->procs, clock_mono_ns());
        size_t got = 0;
        bool all_emptied = true, emptied = true;
        c->fd_buflen = fd_read_len(c);
        /* With overlays, the fd group first, always: an access through an
         * overlay is named there, and its layer twin in the FID group is
         * folded by it. */
        if (r > 0 && c->fd_group >= 0 && ((pfd[PFD_FD].revents & POLLIN) || ovl(c)))
            got += read_fd_group(c, src, &emptied);
        all_emptied = emptied;
        emptied = true;
        if (r > 0 && (pfd[PFD_FID].revents & POLLIN))
            got += read_fid_group(c, src, &emptied);
        all_emptied = all_emptied && emptied;
        if (c->slow && !read_slow(c, src, &got))
            all_emptied = false;
        if (c->lost) {
            marks_overflow(c->marks);
            c->lost = false;
        }
        resolve_release(c->res);
        if (r > 0 && all_emptied)
            source_sync_done(src, wanted);
        int64_t now = clock_mono_ns();
        bool changed = r > 0 && (pfd[PFD_MOUNTS].revents & (POLLPRI | POLLERR));
        if (marks_due(c->marks, changed, now)) {
            marks_refresh(c->marks, changed, now);
            start_slow(c, src, pfd);
        }
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

void capture_destroy(void *impl)
{
    struct capture *c = impl;
    if (!c)
        return;
    if (c->fd_group >= 0)
        close(c->fd_group);
    if (c->fid_group >= 0)
        close(c->fid_group);
    if (c->slow_group >= 0)
        close(c->slow_group);
    slowfs_stop(c->slow);
    marks_destroy(c->marks);
    proc_cache_destroy(c->procs);
    resolve_destroy(c->res);
    fidq_destroy(c->fidq);
    buf_free(&c->path);
    buf_free(&c->path2);
    free(c->buf);
    free(c);
}

const struct source_ops capture_ops = {
    .run = capture_run,
    .destroy = capture_destroy,
    .drop_privileges = false, /* capture_run drops them, keeping one spare */
    /* The kernel's queue overflows when the reader gets no CPU while the
     * watched load has it all: the reader goes first, and sleeps when idle. */
    .nice = CAPTURE_NICE,
};
