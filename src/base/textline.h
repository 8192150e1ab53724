/* A styled line of screen cells: the screen code formats every line into one
 * of these (text made safe by textsafe, fitted to fields, cut with an
 * ellipsis) before anything touches curses. No curses here. */
#ifndef FANOTOP_TEXTLINE_H
#define FANOTOP_TEXTLINE_H

#include "base/textsafe.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Widest line drawn; wider terminals get their extra columns blank. */
#define TEXTLINE_MAX 1024

struct textcell {
    char bytes[TEXTSAFE_GLYPH_MAX]; /* UTF-8, NUL-terminated; " " when blank */
    uint8_t len;
    uint8_t width; /* 1 or 2; 0 for the right half of a double-width glyph */
    uint8_t style; /* an index into the screen's style table */
};

struct textline {
    int width;
    unsigned flags; /* TEXTSAFE_UTF8 when the terminal takes UTF-8 */
    struct textcell cell[TEXTLINE_MAX];
};

/* How a string goes into a field. */
struct textfit {
    uint8_t style;     /* for the text */
    uint8_t esc_style; /* for escapes (\x1b ...) and the ellipsis */
    bool right;        /* align right when it fits (numbers) */
    bool tail;         /* when too long, keep the end ("…/dir/file.conf") */
    size_t skip;       /* columns scrolled away from the kept end (Left/Right) */
    unsigned flags;    /* extra TEXTSAFE_* flags, e.g. TEXTSAFE_BACKSLASH */
};

/* Blank L: WIDTH columns (cut to TEXTLINE_MAX) of spaces in STYLE. */
void textline_init(struct textline *l, int width, unsigned flags, uint8_t style);

/* Restyle columns [X, X+W) (e.g. the bar of the selected row). */
void textline_style(struct textline *l, int x, int w, uint8_t style);

/* Put the N bytes at S, escaped, into columns [X, X+W) as FIT says. When
 * they take more than W columns they are cut, and an ellipsis marks each
 * side that lost text; a double-width glyph cut by an edge becomes a space.
 * Returns the columns used (at most W). */
int textline_put(struct textline *l, int x, int w, const char *s, size_t n,
                 const struct textfit *fit);

/* Put the string S (UI text) at X in STYLE up to the end of the line, with
 * backslashes kept; returns the column after it. */
int textline_puts(struct textline *l, int x, const char *s, uint8_t style);

/* Columns a string takes on this line's terminal, escaped as textline_put
 * does (FLAGS: extra TEXTSAFE_* flags). */
size_t textline_width(const struct textline *l, const char *s, size_t n, unsigned flags);

/* The line's text as UTF-8 (for tests and logs), NUL-terminated. */
size_t textline_text(const struct textline *l, char *out, size_t len);

#endif
