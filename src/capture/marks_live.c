#include "config.h"

#include "capture/marks_internal.h"

#include "capture/slowfs.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>

/* The devices (as the kernel writes them, major << 20 | minor) of the
 * filesystem marks in GROUP's fdinfo, added to *DEVS (*N of them). */
static void fs_marks(int group, unsigned long **devs, size_t *n)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/fdinfo/%d", group);
    FILE *f = group >= 0 ? fopen(path, "re") : NULL;
    /* "fanotify sdev:30 mflags:0 mask:..." (an inode mark starts "fanotify ino:") */
    while (f && fgets(buf, sizeof buf, f)) {
        if (strncmp(buf, "fanotify sdev:", 14) != 0)
            continue;
        unsigned long *v = realloc(*devs, (*n + 1) * sizeof *v);
        if (!v)
            break;
        *devs = v;
        v[(*n)++] = strtoul(buf + 14, NULL, 16);
    }
    if (f)
        fclose(f);
}

/* A filesystem's number (major:minor) goes to the next one mounted once it
 * is gone: a filesystem mark the kernel dropped with its superblock tells
 * that the filesystem of that number is another one now. */
static void find_stale(struct marks *m)
{
    unsigned long *devs = NULL;
    size_t n = 0;
    fs_marks(m->fid_group, &devs, &n);
    fs_marks(m->fd_group, &devs, &n);
    fs_marks(m->slow_group, &devs, &n);
    for (size_t i = 0; i < m->nt; i++) {
        struct target *t = &m->t[i];
        unsigned long dev = (unsigned long)t->major << 20 | t->minor;
        bool marked = false;
        for (size_t k = 0; k < n && !marked; k++)
            marked = devs[k] == dev;
        t->stale = t->stale || (t->fs_mark && !t->fresh && !marked && n);
    }
    free(devs);
}

static bool gone(const struct target *t)
{
    return t->stale || (!t->seen_own && !t->seen_ns);
}

/* A filesystem found after start: whose is it, then mark it. */
static void mark_new(struct marks *m, struct target *t, const struct mount_table *mt,
                     const char *root)
{
    t->fresh = false;
    if (m->whole) {
        t->user = marks_set_why(t, "all");
    } else if (m->scope == CAPTURE_SCOPE_PATH && !t->ns_pid) {
        for (size_t k = 0; k < m->npaths && !t->user; k++) {
            const char *real = m->real[k];
            /* A PATH reached through a filesystem served by a daemon is
             * placed from the table alone: its daemon is not asked. */
            bool via_slow = slowfs_reached_through(mt, real);
            const struct mount_entry *e =
                via_slow ? mounts_by_name(mt, real) : mounts_find(mt, real);
            struct stat st;
            if (mounts_path_under(t->shown, strlen(t->shown), real, strlen(real))) {
                t->user = marks_set_why(t, real); /* mounted below a PATH: all of it */
                t->root_path = true;
            } else if (e && e->major == t->major && e->minor == t->minor) {
                /* A PATH on it (a disk mounted again): by inode marks if it
                 * is there already, else the whole of it, to see it made.
                 * One served by a daemon is not asked (and watched whole). */
                bool slow = via_slow || slowfs_is_slow(t->fstype);
                t->user = marks_set_why(t, real);
                t->inode = !slow && !m->follow && m->fid_group >= 0 && stat(real, &st) == 0;
                t->root_path = !t->inode;
                if (!t->inode && !m->follow && !slow)
                    marks_say(m, true,
                              "watching the whole filesystem of %s (%s): %s is not on it yet",
                              t->shown, t->fstype, real);
            }
        }
    }
    char err[512] = "";
    if (marks_mark_one(m, t, mt, root, err, sizeof err) < 0 || err[0])
        marks_say(m, true, "%s", err);
    else if (m->running ? t->user || m->verbose : m->verbose)
        marks_tell(m, t, m->running ? ", mounted after start" : "");
    if (m->missing[0])
        marks_say(m, true, "no create/delete/move/attrib events on %s", m->missing);
    m->missing[0] = '\0';
}

