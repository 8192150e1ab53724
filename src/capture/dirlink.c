#include "config.h"

#include "capture/dirlink.h"

#include <stdlib.h>
#include <string.h>

#define FH_HDR_LEN 8 /* struct file_handle: handle_bytes, handle_type */

void dirlink_init(struct dirlink *t, size_t max)
{
    memset(t, 0, sizeof *t);
    t->max = max;
    t->gen = 1;
}

void dirlink_clear(struct dirlink *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].fh);
        free(t->v[i].name);
        free(t->v[i].memo);
    }
    t->n = 0;
    u64multi_clear(&t->by_hash);
    t->gen++;
}

void dirlink_forget_memos(struct dirlink *t)
{
    t->gen++;
}

void dirlink_forget_fs(struct dirlink *t, uint64_t fsid)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].fsid == fsid)
            t->v[i].kind = DIRLINK_UNKNOWN;
    t->gen++;
}

void dirlink_free(struct dirlink *t)
{
    dirlink_clear(t);
    free(t->v);
    u64multi_free(&t->by_hash);
    memset(t, 0, sizeof *t);
}

void dirlink_trim(struct dirlink *t)
{
    /* Directories a busy system touches are few: starting over when the
     * table is full costs a refill from the kernel, and no eviction order
     * to get wrong. */
    if (t->n > t->max)
        dirlink_clear(t);
}

static bool same(const struct dirlink_node *e, const struct decode_fid *f)
{
    return e->fsid == f->fsid && e->type == f->handle_type && e->hb == f->handle_bytes &&
           memcmp(e->fh + FH_HDR_LEN, f->fh + FH_HDR_LEN, e->hb) == 0;
}

struct decode_fid dirlink_fid(const struct dirlink *t, uint32_t i)
{
    const struct dirlink_node *e = &t->v[i];
    return (struct decode_fid){.fsid = e->fsid,
                               .fh = e->fh,
                               .fh_len = FH_HDR_LEN + e->hb,
                               .handle_bytes = e->hb,
                               .handle_type = e->type};
}

uint32_t dirlink_get(struct dirlink *t, const struct decode_fid *fid, bool add)
{
    uint64_t h = decode_fid_hash(fid);
    for (uint64_t i = u64multi_first(&t->by_hash, h); i != U64MULTI_END;
         i = u64multi_next(&t->by_hash, i))
        if (same(&t->v[i], fid))
            return (uint32_t)i;
    if (!add || t->n >= DIRLINK_NONE - 1 ||
        !buf_reserve(&t->v, &t->cap, t->n + 1, sizeof *t->v, false))
        return DIRLINK_NONE;
    unsigned char *fh = malloc(FH_HDR_LEN + fid->handle_bytes);
    if (!fh || !u64multi_add(&t->by_hash, h, t->n)) {
        free(fh);
        return DIRLINK_NONE;
    }
    memcpy(fh, fid->fh, FH_HDR_LEN + fid->handle_bytes);
    t->v[t->n] = (struct dirlink_node){.fsid = fid->fsid,
                                       .type = fid->handle_type,
                                       .hb = fid->handle_bytes,
                                       .fh = fh,
                                       .parent = DIRLINK_NONE,
                                       .kind = DIRLINK_UNKNOWN};
    return (uint32_t)t->n++;
}

static bool set_name(struct dirlink_node *e, const char *name, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return false;
    memcpy(copy, name, len);
    copy[len] = '\0';
    free(e->name);
    e->name = copy;
    e->name_len = (uint32_t)len;
    return true;
}

bool dirlink_set_link(struct dirlink *t, uint32_t i, uint32_t parent, const char *name, size_t len)
{
    struct dirlink_node *e = &t->v[i];
    bool was_placed = e->kind != DIRLINK_UNKNOWN;
    if (!set_name(e, name, len)) {
        e->kind = DIRLINK_UNKNOWN;
        return false;
    }
    e->kind = DIRLINK_LINK;
    e->parent = parent;
    e->unsure = false;
    /* A placed directory that moves takes its subtree along: every memo
     * may name it. A first placement changes no other path. */
    if (was_placed)
        t->gen++;
    return true;
}

