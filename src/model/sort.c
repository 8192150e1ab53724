/* Radix sorts for view rows. See sort.h. */
#include "config.h"

#include "model/sort.h"

#include <stdlib.h>
#include <string.h>

void sort_scratch_free(struct sort_scratch *s)
{
    free(s->keys);
    free(s->tmp);
    free(s->strs);
}

/* LSD, 8 bits a pass; passes where every key has the same byte are
 * skipped, which is most of them for small counts. */
void sort_radix(struct sort_key *a, struct sort_key *tmp, size_t n)
{
    static const int passes = 8;
    if (n < 48) { /* small (most tree directories): insertion sort, also stable */
        for (size_t j = 1; j < n; j++) {
            struct sort_key x = a[j];
            size_t k = j;
            for (; k > 0 && a[k - 1].k > x.k; k--)
                a[k] = a[k - 1];
            a[k] = x;
        }
        return;
    }
    size_t(*cnt)[256] = calloc(passes, sizeof *cnt);
    if (!cnt)
        return;
    for (size_t j = 0; j < n; j++)
        for (int p = 0; p < passes; p++)
            cnt[p][(a[j].k >> (8 * p)) & 255]++;
    struct sort_key *src = a, *dst = tmp;
    for (int p = 0; p < passes; p++) {
        if (cnt[p][(src[0].k >> (8 * p)) & 255] == n)
            continue;
        size_t pos = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = cnt[p][b];
            cnt[p][b] = pos;
            pos += c;
        }
        for (size_t j = 0; j < n; j++)
            dst[cnt[p][(src[j].k >> (8 * p)) & 255]++] = src[j];
        struct sort_key *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    free(cnt);
}

/* Bytes OFF..OFF+7 of S as a big-endian number, zero past the end: a shorter
 * string sorts before a longer one with the same start (paths hold no NUL). */
static uint64_t str_chunk(const struct sort_str *x, size_t off)
{
    uint64_t k = 0;
    for (size_t b = off; b < off + 8; b++)
        k = k << 8 | (b < x->len ? (unsigned char)x->s[b] : 0);
    return k;
}

/* One stable radix sort per 8-byte chunk, then each run of equal chunks by
 * the next chunk. Paths share long prefixes, which a comparison sort
 * re-reads on every comparison; this reads each byte about once. */
void sort_strings(struct sort_key *k, struct sort_key *tmp, size_t n, const struct sort_str *strs,
                  size_t off, bool desc)
{
    for (size_t j = 0; j < n; j++) {
        uint64_t c = str_chunk(&strs[k[j].i], off);
        k[j].k = desc ? ~c : c;
    }
    sort_radix(k, tmp, n);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        bool longer = strs[k[a].i].len > off + 8;
        for (; b < n && k[b].k == k[a].k; b++)
            longer = longer || strs[k[b].i].len > off + 8;
        if (b - a > 1 && longer)
            sort_strings(k + a, tmp, b - a, strs, off + 8, desc);
        a = b;
    }
}
