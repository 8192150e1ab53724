#include "config.h"

#include "capture/fidset.h"

#include "base/hash.h"
#include "base/hashmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

/* Linux 6.5: the handle as fanotify reports it, also where the filesystem
 * cannot export handles for NFS. */
#ifndef AT_HANDLE_FID
#define AT_HANDLE_FID 0x200
#endif

struct slot {
    uint64_t fsid;
    uint64_t val;
    unsigned char *fh; /* the struct file_handle bytes; NULL when the slot is free */
    size_t fh_len;
    uint64_t hash;
};

struct fidset {
    struct u64multi by_hash; /* hash -> slot */
    struct slot *v;
    size_t n, cap; /* slots used or freed, allocated */
    size_t count;  /* in use */
    long *free;    /* freed slots, reused first */
    size_t nfree;
};

static uint64_t fid_hash(const struct decode_fid *f)
{
    uint64_t h = hash_bytes(f->fh, f->fh_len);
    return hash_mix64(h ^ f->fsid);
}

struct fidset *fidset_create(void)
{
    return calloc(1, sizeof(struct fidset));
}

void fidset_destroy(struct fidset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].fh);
    free(s->v);
    free(s->free);
    u64multi_free(&s->by_hash);
    free(s);
}

static bool same(const struct slot *e, const struct decode_fid *f)
{
    return e->fh && e->fsid == f->fsid && e->fh_len == f->fh_len &&
           memcmp(e->fh, f->fh, f->fh_len) == 0;
}

static long find_hashed(const struct fidset *s, const struct decode_fid *fid, uint64_t h)
{
    for (uint64_t i = u64multi_first(&s->by_hash, h); i != U64MULTI_END;
         i = u64multi_next(&s->by_hash, i))
        if (same(&s->v[i], fid))
            return (long)i;
    return -1;
}

long fidset_find(const struct fidset *s, const struct decode_fid *fid)
{
    return find_hashed(s, fid, fid_hash(fid));
}

/* A free slot index, or -1 when out of memory. */
static long take_slot(struct fidset *s)
{
    if (s->nfree)
        return s->free[--s->nfree];
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct slot *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n] = (struct slot){0};
    return (long)s->n++;
}

long fidset_add(struct fidset *s, const struct decode_fid *fid, uint64_t val, bool *added)
{
    uint64_t h = fid_hash(fid);
    long i = find_hashed(s, fid, h);
    *added = false;
    if (i >= 0)
        return i;
    /* Room in the free list first: a removal then never needs memory. */
    long *nf = realloc(s->free, (s->n + 1) * sizeof *nf);
    if (!nf)
        return -1;
    s->free = nf;
    unsigned char *fh = malloc(fid->fh_len);
    i = fh ? take_slot(s) : -1;
    if (i < 0 || !u64multi_add(&s->by_hash, h, (uint64_t)i)) {
        if (i >= 0)
            s->free[s->nfree++] = i;
        free(fh);
        return -1;
    }
    memcpy(fh, fid->fh, fid->fh_len);
    s->v[i] =
        (struct slot){.fsid = fid->fsid, .val = val, .fh = fh, .fh_len = fid->fh_len, .hash = h};
    s->count++;
    *added = true;
    return i;
}

void fidset_remove(struct fidset *s, long slot)
{
    struct slot *e = &s->v[slot];
    if (!e->fh)
        return;
    u64multi_del(&s->by_hash, e->hash, (uint64_t)slot);
    free(e->fh);
    e->fh = NULL;
    s->free[s->nfree++] = slot;
    s->count--;
}

void fidset_get(const struct fidset *s, long slot, struct decode_fid *fid, uint64_t *val)
{
    const struct slot *e = &s->v[slot];
    int32_t type;
    uint32_t hb;
    memcpy(&hb, e->fh, sizeof hb);
    memcpy(&type, e->fh + 4, sizeof type);
    *fid = (struct decode_fid){
        .fsid = e->fsid, .fh = e->fh, .fh_len = e->fh_len, .handle_bytes = hb, .handle_type = type};
    if (val)
        *val = e->val;
}

size_t fidset_count(const struct fidset *s)
{
    return s->count;
}

long fidset_next(const struct fidset *s, size_t *pos)
{
    while (*pos < s->n) {
        size_t i = (*pos)++;
        if (s->v[i].fh)
            return (long)i;
    }
    return -1;
}

bool fidset_handle_at(struct fidset_handle *h, int dirfd, const char *path, uint64_t fsid)
{
    union {
        struct file_handle fh;
        unsigned char raw[sizeof h->bytes];
    } u;
    int mnt_id;
    int flags = AT_HANDLE_FID | (path && *path ? 0 : AT_EMPTY_PATH);
    u.fh.handle_bytes = sizeof h->bytes - 8;
    int rc = name_to_handle_at(dirfd, path ? path : "", &u.fh, &mnt_id, flags);
    if (rc < 0 && errno == EINVAL) {
        u.fh.handle_bytes = sizeof h->bytes - 8;
        rc = name_to_handle_at(dirfd, path ? path : "", &u.fh, &mnt_id, flags & ~AT_HANDLE_FID);
    }
    if (rc < 0)
        return false;
    memcpy(h->bytes, &u.fh.handle_bytes, 4);
    memcpy(h->bytes + 4, &u.fh.handle_type, 4);
    memcpy(h->bytes + 8, u.fh.f_handle, u.fh.handle_bytes);
    h->fid = (struct decode_fid){.fsid = fsid,
                                 .fh = h->bytes,
                                 .fh_len = 8 + u.fh.handle_bytes,
                                 .handle_bytes = u.fh.handle_bytes,
                                 .handle_type = u.fh.handle_type};
    return true;
}