/* T is in none of the mount tables any more. */
static void let_go(struct marks *m, struct target *t)
{
    char ns[64];
    if (t->user)
        marks_say(m, false, "no longer watching %s (%s): unmounted%s", t->shown, t->fstype,
                  marks_where(t, ns, sizeof ns));
    else if (m->verbose)
        marks_say(m, false, "no longer naming processes by exec on %s (%s): unmounted", t->shown,
                  t->fstype);
    /* A lazy unmount leaves the filesystem, and our mark, for as long as
     * something uses it: its events are no longer the user's. */
    bool shared = false; /* another filesystem with that id still marked */
    for (size_t i = 0; i < m->nt; i++)
        shared =
            shared || (&m->t[i] != t && !gone(&m->t[i]) && m->t[i].fid && m->t[i].fsid == t->fsid);
    if (t->inode && !shared)
        scope_widen(m->sc, t->fsid, false);
    if (t->fid && !shared)
        resolve_drop_fs(m->res, t->fsid);
    marks_target_free(t);
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

/* Is mount E of MT (under ROOT) reachable at its mount point? A mount point
 * reached through a filesystem served by a daemon is told from the table
 * alone, as its daemon may not answer. */
static bool visible(const struct mount_table *mt, const struct mount_entry *e, const char *root)
{
    return slowfs_reached_through(mt, e->point) ? mounts_reachable(mt, e)
                                                : mounts_visible(mt, e, root);
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
        struct target *t = marks_find_target(m, e->major, e->minor);
        bool *seen = t ? (own ? &t->seen_own : &t->seen_ns) : NULL;
        if (t && !t->fresh) {
            /* Reach it through our namespace if it is in it, else through
             * a process that is still there, and through a mount that is. */
            bool repoint =
                own ? t->ns_pid != 0 || !shown_in(mt, t)
                    : !t->seen_own && (!t->ns_pid || (t->ns_pid != pid && kill(t->ns_pid, 0) < 0 &&
                                                      errno == ESRCH));
            if (repoint && visible(mt, e, root) && marks_set_point(t, e, root, ns))
                t->mounts_sig = 0; /* named through the mounts of this table now */
            *seen = true;
            continue;
        }
        if (t || !visible(mt, e, root))
            continue;
        if (!(t = marks_target_of(m, e, root, ns)))
            continue; /* out of memory: found again by the next look */
        if (own)
            t->seen_own = true;
        else
            t->seen_ns = true;
    }
}

/* The filesystems reached through the namespace of MT (NS, NULL: ours)
 * whose mounts changed are named through those it has now. */
static void rename_mounts(struct marks *m, const struct mount_table *mt, const char *root,
                          const struct mntns_entry *ns)
{
    pid_t pid = ns ? ns->pid : 0;
    for (size_t i = 0; i < m->nt; i++) {
        struct target *t = &m->t[i];
        if (t->fid && !t->fresh && !gone(t) && t->ns_pid == pid &&
            marks_mounts_sig(t, mt) != t->mounts_sig)
            marks_name_mounts(m, t, mt, root); /* out of memory: tried again by the next look */
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
    marks_rebuild_user(m);
}

void marks_let_go(struct marks *m)
{
    bool any = false;
    for (size_t i = 0; i < m->nt && !any; i++)
        any = gone(&m->t[i]);
    if (!any)
        return;
    /* What the kernel queued before an unmount (which has returned, since
     * the table shows it) is read, and named, while the filesystem is
     * known; and before another one that took its number is marked. */
    if (m->running && m->drain)
        m->drain(m->notice_ctx);
    for (size_t i = 0; i < m->nt;) {
        if (gone(&m->t[i]))
            let_go(m, &m->t[i]); /* the last one takes its place */
        else
            i++;
    }
    marks_rebuild_user(m);
}

static void refresh_own(struct marks *m)
{
    struct mount_table mt;
    if (mounts_read_fd(m->mi_fd, &mt) < 0)
        return;
    for (size_t i = 0; i < m->nt; i++)
        m->t[i].seen_own = false;
    take_table(m, &mt, "", NULL);
    marks_let_go(m);
    rename_mounts(m, &mt, "", NULL);
    mark_fresh(m, &mt, "");
    marks_scan_overlays(m, &mt);
    mounts_free(&mt);
}

/* The other namespaces, each reached through one of its processes. */
void marks_refresh_ns(struct marks *m)
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
        rename_mounts(m, &mt, root, ns);
        mark_fresh(m, &mt, root);
        mounts_free(&mt);
    }
    free(before);
    marks_let_go(m);
}

bool marks_due(const struct marks *m, bool changed, int64_t now_mono)
{
    return changed || (m->ns && now_mono >= m->next_ns_scan);
}

void marks_refresh(struct marks *m, bool changed, int64_t now_mono)
{
    find_stale(m);
    if (changed)
        refresh_own(m);
    if (m->ns && now_mono >= m->next_ns_scan) {
        m->next_ns_scan = now_mono + NS_SCAN_NS;
        marks_refresh_ns(m);
    }
    marks_let_go(m);
}

/* FSID's PATHs can no longer be watched by inode marks (E: why): mark it
 * whole, with a notice. */
static void widen_fsid(struct marks *m, uint64_t fsid, int e)
{
    for (size_t i = 0; i < m->nt; i++) {
        struct target *t = &m->t[i];
        if (!t->inode || t->fsid != fsid)
            continue;
        marks_widen(m, t, e);
        char err[512] = "";
        if (marks_mark_one(m, t, NULL, "", err, sizeof err) < 0)
            marks_say(m, true, "%s", err);
        marks_rebuild_user(m);
        return;
    }
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
            marks_say(m, false,
                      "%" PRIu64 " entries were in new directories under PATH before "
                      "fanotop could watch them: their creation is not recorded",
                      st.found_before - m->found_told);
        m->found_told = st.found_before;
    }
    if (fsid)
        widen_fsid(m, fsid, e);
}

void marks_overflow(struct marks *m)
{
    uint64_t fsid = scope_rescan(m->sc);
    if (fsid)
        widen_fsid(m, fsid, errno);
}
