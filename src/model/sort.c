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

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* The next byte of X's natural key, or -1 at its end. The key is the string
 * with each run of digits written as '0', the count of its significant
 * digits, then those digits: a number compares with a number by length
 * first, and with any other byte as its first digit would. */
static int natural_next(struct sort_str *x)
{
    for (;;) {
        if (x->phase == 0) {
            if (x->at >= x->len)
                return -1;
            unsigned char c = (unsigned char)x->s[x->at];
            if (!is_digit(c)) {
                x->at++;
                return c;
            }
            uint32_t end = x->at;
            while (end < x->len && is_digit((unsigned char)x->s[end]))
                end++;
            uint32_t sig = x->at;
            while (sig < end && x->s[sig] == '0')
                sig++;
            x->digit = sig;
            x->run_end = end;
            x->phase = 1;
            return '0';
        }
        if (x->phase == 1) {
            x->phase = 2;
            uint32_t n = x->run_end - x->digit;
            return n > 255 ? 255 : (int)n;
        }
        if (x->digit < x->run_end)
            return (unsigned char)x->s[x->digit++];
        x->at = x->run_end;
        x->phase = 0;
    }
}

/* The next 8 bytes of X's natural key as a big-endian number, zero past
 * its end: a shorter key sorts before a longer one with the same start
 * (paths hold no NUL). Keys are read once, front to back. */
static uint64_t str_chunk(struct sort_str *x)
{
    uint64_t k = 0;
    int b = 0;
    if (x->phase == 0 && x->at + 8 <= x->len) { /* most chunks hold no digit */
        const unsigned char *p = (const unsigned char *)x->s + x->at;
        for (; b < 8 && !is_digit(p[b]); b++)
            k = k << 8 | p[b];
        x->at += (uint32_t)b;
    }
    for (; b < 8; b++) {
        int c = natural_next(x);
        k = k << 8 | (c < 0 ? 0 : (unsigned)c);
    }
    x->more = x->phase != 0 || x->at < x->len;
    return k;
}

/* One stable radix sort per 8-byte chunk, then each run of equal chunks by
 * the next chunk. Paths share long prefixes, which a comparison sort
 * re-reads on every comparison; this reads each byte about once. */
static void sort_chunks(struct sort_key *k, struct sort_key *tmp, size_t n, struct sort_str *strs,
                        bool desc)
{
    for (size_t j = 0; j < n; j++) {
        uint64_t c = str_chunk(&strs[k[j].i]);
        k[j].k = desc ? ~c : c;
    }
    sort_radix(k, tmp, n);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        bool longer = strs[k[a].i].more;
        for (; b < n && k[b].k == k[a].k; b++)
            longer = longer || strs[k[b].i].more;
        if (b - a > 1 && longer)
            sort_chunks(k + a, tmp, b - a, strs, desc);
        a = b;
    }
}

void sort_strings(struct sort_key *k, struct sort_key *tmp, size_t n, struct sort_str *strs,
                  bool desc)
{
    sort_chunks(k, tmp, n, strs, desc);
}
