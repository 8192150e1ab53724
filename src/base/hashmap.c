#include "config.h"

#include "base/hashmap.h"
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY UINT64_MAX

static void buckets_empty(struct u64map_bucket *b, size_t n)
{
    memset(b, 0xff, n * sizeof *b); /* key UINT64_MAX: empty */
}

static bool map_grow(struct u64map *m)
{
    size_t ncap = m->b ? (m->mask + 1) * 2 : 64;
    struct u64map_bucket *nb = malloc(ncap * sizeof *nb);
    if (!nb)
        return false;
    buckets_empty(nb, ncap);
    for (size_t i = 0; m->b && i <= m->mask; i++) {
        if (m->b[i].key == EMPTY)
            continue;
        size_t j = hash_mix64(m->b[i].key) & (ncap - 1);
        while (nb[j].key != EMPTY)
            j = (j + 1) & (ncap - 1);
        nb[j] = m->b[i];
    }
    free(m->b);
    m->b = nb;
    m->mask = ncap - 1;
    return true;
}

uint64_t *u64map_slot(struct u64map *m, uint64_t key, uint64_t init, bool *added)
{
    if ((!m->b || (m->used + 1) * 4 > (m->mask + 1) * 3) && !map_grow(m))
        return NULL;
    size_t i = hash_mix64(key) & m->mask;
    while (m->b[i].key != EMPTY) {
        if (m->b[i].key == key) {
            *added = false;
            return &m->b[i].val;
        }
        i = (i + 1) & m->mask;
    }
    m->b[i] = (struct u64map_bucket){key, init};
    m->used++;
    *added = true;
    return &m->b[i].val;
}

/* The bucket holding KEY, or SIZE_MAX. */
static size_t bucket_of(const struct u64map *m, uint64_t key)
{
    if (!m->b)
        return SIZE_MAX;
    for (size_t i = hash_mix64(key) & m->mask; m->b[i].key != EMPTY; i = (i + 1) & m->mask)
        if (m->b[i].key == key)
            return i;
    return SIZE_MAX;
}

uint64_t *u64map_find(const struct u64map *m, uint64_t key)
{
    size_t i = bucket_of(m, key);
    return i != SIZE_MAX ? &m->b[i].val : NULL;
}

bool u64map_get(const struct u64map *m, uint64_t key, uint64_t *val)
{
    const uint64_t *v = u64map_find(m, key);
    if (v)
        *val = *v;
    return v != NULL;
}

/* Empty bucket I, pulling later members of its probe run back over the
 * hole so that no lookup stops early at it. */
static void del_at(struct u64map *m, size_t i)
{
    for (size_t j = (i + 1) & m->mask; m->b[j].key != EMPTY; j = (j + 1) & m->mask) {
        size_t home = hash_mix64(m->b[j].key) & m->mask;
        /* J moves unless its home lies cyclically in (I, J]. */
        if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
            m->b[i] = m->b[j];
            i = j;
        }
    }
    m->b[i].key = EMPTY;
    m->used--;
}

bool u64map_del(struct u64map *m, uint64_t key)
{
    size_t i = bucket_of(m, key);
    if (i == SIZE_MAX)
        return false;
    del_at(m, i);
    return true;
}

bool u64map_next(const struct u64map *m, size_t *pos, uint64_t *key, uint64_t *val)
{
    for (; m->b && *pos <= m->mask; (*pos)++)
        if (m->b[*pos].key != EMPTY) {
            *key = m->b[*pos].key;
            *val = m->b[*pos].val;
            (*pos)++;
            return true;
        }
    return false;
}

void u64map_sweep(struct u64map *m, bool (*drop)(void *ctx, uint64_t key, uint64_t val), void *ctx)
{
    if (!m->used)
        return;
    /* Start after an empty bucket (there is one below 3/4 load): deleting
     * only pulls entries back within a run, and no run then wraps past the
     * walk's start, so entries move only onto buckets not yet visited. */
    size_t s = 0;
    while (m->b[s].key != EMPTY)
        s++;
    for (size_t i = (s + 1) & m->mask; i != s;) {
        if (m->b[i].key != EMPTY && drop(ctx, m->b[i].key, m->b[i].val))
            del_at(m, i); /* a later entry may have moved into I: look again */
        else
            i = (i + 1) & m->mask;
    }
}

size_t u64map_bytes(const struct u64map *m)
{
    return m->b ? (m->mask + 1) * sizeof *m->b : 0;
}

void u64map_clear(struct u64map *m)
{
    if (m->b && m->used)
        buckets_empty(m->b, m->mask + 1);
    m->used = 0;
}

void u64map_free(struct u64map *m)
{
    free(m->b);
    memset(m, 0, sizeof *m);
}

/* ---- several values under one key ---------------------------------------- */

/* UINT64_MAX marks an empty bucket: file it with its neighbour, as a
 * colliding key (the caller compares what the values name anyway). */
static uint64_t multi_key(uint64_t key)
{
    return key == EMPTY ? EMPTY - 1 : key;
}

uint64_t u64multi_first(const struct u64multi *m, uint64_t key)
{
    const uint64_t *v = u64map_find(&m->head, multi_key(key));
    return v ? *v : U64MULTI_END;
}

uint64_t u64multi_next(const struct u64multi *m, uint64_t val)
{
    uint64_t next;
    return m->next.used && u64map_get(&m->next, val, &next) ? next : U64MULTI_END;
}

bool u64multi_add(struct u64multi *m, uint64_t key, uint64_t val)
{
    bool added;
    uint64_t *head = u64map_slot(&m->head, multi_key(key), val, &added);
    if (!head)
        return false;
    if (added)
        return true;
    /* The new value goes first: its link is made before the head moves. */
    if (!u64map_slot(&m->next, val, *head, &added))
        return false;
    *head = val;
    return true;
}

void u64multi_del(struct u64multi *m, uint64_t key, uint64_t val)
{
    key = multi_key(key);
    uint64_t *head = u64map_find(&m->head, key);
    if (!head)
        return;
    uint64_t after;
    bool has_after = m->next.used && u64map_get(&m->next, val, &after);
    if (*head == val) {
        if (has_after) {
            *head = after;
            u64map_del(&m->next, val);
        } else {
            u64map_del(&m->head, key);
        }
        return;
    }
    /* A shared key: unlink VAL from the chain behind the head. */
    uint64_t prev = *head, *link;
    while ((link = u64map_find(&m->next, prev)) && *link != val)
        prev = *link;
    if (!link)
        return;
    if (has_after) {
        *link = after;
        u64map_del(&m->next, val);
    } else {
        u64map_del(&m->next, prev);
    }
}

size_t u64multi_bytes(const struct u64multi *m)
{
    return u64map_bytes(&m->head) + u64map_bytes(&m->next);
}

void u64multi_clear(struct u64multi *m)
{
    u64map_clear(&m->head);
    u64map_clear(&m->next);
}

void u64multi_free(struct u64multi *m)
{
    u64map_free(&m->head);
    u64map_free(&m->next);
}
