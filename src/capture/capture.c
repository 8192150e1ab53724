/* Live capture. Two fanotify groups: one in FID mode (a directory handle
 * plus a name per event) for directory-entry and inode events, and, where
 * the filesystem's handles can be opened again, for open, access, modify,
 * close and exec too; one in fd mode (the kernel hands us an open fd per
 * event) for those on the other filesystems. Both are read with poll() and
 * large read()s on one thread, which names the process and the path and
 * pushes records into the ring. */
#include "config.h"

#include "capture/capture.h"
#include "base/clock.h"
#include "base/safeout.h"

#include "capture/decode.h"
#include "base/event.h"
#include "capture/follow_tree.h"
#include "capture/mounts.h"
#include "capture/nspath.h"
#include "capture/proc.h"
#include "capture/resolve.h"
#include "pipe/wire.h"

#include <errno.h>
#include <fcntl.h>
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
#define FD_RESERVE   256 /* fds kept free for everything but event fds */
/* More than one FID-group event with its info records takes (metadata, two
 * handles, a name of at most NAME_MAX bytes); fd-group events have none. */
#define MAX_EVENT_BYTES 4096
#define FOLLOW_CHAIN 8   /* gone ancestors told to follow per event */

/* Asked for in the FID group whatever the user's types: directory renames,
 * which make cached directory paths stale. */
#define FID_INTERNAL (FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR)

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
    char path[WIRE_MAX_PATH + 1];
    char cpath[WIRE_MAX_PATH + 1];
};