bool dirlink_set_root(struct dirlink *t, uint32_t i, const char *path, size_t len)
{
    struct dirlink_node *e = &t->v[i];
    if (!set_name(e, path, len))
        return false;
    e->kind = DIRLINK_ROOT;
    e->parent = DIRLINK_NONE;
    e->unsure = false;
    return true;
}

void dirlink_moved(struct dirlink *t, const struct decode_fid *moved, const struct decode_fid *to,
                   const char *name, size_t len)
{
    uint32_t i = dirlink_get(t, moved, false);
    if (i == DIRLINK_NONE || t->v[i].kind == DIRLINK_ROOT)
        return;
    uint32_t p = dirlink_get(t, to, true);
    if (p == DIRLINK_NONE || !dirlink_set_link(t, i, p, name, len)) {
        t->v[i].kind = DIRLINK_UNKNOWN;
        t->gen++;
    }
}

void dirlink_unplace(struct dirlink *t, const struct decode_fid *moved)
{
    uint32_t i = dirlink_get(t, moved, false);
    if (i == DIRLINK_NONE || t->v[i].kind != DIRLINK_LINK)
        return;
    t->v[i].kind = DIRLINK_UNKNOWN;
    t->gen++; /* every memo may name it */
}

const char *dirlink_memo(const struct dirlink *t, uint32_t i, size_t *len)
{
    const struct dirlink_node *e = &t->v[i];
    if (!e->memo || e->memo_gen != t->gen)
        return NULL;
    *len = e->memo_len;
    return e->memo;
}

void dirlink_set_memo(struct dirlink *t, uint32_t i, const char *path, size_t len)
{
    struct dirlink_node *e = &t->v[i];
    char *copy = realloc(e->memo, len + 1);
    if (!copy)
        return;
    memcpy(copy, path, len);
    copy[len] = '\0';
    e->memo = copy;
    e->memo_len = (uint32_t)len;
    e->memo_gen = t->gen;
}

uint32_t dirlink_path(const struct dirlink *t, uint32_t i, struct buf *out, size_t max,
                      bool *unsure, bool *too_long)
{
    /* Up the chain once for the length, then write from the end. */
    size_t total = 0, steps = 0;
    uint32_t x = i, stop = DIRLINK_NONE;
    *too_long = false;
    for (;; x = t->v[x].parent) {
        const struct dirlink_node *e = &t->v[x];
        if (e->unsure)
            *unsure = true;
        if (e->kind != DIRLINK_LINK) {
            if (e->kind == DIRLINK_UNKNOWN)
                stop = x;
            else if (!(e->name_len == 1 && e->name[0] == '/') || x == i)
                total += e->name_len; /* a root's path; "/" only when alone */
            break;
        }
        total += e->name_len + 1;
        /* Every step adds a byte at least: a loop ends here too. */
        if (total > max || ++steps > max) {
            *too_long = true;
            buf_reset(out);
            return DIRLINK_NONE;
        }
    }
    buf_reset(out);
    if (!buf_grow(out, total))
        return x;
    char *end = out->p + total;
    for (x = i; t->v[x].kind == DIRLINK_LINK; x = t->v[x].parent) {
        const struct dirlink_node *e = &t->v[x];
        end -= e->name_len;
        memcpy(end, e->name, e->name_len);
        *--end = '/';
    }
    const struct dirlink_node *r = &t->v[x];
    if (r->kind == DIRLINK_ROOT && end - out->p == (ptrdiff_t)r->name_len)
        memcpy(out->p, r->name, r->name_len);
    out->len = total;
    out->p[total] = '\0';
    return stop;
}
