/* Live capture, set up. Two fanotify groups: one in FID mode (a directory
 * handle plus a name per event) for directory-entry and inode events, and,
 * where the filesystem's handles can be opened again, for open, access,
 * modify, close and exec too; one in fd mode (the kernel hands us an open fd
 * per event) for those on the other filesystems; and, for filesystems served
 * by a daemon or a network, a third in fd mode that a worker reads
 * (slowfs.h). The capture thread (events.c) reads them. */
#include "config.h"

#include "capture/capture.h"

#include "base/clock.h"
#include "base/event.h"
#include "base/safeout.h"
#include "capture/capture_impl.h"
#include "capture/follow_tree.h"
#include "capture/mounts.h"
#include "capture/overlay.h"
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
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define FD_RESERVE 256 /* fds kept free for everything but event fds */
/* Batches of the FID group kept while the events after one being named are
 * searched: far more than a full queue of the default 16384 events. */
#define FIDQ_BATCHES 64

/* Asked for in the FID group whatever the user's types: renames, which say
 * where a directory was before (one event with both names since Linux 5.17,
 * else a pair that does not say which directory moved); on the user's
 * filesystems creations too, which place new directories and name files
 * made with O_TMPFILE once linked. */
#define FID_RENAMES (FAN_RENAME | FAN_ONDIR)
#define FID_MOVES   (FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR)
#define FID_USER    FAN_CREATE
/* The events that the window indexes for those searches. */
#define FIDQ_WATCH                                                                                 \
    (FAN_RENAME | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_DELETE | FAN_CREATE | FAN_Q_OVERFLOW)

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

/* A directory PATH: what cannot be named below it is still known to be in
 * scope (a file PATH's events are named by its directory). */
static void add_anchor(struct capture *c, const char *real)
{
    int fd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        resolve_add_anchor(c->res, fd);
        close(fd);
    }
}

