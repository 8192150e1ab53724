/* Small integer hashes for the open-addressing tables (proctab, replay). */
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

#endif
