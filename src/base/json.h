/* A pull scanner over JSON text (RFC 8259): open objects and arrays, walk
 * their members, read strings, skip what is not wanted. Pure: no
 * allocation, no I/O; nesting is bounded, so hostile input costs time
 * linear in its length and a fixed stack. For reading other programs'
 * state files, where a few keys of a large document matter. */
#ifndef FANOTOP_JSON_H
#define FANOTOP_JSON_H

#include <stdbool.h>
#include <stddef.h>

/* Deepest nesting json_skip accepts. */
#define JSON_MAX_DEPTH 64

struct json {
    const char *s;
    size_t n, i; /* the text and the cursor */
    bool bad;    /* a syntax error was met: every call fails from then on */
};

/* Scan the N bytes at S. */
void json_init(struct json *j, const char *s, size_t n);

/* The next byte that is not white space ('\0' at the end), cursor on it. */
char json_peek(struct json *j);

/* Enter the object ('{') or array ('[') at the cursor: OPEN says which.
 * False (and nothing consumed) when the value there is something else. */
bool json_open(struct json *j, char open);

/* Walk the object or array just opened: true while a member follows (the
 * cursor on it; an object's member starts with its key), false at the end
 * (its bracket consumed) or on a syntax error. *N counts the members seen:
 * set it to 0 after json_open. */
bool json_next(struct json *j, char open, unsigned *n);

/* The string at the cursor, unescaped into OUT (OUTLEN > 0 bytes, cut,
 * NUL-terminated; \u0000 and invalid escapes fail; lone surrogates become
 * U+FFFD). *LEN (may be NULL) gets its whole unescaped length. False when
 * the value is no string. */
bool json_string(struct json *j, char *out, size_t outlen, size_t *len);

/* An object member's key (json_string) and the ':' after it. */
bool json_key(struct json *j, char *out, size_t outlen);

/* Step over the value at the cursor, whatever it is. */
bool json_skip(struct json *j);

/* Walk the object at the cursor: MEMBER(J, KEY, CTX) runs with the cursor on
 * each member's value, which it must consume (json_skip what it does not
 * want); KEY is cut at 63 bytes. False when the text is no object or MEMBER
 * returns false. */
bool json_object(struct json *j, bool (*member)(struct json *j, const char *key, void *ctx),
                 void *ctx);

#endif
