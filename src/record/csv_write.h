/* CSV writing (RFC 4180), shared by every CSV output: record files, view
 * snapshots, batch mode. Lines end with LF. */
#ifndef FANOTOP_CSV_WRITE_H
#define FANOTOP_CSV_WRITE_H

#include "base/buf.h"
#include "record/format.h"

#include <stddef.h>
#include <stdio.h>

enum {
    CSV_DEFUSE = 1u << 0,      /* prefix ' to fields starting with = + - @ TAB CR */
    CSV_ESCAPE_UTF8 = 1u << 1, /* write invalid UTF-8 bytes as \xHH (and \ as \\) */
};

/* Append S (LEN bytes) to OUT as one CSV field (RFC 4180 quoting when
 * needed: comma, quote, CR or LF; quotes doubled). With CSV_DEFUSE the ' goes
 * inside the quotes. Returns 0 or -1 on a write error. */
int csv_write_field(FILE *out, const char *s, size_t len, unsigned flags);

/* Append the record line of RV (record/format.h) to B: names and paths are
 * quoted but kept byte for byte, so replay gives them back. */
void csv_put_record(struct buf *b, const struct record_values *rv);

#endif
