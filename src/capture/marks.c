#include "config.h"

#include "capture/marks_internal.h"

#include "base/clock.h"
#include "base/event.h"
#include "base/hash.h"
#include "base/privs.h"
#include "base/textsafe.h"
#include "capture/mntns.h"
#include "capture/mounts.h"
#include "capture/overlay.h"
#include "capture/slowfs.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <linux/capability.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

/* Asked for in the FID group whatever the user's types, where the whole
 * filesystem is marked: renames, which say where a directory was before
 * (one event with both names since Linux 5.17, else a pair that does not
 * say which directory moved); on the user's filesystems creations too,
 * which place new directories and name files made with O_TMPFILE once
 * linked. Under a narrow PATH the renames and creations that matter come to
 * the inode marks of its directories and its ancestors (scope.c): none
 * from the rest. */
#define FID_RENAMES (FAN_RENAME | FAN_ONDIR)
#define FID_MOVES   (FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR)
#define FID_USER    FAN_CREATE
/* What a directory under a PATH watched by inode marks is marked with,
 * besides the user's types: the directories made, moved and removed there. */
#define TREE_INTERNAL                                                                              \
    (FAN_CREATE | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_ONDIR |    \
     FAN_EVENT_ON_CHILD)

static uint64_t fan_mask_of(uint32_t types)
{
    uint64_t m = 0;
    for (int t = 0; t < FA_NTYPES; t++)
        if (types & FA_BIT(t))
            m |= fa_types[t].fan_mask;
    return m;
}

void marks_say(struct marks *m, bool notice, const char *fmt, ...)
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

struct target *marks_find_target(struct marks *m, unsigned major, unsigned minor)
{
    for (size_t i = 0; i < m->nt; i++)
        if (m->t[i].major == major && m->t[i].minor == minor && !m->t[i].stale)
            return &m->t[i];
    return NULL;
}

void marks_target_free(struct target *t)
{
    free(t->point);
    free(t->shown);
    free(t->fstype);
    free(t->why);
}

/* Reach T through mount E, under ROOT ("" or "/proc/PID/root") of namespace
 * NS (NULL: ours). */
