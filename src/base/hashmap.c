#include "config.h"

#include "base/hashmap.h"
#include "base/hash.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY UINT64_MAX

static bool map_grow(struct u64map *m)
{
    size_t ncap = m->keys ? (m->mask + 1) * 2 : 64;
    uint64_t *k = malloc(ncap * sizeof *k), *val = malloc(ncap * sizeof *val);
    if (!k || !val) {
        free(k);
        free(val);
        return false;
    }
    memset(k, 0xff, ncap * sizeof *k);
    for (size_t i = 0; m->keys && i <= m->mask; i++) {
        if (m->keys[i] == EMPTY)
            continue;
        size_t j = hash_mix64(m->keys[i]) & (ncap - 1);
        while (k[j] != EMPTY)
            j = (j + 1) & (ncap - 1);
        k[j] = m->keys[i];
        val[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = k;
    m->vals = val;
    m->mask = ncap - 1;
    return true;
}

uint64_t *u64map_slot(struct u64map *m, uint64_t key, uint64_t init, bool *added)
{
    if ((!m->keys || (m->used + 1) * 4 > (m->mask + 1) * 3) && !map_grow(m))
        return NULL;
    size_t i = hash_mix64(key) & m->mask;
    while (m->keys[i] != EMPTY) {
        if (m->keys[i] == key) {
            *added = false;
            return &m->vals[i];
        }
        i = (i + 1) & m->mask;
    }
    m->keys[i] = key;
    m->vals[i] = init;
    m->used++;
    *added = true;
    return &m->vals[i];
}

uint64_t *u64map_find(const struct u64map *m, uint64_t key)
{
    if (!m->keys)
        return NULL;
    for (size_t i = hash_mix64(key) & m->mask; m->keys[i] != EMPTY; i = (i + 1) & m->mask)
        if (m->keys[i] == key)
            return &m->vals[i];
    return NULL;
}

bool u64map_get(const struct u64map *m, uint64_t key, uint64_t *val)
{
    const uint64_t *v = u64map_find(m, key);
    if (v)
        *val = *v;
    return v != NULL;
}

bool u64map_del(struct u64map *m, uint64_t key)
{
    uint64_t *v = u64map_find(m, key);
    if (!v)
        return false;
    size_t i = (size_t)(v - m->vals);
    /* Pull later members of the probe run back over the hole, so that no
     * lookup stops early at it. */
    for (size_t j = (i + 1) & m->mask; m->keys[j] != EMPTY; j = (j + 1) & m->mask) {
        size_t home = hash_mix64(m->keys[j]) & m->mask;
        if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
            m->keys[i] = m->keys[j];
            m->vals[i] = m->vals[j];
            i = j;
        }
    }
    m->keys[i] = EMPTY;
    m->used--;
    return true;
}

bool u64map_next(const struct u64map *m, size_t *pos, uint64_t *key, uint64_t *val)
{
    for (; m->keys && *pos <= m->mask; (*pos)++)
        if (m->keys[*pos] != EMPTY) {
            *key = m->keys[*pos];
            *val = m->vals[*pos];
            (*pos)++;
            return true;
        }
    return false;
}

void u64map_clear(struct u64map *m)
{
    if (m->keys && m->used)
        memset(m->keys, 0xff, (m->mask + 1) * sizeof *m->keys);
    m->used = 0;
}

void u64map_free(struct u64map *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}
