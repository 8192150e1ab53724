/* JSON Lines writing of records: one object per line, keys as the record
 * header names them (record/format.h). */
#ifndef FANOTOP_JSONL_WRITE_H
#define FANOTOP_JSONL_WRITE_H

#include "base/buf.h"
#include "record/format.h"

/* Append the record line of RV to B. JSON text must be UTF-8 but names are
 * bytes: a byte that is not valid UTF-8 is written as the lone surrogate
 * escape "\udcXX" (XX = the byte; Python's surrogateescape), which replay
 * and Python's json + surrogateescape turn back into the byte. */
void jsonl_put_record(struct buf *b, const struct record_values *rv);

#endif
