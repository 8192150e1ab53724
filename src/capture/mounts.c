#include "config.h"

#include "capture/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void mounts_unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
            r[3] >= '0' && r[3] <= '7') {
            *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
            r += 3;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* Split the next space-separated field off *P (NUL-terminating it). */
static char *field(char **p)
{
    char *s = *p;
    while (*s == ' ')
        s++;
    if (!*s)
        return NULL;
    char *e = strchr(s, ' ');
    if (e) {
        *e = '\0';
        *p = e + 1;
    } else {
        *p = s + strlen(s);
    }
    return s;
}

static bool parse_line(char *line, struct mount_entry *m)
{
    char *p = line;
    char *f[5];
    for (int i = 0; i < 5; i++)
        if (!(f[i] = field(&p)))
            return false;
    char *end;
    long id = strtol(f[0], &end, 10);
    if (*end)
        return false;
    long parent = strtol(f[1], &end, 10);
    if (*end)
        return false;
    unsigned long maj = strtoul(f[2], &end, 10);
    if (*end != ':')
        return false;
    unsigned long min = strtoul(end + 1, &end, 10);
    if (*end)
        return false;
    /* f[5] is the options, then optional fields up to "-". */
    char *s;
    if (!field(&p))
        return false;
    while ((s = field(&p)) && strcmp(s, "-") != 0) {
    }
    if (!s)
        return false;
    char *fstype = field(&p);
    char *source = field(&p);
    char *super = field(&p);
    if (!fstype)
        return false;
    m->id = (int)id;
    m->parent = (int)parent;
    m->major = (unsigned)maj;
    m->minor = (unsigned)min;
    mounts_unescape(f[3]);
    mounts_unescape(f[4]);
    mounts_unescape(fstype);
    if (source)
        mounts_unescape(source);
    m->root = f[3];
    m->point = f[4];
    m->fstype = fstype;
    m->source = source ? source : "";
    m->super = super ? super : "";
    return true;
}

int mounts_parse(const char *text, size_t len, struct mount_table *t)
{
    memset(t, 0, sizeof *t);
    t->text = malloc(len + 1);
    if (!t->text)
        return -1;
    memcpy(t->text, text, len);
    t->text[len] = '\0';
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    t->v = calloc(lines, sizeof *t->v);
    if (!t->v) {
        free(t->text);
        t->text = NULL;
        return -1;
    }
    char *p = t->text;
    while (p && *p) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        /* A NUL inside the text ends the line early: the rest is skipped. */
        if (parse_line(p, &t->v[t->n]))
            t->n++;
        p = nl ? nl + 1 : NULL;
    }
    return 0;
}

int mounts_read_fd(int fd, struct mount_table *t)
{
    /* /proc's mount tables are made afresh by a read from offset 0 */
    if (lseek(fd, 0, SEEK_SET) < 0)
        return -1;
    size_t cap = 16384, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            errno = ENOMEM;
            return -1;
        }
        if (len == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                continue;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            errno = e;
            return -1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    int rc = mounts_parse(buf, len, t);
    free(buf);
    if (rc < 0)
        errno = ENOMEM;
    return rc;
}

int mounts_read_file(const char *path, struct mount_table *t)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = mounts_read_fd(fd, t);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

int mounts_read(struct mount_table *t)
{
    return mounts_read_file("/proc/self/mountinfo", t);
}

void mounts_free(struct mount_table *t)
{
    free(t->v);
    free(t->text);
    memset(t, 0, sizeof *t);
}

bool mounts_is_pseudo(const char *fstype)
{
    static const char *const pseudo[] = {
        "proc",    "sysfs",       "cgroup",   "cgroup2",  "devpts",     "securityfs", "debugfs",
        "tracefs", "bpf",         "pstore",   "configfs", "fusectl",    "mqueue",     "hugetlbfs",
        "autofs",  "binfmt_misc", "efivarfs", "nsfs",     "rpc_pipefs", "selinuxfs",  "smackfs",
        "nfsd",    "openpromfs",  "usbfs",    "xenfs",    "spufs",
    };
    for (size_t i = 0; i < sizeof pseudo / sizeof pseudo[0]; i++)
        if (strcmp(fstype, pseudo[i]) == 0)
            return true;
    return false;
}

