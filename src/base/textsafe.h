/* Safe text for the terminal. Every string that comes from the system
 * (paths, comm, cmdline, unit, user) is turned into glyphs that cannot move
 * the cursor or change the terminal: control bytes become \n \t \r \xHH,
 * bytes that are not UTF-8 become \xHH, and code points that reorder or hide
 * text (C1 controls, bidi overrides and isolates, line separators, anything
 * wcwidth calls unprintable) become \u{XXXX}. Valid UTF-8 is kept and its
 * width measured with wcwidth (so LC_CTYPE must be set). No curses here: the
 * screen code and the unit tests share it. */
#ifndef FANOTOP_TEXTSAFE_H
#define FANOTOP_TEXTSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Flags for the iterator. */
enum {
    TEXTSAFE_UTF8 = 1u << 0,      /* the terminal takes UTF-8; else all non-ASCII is escaped */
    TEXTSAFE_BACKSLASH = 1u << 1, /* draw \ as is (text the user typed, e.g. a regex) */
};

/* Longest glyph: a base character and up to TEXTSAFE_MAX_MARKS combining marks. */
#define TEXTSAFE_MAX_MARKS 3
#define TEXTSAFE_GLYPH_MAX 20

/* One glyph: a printable character (with its combining marks) or one ASCII
 * character of an escape. */
struct textsafe_glyph {
    char bytes[TEXTSAFE_GLYPH_MAX]; /* UTF-8, NUL-terminated */
    uint8_t len;
    uint8_t width; /* columns: 1 or 2 */
    bool escaped;  /* part of an escape sequence such as \x1b */
};

struct textsafe_iter {
    const unsigned char *s;
    size_t n, pos;
    unsigned flags;
    char esc[16]; /* the escape being handed out one character at a time */
    uint8_t esc_len, esc_pos;
};

/* Walk the N bytes at S (need not be NUL-terminated). */
void textsafe_init(struct textsafe_iter *it, const char *s, size_t n, unsigned flags);
/* The next glyph into G; false at the end. */
bool textsafe_next(struct textsafe_iter *it, struct textsafe_glyph *g);

/* Columns the escaped form of S takes. */
size_t textsafe_width(const char *s, size_t n, unsigned flags);

/* Write the escaped form of S into OUT (NUL-terminated, cut at a glyph
 * boundary to fit LEN); returns the length it needed, like snprintf. */
size_t textsafe_escape(const char *s, size_t n, unsigned flags, char *out, size_t len);

/* Flags for a terminal whose locale uses CODESET ("UTF-8" or another name). */
unsigned textsafe_flags_for(const char *codeset);

#endif
