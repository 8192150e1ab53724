/* Hash functions: one place for the mixers every table uses. */
#ifndef FANOTOP_HASH_H
#define FANOTOP_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Mixes every bit of K into the low bits, which the tables mask. */
static inline size_t hash_u32(uint32_t k)
{
    k ^= k >> 16;
    k *= 0x7feb352dU;
    k ^= k >> 15;
    k *= 0x846ca68bU;
    k ^= k >> 16;
    return k;
}

/* Spread a 64-bit key's bits before taking a bucket (FNV's low bits are weak). */
static inline uint64_t hash_mix64(uint64_t h)
{
    h ^= h >> 33;
    h *= UINT64_C(0xff51afd7ed558ccd);
    h ^= h >> 33;
    h *= UINT64_C(0xc4ceb9fe1a85ec53);
    h ^= h >> 33;
    return h;
}

/* FNV-1a over bytes, one step at a time so callers can hash pieces. */
#define HASH_FNV_INIT UINT64_C(0xcbf29ce484222325)
static inline uint64_t hash_fnv_step(uint64_t h, unsigned char c)
{
    return (h ^ c) * UINT64_C(0x100000001b3);
}

static inline uint64_t hash_bytes(const void *s, size_t len)
{
    const unsigned char *p = s;
    uint64_t h = HASH_FNV_INIT;
    for (size_t i = 0; i < len; i++)
        h = hash_fnv_step(h, p[i]);
    return h;
}

#endif
