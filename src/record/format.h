/* The record format, defined here alone: the CSV header, the fields (also
 * the JSON keys) and how each is written, the two encodings. A new field
 * goes at the END of the table and of the header, so that recordings and
 * the tools that read them keep working. Writers: csv_write.h,
 * jsonl_write.h, recwriter.h; reader: replay_parse.h. */
#ifndef FANOTOP_RECORD_FORMAT_H
#define FANOTOP_RECORD_FORMAT_H

#include "base/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The record header, a contract with other tools: fields are never changed
 * or moved, a new one only ever goes at the end (JSONL: the last key), and
 * replay reads files written before it came. Files written before it grew
 * start with a shorter one, and their records have that many fields:
 * readers take each. start (when the process started, empty when unknown)
 * came after the first version; container and cpath after start. */
#define EXPORT_RECORD_HEADER_V1 "time,pid,tid,ppid,uid,user,comm,exe,unit,event,path"
#define EXPORT_RECORD_HEADER_V2 EXPORT_RECORD_HEADER_V1 ",start"
#define EXPORT_RECORD_HEADER    EXPORT_RECORD_HEADER_V2 ",container,cpath"

/* The encodings of a record file. */
enum export_format { EXPORT_CSV, EXPORT_JSONL };

/* Parse "csv" / "jsonl" (also "json"); false if unknown. */
bool export_format_parse(const char *s, enum export_format *out);

/* The fields in header order. */
enum record_field {
    RECORD_TIME,
    RECORD_PID,
    RECORD_TID,
    RECORD_PPID,
    RECORD_UID,
    RECORD_USER,
    RECORD_COMM,
    RECORD_EXE,
    RECORD_UNIT,
    RECORD_EVENT,
    RECORD_PATH,
    RECORD_START,
    RECORD_CONTAINER,
    RECORD_CPATH,
    RECORD_NFIELDS
};

/* The fields of the shortest record a reader takes (EXPORT_RECORD_HEADER_V1);
 * the ones after them are "" when a record ends before them. */
#define RECORD_MIN_NFIELDS (RECORD_PATH + 1)

/* Is N the field count of a header the format has had (a record has as
 * many fields as one of them)? */
bool record_nfields_known(size_t n);

/* Length of the header line naming the first NFIELDS fields (no line end). */
size_t record_header_len(size_t nfields);

/* How a field's value is written. */
enum record_kind {
    RECORD_PLAIN, /* ASCII that never needs quoting (time, event types); a JSON string */
    RECORD_INT,   /* a decimal integer; a JSON number */
    RECORD_BYTES, /* any bytes (names, paths): CSV-quoted, JSON-escaped */
};

struct record_field_def {
    const char *name; /* as in the header; the JSON key */
    enum record_kind kind;
    const char *json_key; /* ",\"NAME\":", what JSON Lines writes before the value */
    size_t json_key_len;
};

/* Indexed by enum record_field. */
extern const struct record_field_def record_fields[RECORD_NFIELDS];

/* One event's values, as every writer writes them: NUM for RECORD_INT,
 * S and LEN for the others. */
struct record_values {
    struct {
        const char *s;
        size_t len;
        int64_t num;
    } v[RECORD_NFIELDS];
    char time[40];
    char types[160];
    char start[40];
};

/* EV's values into OUT; the strings point into EV's and into OUT. An
 * overflow marker belongs to no process and no path: pid, tid, ppid and uid
 * 0, empty strings and path. An event with types 0 and an empty path is a
 * process line (recwriter.h). */
void record_values_of(const struct fa_event *ev, struct record_values *out);

#endif