/* Room for one event fd per metadata record of a full read, plus a reserve. */
static size_t size_fd_buffer(void)
{
    struct rlimit rl;
    size_t want = CAPTURE_READ_BUF / FAN_EVENT_METADATA_LEN + FD_RESERVE * 2;
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
        return CAPTURE_READ_BUF;
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
            add_anchor(c, real);
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

/* The mount of T's filesystem to open its handles through: one of the
 * whole filesystem when there is one, for a handle opened through a bind
 * mount of a subdirectory cannot be named outside of it. */
static const struct mount_entry *handle_mount(const struct capture_setup *s, const struct target *t)
{
    if (strcmp(t->rep->root, "/") == 0)
        return t->rep;
    for (size_t i = 0; i < s->mt.n; i++) {
        const struct mount_entry *m = &s->mt.v[i];
        if (m->major == t->major && m->minor == t->minor && strcmp(m->root, "/") == 0 &&
            visible(&s->mt, m))
            return m;
    }
    return t->rep;
}

/* Give the resolver MFD (opened on T's handle_mount) to open T's handles
 * through and every mount of T's filesystem to name its files by; remember
 * a user filesystem's id. MFD is the resolver's, also on failure. */
static int add_fid_fs(struct capture_setup *s, const struct target *t, int mfd)
{
    struct capture *c = s->c;
    struct statfs sf;
    uint64_t fsid = 0;
    if (fstatfs(mfd, &sf) == 0)
        memcpy(&fsid, &sf.f_fsid, sizeof fsid);
    if (resolve_add_fs(c->res, fsid, mfd) < 0)
        return -1;
    for (size_t i = 0; i < s->mt.n; i++) {
        const struct mount_entry *m = &s->mt.v[i];
        if (m->major == t->major && m->minor == t->minor && visible(&s->mt, m) &&
            !resolve_add_mount(c->res, fsid, m->id, m->root, m->point))
            return -1;
    }
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
 * Elsewhere fd events go to the fd group (or the worker's). */
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
    /* A filesystem served by a daemon is named by the worker, from fds:
     * nothing of it is opened on the capture thread. */
    bool slow = slowfs_is_slow(t->rep->fstype);
    if (slow && c->slow_group < 0) {
        bool tid;
        c->slow_group = init_group(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK |
                                       (cfg->unlimited_queue ? FAN_UNLIMITED_QUEUE : 0),
                                   O_RDONLY | O_LARGEFILE | O_CLOEXEC, &tid);
    }
    int fd_group = slow ? c->slow_group : c->fd_group;
    if (slow && fid_mask) {
        notice_add(missing, mlen, "%s (%s: served by a daemon or a network)", t->rep->point,
                   t->rep->fstype);
        fid_mask = 0;
    }
    /* open_by_handle_at refuses an O_PATH mount fd */
    const struct mount_entry *hm = handle_mount(s, t);
    int mfd = c->fid_group >= 0 && !slow ? open(hm->point, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    bool fast = mfd >= 0 && resolve_handles_open(mfd);
    if (fast) {
        fid_mask |= fd_mask;
        /* a removed name tells which open files are left without one */
        if (t->user && fd_user && c->target_fid)
            fid_mask |= FAN_DELETE;
    }
    const char *fid_how = NULL;
    if (c->fid_group >= 0 && fid_mask) {
        uint64_t internal = t->user ? FID_USER : 0;
        fid_how = c->renames ? mark_target(c->fid_group, fid_mask | FID_RENAMES | internal, t,
                                           &s->mt, false)
                             : NULL;
        if (!fid_how && (!c->renames || errno == EINVAL)) {
            /* before Linux 5.17: no FAN_RENAME */
            c->renames = false;
            fid_how = mark_target(c->fid_group, fid_mask | FID_MOVES | internal, t, &s->mt, false);
        }
        if (fid_how && (mfd < 0 || add_fid_fs(s, t, mfd) < 0)) {
            set_err(err, errlen, status, 1, "cannot open %s: %s", hm->point, strerror(errno));
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
        how = fd_group < 0 ? NULL : mark_target(fd_group, fd_mask, t, &s->mt, true);
        if (!how && t->user && cfg->npaths) {
            set_err(err, errlen, status, 1, "cannot watch %s: %s", t->why, strerror(errno));
            return -1;
        }
    }
    if (t->mount_scope && fd_user) {
        for (size_t k = 0; k < cfg->npaths; k++) {
            const struct mount_entry *m = mounts_find(&s->mt, s->real[k]);
            if (m && m->major == t->major && m->minor == t->minor &&
                add_mark(fid_how && fast ? c->fid_group : fd_group, FAN_MARK_MOUNT, fd_user,
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
    /* Also without FID event types: it carries fd events where it can. */
    unsigned fid = base | FAN_REPORT_DFID_NAME | FAN_REPORT_FID;
    c->fid_group = init_group(fid | FAN_REPORT_TARGET_FID, O_RDONLY | O_CLOEXEC, &tid);
    c->target_fid = c->renames = c->fid_group >= 0;
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
    c->fd_group = c->fid_group = c->slow_group = c->forks = -1;
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
    c->ovl = overlay_scan(&s.mt);
    c->res = resolve_create();
    c->procs = proc_cache_create(c->self);
    if (!c->res || !c->procs) {
        set_err(err, errlen, status, 1, "cannot set up path resolution: %s", strerror(errno));
        goto fail;
    }
    if (plan(&s, err, errlen, status) < 0 || mark_all(&s, err, errlen, status) < 0)
        goto fail;
    if (c->fid_group >= 0) {
        c->fidq = fidq_create(c->fid_group, CAPTURE_READ_BUF, FIDQ_BATCHES, FIDQ_WATCH);
        if (!c->fidq) {
            set_err(err, errlen, status, 1, "out of memory");
            goto fail;
        }
        resolve_set_queue(c->res, c->fidq, c->renames);
    }
    if (c->nprefix)
        resolve_set_scope(c->res, capture_in_scope, c);
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
    c->buf = malloc(CAPTURE_READ_BUF);
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