/* One filesystem (superblock) to mark. */
struct target {
    unsigned major, minor;
    const struct mount_entry *rep; /* the mount used to reach it */
    bool user;                     /* inside the user's scope */
    bool mount_scope;              /* --mount: fd events through rep's mount only */
    const char *why;               /* for --verbose */
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

static uint64_t fan_mask_of(uint32_t types)
{
    uint64_t m = 0;
    for (int t = 0; t < FA_NTYPES; t++)
        if (types & FA_BIT(t))
            m |= fa_types[t].fan_mask;
    return m;
}

/* ---- the capture thread ----------------------------------------------------- */

static bool in_prefix(const struct capture *c, const char *path, size_t len)
{
    if (!c->nprefix)
        return true;
    for (size_t i = 0; i < c->nprefix; i++)
        if (mounts_path_under(path, len, c->prefix[i], c->prefix_len[i]))
            return true;
    return false;
}

/* An fd-mode exec-only event from a filesystem marked just to name processes? */
static bool exec_outside(const struct capture *c, const struct decode_event *ev)
{
    if (!c->exec_dev_check || (ev->mask & (FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE)))
        return false;
    struct stat st;
    if (ev->fd < 0 || fstat(ev->fd, &st) < 0)
        return true;
    for (size_t i = 0; i < c->ndevs; i++)
        if (c->devs[i] == st.st_dev)
            return false;
    return true;
}

/* Is a FID-group event from a filesystem of the user's? The others are
 * marked only for exec events, to name processes. */
static bool fid_user_fs(const struct capture *c, const struct decode_event *ev)
{
    const struct decode_fid *f = ev->has_dfid ? &ev->dfid : ev->has_fid ? &ev->fid : NULL;
    if (!f)
        return true; /* nothing to tell by: keep it, marked unresolved */
    for (size_t i = 0; i < c->nuser_fsids; i++)
        if (c->user_fsids[i] == f->fsid)
            return true;
    return false;
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
    if (!in_prefix(c, c->path, len) || (fd_mode && exec_outside(c, ev))) {
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
        if (ev.mask & FAN_Q_OVERFLOW)
            emit_overflow(c, src);
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

static int capture_run(struct source *src, void *impl)
{
    struct capture *c = impl;
    struct pollfd pfd[4];
    int groups[2];
    bool fd_mode[2];
    nfds_t n = 0;
    /* The FID group first: it carries the exec events, which name the
     * programs whose events the fd group may hold too. */
    if (c->fid_group >= 0) {
        groups[n] = c->fid_group;
        fd_mode[n] = false;
        pfd[n++] = (struct pollfd){.fd = c->fid_group, .events = POLLIN};
    }
    if (c->fd_group >= 0) {
        groups[n] = c->fd_group;
        fd_mode[n] = true;
        pfd[n++] = (struct pollfd){.fd = c->fd_group, .events = POLLIN};
    }
    nfds_t ngroups = n;
    for (nfds_t i = 0; i < 2; i++)
        c->queue[i] = i < ngroups ? groups[i] : -1;
    if (c->forks >= 0)
        pfd[n++] = (struct pollfd){.fd = c->forks, .events = POLLIN};
    bool wake = source_wake_fd(src) >= 0; /* polled last */
    if (wake)
        pfd[n++] = (struct pollfd){.fd = source_wake_fd(src), .events = POLLIN};
    int64_t next_sweep = clock_mono_ns() + SWEEP_NS;
    for (nfds_t i = 0; i < ngroups; i++)
        proc_queue_polled(c->procs, (int)i, false, next_sweep - SWEEP_NS);
    while (!source_should_stop(src)) {
        /* Queues found empty, by poll or by reads that took all they held,
         * mean that every event queued before has been read and is in the
         * ring: that answers the sync requests made before the look. */
        uint64_t wanted = source_sync_wanted(src);
        int64_t looked = clock_mono_ns();
        int r = poll(pfd, n, 0);
        if (r == 0) {
            source_sync_done(src, wanted);
            looked = clock_mono_ns();
            r = poll(pfd, n, POLL_MS);
        }
        if (r < 0 && errno != EINTR)
            return 1;
        if (wake && (pfd[n - 1].revents & POLLIN))
            source_sync_poll(src);
        /* Process changes first: a child's fork is reported before its file
         * events, and a change before a queue found empty comes before
         * every event read from it later. */
        if (c->forks >= 0)
            proc_events_read(c->procs, clock_mono_ns());
        for (nfds_t i = 0; r >= 0 && i < ngroups; i++)
            proc_queue_polled(c->procs, (int)i, pfd[i].revents & POLLIN, looked);
        size_t got = 0;
        bool all_emptied = true;
        for (nfds_t i = 0; r > 0 && i < ngroups; i++) {
            bool emptied = true;
            if (pfd[i].revents & POLLIN)
                got += read_group(c, src, (int)i, groups[i], fd_mode[i], &emptied);
            all_emptied = all_emptied && emptied;
        }
        if (r > 0 && all_emptied)
            source_sync_done(src, wanted);
        source_count(src, c->n_events, c->n_overflows, c->n_errors, c->n_filtered);
        c->n_events = c->n_overflows = c->n_errors = c->n_filtered = 0;
        int64_t now = clock_mono_ns();
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
    proc_cache_destroy(c->procs);
    resolve_destroy(c->res);
    nspath_destroy(c->views);
    for (size_t i = 0; i < c->nprefix; i++)
        free(c->prefix[i]);
    free(c->prefix);
    free(c->prefix_len);
    free(c->devs);
    free(c->user_fsids);
    free(c->buf);
    free(c);
}

static const struct source_ops capture_ops = {
    .run = capture_run,
    .destroy = capture_destroy,
    .drop_privileges = true,
    /* The kernel's queue overflows when the reader gets no CPU while the
     * watched load has it all: the reader goes first, and sleeps when idle. */
    .nice = CAPTURE_NICE,
};

/* ---- setup ------------------------------------------------------------------- */

/* Is mount M reachable through its mount point (not covered by another)? */
static bool visible(const struct mount_table *mt, const struct mount_entry *m)
{
    return mounts_find(mt, m->point) == m;
}

static struct target *target_of(struct target **v, size_t *n, const struct mount_entry *m)
{
    for (size_t i = 0; i < *n; i++)
        if ((*v)[i].major == m->major && (*v)[i].minor == m->minor)
            return &(*v)[i];
    struct target *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return NULL;
    *v = nv;
    nv[*n] = (struct target){.major = m->major, .minor = m->minor, .rep = m};
    return &nv[(*n)++];
}

/* fanotify_mark, without FAN_OPEN_EXEC on kernels before 5.0 that refuse it
 * (then processes are named from /proc only). */
static int add_mark(int group, unsigned how, uint64_t mask, const char *path)
{
    if (fanotify_mark(group, FAN_MARK_ADD | how, mask, AT_FDCWD, path) == 0)
        return 0;
    if (errno != EINVAL || !(mask & FAN_OPEN_EXEC) || mask == FAN_OPEN_EXEC)
        return -1;
    return fanotify_mark(group, FAN_MARK_ADD | how, mask & ~(uint64_t)FAN_OPEN_EXEC, AT_FDCWD,
                         path);
}

/* Mark T's filesystem in GROUP with MASK: the whole filesystem if the kernel
 * lets us, else each visible mount of it (like fatrace). Returns "filesystem",
 * "mounts" or NULL with errno set. */
static const char *mark_target(int group, uint64_t mask, const struct target *t,
                               const struct mount_table *mt, bool allow_mounts)
{
    if (add_mark(group, FAN_MARK_FILESYSTEM, mask, t->rep->point) == 0)
        return "filesystem";
    int e = errno;
    if (!allow_mounts) {
        errno = e;
        return NULL;
    }
    bool any = false;
    for (size_t i = 0; i < mt->n; i++) {
        const struct mount_entry *m = &mt->v[i];
        if (m->major != t->major || m->minor != t->minor || !visible(mt, m))
            continue;
        if (add_mark(group, FAN_MARK_MOUNT, mask, m->point) == 0)
            any = true;
        else
            e = errno;
    }
    errno = e;
    return any ? "mounts" : NULL;
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

static bool add_prefix(struct capture *c, const char *p)
{
    for (size_t i = 0; i < c->nprefix; i++)
        if (strcmp(c->prefix[i], p) == 0)
            return true;
    char **np = realloc(c->prefix, (c->nprefix + 1) * sizeof *np);
    if (!np)
        return false;
    c->prefix = np;
    size_t *nl = realloc(c->prefix_len, (c->nprefix + 1) * sizeof *nl);
    if (!nl)
        return false;
    c->prefix_len = nl;
    if (!(c->prefix[c->nprefix] = strdup(p)))
        return false;
    c->prefix_len[c->nprefix++] = strlen(p);
    return true;
}

static bool add_dev(struct capture *c, dev_t d)
{
    for (size_t i = 0; i < c->ndevs; i++)
        if (c->devs[i] == d)
            return true;
    dev_t *nd = realloc(c->devs, (c->ndevs + 1) * sizeof *nd);
    if (!nd)
        return false;
    c->devs = nd;
    c->devs[c->ndevs++] = d;
    return true;
}

/* Room for one event fd per metadata record of a full read, plus a reserve. */
static size_t size_fd_buffer(void)
{
    struct rlimit rl;
    size_t want = READ_BUF / FAN_EVENT_METADATA_LEN + FD_RESERVE * 2;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return 4096;
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
        struct rlimit nr = rl;
        nr.rlim_cur = want;
        if (nr.rlim_max != RLIM_INFINITY && nr.rlim_max < want)
            nr.rlim_max = want; /* needs CAP_SYS_RESOURCE; falls back below */
        if (setrlimit(RLIMIT_NOFILE, &nr) < 0 && rl.rlim_max != rl.rlim_cur) {
            nr = rl;
            nr.rlim_cur = rl.rlim_max;
            setrlimit(RLIMIT_NOFILE, &nr);
        }
        getrlimit(RLIMIT_NOFILE, &rl);
    }
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
        return READ_BUF;
    /* A small limit: read fewer events at once rather than run out of fds. */
    size_t fds = rl.rlim_cur > FD_RESERVE * 2 ? rl.rlim_cur - FD_RESERVE * 2 : 64;
    return fds * FAN_EVENT_METADATA_LEN;
}

/* Append "what" to a one-line notice list. */
static void notice_add(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void notice_add(char *buf, size_t len, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= len)
        return;
    if (used)
        snprintf(buf + used, len - used, ", "), used = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
}

static const char *fid_reason(int e)
{
    switch (e) {
    case ENODEV:
        return "the filesystem has no id";
    case EOPNOTSUPP:
        return "the filesystem cannot encode file handles";
    case EXDEV:
        return "the filesystem id is not unique";
    case EINVAL:
        return "not supported here";
    default:
        return strerror(e);
    }
}

struct capture_setup {
    const struct capture_config *cfg;
    struct capture *c;
    struct mount_table mt;
    struct target *t;
    size_t nt;
    char **real; /* canonical PATHs */
};

static void setup_free(struct capture_setup *s)
{
    for (size_t i = 0; s->real && i < s->cfg->npaths; i++)
        free(s->real[i]);
    free(s->real);
    free(s->t);
    mounts_free(&s->mt);
}

/* Which filesystems to mark and what the user's scope is. */
static int plan(struct capture_setup *s, char *err, size_t errlen, int *status)
{
    const struct capture_config *cfg = s->cfg;
    struct capture *c = s->c;
    for (size_t i = 0; i < s->mt.n; i++) {
        const struct mount_entry *m = &s->mt.v[i];
        if (mounts_is_pseudo(m->fstype) || !visible(&s->mt, m))
            continue;
        struct target *t = target_of(&s->t, &s->nt, m);
        if (!t)
            goto oom;
        if (t->rep != m && strcmp(t->rep->root, "/") != 0 && strcmp(m->root, "/") == 0)
            t->rep = m; /* name FID paths through a mount of the whole filesystem */
        if (!cfg->npaths) {
            t->user = true;
            t->why = "all";
        }
    }
    for (size_t i = 0; i < cfg->npaths; i++) {
        const char *real = s->real[i];
        const struct mount_entry *m = mounts_find(&s->mt, real);
        if (!m) {
            set_err(err, errlen, status, 1, "cannot watch %s: no mount holds it", cfg->paths[i]);
            return -1;
        }
        struct target *t = target_of(&s->t, &s->nt, m);
        if (!t)
            goto oom;
        if (!t->user)
            t->rep = m; /* FID paths then come out under (the first) PATH */
        t->user = true;
        t->why = cfg->paths[i];
        struct stat st;
        if (stat(real, &st) == 0 && !add_dev(c, st.st_dev))
            goto oom;
        switch (cfg->scope) {
        case CAPTURE_SCOPE_PATH:
            if (!add_prefix(c, real))
                goto oom;
            /* Everything under PATH includes filesystems mounted below it. */
            for (size_t j = 0; j < s->mt.n; j++) {
                const struct mount_entry *sub = &s->mt.v[j];
                if (sub == m || mounts_is_pseudo(sub->fstype) || !visible(&s->mt, sub) ||
                    !mounts_path_under(sub->point, strlen(sub->point), real, strlen(real)))
                    continue;
                struct target *st2 = target_of(&s->t, &s->nt, sub);
                if (!st2)
                    goto oom;
                if (!st2->user)
                    st2->rep = sub;
                st2->user = true;
                st2->why = cfg->paths[i];
            }
            break;
        case CAPTURE_SCOPE_MOUNT:
            t->mount_scope = true;
            c->exec_dev_check = true;
            if (!add_prefix(c, m->point))
                goto oom;
            break;
        case CAPTURE_SCOPE_FILESYSTEM:
            c->exec_dev_check = true;
            break;
        }
    }
    return 0;
oom:
    set_err(err, errlen, status, 1, "out of memory");
    return -1;
}

/* Give the resolver MFD (T's mount, opened for it) to open T's handles
 * through; remember a user filesystem's id. MFD is the resolver's, also on
 * failure. */
static int add_fid_fs(struct capture *c, const struct target *t, int mfd)
{
    struct statfs sf;
    uint64_t fsid = 0;
    if (fstatfs(mfd, &sf) == 0)
        memcpy(&fsid, &sf.f_fsid, sizeof fsid);
    if (resolve_add_fs(c->res, fsid, mfd) < 0)
        return -1;
    if (!t->user)
        return 0;
    uint64_t *n = realloc(c->user_fsids, (c->nuser_fsids + 1) * sizeof *n);
    if (!n)
        return -1;
    c->user_fsids = n;
    c->user_fsids[c->nuser_fsids++] = fsid;
    return 0;
}

/* Mark target T. Where the filesystem can report file handles, the FID
 * group takes every event of T, exec included: one queue keeps an exec
 * before the events of the program it starts, and the kernel opens no
 * file per event; with --mount, the fd events through a mount mark (which
 * cannot report directory events: those come from the filesystem mark).
 * Elsewhere fd events go to the fd group. */
static int mark_one(struct capture_setup *s, struct target *t, char *missing, size_t mlen,
                    char *err, size_t errlen, int *status)
{
    const struct capture_config *cfg = s->cfg;
    struct capture *c = s->c;
    uint64_t fd_user = fan_mask_of(c->types & FA_FD_TYPES);
    uint64_t fid_user = fan_mask_of(c->types & FA_FID_TYPES);
    bool fs_user = t->user && !t->mount_scope;
    uint64_t fd_mask = FAN_OPEN_EXEC | (fs_user ? fd_user : 0);
    uint64_t fid_mask = t->user ? fid_user : 0;
    /* open_by_handle_at refuses an O_PATH mount fd */
    int mfd = c->fid_group >= 0 ? open(t->rep->point, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    bool fast = mfd >= 0 && resolve_handles_open(mfd);
    if (fast) {
        fid_mask |= fd_mask;
        /* a removed name tells which open files are left without one */
        if (t->user && fd_user && c->target_fid)
            fid_mask |= FAN_DELETE;
    }
    const char *fid_how = NULL;
    if (c->fid_group >= 0 && fid_mask) {
        fid_how = mark_target(c->fid_group, fid_mask | FID_INTERNAL, t, &s->mt, false);
        if (fid_how && (mfd < 0 || add_fid_fs(c, t, mfd) < 0)) {
            set_err(err, errlen, status, 1, "cannot open %s: %s", t->rep->point,
                    strerror(errno));
            return -1;
        }
        if (fid_how)
            mfd = -1; /* the resolver's now */
        if (!fid_how && fid_user && t->user)
            notice_add(missing, mlen, "%s (%s: %s)", t->rep->point, t->rep->fstype,
                       fid_reason(errno));
    }
    if (mfd >= 0)
        close(mfd);
    const char *how = fid_how;
    if (!fid_how || !fast) {
        how = mark_target(c->fd_group, fd_mask, t, &s->mt, true);
        if (!how && t->user && cfg->npaths) {
            set_err(err, errlen, status, 1, "cannot watch %s: %s", t->why, strerror(errno));
            return -1;
        }
    }
    if (t->mount_scope && fd_user) {
        for (size_t k = 0; k < cfg->npaths; k++) {
            const struct mount_entry *m = mounts_find(&s->mt, s->real[k]);
            if (m && m->major == t->major && m->minor == t->minor &&
                add_mark(fid_how && fast ? c->fid_group : c->fd_group, FAN_MARK_MOUNT, fd_user,
                         m->point) < 0) {
                set_err(err, errlen, status, 1, "cannot watch %s: %s", cfg->paths[k],
                        strerror(errno));
                return -1;
            }
        }
        how = "mount";
    }
    if (cfg->verbose && t->user)
        safeout_say("watching %s (%s, %s mark%s%s)", t->rep->point, t->rep->fstype,
                    how ? how : "no", fid_how && fast ? ", file handles" : "",
                    fid_how || !fid_user ? "" : ", no FID events");
    else if (cfg->verbose && how)
        safeout_say("naming processes by exec on %s (%s)", t->rep->point, t->rep->fstype);
    return 0;
}

static int mark_all(struct capture_setup *s, char *err, size_t errlen, int *status)
{
    char missing[512] = "";
    for (size_t i = 0; i < s->nt; i++)
        if (mark_one(s, &s->t[i], missing, sizeof missing, err, errlen, status) < 0)
            return -1;
    if (missing[0])
        safeout_say("notice: no create/delete/move/attrib events on %s", missing);
    return 0;
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

struct source *capture_start(const struct capture_config *cfg, struct ring *r, char *err,
                             size_t errlen, int *status)
{
    struct capture_setup s = {.cfg = cfg};
    struct capture *c = calloc(1, sizeof *c);
    s.real = calloc(cfg->npaths + 1, sizeof *s.real);
    if (!c || !s.real) {
        free(c);
        free(s.real);
        set_err(err, errlen, status, 1, "out of memory");
        return NULL;
    }
    s.c = c;
    c->fd_group = c->fid_group = c->forks = -1;
    c->follow = cfg->follow;
    c->self = getpid();
    c->types = cfg->types & ~FA_BIT(FA_OVERFLOW);

    /* Usage errors first: a PATH that is not there. */
    for (size_t i = 0; i < cfg->npaths; i++) {
        s.real[i] = realpath(cfg->paths[i], NULL);
        if (!s.real[i]) {
            set_err(err, errlen, status, 2, "cannot watch %s: %s", cfg->paths[i], strerror(errno));
            goto fail;
        }
    }
    uint64_t limit = queue_limit(cfg); /* read before the groups take it */
    if (open_groups(c, cfg, err, errlen, status) < 0)
        goto fail;
    if (mounts_read(&s.mt) < 0) {
        set_err(err, errlen, status, 1, "cannot read /proc/self/mountinfo: %s", strerror(errno));
        goto fail;
    }
    c->res = resolve_create();
    c->procs = proc_cache_create(c->self);
    c->views = nspath_create(); /* none (out of memory): no container paths */
    if (!c->res || !c->procs) {
        set_err(err, errlen, status, 1, "cannot set up path resolution: %s", strerror(errno));
        goto fail;
    }
    if (plan(&s, err, errlen, status) < 0 || mark_all(&s, err, errlen, status) < 0)
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
    c->fd_buflen = size_fd_buffer();
    c->buf = malloc(READ_BUF);
    if (!c->buf) {
        set_err(err, errlen, status, 1, "out of memory");
        goto fail;
    }
    setup_free(&s);
    struct source *src = source_start(&capture_ops, c, r);
    if (!src) {
        set_err(err, errlen, status, 1, "cannot start the capture thread");
        capture_destroy(c);
    }
    return src;
fail:
    setup_free(&s);
    capture_destroy(c);
    return NULL;
}
