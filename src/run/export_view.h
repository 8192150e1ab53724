/* Exports of what the consumer holds: a view as a CSV table (to a file, or
 * to a stream in batch mode) and the store's recent-events log as a record
 * file. CSV lines end with LF. */
#ifndef FANOTOP_EXPORT_VIEW_H
#define FANOTOP_EXPORT_VIEW_H

#include "base/buf.h"
#include "model/filter.h"
#include "model/store.h"
#include "model/view.h"
#include "record/format.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Cell (ROW, COL) of V rendered in FMT, whole, into CELL (replacing what it
 * held); returns its length. Out of memory the cell is cut and
 * buf_failed(CELL) is true. */
size_t export_view_cell(struct buf *cell, const struct view *v, size_t row, size_t col,
                        enum view_format fmt);

/* Write V as a CSV table to OUT: a header row of column names, then every
 * row (filtered, in its sort order, all columns, exact values), each field
 * through csv_write_field with FLAGS (record/csv_write.h). Returns 0, or -1
 * with errno set. */
int export_view_table(FILE *out, const struct view *v, unsigned flags);

/* export_view_table into PATH, atomically, mode 0600, formulas defused
 * unless CSV_RAW. ROWS gets the row count. On failure returns -1 with a
 * one-line message in ERR. */
int export_view_csv(const struct view *v, const char *path, bool csv_raw, size_t *rows, char *err,
                    size_t errlen);

/* Export the store's recent-events log through F (NULL = all; overflow
 * markers always) as a record file (CSV or JSONL) to PATH, atomically.
 * ROWS gets the lines written. */
int export_events(const struct store *st, const struct filter *f, const char *path,
                  enum export_format fmt, size_t *rows, char *err, size_t errlen);

/* Default file name "fanotop-VIEW-YYYYmmdd-HHMMSS.EXT" (local time) into buf. */
void export_default_name(const char *view_name, const char *ext, char *buf, size_t len);

#endif
