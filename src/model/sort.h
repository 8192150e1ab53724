/* Sorting primitives for view rows: a stable radix sort of (key, index)
 * pairs, and a natural-order sort of strings built on it. Pure functions
 * over caller-owned arrays; they allocate nothing the caller must free. */
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
    /* sort_strings' cursor in the string's natural key (zero to start) */
    uint32_t at, digit, run_end;
    uint8_t phase;
    bool more;
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

/* Sort K[0..N) (K[j].i indexes STRS, whose cursors are zero) in natural
 * order: bytes, but a run of digits as the number it spells, so "page2"
 * comes before "page10" (leading zeros do not count); stable, descending
 * when DESC; TMP has room for N. */
void sort_strings(struct sort_key *k, struct sort_key *tmp, size_t n, struct sort_str *strs,
                  bool desc);

#endif
