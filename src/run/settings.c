#include "config.h"

#include "run/settings.h"
#include "base/strlist.h"

#include "base/atomic_file.h"
#include "base/privs.h"
#include "base/safedir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A directory that exists and belongs to someone else than UID: under sudo
 * HOME may still be root's, and XDG_CONFIG_HOME anyone's. */
static bool foreign_dir(const char *dir, uid_t uid)
{
    struct stat st;
    return stat(dir, &st) == 0 && st.st_uid != uid;
}

bool settings_path(char *buf, size_t len)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    uid_t uid;
    gid_t gid;
    privs_invoker(&uid, &gid);
    int n;
    if (xdg && *xdg == '/' && !foreign_dir(xdg, uid)) {
        n = snprintf(buf, len, "%s/fanotop/fanotoprc", xdg);
    } else if (home && *home && !foreign_dir(home, uid)) {
        n = snprintf(buf, len, "%s/.config/fanotop/fanotoprc", home);
    } else {
        /* The invoking user's own home, whatever the environment says. */
        const struct passwd *pw = getpwuid(uid);
        if (!pw || !pw->pw_dir || *pw->pw_dir != '/')
            return false;
        n = snprintf(buf, len, "%s/.config/fanotop/fanotoprc", pw->pw_dir);
    }
    return n > 0 && (size_t)n < len;
}

void settings_init(struct settings *s)
{
    memset(s, 0, sizeof *s);
    s->color = -1;
    s->mouse = -1;
}

void settings_free(struct settings *s)
{
    free(s->view);
    for (int k = 0; k < VIEW_NKINDS; k++) {
        free(s->columns[k]);
        free(s->sort[k]);
    }
    for (size_t i = 0; i < s->nhistory; i++)
        free(s->history[i]);
    settings_init(s);
}

static int parse_bool(const char *v)
{
    if (!strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1"))
        return 1;
    if (!strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "0"))
        return 0;
    return -1;
}

static void replace(char **slot, const char *v)
{
    free(*slot);
    *slot = strdup(v);
}

void settings_add_history(struct settings *s, const char *expr)
{
    if (expr && !strchr(expr, '\n') && strlen(expr) <= SETTINGS_MAX_FILTER)
        strlist_touch(s->history, &s->nhistory, SETTINGS_MAX_HISTORY, expr);
}

bool settings_sort_parse(enum view_kind k, const char *value, size_t *col, int *dir)
{
    size_t len = strcspn(value, ",");
    const char *d = value[len] == ',' ? value + len + 1 : NULL;
    int want = !d ? -1 : !strcmp(d, "desc") ? 1 : !strcmp(d, "asc") ? 0 : -2;
    if (want == -2)
        return false;
    for (size_t c = 0; c < view_kind_ncolumns(k); c++) {
        const char *name = view_kind_column(k, c).name;
        if (strlen(name) == len && strncmp(name, value, len) == 0) {
            if (col)
                *col = c;
            if (dir)
                *dir = want;
            return true;
        }
    }
    return false;
}

/* Apply one key=value; returns NULL or the reason it was refused. */
static const char *apply(struct settings *s, const char *key, const char *v)
{
    if (!strcmp(key, "delay")) {
        char *end;
        double d = strtod(v, &end);
        if (end == v || *end || !isfinite(d) || d < 0.05 || d > 3600)
            return "delay must be seconds from 0.05 to 3600";
        s->delay = d;
    } else if (!strcmp(key, "color") || !strcmp(key, "mouse")) {
        int b = parse_bool(v);
        if (b < 0)
            return "expected yes or no";
        *(key[0] == 'c' ? &s->color : &s->mouse) = b;
    } else if (!strcmp(key, "view")) {
        if (view_kind_by_name(v) < 0)
            return "unknown view";
        replace(&s->view, v);
    } else if (!strncmp(key, "columns.", 8)) {
        int k = view_kind_by_name(key + 8);
        if (k < 0)
            return "unknown view";
        replace(&s->columns[k], v);
    } else if (!strncmp(key, "sort.", 5)) {
        int k = view_kind_by_name(key + 5);
        if (k < 0)
            return "unknown view";
        if (!settings_sort_parse((enum view_kind)k, v, NULL, NULL))
            return "unknown sort column or direction";
        replace(&s->sort[k], v);
    } else if (!strcmp(key, "filter")) {
        settings_add_history(s, v);
    } else {
        return "unknown key";
    }
    return NULL;
}

