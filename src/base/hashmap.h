/* The one hash map: uint64 key -> uint64 value, open addressing with linear
 * probing, grown at 3/4 load. Tables keyed by something else (a pid, a
 * pointer, a file handle's hash) use it with that key turned into 64 bits
 * and the value an index or a pointer. Not thread-safe: one owner. */
#ifndef FANOTOP_HASHMAP_H
#define FANOTOP_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* UINT64_MAX is never a key. Zero-initialised is an empty map. */
struct u64map {
    uint64_t *keys;
    uint64_t *vals;
    size_t mask, used;
};

/* The value slot for KEY, inserted with value INIT when missing (*ADDED
 * tells which); NULL when out of memory. Valid until the next insert. */
uint64_t *u64map_slot(struct u64map *m, uint64_t key, uint64_t init, bool *added);

/* The value slot for KEY, or NULL when absent. Valid until the next insert. */
uint64_t *u64map_find(const struct u64map *m, uint64_t key);

/* True with *VAL set when KEY is present. */
bool u64map_get(const struct u64map *m, uint64_t key, uint64_t *val);

/* Remove KEY if present (backward shift: no tombstones); true if it was. */
bool u64map_del(struct u64map *m, uint64_t key);

/* Entries present. */
static inline size_t u64map_count(const struct u64map *m)
{
    return m->used;
}

/* Walk the entries in table order: start with *POS = 0; false at the end.
 * Do not insert or delete during a walk. */
bool u64map_next(const struct u64map *m, size_t *pos, uint64_t *key, uint64_t *val);

/* Remove every entry, keeping the memory. */
void u64map_clear(struct u64map *m);

/* Free the memory; the map is empty and usable again. */
void u64map_free(struct u64map *m);

#endif
