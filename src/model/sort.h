/* Sorting primitives for view rows: a stable radix sort of (key, index)
 * pairs, and a byte-order sort of strings built on it. Pure functions over
 * caller-owned arrays; they allocate nothing the caller must free. */
#ifndef FANOTOP_SORT_H
#define FANOTOP_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sort_key {
    uint64_t k;
    uint32_t i;
};

struct sort_str {
    const char *s;
    size_t len;
    uint32_t i;
};

/* Arrays a caller's sorts reuse from one call to the next (zeroed: empty). */
struct sort_scratch {
    struct sort_key *keys, *tmp;
    struct sort_str *strs;
    size_t keys_cap, tmp_cap, strs_cap;
};

void sort_scratch_free(struct sort_scratch *s);

/* Sort A[0..N) by k, stable; TMP has room for N. On out of memory A is
 * left as it was. */
void sort_radix(struct sort_key *a, struct sort_key *tmp, size_t n);

/* Sort K[0..N) (K[j].i indexes STRS) by the bytes of the strings from byte
 * OFF on, stable, descending when DESC; TMP has room for N. */
void sort_strings(struct sort_key *k, struct sort_key *tmp, size_t n, const struct sort_str *strs,
                  size_t off, bool desc);

#endif
