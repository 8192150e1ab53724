#include "config.h"

#include "capture/cgroup.h"

#include <stdbool.h>
#include <stdint.h>
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

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
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

/* Does component C (after PREV) name a container by its id? Its kind
 * ("docker:" ...) and id when so. */
static bool component_id(struct span c, struct span prev, bool kube, const char **kind,
                         struct span *id)
{
    for (size_t i = 0; i < sizeof runtimes / sizeof runtimes[0]; i++)
        if (id_after(c, runtimes[i].prefix, id)) {
            *kind = runtimes[i].kind;
            return true;
        }
    return id_after(c, "", id) && (*kind = bare_id_kind(prev, kube)) != NULL;
}

/* Does component C (after PREV) name an LXC container? Its name when so. */
static bool component_lxc(struct span c, struct span prev, struct span *name)
{
    size_t skip = strlen("lxc.payload.");
    if (has_prefix(c, "lxc.payload.") && c.n > skip) {
        *name = (struct span){c.s + skip, c.n - skip};
        return true;
    }
    if (span_eq(prev, "lxc")) {
        *name = c;
        return true;
    }
    return false;
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
        const char *k;
        if (component_lxc(c, prev, &h)) {
            *written = put(out, outlen, "lxc:", h.s, h.n);
            return true;
        }
        if (component_id(c, prev, kube, &k, &h)) {
            kind = k;
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

/* The cgroup paths of TEXT: "ID:CONTROLLERS:PATH" lines; v2 is "0::PATH",
 * v1's systemd hierarchy is "N:name=systemd:PATH". */
struct paths {
    struct span v2, sysd;
    struct span all[64];
    size_t n;
};

static void paths_of(const char *text, size_t len, struct paths *ps)
{
    *ps = (struct paths){.n = 0};
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
                ps->v2 = path;
            else if (span_eq(ctl, "name=systemd"))
                ps->sysd = path;
            if (ps->n < sizeof ps->all / sizeof ps->all[0])
                ps->all[ps->n++] = path;
        }
        p = nl ? nl + 1 : end;
    }
}

size_t cgroup_unit(const char *text, size_t len, char *out, size_t outlen)
{
    if (!outlen)
        return 0;
    out[0] = '\0';
    struct paths ps;
    paths_of(text, len, &ps);
    size_t w = 0;
    /* A container wins over a unit: its processes all sit in some unit of the host. */
    if (ps.v2.s && path_container(ps.v2, out, outlen, &w))
        return w;
    for (size_t i = 0; i < ps.n; i++)
        if (path_container(ps.all[i], out, outlen, &w))
            return w;
    if (ps.v2.s && path_unit(ps.v2, out, outlen, &w))
        return w;
    if (ps.sysd.s && path_unit(ps.sysd, out, outlen, &w))
        return w;
    return 0;
}

/* ---- the owner, for naming it -------------------------------------------- */

static void copy_span(char *out, size_t outlen, struct span s)
{
    size_t n = s.n < outlen - 1 ? s.n : outlen - 1;
    memcpy(out, s.s, n);
    out[n] = '\0';
}

/* systemd's escapes in a unit name (\x2d for '-' ...) decoded into OUT. */
static void unit_unescape(struct span s, char *out, size_t outlen)
{
    size_t w = 0;
    for (size_t i = 0; i < s.n && w + 1 < outlen; i++) {
        int hi, lo;
        if (s.s[i] == '\\' && i + 3 < s.n && s.s[i + 1] == 'x' && (hi = hexval(s.s[i + 2])) >= 0 &&
            (lo = hexval(s.s[i + 3])) >= 0 && (hi | lo)) {
            out[w++] = (char)(hi * 16 + lo);
            i += 3;
        } else {
            out[w++] = s.s[i];
        }
    }
    out[w] = '\0';
}

/* A pod's UID in component C: "pod<UID>" (cgroupfs) or
 * "kubepods-<qos>-pod<UID>.slice" (systemd, '_' for '-'), into OUT. */
static bool pod_uid(struct span c, char out[CGROUP_POD_MAX])
{
    enum { UID_LEN = CGROUP_POD_MAX - 1 };
    if (has_suffix(c, ".slice"))
        c.n -= strlen(".slice");
    if (c.n < UID_LEN + 3)
        return false;
    const char *u = c.s + c.n - UID_LEN;
    if (memcmp(u - 3, "pod", 3) != 0 || (u - 3 != c.s && u[-4] != '-'))
        return false;
    for (size_t i = 0; i < UID_LEN; i++) {
        char ch = u[i] == '_' ? '-' : u[i];
        if (!is_hex(ch) && ch != '-')
            return false;
        out[i] = ch;
    }
    out[UID_LEN] = '\0';
    return true;
}

