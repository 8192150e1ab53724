/* ISO 8601 UTC times as record files and view exports write them
 * ("2026-11-22T23:14:48.123456Z"), and their parsing back. Pure: no time
 * zone, no locale, proleptic Gregorian calendar. */
#ifndef FANOTOP_ISO8601_H
#define FANOTOP_ISO8601_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* TIME_NS (since the epoch) with microseconds, rounded down, NUL-terminated
 * in BUF; returns the length (27 for years 0000-9999). */
size_t iso8601_format(int64_t time_ns, char *buf, size_t len);

/* Parse "YYYY-MM-DDTHH:MM:SS[.fraction]Z" (fraction of up to 9 digits) into
 * ns since the epoch; false if malformed or outside int64 ns. */
bool iso8601_parse(const char *s, size_t len, int64_t *ns);

#endif
