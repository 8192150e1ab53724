#include "config.h"

#include "capture/cgroup.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define ID_SHOWN 12 /* container ids are shown short, as docker ps does */
#define ID_MIN   12 /* shorter hex runs are not taken for container ids */

struct span {
    const char *s;
    size_t n;
};

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static size_t hex_run(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_hex(s[i]))
        i++;
    return i;
}

static bool has_prefix(struct span c, const char *pre)
{
    size_t n = strlen(pre);
    return c.n >= n && memcmp(c.s, pre, n) == 0;
}

static bool has_suffix(struct span c, const char *suf)
{
    size_t n = strlen(suf);
    return c.n >= n && memcmp(c.s + c.n - n, suf, n) == 0;
}

static bool span_eq(struct span c, const char *s)
{
    return c.n == strlen(s) && memcmp(c.s, s, c.n) == 0;
}

static size_t put(char *out, size_t outlen, const char *kind, const char *s, size_t n)
{
    int w = snprintf(out, outlen, "%s%.*s", kind, (int)n, s);
    if (w < 0) {
        out[0] = '\0';
        return 0;
    }
    return (size_t)w < outlen ? (size_t)w : outlen - 1;
}

/* A container id in component C after PRE (and before ".scope" if present):
 * at least ID_MIN hex digits making up the rest of the name. */
static bool id_after(struct span c, const char *pre, struct span *id)
{
    if (!has_prefix(c, pre))
        return false;
    struct span r = {c.s + strlen(pre), c.n - strlen(pre)};
    if (has_suffix(r, ".scope"))
        r.n -= strlen(".scope");
    size_t h = hex_run(r.s, r.n);
    if (h < ID_MIN || h != r.n)
        return false;
    *id = r;
    return true;
}

/* Runtime-specific scope and directory names, systemd and cgroupfs drivers. */
static const struct {
    const char *prefix;
    const char *kind;
} runtimes[] = {
    {"docker-", "docker:"}, {"cri-containerd-", "containerd:"}, {"crio-", "crio:"},
    {"libpod-", "podman:"}, {"nerdctl-", "containerd:"},
};

/* The container kind a bare hex id belongs to, from the directory above it
 * (cgroupfs drivers), or NULL when a hex name means nothing. */
static const char *bare_id_kind(struct span parent, bool kube)
{
    if (span_eq(parent, "docker"))
        return "docker:";
    if (span_eq(parent, "libpod_parent"))
        return "podman:";
    if (kube)
        return "k8s:";
    return NULL;
}

/* The next non-empty component of the path at *P (up to END) into *C; false
 * at the end. */
static bool next_component(const char **p, const char *end, struct span *c)
{
    while (*p < end && **p == '/')
        (*p)++;
    const char *q = *p;
    while (q < end && *q != '/')
        q++;
    *c = (struct span){*p, (size_t)(q - *p)};
    *p = q;
    return c->n > 0;
}

/* Find a container in one cgroup path: the innermost id wins. */
static bool path_container(struct span path, char *out, size_t outlen, size_t *written)
{
    bool kube = false;
    const char *kind = NULL;
    struct span id = {NULL, 0};
    struct span prev = {NULL, 0};
    const char *p = path.s, *end = path.s + path.n;
    struct span c;
    while (next_component(&p, end, &c)) {
        if (has_prefix(c, "kubepods"))
            kube = true;
        struct span h;
        if (has_prefix(c, "lxc.payload.") && c.n > strlen("lxc.payload.")) {
            size_t skip = strlen("lxc.payload.");
            *written = put(out, outlen, "lxc:", c.s + skip, c.n - skip);
            return true;
        }
        if (span_eq(prev, "lxc")) {
            *written = put(out, outlen, "lxc:", c.s, c.n);
            return true;
        }
        for (size_t i = 0; i < sizeof runtimes / sizeof runtimes[0]; i++)
            if (id_after(c, runtimes[i].prefix, &h)) {
                kind = runtimes[i].kind;
                id = h;
                break;
            }
        if (id_after(c, "", &h) && bare_id_kind(prev, kube)) {
            kind = bare_id_kind(prev, kube);
            id = h;
        }
        prev = c;
    }
    if (!id.s)
        return false;
    *written = put(out, outlen, kube ? "k8s:" : kind, id.s, id.n < ID_SHOWN ? id.n : ID_SHOWN);
    return true;
}

/* The outermost systemd service or scope of one cgroup path. */
static bool path_unit(struct span path, char *out, size_t outlen, size_t *written)
{
    const char *p = path.s, *end = path.s + path.n;
    struct span c;
    while (next_component(&p, end, &c)) {
        if (has_suffix(c, ".service") || has_suffix(c, ".scope")) {
            *written = put(out, outlen, "", c.s, c.n);
            return true;
        }
    }
    return false;
}

size_t cgroup_unit(const char *text, size_t len, char *out, size_t outlen)
{
    if (!outlen)
        return 0;
    out[0] = '\0';
    /* Lines are "ID:CONTROLLERS:PATH"; v2 is "0::PATH", v1's systemd
     * hierarchy is "N:name=systemd:PATH". */
    struct span v2 = {NULL, 0}, sysd = {NULL, 0};
    struct span paths[64];
    size_t npaths = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *c1 = memchr(p, ':', (size_t)(le - p));
        const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(le - c1 - 1)) : NULL;
        if (c2) {
            struct span path = {c2 + 1, (size_t)(le - c2 - 1)};
            struct span ctl = {c1 + 1, (size_t)(c2 - c1 - 1)};
            if (c1 - p == 1 && p[0] == '0' && ctl.n == 0)
                v2 = path;
            else if (span_eq(ctl, "name=systemd"))
                sysd = path;
            if (npaths < sizeof paths / sizeof paths[0])
                paths[npaths++] = path;
        }
        p = nl ? nl + 1 : end;
    }
    size_t w = 0;
    /* A container wins over a unit: its processes all sit in some unit of the host. */
    if (v2.s && path_container(v2, out, outlen, &w))
        return w;
    for (size_t i = 0; i < npaths; i++)
        if (path_container(paths[i], out, outlen, &w))
            return w;
    if (v2.s && path_unit(v2, out, outlen, &w))
        return w;
    if (sysd.s && path_unit(sysd, out, outlen, &w))
        return w;
    return 0;
}