/* ---- the way to the file ----------------------------------------------------- */

/* The file is read and written as root on behalf of the invoking user, in
 * directories that user controls (base/safedir.h): each directory on the
 * way root's or the user's, the file's own directory and the file the
 * user's, no link followed but root's (and the user's own when no privilege
 * is involved), and a directory made on the way made in one of the user's
 * and given to them. */

struct walk {
    uid_t uid; /* the invoking user */
    gid_t gid;
    const char *path;
    char *err;
    size_t errlen;
    const char *verb; /* "read" or "write", for messages */
};

/* "cannot VERB PATH: WHY"; returns -1. */
static int walk_refuse(const struct walk *w, const char *why)
{
    snprintf(w->err, w->errlen, "cannot %s %s: %s", w->verb, w->path, why);
    return -1;
}

static int walk_errno(const struct walk *w, int e)
{
    return walk_refuse(w, strerror(e));
}

/* The directory of W's path; CREATE makes what is missing. Its descriptor,
 * with the file's name in *NAME; -1 with the message in W's ERR, or
 * SAFEDIR_MISSING when a directory is missing and not to be made. */
static int walk_to_dir(const struct walk *w, bool create, const char **name)
{
    const char *slash = strrchr(w->path, '/');
    *name = slash ? slash + 1 : w->path;
    char *dir = slash ? strndup(w->path, slash == w->path ? 1 : (size_t)(slash - w->path))
                      : strdup(".");
    if (!dir)
        return walk_errno(w, ENOMEM);
    unsigned flags = SAFEDIR_OWNED | (create ? SAFEDIR_CREATE : 0) |
                     (w->uid == geteuid() ? SAFEDIR_USER_LINKS : 0);
    int fd = safedir_open(dir, w->path, w->uid, w->gid, flags, w->verb, w->err, w->errlen);
    free(dir);
    return fd;
}

static struct walk walk_for(const char *path, const char *verb, char *err, size_t errlen)
{
    struct walk w = {.path = path, .err = err, .errlen = errlen, .verb = verb};
    privs_invoker(&w.uid, &w.gid);
    return w;
}

/* walk_refuse for what belongs to OWNER, not the user. */
static int walk_not_theirs(const struct walk *w, uid_t owner)
{
    char why[96];
    snprintf(why, sizeof why, "it belongs to another user (uid %lu)", (unsigned long)owner);
    return walk_refuse(w, why);
}

/* The file's bytes, at most SETTINGS_MAX_BYTES, into *DATA (malloc'd): only
 * a regular file of the user's. 1 read, 0 no file, -1 with the message. */
static int read_file(const struct walk *w, char **data, size_t *len)
{
    const char *name;
    int dir = walk_to_dir(w, false, &name);
    if (dir < 0)
        return dir == SAFEDIR_MISSING ? 0 : -1;
    int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    int e = errno;
    close(dir);
    if (fd < 0) {
        if (e == ENOENT)
            return 0;
        return e == ELOOP ? walk_refuse(w, "a symbolic link (not followed)") : walk_errno(w, e);
    }
    struct stat st;
    int rc = -1;
    *data = NULL;
    if (fstat(fd, &st) != 0)
        walk_errno(w, errno);
    else if (!S_ISREG(st.st_mode))
        walk_refuse(w, "not a regular file");
    else if (st.st_uid != w->uid)
        walk_not_theirs(w, st.st_uid);
    else if (st.st_size > SETTINGS_MAX_BYTES)
        walk_refuse(w, "larger than the 1 MiB a settings file may be");
    else if (!(*data = malloc(SETTINGS_MAX_BYTES + 1)))
        walk_errno(w, ENOMEM);
    else
        rc = 1;
    *len = 0;
    while (rc == 1 && *len <= SETTINGS_MAX_BYTES) {
        ssize_t n = read(fd, *data + *len, SETTINGS_MAX_BYTES + 1 - *len);
        if (n == 0)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = walk_errno(w, errno);
        else
            *len += (size_t)n;
    }
    if (rc == 1 && *len > SETTINGS_MAX_BYTES)
        rc = walk_refuse(w, "larger than the 1 MiB a settings file may be");
    close(fd);
    if (rc != 1) {
        free(*data);
        *data = NULL;
    }
    return rc;
}