bool mounts_path_under(const char *path, size_t path_len, const char *prefix, size_t prefix_len)
{
    if (prefix_len == 1 && prefix[0] == '/')
        return path_len >= 1 && path[0] == '/';
    if (path_len < prefix_len || memcmp(path, prefix, prefix_len) != 0)
        return false;
    return path_len == prefix_len || path[prefix_len] == '/';
}

long long mounts_id_at(int dirfd, const char *path)
{
#if defined(STATX_MNT_ID)
    struct statx stx;
    /* The mount id is the VFS's: asked without a sync, a FUSE or network
     * filesystem is not asked for its attributes (its daemon may be stalled). */
    int flags = AT_NO_AUTOMOUNT | AT_STATX_DONT_SYNC | (*path ? 0 : AT_EMPTY_PATH);
    if (statx(dirfd, path, flags, STATX_MNT_ID, &stx) == 0 && (stx.stx_mask & STATX_MNT_ID))
        return (long long)stx.stx_mnt_id;
#else
    (void)dirfd;
    (void)path;
#endif
    return -1;
}

/* Linux 6.8: a mount id that is never given again. */
#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x4000U
#endif

uint64_t mounts_unique_id_at(int dirfd, const char *path)
{
#if defined(STATX_MNT_ID)
    struct statx stx;
    int flags = AT_NO_AUTOMOUNT | AT_STATX_DONT_SYNC | (*path ? 0 : AT_EMPTY_PATH);
    if (statx(dirfd, path, flags, STATX_MNT_ID_UNIQUE | STATX_MNT_ID, &stx) == 0 &&
        (stx.stx_mask & (STATX_MNT_ID_UNIQUE | STATX_MNT_ID)))
        return stx.stx_mnt_id;
#else
    (void)dirfd;
    (void)path;
#endif
    return 0;
}

bool mounts_visible(const struct mount_table *t, const struct mount_entry *m, const char *root)
{
    if (!*root)
        return mounts_find(t, m->point) == m;
    /* Another namespace's table: its points are reached under ROOT. */
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s%s", root, m->point) >= sizeof path)
        return false;
    return mounts_id_at(AT_FDCWD, path) == m->id;
}

const struct mount_entry *mounts_find(const struct mount_table *t, const char *path)
{
    long long id = mounts_id_at(AT_FDCWD, path);
    /* The last entry with that id: ids are unique, but be safe on overmounts. */
    for (size_t i = t->n; id >= 0 && i-- > 0;)
        if (t->v[i].id == id)
            return &t->v[i];
    return mounts_by_name(t, path);
}

const struct mount_entry *mounts_by_name(const struct mount_table *t, const char *path)
{
    /* Longest mount point prefix; of equals, the later mount covers the earlier. */
    const struct mount_entry *best = NULL;
    size_t best_len = 0, plen = strlen(path);
    for (size_t i = 0; i < t->n; i++) {
        size_t l = strlen(t->v[i].point);
        if (mounts_path_under(path, plen, t->v[i].point, l) && (!best || l >= best_len)) {
            best = &t->v[i];
            best_len = l;
        }
    }
    return best;
}

/* Is X covered: by a mount on top of it, at its own mount point (whose
 * parent it is), or by one mounted later over a directory above its mount
 * point (which then has X's parent for its own)? CHILD, the mount the look
 * came up from, is not one. */
static bool covered(const struct mount_table *t, const struct mount_entry *x,
                    const struct mount_entry *child)
{
    size_t xl = strlen(x->point);
    for (size_t i = 0; i < t->n; i++) {
        const struct mount_entry *o = &t->v[i];
        if (o == x || o == child)
            continue;
        size_t ol = strlen(o->point);
        if (o->parent == x->id && ol == xl && memcmp(o->point, x->point, xl) == 0)
            return true;
        if (o->parent == x->parent && o->id != x->parent && ol < xl &&
            mounts_path_under(x->point, xl, o->point, ol))
            return true;
    }
    return false;
}

bool mounts_reachable(const struct mount_table *t, const struct mount_entry *m)
{
    const struct mount_entry *x = m, *child = NULL;
    for (size_t steps = 0; x && steps < t->n; steps++) {
        if (covered(t, x, child))
            return false;
        const struct mount_entry *up = NULL;
        for (size_t i = 0; i < t->n && !up; i++)
            if (t->v[i].id == x->parent && &t->v[i] != x)
                up = &t->v[i];
        child = x;
        x = up;
    }
    return true;
}
