/* The one UTF-8 validator (RFC 3629): overlong forms, surrogates, code
 * points above U+10FFFF and cut sequences are invalid. */
#ifndef FANOTOP_UTF8_H
#define FANOTOP_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length (1-4) of the valid UTF-8 sequence at S (N > 0 bytes available)
 * with its code point in *CP, or 0 when S does not start one. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Length of the valid sequence at S, or 0: utf8_decode without the code point. */
static inline size_t utf8_len(const unsigned char *s, size_t n)
{
    uint32_t cp;
    return utf8_decode(s, n, &cp);
}

#endif
