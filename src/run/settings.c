#include "config.h"

#include "run/settings.h"
#include "base/strlist.h"

#include "base/atomic_file.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool settings_path(char *buf, size_t len)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && *xdg == '/')
        n = snprintf(buf, len, "%s/fanotop/fanotoprc", xdg);
    else if (home && *home)
        n = snprintf(buf, len, "%s/.config/fanotop/fanotoprc", home);
    else
        return false;
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
    if (expr && !strchr(expr, '\n'))
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

int settings_load(struct settings *s, const char *path,
                  void (*warn)(const char *msg, void *ctx), void *ctx, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return -1;
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
    return 0;
}

static int make_parent_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

int settings_save(const struct settings *s, const char *path, char *err, size_t errlen)
{
    if (make_parent_dirs(path) < 0) {
        snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    struct atomic_file af;
    if (atomic_file_open(&af, path, 0600, err, errlen) < 0)
        return -1;
    FILE *f = af.fp;
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
    return atomic_file_commit(&af, err, errlen);
}