bool marks_set_point(struct target *t, const struct mount_entry *e, const char *root,
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
struct target *marks_target_of(struct marks *m, const struct mount_entry *e, const char *root,
                               const struct mntns_entry *ns)
{
    struct target *t = marks_find_target(m, e->major, e->minor);
    if (t)
        return t;
    struct target *v = realloc(m->t, (m->nt + 1) * sizeof *v);
    if (!v)
        return NULL;
    m->t = v;
    t = &v[m->nt];
    *t = (struct target){.major = e->major, .minor = e->minor, .fresh = true};
    if (!marks_set_point(t, e, root, ns) || !(t->fstype = strdup(e->fstype))) {
        marks_target_free(t);
        return NULL;
    }
    m->nt++;
    return t;
}

bool marks_set_why(struct target *t, const char *why)
{
    char *w = strdup(why);
    if (!w)
        return false;
    free(t->why);
    t->why = w;
    return true;
}

void marks_rebuild_user(struct marks *m)
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
    if (add_mark(m, group, FAN_MARK_FILESYSTEM, mask, t->point) == 0) {
        t->fs_mark = true;
        return "filesystem";
    }
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
void marks_widen(struct marks *m, struct target *t, int e)
{
    struct scope_stats st;
    scope_get_stats(m->sc, &st);
    if (e == ENOSPC)
        marks_say(m, true,
                  "watching the whole filesystem of %s (%s): more than %zu directories "
                  "under the PATHs on it",
                  t->shown, t->fstype, st.limit);
    else
        marks_say(m, true,
                  "watching the whole filesystem of %s (%s): cannot mark the directories "
                  "under %s one by one: %s",
                  t->shown, t->fstype, t->why, strerror(e));
    scope_widen(m->sc, t->fsid, true);
    t->inode = false;
}

/* The user's PATHs on T get inode marks; false (T to be watched whole)
 * when one of them cannot, with a notice. A PATH reached through a
 * filesystem served by a daemon (in MT, when given) is not looked at: it is
 * not on T, which is watched by inode marks. */
static bool watch_paths(struct marks *m, struct target *t, const struct mount_table *mt)
{
    for (size_t k = 0; k < m->npaths; k++) {
        struct stat st;
        if ((mt && slowfs_reached_through(mt, m->real[k])) || stat(m->real[k], &st) < 0 ||
            major(st.st_dev) != t->major || minor(st.st_dev) != t->minor)
            continue;
        if (scope_watch(m->sc, m->real[k], t->fsid) < 0) {
            marks_widen(m, t, errno);
            return false;
        }
    }
    return true;
}

const char *marks_where(const struct target *t, char *buf, size_t len)
{
    if (!t->ns_pid)
        return "";
    snprintf(buf, len, " in the mount namespace of pid %d", (int)t->ns_pid);
    return buf;
}

/* Mark T's filesystem in the FID group with MASK and, as the resolver
 * needs, renames (FAN_RENAME where the kernel has it: Linux 5.17) and
 * INTERNAL; "filesystem" or NULL with errno set. */
static const char *mark_fid(struct marks *m, uint64_t mask, uint64_t internal, struct target *t,
                            const struct mount_table *mt, const char *root)
{
    const char *how = NULL;
    if (m->renames)
        how = mark_target(m, m->fid_group, mask | FID_RENAMES | internal, t, mt, root, false);
    if (!how && (!m->renames || errno == EINVAL)) {
        m->renames = false; /* before Linux 5.17 */
        how = mark_target(m, m->fid_group, mask | FID_MOVES | internal, t, mt, root, false);
    }
    return how;
}

/* Mark target T (seen in MT, under ROOT). Where the filesystem can report
 * file handles, the FID group takes every event of T, exec included: one
 * queue keeps an exec before the events of the program it starts, and the
 * kernel opens no file per event. Elsewhere, and for --mount (mount marks
 * cannot report directory events), fd events go to the fd group; for a
 * filesystem served by a daemon, to the slow group, whose worker names
 * them from their fds: nothing of it is opened or asked here. Under a
 * narrow PATH (T->inode), the filesystem mark only names processes; the
 * PATHs get inode marks. -1 (ERR) when a PATH cannot be watched at all. */
int marks_mark_one(struct marks *m, struct target *t, const struct mount_table *mt,
                   const char *root, char *err, size_t errlen)
{
    uint64_t fd_user = fan_mask_of(m->types & FA_FD_TYPES);
    uint64_t fid_user = fan_mask_of(m->types & FA_FID_TYPES);
    uint64_t fsid = 0;
    /* also a filesystem mounted below one served by a daemon: reaching it
     * goes through that daemon */
    if (mt)
        t->slow = slowfs_is_slow(t->fstype) || slowfs_reached_through(mt, t->shown);
    bool fast = !t->slow && m->fid_group >= 0 && !t->mount_scope && handles_open(t, &fsid);
    t->fsid = fsid;
    /* following new directories needs their handles to open */
    bool fid_only = t->inode && !fast;
    if (fid_only)
        t->inode = false;
    bool wide_user = t->user && !t->inode;
    bool fs_user = wide_user && !t->mount_scope;
    uint64_t fd_mask = FAN_OPEN_EXEC | (fs_user ? fd_user : 0);
    uint64_t fid_mask = wide_user ? fid_user : 0;
    int fd_group = t->slow ? m->slow_group : m->fd_group;
    if (t->slow && fid_mask) {
        if (t->user)
            missing_add(m, "%s (%s: served by a daemon or a network)", t->shown, t->fstype);
        fid_mask = 0;
    }
    /* A file's own removal and rename come to a mark on it or on its
     * filesystem only, not to its directory's: they are rare enough to
     * take from the whole filesystem. */
    if (t->user && t->inode)
        fid_mask |= fid_user & (FAN_DELETE_SELF | FAN_MOVE_SELF);
    uint64_t internal = t->user && !t->inode ? FID_USER : 0;
    if (fast) {
        fid_mask |= fd_mask;
        /* a removed name tells which open files are left without one */
        if (fs_user && fd_user && m->target_fid)
            fid_mask |= FAN_DELETE;
    }
    const char *fid_how = NULL;
    if (m->fid_group >= 0 && fid_mask) {
        /* no id: its mount root was not opened */
        fid_how = !fsid      ? NULL
                  : t->inode ? mark_target(m, m->fid_group, fid_mask, t, mt, root, false)
                             : mark_fid(m, fid_mask, internal, t, mt, root);
        if (fid_how && !marks_name_mounts(m, t, mt, root)) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        t->fid = fid_how != NULL;
        if (!fid_how && fid_user && t->user)
            missing_add(m, "%s (%s: %s)", t->shown, t->fstype,
                        fsid ? fid_reason(errno) : "its root could not be opened");
    }
    if (fid_only && fid_how) /* else the notice of missing FID events tells */
        marks_say(m, true,
                  "watching the whole filesystem of %s (%s): its file handles cannot be "
                  "opened, which following new directories needs",
                  t->shown, t->fstype);
    const char *how = fid_how;
    if (!fid_how || !fast) {
        errno = EBADF; /* no group for it */
        how = fd_group < 0 ? NULL : mark_target(m, fd_group, fd_mask, t, mt, root, true);
        if (!how && t->user && !m->whole) {
            snprintf(err, errlen, "cannot watch %s: %s", t->why, strerror(errno));
            return -1;
        }
        m->slow_used = m->slow_used || (how && t->slow);
    }
    if (t->mount_scope && fd_user) {
        for (size_t k = 0; k < m->npaths && mt && fd_group >= 0; k++) {
            const struct mount_entry *e = mounts_find(mt, m->real[k]);
            if (e && e->major == t->major && e->minor == t->minor &&
                add_mark(m, fd_group, FAN_MARK_MOUNT, fd_user, e->point) < 0) {
                snprintf(err, errlen, "cannot watch %s: %s", m->real[k], strerror(errno));
                return -1;
            }
        }
        how = "mount";
    }
    if (t->inode && !watch_paths(m, t, mt))
        return marks_mark_one(m, t, mt, root, err, errlen);
    if (t->user && t->inode) {
        struct scope_stats st;
        scope_get_stats(m->sc, &st);
        snprintf(t->how, sizeof t->how,
                 "%s, inode marks under %s, %zu director%s in all, file handles", t->fstype, t->why,
                 st.dirs, st.dirs == 1 ? "y" : "ies");
    } else if (t->user) {
        snprintf(t->how, sizeof t->how, "%s, %s mark%s%s%s", t->fstype, how ? how : "no",
                 fid_how && fast ? ", file handles" : "", t->slow ? ", named by the worker" : "",
                 fid_how || !fid_user ? "" : ", no FID events");
    } else {
        snprintf(t->how, sizeof t->how, "%s%s", t->fstype, how ? "" : ", not marked");
    }
    return 0;
}

/* The --verbose line of T, once marked. */
void marks_tell(struct marks *m, const struct target *t, const char *when)
{
    char ns[64];
    if (t->user)
        marks_say(m, false, "watching %s (%s)%s%s", t->shown, t->how, when,
                  marks_where(t, ns, sizeof ns));
    else if (m->verbose)
        marks_say(m, false, "naming processes by exec on %s (%s)%s%s", t->shown, t->how, when,
                  marks_where(t, ns, sizeof ns));
}

/* ---- names ------------------------------------------------------------------------ */

static bool in_scope(void *ctx, const char *path, size_t len)
{
    return scope_covers(ctx, path, len);
}

uint64_t marks_mounts_sig(const struct target *t, const struct mount_table *mt)
{
    uint64_t h = HASH_FNV_INIT;
    for (size_t i = 0; i < mt->n; i++)
        if (mt->v[i].major == t->major && mt->v[i].minor == t->minor)
            h = hash_mix64(h ^ (uint64_t)(unsigned)mt->v[i].id);
    return h;
}

bool marks_name_mounts(struct marks *m, struct target *t, const struct mount_table *mt,
                       const char *root)
{
    if (!mt)
        return resolve_knows_fs(m->res, t->fsid) || resolve_add_fs(m->res, t->fsid, t->point) == 0;
    resolve_clear_mounts(m->res, t->fsid);
    const struct mount_entry *whole = NULL;
    for (size_t i = 0; i < mt->n; i++) {
        const struct mount_entry *e = &mt->v[i];
        if (e->major != t->major || e->minor != t->minor || !mounts_reachable(mt, e))
            continue;
        if (!resolve_add_mount(m->res, t->fsid, e->id, e->root, e->point))
            return false;
        if (!whole && strcmp(e->root, "/") == 0)
            whole = e;
    }
    t->mounts_sig = marks_mounts_sig(t, mt);
    if (!whole)
        return resolve_add_fs(m->res, t->fsid, t->point) == 0;
    /* a handle of a file outside a bind-mounted subdirectory does not open
     * through it */
    char *path = malloc(strlen(root) + strlen(whole->point) + 1);
    if (!path)
        return false;
    strcpy(path, root);
    strcat(path, whole->point);
    int rc = resolve_add_fs(m->res, t->fsid, path);
    free(path);
    return rc == 0;
}

void marks_scan_overlays(struct marks *m, const struct mount_table *mt)
{
    /* which overlays, where, and of which layers */
    uint64_t h = HASH_FNV_INIT;
    for (size_t i = 0; i < mt->n; i++) {
        const struct mount_entry *e = &mt->v[i];
        if (strcmp(e->fstype, "overlay") != 0)
            continue;
        h = hash_mix64(h ^ (uint64_t)(unsigned)e->id);
        h = hash_mix64(h ^ hash_bytes(e->point, strlen(e->point)));
        h = hash_mix64(h ^ hash_bytes(e->super, strlen(e->super)));
    }
    if (h == m->ovl_sig)
        return;
    overlay_free(m->ovl);
    m->ovl = overlay_scan(mt);
    m->ovl_sig = h;
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

/* A directory PATH: what cannot be named below it is still known to be in
 * scope (a file PATH's events are named by its directory). */
static void add_anchor(struct marks *m, const char *real)
{
    int fd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        resolve_add_anchor(m->res, fd);
        close(fd);
    }
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
        if (!slowfs_reached_through(mt, real)) /* whose daemon is not asked */
            add_anchor(m, real);
        if (strcmp(real, e->point) == 0) {
            t->root_path = true;
            /* Marking the filesystem costs more than PATH only where it is
             * a mount of a subdirectory, or mounted elsewhere too. */
            if (!m->follow && (m->verbose || strcmp(e->root, "/") != 0 || elsewhere(mt, e)))
                marks_say(m, true, "watching the whole filesystem of %s (%s): it is a mount root",
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
            struct target *st = marks_target_of(m, sub, "", NULL);
            if (!st)
                return false;
            if (!st->user && !marks_set_point(st, sub, "", NULL))
                return false;
            st->user = true;
            st->root_path = true; /* watched whole from its mount root */
            st->inode = false;
            if (!marks_set_why(st, m->cfg->paths[i]))
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
        struct target *t = marks_target_of(m, e, "", NULL);
        if (!t)
            goto oom;
        t->seen_own = true;
        /* name FID paths through a mount of the whole filesystem */
        const struct mount_entry *rep = mounts_find(mt, t->point);
        if (rep && strcmp(rep->root, "/") != 0 && strcmp(e->root, "/") == 0 &&
            !marks_set_point(t, e, "", NULL))
            goto oom;
        if (m->whole) {
            t->user = true;
            if (!marks_set_why(t, "all"))
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
        struct target *t = marks_target_of(m, e, "", NULL);
        if (!t)
            goto oom;
        t->seen_own = true;
        /* FID paths then come out under (the first) PATH */
        if (!t->user && !marks_set_point(t, e, "", NULL))
            goto oom;
        t->user = true;
        if (!marks_set_why(t, cfg->paths[i]))
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
        if (marks_mark_one(m, &m->t[i], mt, "", err, errlen) < 0) {
            *status = 1;
            return -1;
        }
        if (m->verbose)
            marks_tell(m, &m->t[i], "");
    }
    if (m->missing[0])
        marks_say(m, true, "no create/delete/move/attrib events on %s", m->missing);
    m->missing[0] = '\0';
    marks_rebuild_user(m);
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
    m->slow_group = init->slow_group;
    m->target_fid = init->target_fid;
    m->types = init->types;
    m->verbose = cfg->verbose;
    m->whole = !cfg->npaths;
    m->follow = cfg->follow != NULL;
    m->scope = cfg->scope;
    m->res = init->res;
    uint64_t fd_user = fan_mask_of(init->types & FA_FD_TYPES);
    uint64_t fid_user = fan_mask_of(init->types & FA_FID_TYPES);
    /* Renames with both names go with the handles of their objects: Linux
     * 5.17 brought both. */
    m->renames = init->target_fid;
    /* Inode marks on files take no directory events (the kernel refuses them). */
    struct scope_marks sm = {
        .group = init->fid_group,
        .dir_mask =
            fd_user | fid_user | TREE_INTERNAL | (init->target_fid && fd_user ? FAN_DELETE : 0),
        .file_mask = fd_user | (fid_user & (FAN_ATTRIB | FAN_DELETE_SELF | FAN_MOVE_SELF)),
        .renames = m->renames};
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
        marks_say(m, true, "filesystems of other mount namespaces are not watched: %s",
                  strerror(errno));
    if (plan(m, &mt, err, errlen, status) < 0)
        goto fail;
    /* Of a file's names through several mounts (bind mounts), one under a
     * PATH. */
    if (scope_has_paths(m->sc))
        resolve_set_scope(m->res, in_scope, m->sc);
    marks_scan_overlays(m, &mt);
    if (!(m->user_fsids = calloc(m->nt + 1, sizeof *m->user_fsids))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (mark_all(m, &mt, err, errlen, status) < 0)
        goto fail;
    if (m->ns) {
        marks_refresh_ns(m);
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
        marks_target_free(&m->t[i]);
    free(m->t);
    for (size_t i = 0; m->real && i < m->npaths; i++)
        free(m->real[i]);
    free(m->real);
    free(m->user_fsids);
    free(m->devs);
    mntns_destroy(m->ns);
    overlay_free(m->ovl);
    scope_destroy(m->sc);
    if (m->mi_fd >= 0)
        close(m->mi_fd);
    free(m);
}

struct scope *marks_scope(const struct marks *m)
{
    return m->sc;
}

bool marks_renames(const struct marks *m)
{
    return m->renames;
}

struct overlays *marks_overlays(const struct marks *m)
{
    return m->ovl;
}

bool marks_slow_used(const struct marks *m)
{
    return m->slow_used;
}

void marks_slow_gone(struct marks *m)
{
    m->slow_group = -1;
    m->slow_used = false;
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

void marks_run(struct marks *m, void (*notice)(void *ctx, const char *text),
               void (*drain)(void *ctx), void *ctx)
{
    m->notice = notice;
    m->drain = drain;
    m->notice_ctx = ctx;
    m->running = true;
    m->next_ns_scan = clock_mono_ns() + NS_SCAN_NS;
}

int marks_poll_fd(const struct marks *m)
{
    return m->mi_fd;
}
