/* The one hash map: uint64 key -> uint64 value, open addressing with linear
 * probing, grown at 3/4 load. Tables keyed by something else (a pid, a
 * pointer, a file handle's hash) use it with that key turned into 64 bits
 * and the value an index or a pointer; u64multi below holds several values
 * under one key, for keys that are hashes of longer ones. Not thread-safe:
 * one owner. */
#ifndef FANOTOP_HASHMAP_H
#define FANOTOP_HASHMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Key and value side by side: a lookup reads one cache line. */
struct u64map_bucket {
    uint64_t key; /* UINT64_MAX = empty */
    uint64_t val;
};

/* UINT64_MAX is never a key. Zero-initialised is an empty map. */
struct u64map {
    struct u64map_bucket *b;
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

/* Remove every entry for which DROP(CTX, key, value) is true, visiting each
 * entry once (DROP may free what the value points to). */
void u64map_sweep(struct u64map *m, bool (*drop)(void *ctx, uint64_t key, uint64_t val), void *ctx);

/* Heap bytes held. */
size_t u64map_bytes(const struct u64map *m);

/* Remove every entry, keeping the memory. */
void u64map_clear(struct u64map *m);

/* Free the memory; the map is empty and usable again. */
void u64map_free(struct u64map *m);

/* Values filed under a key that several may share (a hash of a path or a
 * file handle): the caller compares what a value names and walks on. The
 * first value of a key is in HEAD; the value after V is NEXT[V], so keys
 * that never collide cost one map entry. Any key, UINT64_MAX included;
 * values are unique and below UINT64_MAX (slot numbers, indexes).
 * Zero-initialised is empty. */
struct u64multi {
    struct u64map head; /* key -> latest value filed under it */
    struct u64map next; /* value -> the value filed before it under the same key */
};

#define U64MULTI_END UINT64_MAX

/* The latest value filed under KEY, or U64MULTI_END. */
uint64_t u64multi_first(const struct u64multi *m, uint64_t key);

/* The value filed under the same key before VAL, or U64MULTI_END. */
uint64_t u64multi_next(const struct u64multi *m, uint64_t val);

/* File VAL (not yet filed) under KEY; false when out of memory. */
bool u64multi_add(struct u64multi *m, uint64_t key, uint64_t val);

/* Take VAL, filed under KEY, out. */
void u64multi_del(struct u64multi *m, uint64_t key, uint64_t val);

/* Values filed. */
static inline size_t u64multi_count(const struct u64multi *m)
{
    return m->head.used + m->next.used;
}

/* Heap bytes held. */
size_t u64multi_bytes(const struct u64multi *m);

/* Take every value out, keeping the memory. */
void u64multi_clear(struct u64multi *m);

/* Free the memory; empty and usable again. */
void u64multi_free(struct u64multi *m);

#endif
