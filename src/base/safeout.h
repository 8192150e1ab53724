/* Bytes for a terminal. Whatever fanotop writes where a terminal may show
 * it goes through the screen's escaping (textsafe.h) first: messages on
 * stderr always (they echo paths, names and arguments anyone could choose),
 * and the record and batch formats when their output is a terminal (a file
 * or a pipe gets them byte for byte). Newlines are kept: they end lines. */
#ifndef FANOTOP_SAFEOUT_H
#define FANOTOP_SAFEOUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* textsafe flags of the screen for this process's locale (LC_CTYPE set by
 * the caller). */
unsigned safeout_flags(void);

/* Write the N bytes of a message at S to OUT escaped (newlines kept; a
 * backslash as it is, for what was typed). Returns 0, or -1 when OUT
 * failed. */
int safeout_write(FILE *out, const char *s, size_t n);

/* One line on stderr: "fanotop: " and FMT's text, escaped, and a newline. */
__attribute__((format(printf, 1, 2))) void safeout_say(const char *fmt, ...);
void safeout_vsay(const char *fmt, va_list ap);

/* A stream that escapes what goes through it into OUT as the screen
 * escapes names (safeout_flags), for a format written to a terminal.
 * Closing it flushes OUT, and closes OUT when OWN. NULL when out of memory. */
FILE *safeout_stream(FILE *out, bool own);

/* True when FP writes to a terminal. */
bool safeout_is_tty(FILE *fp);

#endif