/* A machine of systemd-machined in component C: "machine-NAME.scope" (as
 * systemd-nspawn and libvirt register them) or "systemd-nspawn@NAME.service". */
static bool component_machine(struct span c, struct cgroup_owner *o)
{
    struct span n;
    if (has_prefix(c, "machine-") && has_suffix(c, ".scope"))
        n = (struct span){c.s + strlen("machine-"), c.n - strlen("machine-") - strlen(".scope")};
    else if (has_prefix(c, "systemd-nspawn@") && has_suffix(c, ".service"))
        n = (struct span){c.s + strlen("systemd-nspawn@"),
                          c.n - strlen("systemd-nspawn@") - strlen(".service")};
    else
        return false;
    if (!n.n)
        return false;
    char name[CGROUP_UNIT_MAX];
    unit_unescape(n, name, sizeof name);
    /* libvirt names its guests "qemu-ID-NAME" and "lxc-ID-NAME". */
    static const char *const guests[] = {"qemu", "lxc"};
    for (size_t i = 0; i < sizeof guests / sizeof guests[0]; i++) {
        size_t l = strlen(guests[i]);
        const char *d = name + l;
        if (strncmp(name, guests[i], l) != 0 || *d != '-' || !(d[1] >= '0' && d[1] <= '9'))
            continue;
        for (d++; *d >= '0' && *d <= '9'; d++)
            ;
        if (*d == '-' && d[1]) {
            snprintf(o->kind, sizeof o->kind, "%s", guests[i]);
            snprintf(o->name, sizeof o->name, "%s", d + 1);
            return true;
        }
    }
    snprintf(o->kind, sizeof o->kind, "nspawn");
    snprintf(o->name, sizeof o->name, "%s", name);
    return true;
}

/* The uid N of component "user@N.service" (a user's systemd instance,
 * which the user may make cgroups under), or -1. */
static long user_service(struct span c)
{
    if (!has_prefix(c, "user@") || !has_suffix(c, ".service"))
        return -1;
    long uid = 0;
    size_t i = strlen("user@"), end = c.n - strlen(".service");
    if (i == end)
        return -1;
    for (; i < end; i++) {
        if (c.s[i] < '0' || c.s[i] > '9' || uid > (INT32_MAX - 9) / 10)
            return -1;
        uid = uid * 10 + (c.s[i] - '0');
    }
    return uid;
}

/* The outermost container of one cgroup path into O. */
static bool path_owner(struct span path, struct cgroup_owner *o)
{
    bool kube = false;
    struct span prev = {NULL, 0};
    const char *p = path.s, *end = path.s + path.n;
    struct span c;
    o->user = -1;
    o->pod[0] = '\0';
    while (next_component(&p, end, &c)) {
        long uid = user_service(c);
        if (uid >= 0)
            o->user = uid;
        if (has_prefix(c, "kubepods"))
            kube = true;
        if (kube && !o->pod[0])
            pod_uid(c, o->pod);
        struct span h;
        const char *kind;
        if (component_machine(c, o))
            return true;
        if (component_lxc(c, prev, &h)) {
            snprintf(o->kind, sizeof o->kind, "lxc");
            copy_span(o->name, sizeof o->name, h);
            return true;
        }
        if (component_id(c, prev, kube, &kind, &h)) {
            if (kube)
                kind = "k8s:";
            snprintf(o->kind, sizeof o->kind, "%.*s", (int)strlen(kind) - 1, kind);
            copy_span(o->id, sizeof o->id, h);
            return true;
        }
        prev = c;
    }
    return false;
}

bool cgroup_owner(const char *text, size_t len, struct cgroup_owner *out)
{
    memset(out, 0, sizeof *out);
    out->user = -1;
    struct paths ps;
    paths_of(text, len, &ps);
    if (ps.v2.s && path_owner(ps.v2, out))
        return true;
    for (size_t i = 0; i < ps.n; i++)
        if (path_owner(ps.all[i], out))
            return true;
    memset(out, 0, sizeof *out);
    out->user = -1;
    return false;
}
