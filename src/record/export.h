/* Writers: record files (CSV / JSON Lines, byte-exact so replay round-trips),
 * CSV snapshots of a view (defused against spreadsheet formulas), and atomic
 * file output (temporary file in the same directory, fsync, rename). */
#ifndef FANOTOP_EXPORT_H
#define FANOTOP_EXPORT_H

#include "base/event.h"
#include "model/filter.h"
#include "model/store.h"
#include "model/view.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* The record header, a contract with other tools: fields are never changed
 * or moved, a new one only ever goes at the end (JSONL: the last key), and
 * replay reads files written before it came. start (when the process
 * started, empty when unknown) came after the first version. */
#define EXPORT_RECORD_HEADER_V1 "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path"
#define EXPORT_RECORD_HEADER    EXPORT_RECORD_HEADER_V1 ",start"

enum export_format { EXPORT_CSV, EXPORT_JSONL };

/* Parse "csv" / "jsonl" (also "json"); false if unknown. */
bool export_format_parse(const char *s, enum export_format *out);

/* A record-file writer over an open stream. */
struct recwriter;
/* Writes the CSV header at once for EXPORT_CSV. OUT is not closed by us. */
struct recwriter *recwriter_create(FILE *out, enum export_format fmt);
/* Append one event; returns 0, or -1 with errno set when the stream failed.
 * The ancestors of its process (fa_proc.parent) that no line has named yet
 * go first, oldest first, each as a process line: a record with an empty
 * event and path, so that a replay rebuilds the process tree. */
int recwriter_write(struct recwriter *w, const struct fa_event *ev);
/* Flush; returns 0 or -1 with errno. Frees W. */
int recwriter_finish(struct recwriter *w);

/* Format ev as one record line (with the trailing newline) into a
 * malloc'd buffer; for tests and for writers other than stdio. An overflow
 * marker is written with pid/tid/ppid/uid 0 and empty strings and path.
 * JSONL: a byte that is not valid UTF-8 is written as the lone surrogate
 * escape "\udcXX" (XX = the byte; Python's surrogateescape), which replay
 * and Python's json + surrogateescape turn back into the byte. */
char *export_record_line(const struct fa_event *ev, enum export_format fmt, size_t *len);
/* The process line of P (see recwriter_write) at TIME_NS, the same way. */
char *export_process_line(const struct fa_proc *p, int64_t time_ns, enum export_format fmt,
                          size_t *len);

/* TIME_NS as ISO 8601 UTC with microseconds ("2026-11-22T23:14:48.123456Z",
 * rounded down), NUL-terminated in BUF; returns the length (27 for years
 * 0000-9999). Record files and view exports share this format. */
size_t export_time_iso(int64_t time_ns, char *buf, size_t len);

/* Atomic output: a temp file beside PATH, renamed over PATH on commit. */
struct atomic_file {
    FILE *fp;
    char *path;
    char *tmp_path;
};
/* Open for writing with MODE (e.g. 0600; the umask does not apply). Run as
 * root through sudo (SUDO_UID/SUDO_GID set), the file goes to that user,
 * best effort. On failure fills ERR with "cannot write PATH: <strerror>"
 * and returns -1. */
int atomic_file_open(struct atomic_file *af, const char *path, mode_t mode, char *err,
                     size_t errlen);
/* A streamed output file (a record): a new file is created mode 0600 and,
 * under sudo, handed to the invoking user; an existing one (a FIFO,
 * /dev/null, a file the user made) is truncated and keeps its owner and
 * mode. NULL with "cannot write PATH: <strerror>" in ERR on failure. */
FILE *export_open_stream(const char *path, char *err, size_t errlen);

/* fflush + fsync + rename; on failure removes the temp file, fills ERR, -1. */
int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen);
/* Close and remove the temp file. */
void atomic_file_abort(struct atomic_file *af);
/* Abort after a failed write: ERR gets "cannot write PATH: <strerror(E)>"
 * (EIO when E is 0). */
void atomic_file_fail(struct atomic_file *af, int e, char *err, size_t errlen);

/* The two exports below live in export_view.c, so that record-only programs
 * do not link the store and views. CSV lines end with LF. */

/* Export every row of V (filtered, in its sort order, all columns) as CSV to
 * PATH, atomically, mode 0600. CSV_RAW turns off formula defusing. ROWS gets
 * the row count. On failure returns -1 with a one-line message in ERR. */
int export_view_csv(const struct view *v, const char *path, bool csv_raw, size_t *rows,
                    char *err, size_t errlen);

/* Export the store's recent-events log through F (NULL = all; overflow
 * markers always) as a record file (CSV or JSONL) to PATH, atomically.
 * ROWS gets the lines written. */
int export_events(const struct store *st, const struct filter *f, const char *path,
                  enum export_format fmt, size_t *rows, char *err, size_t errlen);

/* Default file name "fanotop-VIEW-YYYYmmdd-HHMMSS.EXT" (local time) into buf. */
void export_default_name(const char *view_name, const char *ext, char *buf, size_t len);

/* CSV field writers, shared by every CSV output. */
enum {
    CSV_DEFUSE = 1u << 0,      /* prefix ' to fields starting with = + - @ TAB CR */
    CSV_ESCAPE_UTF8 = 1u << 1, /* write invalid UTF-8 bytes as \xHH (and \ as \\) */
};
/* Append S (LEN bytes) to OUT as one CSV field (RFC 4180 quoting when
 * needed: comma, quote, CR or LF; quotes doubled). With CSV_DEFUSE the ' goes
 * inside the quotes. Returns 0 or -1 on a write error. */
int csv_write_field(FILE *out, const char *s, size_t len, unsigned flags);

#endif
