#include "config.h"

#include "capture/marks.h"

#include "base/clock.h"
#include "base/event.h"
#include "base/privs.h"
#include "base/textsafe.h"
#include "capture/mntns.h"
#include "capture/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <langinfo.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Asked for in the FID group whatever the user's types: directory renames,
 * which make cached directory paths stale. */
#define FID_INTERNAL (FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR)
/* What a directory under a PATH watched by inode marks is marked with,
 * besides the user's types: the directories made, moved and removed there. */
#define TREE_INTERNAL                                                                              \
    (FAN_CREATE | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_ONDIR |    \
     FAN_EVENT_ON_CHILD)
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
    bool seen_own, seen_ns; /* in the last look at our table, at other namespaces' */
    bool fresh;             /* found by this look: not marked yet */
};

struct marks {
    const struct capture_config *cfg; /* setup only */
    int fd_group, fid_group;
    bool target_fid;
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
    int64_t next_ns_scan;
    bool running;
    void (*notice)(void *ctx, const char *text);
    void *notice_ctx;
    char missing[512];   /* filesystems with no FID events, for one notice */
    uint64_t found_told; /* scope_stats.found_before, as last told */
};

static uint64_t fan_mask_of(uint32_t types)
{
    uint64_t m = 0;
    for (int t = 0; t < FA_NTYPES; t++)
        if (types & FA_BIT(t))
            m |= fa_types[t].fan_mask;
    return m;
}

/* A line for the user: on stderr at setup ("fanotop: notice: ..." when
 * NOTICE), as a notice of the capture once running. */