/* ---- reading and writing ----------------------------------------------------- */

int settings_load(struct settings *s, const char *path,
                  void (*warn)(const char *msg, void *ctx), void *ctx, char *err, size_t errlen)
{
    struct walk w = walk_for(path, "read", err, errlen);
    char *data;
    size_t len;
    int got = read_file(&w, &data, &len);
    if (got <= 0)
        return got;
    FILE *f = len ? fmemopen(data, len, "r") : NULL;
    if (!f) {
        free(data);
        return 0; /* an empty file, or no memory to read it: nothing set */
    }
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        char *eq = strchr(p, '=');
        const char *why = NULL;
        char key[64] = "";
        if (!eq) {
            why = "expected key=value";
        } else {
            size_t klen = (size_t)(eq - p);
            while (klen && (p[klen - 1] == ' ' || p[klen - 1] == '\t'))
                klen--;
            if (klen == 0 || klen >= sizeof key) {
                why = "expected key=value";
            } else {
                memcpy(key, p, klen);
                key[klen] = '\0';
                char *v = eq + 1;
                while (*v == ' ' || *v == '\t')
                    v++;
                why = apply(s, key, v);
            }
        }
        if (why && warn) {
            char msg[256];
            if (key[0])
                snprintf(msg, sizeof msg, "%s:%u: %s '%s', line ignored", base, lineno, why, key);
            else
                snprintf(msg, sizeof msg, "%s:%u: %s, line ignored", base, lineno, why);
            warn(msg, ctx);
        }
    }
    free(line);
    fclose(f);
    free(data);
    return 0;
}

/* Write S through AF and commit it. */
static int write_all(const struct settings *s, struct atomic_file *af, char *err, size_t errlen)
{
    FILE *f = af->fp;
    fputs("# fanotop settings: key=value per line; see fanotop(8), FILES.\n", f);
    if (s->delay > 0)
        fprintf(f, "delay=%g\n", s->delay);
    if (s->color >= 0)
        fprintf(f, "color=%s\n", s->color ? "yes" : "no");
    if (s->mouse >= 0)
        fprintf(f, "mouse=%s\n", s->mouse ? "yes" : "no");
    if (s->view)
        fprintf(f, "view=%s\n", s->view);
    for (int k = 0; k < VIEW_NKINDS; k++)
        if (s->columns[k])
            fprintf(f, "columns.%s=%s\n", view_kind_name(k), s->columns[k]);
    for (int k = 0; k < VIEW_NKINDS; k++)
        if (s->sort[k])
            fprintf(f, "sort.%s=%s\n", view_kind_name(k), s->sort[k]);
    for (size_t i = 0; i < s->nhistory; i++)
        fprintf(f, "filter=%s\n", s->history[i]);
    return atomic_file_commit(af, err, errlen);
}

int settings_save(const struct settings *s, const char *path, char *err, size_t errlen)
{
    struct walk w = walk_for(path, "write", err, errlen);
    const char *name;
    int dir = walk_to_dir(&w, true, &name);
    if (dir < 0)
        return -1;
    struct atomic_file af;
    int rc = atomic_file_openat(&af, dir, name, path, 0600, ATOMIC_FILE_REGULAR, err, errlen);
    if (rc == 0)
        rc = write_all(s, &af, err, errlen);
    close(dir);
    return rc;
}

