#include "config.h"

#include "capture/hostpath.h"

#include "capture/mounts.h"

#include <stdlib.h>
#include <string.h>

void hostpath_free(struct hostpath *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].root);
        free(h->v[i].point);
    }
    free(h->v);
    h->v = NULL;
    h->n = h->cap = 0;
}

bool hostpath_add(struct hostpath *h, uint64_t fsid, int id, const char *root, const char *point)
{
    if (!buf_reserve(&h->v, &h->cap, h->n + 1, sizeof *h->v, false))
        return false;
    struct hostpath_mount m = {
        .fsid = fsid, .id = id, .root = strdup(root), .point = strdup(point)};
    if (!m.root || !m.point) {
        free(m.root);
        free(m.point);
        return false;
    }
    m.root_len = strlen(root);
    m.point_len = strlen(point);
    h->v[h->n++] = m;
    return true;
}

void hostpath_drop(struct hostpath *h, uint64_t fsid)
{
    size_t w = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (h->v[i].fsid == fsid) {
            free(h->v[i].root);
            free(h->v[i].point);
        } else {
            h->v[w++] = h->v[i]; /* the order is the preference: kept */
        }
    }
    h->n = w;
}

const struct hostpath_mount *hostpath_by_id(const struct hostpath *h, int id)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i].id == id)
            return &h->v[i];
    return NULL;
}

static bool shows(const struct hostpath_mount *m, uint64_t fsid, const char *rel, size_t len)
{
    return m->fsid == fsid && mounts_path_under(rel, len, m->root, m->root_len);
}

/* M's name for REL (which M shows) into OUT. */
static void name_through(const struct hostpath_mount *m, const char *rel, size_t len,
                         struct buf *out)
{
    /* what lies below M's root, "" for the root itself */
    size_t skip = m->root_len == 1 ? 0 : m->root_len;
    const char *rest = rel + skip;
    size_t n = len - skip;
    if (n == 1 && rest[0] == '/')
        n = 0;
    buf_reset(out);
    if (!(m->point_len == 1 && n))
        buf_put(out, m->point, m->point_len);
    buf_put(out, rest, n);
}

bool hostpath_name(const struct hostpath *h, uint64_t fsid, const char *rel, size_t len,
                   struct buf *out)
{
    const struct hostpath_mount *first = NULL, *whole = NULL;
    for (size_t i = 0; i < h->n; i++) {
        const struct hostpath_mount *m = &h->v[i];
        if (!shows(m, fsid, rel, len))
            continue;
        if (!first)
            first = m;
        if (!whole && m->root_len == 1)
            whole = m;
        if (!h->in_scope)
            continue;
        name_through(m, rel, len, out);
        if (h->in_scope(h->ctx, out->p, out->len))
            return !buf_failed(out);
    }
    const struct hostpath_mount *m = whole ? whole : first;
    buf_reset(out);
    if (!m)
        return false;
    name_through(m, rel, len, out);
    return !buf_failed(out);
}