static void say(struct marks *m, bool notice, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(struct marks *m, bool notice, const char *fmt, ...)
{
    char raw[1024], text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    /* Mount points are anyone's to choose (a FUSE mount, a container's):
     * no byte of theirs reaches a terminal raw. */
    unsigned flags = textsafe_flags_for(nl_langinfo(CODESET)) | TEXTSAFE_BACKSLASH;
    textsafe_escape(raw, strlen(raw), flags, text, sizeof text);
    if (m->running && m->notice)
        m->notice(m->notice_ctx, text);
    else
        fprintf(stderr, "fanotop: %s%s\n", notice ? "notice: " : "", text);
}

/* Append to the one-line list of filesystems without FID events. */
static void missing_add(struct marks *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void missing_add(struct marks *m, const char *fmt, ...)
{
    size_t used = strlen(m->missing), len = sizeof m->missing;
    if (used + 1 >= len)
        return;
    if (used)
        used += (size_t)snprintf(m->missing + used, len - used, ", ");
    if (used + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->missing + used, len - used, fmt, ap);
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

/* ---- targets -------------------------------------------------------------------- */

static struct target *find_target(struct marks *m, unsigned major, unsigned minor)
{
    for (size_t i = 0; i < m->nt; i++)
        if (m->t[i].major == major && m->t[i].minor == minor)
            return &m->t[i];
    return NULL;
}

static void target_free(struct target *t)
{
    free(t->point);
    free(t->shown);
    free(t->fstype);
    free(t->why);
}

/* Reach T through mount E, under ROOT ("" or "/proc/PID/root") of namespace
 * NS (NULL: ours). */
static bool set_point(struct target *t, const struct mount_entry *e, const char *root,
                      const struct mntns_entry *ns)
{
    char *point = malloc(strlen(root) + strlen(e->point) + 1);
    char *shown = strdup(e->point);
    if (!point || !shown) {
        free(point);
        free(shown);
        return false;
    }
    strcpy(point, root);
    strcat(point, e->point);
    free(t->point);
    free(t->shown);
    t->point = point;
    t->shown = shown;
    t->ns_pid = ns ? ns->pid : 0;
    t->ns_ino = ns ? ns->ino : 0;
    return true;
}

/* The target of mount E, made (fresh) if new; NULL when out of memory. */
static struct target *target_of(struct marks *m, const struct mount_entry *e, const char *root,
                                const struct mntns_entry *ns)
{
    struct target *t = find_target(m, e->major, e->minor);
    if (t)
        return t;
    struct target *v = realloc(m->t, (m->nt + 1) * sizeof *v);
    if (!v)
        return NULL;
    m->t = v;
    t = &v[m->nt];
    *t = (struct target){.major = e->major, .minor = e->minor, .fresh = true};
    if (!set_point(t, e, root, ns) || !(t->fstype = strdup(e->fstype))) {
        target_free(t);
        return NULL;
    }
    m->nt++;
    return t;
}

static bool set_why(struct target *t, const char *why)
{
    char *w = strdup(why);
    if (!w)
        return false;
    free(t->why);
    t->why = w;
    return true;
}

static void rebuild_user_fsids(struct marks *m)
{
    m->nuser = 0;
    for (size_t i = 0; i < m->nt; i++)
        if (m->t[i].user && m->t[i].fid)
            m->user_fsids[m->nuser++] = m->t[i].fsid;
}

/* ---- marking ---------------------------------------------------------------------- */

/* fanotify_mark, without FAN_OPEN_EXEC on kernels before 5.0 that refuse it
 * (then processes are named from /proc only). Once the capture runs, a
 * mount or filesystem mark needs CAP_SYS_ADMIN raised for the call. */
static int add_mark(const struct marks *m, int group, unsigned how, uint64_t mask, const char *path)
{
    bool admin = m->running && (how & (FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM));
    if (admin)
        privs_raise(CAP_SYS_ADMIN, true);
    int rc = fanotify_mark(group, FAN_MARK_ADD | how, mask, AT_FDCWD, path);
    if (rc < 0 && errno == EINVAL && (mask & FAN_OPEN_EXEC) && mask != FAN_OPEN_EXEC)
        rc = fanotify_mark(group, FAN_MARK_ADD | how, mask & ~(uint64_t)FAN_OPEN_EXEC, AT_FDCWD,
                           path);
    int e = errno;
    if (admin)
        privs_raise(CAP_SYS_ADMIN, false);
    errno = e;
    return rc;
}

/* Mark T's filesystem in GROUP with MASK: the whole filesystem if the kernel
 * lets us, else (ALLOW_MOUNTS) each visible mount of it in MT, reached
 * under ROOT (like fatrace). Returns "filesystem", "mounts" or NULL with
 * errno set. */
static const char *mark_target(struct marks *m, int group, uint64_t mask, struct target *t,
                               const struct mount_table *mt, const char *root, bool allow_mounts)
{
    if (add_mark(m, group, FAN_MARK_FILESYSTEM, mask, t->point) == 0)
        return "filesystem";
    int e = errno;
    if (!allow_mounts || !mt) {
        errno = e;
        return NULL;
    }
    bool any = false;
    char path[4096];
    for (size_t i = 0; i < mt->n; i++) {
        const struct mount_entry *me = &mt->v[i];
        if (me->major != t->major || me->minor != t->minor || !mounts_visible(mt, me, root))
            continue;
        snprintf(path, sizeof path, "%s%s", root, me->point);
        if (add_mark(m, group, FAN_MARK_MOUNT, mask, path) == 0)
            any = true;
        else
            e = errno;
    }
    errno = e;
    return any ? "mounts" : NULL;
}

/* T's filesystem id, and whether its handles open again (overlayfs without
 * nfs_export, and some FUSE filesystems, report handles they cannot open).
 * The mount is open only for the look. */
static bool handles_open(const struct target *t, uint64_t *fsid)
{
    *fsid = 0;
    /* open_by_handle_at refuses an O_PATH mount fd */
    int fd = open(t->point, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct statfs sf;
    if (fstatfs(fd, &sf) == 0)
        memcpy(fsid, &sf.f_fsid, sizeof *fsid);
    bool ok = resolve_handles_open(fd);
    close(fd);
    return ok;
}

/* T's PATHs cannot be watched by inode marks (E: why): say so, unmark. */
static void widen(struct marks *m, struct target *t, int e)
{
    struct scope_stats st;
    scope_get_stats(m->sc, &st);
    if (e == ENOSPC)
        say(m, true,
            "watching the whole filesystem of %s (%s): more than %zu directories "
            "under the PATHs on it",
            t->shown, t->fstype, st.limit);
    else
        say(m, true,
            "watching the whole filesystem of %s (%s): cannot mark the directories "
            "under %s one by one: %s",
            t->shown, t->fstype, t->why, strerror(e));
    scope_widen(m->sc, t->fsid, true);
    t->inode = false;
}

/* The user's PATHs on T get inode marks; false (T to be watched whole)
 * when one of them cannot, with a notice. */
static bool watch_paths(struct marks *m, struct target *t)
{
    for (size_t k = 0; k < m->npaths; k++) {
        struct stat st;
        if (stat(m->real[k], &st) < 0 || major(st.st_dev) != t->major ||
            minor(st.st_dev) != t->minor)
            continue;
        if (scope_watch(m->sc, m->real[k], t->fsid) < 0) {
            widen(m, t, errno);
            return false;
        }
    }
    return true;
}

static const char *where(const struct target *t, char *buf, size_t len)
{
    if (!t->ns_pid)
        return "";
    snprintf(buf, len, " in the mount namespace of pid %d", (int)t->ns_pid);
    return buf;
}

/* Mark target T (seen in MT, under ROOT). Where the filesystem can report
 * file handles, the FID group takes every event of T, exec included: one
 * queue keeps an exec before the events of the program it starts, and the
 * kernel opens no file per event. Elsewhere, and for --mount (mount marks
 * cannot report directory events), fd events go to the fd group. Under a
 * narrow PATH (T->inode), the filesystem mark only names processes and
 * follows renames; the PATHs get inode marks. -1 (ERR) when a PATH cannot be
 * watched at all. */
static int mark_one(struct marks *m, struct target *t, const struct mount_table *mt,
                    const char *root, char *err, size_t errlen)
{
    uint64_t fd_user = fan_mask_of(m->types & FA_FD_TYPES);
    uint64_t fid_user = fan_mask_of(m->types & FA_FID_TYPES);
    uint64_t fsid = 0;
    bool fast = m->fid_group >= 0 && !t->mount_scope && handles_open(t, &fsid);
    t->fsid = fsid;
    /* following new directories needs their handles to open */
    bool fid_only = t->inode && !fast;
    if (fid_only)
        t->inode = false;
    bool wide_user = t->user && !t->inode;
    bool fs_user = wide_user && !t->mount_scope;
    uint64_t fd_mask = FAN_OPEN_EXEC | (fs_user ? fd_user : 0);
    uint64_t fid_mask = wide_user ? fid_user : 0;
    /* A file's own removal and rename come to a mark on it or on its
     * filesystem only, not to its directory's: they are rare enough to
     * take from the whole filesystem. */
    if (t->user && t->inode)
        fid_mask |= fid_user & (FAN_DELETE_SELF | FAN_MOVE_SELF);
    if (fast) {
        fid_mask |= fd_mask;
        /* a removed name tells which open files are left without one */
        if (fs_user && fd_user && m->target_fid)
            fid_mask |= FAN_DELETE;
    }
    const char *fid_how = NULL;
    if (m->fid_group >= 0 && fid_mask) {
        /* no id: its mount root was not opened */
        fid_how =
            fsid ? mark_target(m, m->fid_group, fid_mask | FID_INTERNAL, t, mt, root, false) : NULL;
        if (fid_how && resolve_add_fs(m->res, fsid, t->point) < 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        t->fid = fid_how != NULL;
        if (!fid_how && fid_user && t->user)
            missing_add(m, "%s (%s: %s)", t->shown, t->fstype,
                        fsid ? fid_reason(errno) : "its root could not be opened");
    }
    if (fid_only && fid_how) /* else the notice of missing FID events tells */
        say(m, true,
            "watching the whole filesystem of %s (%s): its file handles cannot be "
            "opened, which following new directories needs",
            t->shown, t->fstype);
    const char *how = fid_how;
    if (!fid_how || !fast) {
        how = mark_target(m, m->fd_group, fd_mask, t, mt, root, true);
        if (!how && t->user && !m->whole) {
            snprintf(err, errlen, "cannot watch %s: %s", t->why, strerror(errno));
            return -1;
        }
    }
    if (t->mount_scope && fd_user) {
        for (size_t k = 0; k < m->npaths && mt; k++) {
            const struct mount_entry *e = mounts_find(mt, m->real[k]);
            if (e && e->major == t->major && e->minor == t->minor &&
                add_mark(m, m->fd_group, FAN_MARK_MOUNT, fd_user, e->point) < 0) {
                snprintf(err, errlen, "cannot watch %s: %s", m->real[k], strerror(errno));
                return -1;
            }
        }
        how = "mount";
    }
    if (t->inode && !watch_paths(m, t))
        return mark_one(m, t, mt, root, err, errlen);
    if (t->user && t->inode) {
        struct scope_stats st;
        scope_get_stats(m->sc, &st);
        snprintf(t->how, sizeof t->how,
                 "%s, inode marks under %s, %zu directories in all, file "
                 "handles",
                 t->fstype, t->why, st.dirs);
    } else if (t->user) {
        snprintf(t->how, sizeof t->how, "%s, %s mark%s%s", t->fstype, how ? how : "no",
                 fid_how && fast ? ", file handles" : "",
                 fid_how || !fid_user ? "" : ", no FID events");
    } else {
        snprintf(t->how, sizeof t->how, "%s%s", t->fstype, how ? "" : ", not marked");
    }
    return 0;
}

/* The --verbose line of T, once marked. */
static void tell(struct marks *m, const struct target *t, const char *when)
{
    char ns[64];
    if (t->user)
        say(m, false, "watching %s (%s)%s%s", t->shown, t->how, when, where(t, ns, sizeof ns));
    else if (m->verbose)
        say(m, false, "naming processes by exec on %s (%s)%s%s", t->shown, t->how, when,
            where(t, ns, sizeof ns));
}

/* ---- setup ------------------------------------------------------------------------ */

static bool add_dev(struct marks *m, dev_t d)
{
    for (size_t i = 0; i < m->ndevs; i++)
        if (m->devs[i] == d)
            return true;
    dev_t *nd = realloc(m->devs, (m->ndevs + 1) * sizeof *nd);
    if (!nd)
        return false;
    m->devs = nd;
    m->devs[m->ndevs++] = d;
    return true;
}

/* Is E's filesystem also mounted (visibly) outside E's mount point? */
static bool elsewhere(const struct mount_table *mt, const struct mount_entry *e)
{
    for (size_t j = 0; j < mt->n; j++) {
        const struct mount_entry *o = &mt->v[j];
        if (o != e && o->major == e->major && o->minor == e->minor &&
            !mounts_path_under(o->point, strlen(o->point), e->point, strlen(e->point)) &&
            mounts_visible(mt, o, ""))
            return true;
    }
    return false;
}

/* PATH I's scope on its target T (mount E). */
static bool plan_path(struct marks *m, size_t i, struct target *t, const struct mount_entry *e,
                      const struct mount_table *mt)
{
    const char *real = m->real[i];
    switch (m->scope) {
    case CAPTURE_SCOPE_PATH:
        if (!scope_add_prefix(m->sc, real))
            return false;
        if (strcmp(real, e->point) == 0) {
            t->root_path = true;
            /* Marking the filesystem costs more than PATH only where it is
             * a mount of a subdirectory, or mounted elsewhere too. */
            if (!m->follow && (m->verbose || strcmp(e->root, "/") != 0 || elsewhere(mt, e)))
                say(m, true, "watching the whole filesystem of %s (%s): it is a mount root",
                    e->point, e->fstype);
        }
        /* one PATH that must be watched whole makes its filesystem watched whole */
        t->inode = !m->follow && !t->root_path && m->fid_group >= 0;
        /* Everything under PATH includes filesystems mounted below it. */
        for (size_t j = 0; j < mt->n; j++) {
            const struct mount_entry *sub = &mt->v[j];
            if (sub == e || mounts_is_pseudo(sub->fstype) || !mounts_visible(mt, sub, "") ||
                !mounts_path_under(sub->point, strlen(sub->point), real, strlen(real)))
                continue;
            struct target *st = target_of(m, sub, "", NULL);
            if (!st)
                return false;
            if (!st->user && !set_point(st, sub, "", NULL))
                return false;
            st->user = true;
            st->root_path = true; /* watched whole from its mount root */
            st->inode = false;
            if (!set_why(st, m->cfg->paths[i]))
                return false;
        }
        return true;
    case CAPTURE_SCOPE_MOUNT:
        t->mount_scope = true;
        m->dev_check = true;
        return scope_add_prefix(m->sc, e->point);
    case CAPTURE_SCOPE_FILESYSTEM:
        m->dev_check = true;
        return true;
    }
    return true;
}

/* Which filesystems to mark and what the user's scope is. */
static int plan(struct marks *m, const struct mount_table *mt, char *err, size_t errlen,
                int *status)
{
    const struct capture_config *cfg = m->cfg;
    for (size_t i = 0; i < mt->n; i++) {
        const struct mount_entry *e = &mt->v[i];
        if (mounts_is_pseudo(e->fstype) || !mounts_visible(mt, e, ""))
            continue;
        struct target *t = target_of(m, e, "", NULL);
        if (!t)
            goto oom;
        t->seen_own = true;
        /* name FID paths through a mount of the whole filesystem */
        const struct mount_entry *rep = mounts_find(mt, t->point);
        if (rep && strcmp(rep->root, "/") != 0 && strcmp(e->root, "/") == 0 &&
            !set_point(t, e, "", NULL))
            goto oom;
        if (m->whole) {
            t->user = true;
            if (!set_why(t, "all"))
                goto oom;
        }
    }
    for (size_t i = 0; i < cfg->npaths; i++) {
        const char *real = m->real[i];
        const struct mount_entry *e = mounts_find(mt, real);
        if (!e) {
            snprintf(err, errlen, "cannot watch %s: no mount holds it", cfg->paths[i]);
            *status = 1;
            return -1;
        }
        struct target *t = target_of(m, e, "", NULL);
        if (!t)
            goto oom;
        t->seen_own = true;
        /* FID paths then come out under (the first) PATH */
        if (!t->user && !set_point(t, e, "", NULL))
            goto oom;
        t->user = true;
        if (!set_why(t, cfg->paths[i]))
            goto oom;
        struct stat st;
        if (stat(real, &st) == 0 && !add_dev(m, st.st_dev))
            goto oom;
        if (!plan_path(m, i, t, e, mt))
            goto oom;
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    *status = 1;
    return -1;
}

static int mark_all(struct marks *m, const struct mount_table *mt, char *err, size_t errlen,
                    int *status)
{
    for (size_t i = 0; i < m->nt; i++) {
        m->t[i].fresh = false;
        if (mark_one(m, &m->t[i], mt, "", err, errlen) < 0) {
            *status = 1;
            return -1;
        }
        if (m->verbose)
            tell(m, &m->t[i], "");
    }
    if (m->missing[0])
        say(m, true, "no create/delete/move/attrib events on %s", m->missing);
    m->missing[0] = '\0';
    rebuild_user_fsids(m);
    return 0;
}

static bool copy_paths(struct marks *m, char *const *real, size_t n)
{
    m->real = calloc(n + 1, sizeof *m->real);
    if (!m->real)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(m->real[i] = strdup(real[i])))
            return false;
    m->npaths = n;
    return true;
}

static void refresh_ns(struct marks *m);

struct marks *marks_create(const struct marks_init *init, char *err, size_t errlen, int *status)
{
    const struct capture_config *cfg = init->cfg;
    struct marks *m = calloc(1, sizeof *m);
    struct mount_table mt = {0};
    *status = 1;
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->cfg = cfg;
    m->fd_group = init->fd_group;
    m->fid_group = init->fid_group;
    m->target_fid = init->target_fid;
    m->types = init->types;
    m->verbose = cfg->verbose;
    m->whole = !cfg->npaths;
    m->follow = cfg->follow != NULL;
    m->scope = cfg->scope;
    m->res = init->res;
    uint64_t fd_user = fan_mask_of(init->types & FA_FD_TYPES);
    uint64_t fid_user = fan_mask_of(init->types & FA_FID_TYPES);
    /* Inode marks on files take no directory events (the kernel refuses them). */
    struct scope_marks sm = {
        .group = init->fid_group,
        .dir_mask =
            fd_user | fid_user | TREE_INTERNAL | (init->target_fid && fd_user ? FAN_DELETE : 0),
        .file_mask = fd_user | (fid_user & (FAN_ATTRIB | FAN_DELETE_SELF | FAN_MOVE_SELF))};
    if (!(m->sc = scope_create(&sm, init->res))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    m->mi_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
    if (!copy_paths(m, init->real, cfg->npaths)) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (m->mi_fd < 0 || mounts_read_fd(m->mi_fd, &mt) < 0) {
        snprintf(err, errlen, "cannot read /proc/self/mountinfo: %s", strerror(errno));
        goto fail;
    }
    /* Other mount namespaces: looked at once marked, then each second. */
    if (m->whole && !(m->ns = mntns_create()))
        say(m, true, "filesystems of other mount namespaces are not watched: %s", strerror(errno));
    if (plan(m, &mt, err, errlen, status) < 0)
        goto fail;
    if (!(m->user_fsids = calloc(m->nt + 1, sizeof *m->user_fsids))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (mark_all(m, &mt, err, errlen, status) < 0)
        goto fail;
    if (m->ns) {
        refresh_ns(m);
        marks_let_go(m);
    }
    m->cfg = NULL;
    mounts_free(&mt);
    resolve_release(m->res);
    return m;
fail:
    mounts_free(&mt);
    marks_destroy(m);
    return NULL;
}

void marks_destroy(struct marks *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nt; i++)
        target_free(&m->t[i]);
    free(m->t);
    for (size_t i = 0; m->real && i < m->npaths; i++)
        free(m->real[i]);
    free(m->real);
    free(m->user_fsids);
    free(m->devs);
    mntns_destroy(m->ns);
    scope_destroy(m->sc);
    if (m->mi_fd >= 0)
        close(m->mi_fd);
    free(m);
}

struct scope *marks_scope(const struct marks *m)
{
    return m->sc;
}

size_t marks_count(const struct marks *m)
{
    return m->nt;
}

bool marks_user_fsid(const struct marks *m, uint64_t fsid)
{
    for (size_t i = 0; i < m->nuser; i++)
        if (m->user_fsids[i] == fsid)
            return true;
    return false;
}

bool marks_dev_check(const struct marks *m)
{
    return m->dev_check;
}

bool marks_dev_outside(const struct marks *m, dev_t dev)
{
    for (size_t i = 0; i < m->ndevs; i++)
        if (m->devs[i] == dev)
            return false;
    return m->dev_check;
}

void marks_run(struct marks *m, void (*notice)(void *ctx, const char *text), void *ctx)
{
    m->notice = notice;
    m->notice_ctx = ctx;
    m->running = true;
    m->next_ns_scan = clock_mono_ns() + NS_SCAN_NS;
}

int marks_poll_fd(const struct marks *m)
{
    return m->mi_fd;
}

/* ---- while running ------------------------------------------------------------------- */

/* A filesystem found after start: whose is it, then mark it. */
static void mark_new(struct marks *m, struct target *t, const struct mount_table *mt,
                     const char *root)
{
    t->fresh = false;
    if (m->whole) {
        t->user = set_why(t, "all");
    } else if (m->scope == CAPTURE_SCOPE_PATH && !t->ns_pid) {
        for (size_t k = 0; k < m->npaths && !t->user; k++)
            if (mounts_path_under(t->shown, strlen(t->shown), m->real[k], strlen(m->real[k])))
                t->user = set_why(t, m->real[k]); /* mounted below a PATH */
    }
    char err[512] = "";
    if (mark_one(m, t, mt, root, err, sizeof err) < 0 || err[0])
        say(m, true, "%s", err);
    else if (m->running ? t->user || m->verbose : m->verbose)
        tell(m, t, m->running ? ", mounted after start" : "");
    if (m->missing[0])
        say(m, true, "no create/delete/move/attrib events on %s", m->missing);
    m->missing[0] = '\0';
}

/* T is in none of the mount tables any more. */
static void let_go(struct marks *m, struct target *t)
{
    char ns[64];
    if (t->user)
        say(m, false, "no longer watching %s (%s): unmounted%s", t->shown, t->fstype,
            where(t, ns, sizeof ns));
    else if (m->verbose)
        say(m, false, "no longer naming processes by exec on %s (%s): unmounted", t->shown,
            t->fstype);
    /* A lazy unmount leaves the filesystem, and our mark, for as long as
     * something uses it: its events are no longer the user's. */
    if (t->inode)
        scope_widen(m->sc, t->fsid, false);
    if (t->fid)
        resolve_drop_fs(m->res, t->fsid);
    target_free(t);
    *t = m->t[--m->nt];
}

/* Does MT still have T's mount (the one it is reached through)? */
static bool shown_in(const struct mount_table *mt, const struct target *t)
{
    for (size_t i = 0; i < mt->n; i++)
        if (mt->v[i].major == t->major && mt->v[i].minor == t->minor &&
            strcmp(mt->v[i].point, t->shown) == 0)
            return true;
    return false;
}

/* Take in the mount table MT of the namespace under ROOT (of PID; "" and 0
 * for ours): OWN tells which flag it sets. Only a new filesystem, or one
 * whose mount is gone, is looked up on disk (statx of its mount point):
 * each look holds the mount for a moment, and an umount that falls in that
 * moment fails as busy. */
static void take_table(struct marks *m, const struct mount_table *mt, const char *root,
                       const struct mntns_entry *ns)
{
    bool own = !ns;
    pid_t pid = ns ? ns->pid : 0;
    for (size_t i = 0; i < mt->n; i++) {
        const struct mount_entry *e = &mt->v[i];
        if (mounts_is_pseudo(e->fstype))
            continue;
        struct target *t = find_target(m, e->major, e->minor);
        bool *seen = t ? (own ? &t->seen_own : &t->seen_ns) : NULL;
        if (t && !t->fresh) {
            /* Reach it through our namespace if it is in it, else through
             * a process that is still there, and through a mount that is. */
            bool repoint =
                own ? t->ns_pid != 0 || !shown_in(mt, t)
                    : !t->seen_own && (!t->ns_pid || (t->ns_pid != pid && kill(t->ns_pid, 0) < 0 &&
                                                      errno == ESRCH));
            if (repoint && mounts_visible(mt, e, root) && set_point(t, e, root, ns) && t->fid)
                resolve_add_fs(m->res, t->fsid, t->point);
            *seen = true;
            continue;
        }
        if (t || !mounts_visible(mt, e, root))
            continue;
        if (!(t = target_of(m, e, root, ns)))
            continue; /* out of memory: found again by the next look */
        if (own)
            t->seen_own = true;
        else
            t->seen_ns = true;
    }
}

/* Mark the filesystems just found in MT (under ROOT). */
static void mark_fresh(struct marks *m, const struct mount_table *mt, const char *root)
{
    uint64_t *u = realloc(m->user_fsids, (m->nt + 1) * sizeof *u);
    if (!u)
        return; /* marked by the next look */
    m->user_fsids = u;
    for (size_t i = 0; i < m->nt; i++)
        if (m->t[i].fresh)
            mark_new(m, &m->t[i], mt, root);
    rebuild_user_fsids(m);
}

void marks_let_go(struct marks *m)
{
    for (size_t i = 0; i < m->nt;) {
        if (!m->t[i].seen_own && !m->t[i].seen_ns)
            let_go(m, &m->t[i]); /* the last one takes its place */
        else
            i++;
    }
    rebuild_user_fsids(m);
}

static void refresh_own(struct marks *m)
{
    struct mount_table mt;
    if (mounts_read_fd(m->mi_fd, &mt) < 0)
        return;
    for (size_t i = 0; i < m->nt; i++)
        m->t[i].seen_own = false;
    take_table(m, &mt, "", NULL);
    mark_fresh(m, &mt, "");
    mounts_free(&mt);
}

/* The other namespaces, each reached through one of its processes. */
static void refresh_ns(struct marks *m)
{
    long n = mntns_scan(m->ns);
    if (n < 0)
        return;
    bool *before = calloc(m->nt + 1, sizeof *before);
    if (!before)
        return;
    for (size_t i = 0; i < m->nt; i++) {
        before[i] = m->t[i].seen_ns;
        m->t[i].seen_ns = false;
    }
    size_t known = m->nt;
    for (long k = 0; k < n; k++) {
        const struct mntns_entry *ns = mntns_get(m->ns, (size_t)k);
        char root[ROOT_MAX], path[ROOT_MAX + 16];
        snprintf(root, sizeof root, "/proc/%d/root", (int)ns->pid);
        snprintf(path, sizeof path, "/proc/%d/mountinfo", (int)ns->pid);
        struct mount_table mt;
        if (mounts_read_file(path, &mt) < 0) {
            /* its process went meanwhile: what was reached through it
             * stays until the next look tells */
            for (size_t i = 0; i < known && i < m->nt; i++)
                if (m->t[i].ns_ino == ns->ino)
                    m->t[i].seen_ns = m->t[i].seen_ns || before[i];
            continue;
        }
        take_table(m, &mt, root, ns);
        mark_fresh(m, &mt, root);
        mounts_free(&mt);
    }
    free(before);
}

bool marks_due(const struct marks *m, bool changed, int64_t now_mono)
{
    return changed || (m->ns && now_mono >= m->next_ns_scan);
}

bool marks_refresh(struct marks *m, bool changed, int64_t now_mono)
{
    if (changed)
        refresh_own(m);
    if (m->ns && now_mono >= m->next_ns_scan) {
        m->next_ns_scan = now_mono + NS_SCAN_NS;
        refresh_ns(m);
    }
    for (size_t i = 0; i < m->nt; i++)
        if (!m->t[i].seen_own && !m->t[i].seen_ns)
            return true;
    return false;
}

void marks_event(struct marks *m, const struct decode_event *ev)
{
    uint64_t fsid = scope_event(m->sc, ev);
    int e = errno;
    if (m->verbose && (ev->mask & FAN_CREATE)) {
        /* Entries made in a new directory before its mark: no event tells
         * of their making (events on them from now on are seen). */
        struct scope_stats st;
        scope_get_stats(m->sc, &st);
        if (st.found_before > m->found_told)
            say(m, false,
                "%" PRIu64 " entries were in new directories under PATH before "
                "fanotop could watch them: their creation is not recorded",
                st.found_before - m->found_told);
        m->found_told = st.found_before;
    }
    if (!fsid)
        return;
    for (size_t i = 0; i < m->nt; i++) {
        struct target *t = &m->t[i];
        if (!t->inode || t->fsid != fsid)
            continue;
        widen(m, t, e);
        char err[512] = "";
        if (mark_one(m, t, NULL, "", err, sizeof err) < 0)
            say(m, true, "%s", err);
        rebuild_user_fsids(m);
        return;
    }
}
