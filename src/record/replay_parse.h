/* Parsing of record files (record/format.h: the CSV with its header, or JSON Lines)
 * one record at a time from a byte buffer that may end in the middle of a
 * record: the replay source streams, so "need more bytes" is an answer, not
 * an error. Pure: no I/O, no allocation, no global state.
 *
 * CSV: RFC 4180 (a quoted field may hold commas, doubled quotes, CR and LF);
 * lines end with LF or CRLF; a file may have the start field (and header)
 * or, written before it came, not. JSON Lines: one object per line; unknown
 * keys are ignored; pid, event, time and path are required, tid defaults to
 * pid, ppid and uid to 0, the other strings to "". A record whose event and
 * path are both empty is a process line: an ancestor's identity, no event
 * (types 0). A string escape \udc80..\udcff
 * (a lone low surrogate, Python's "surrogateescape") stands for the raw byte
 * 0x80..0xff, which is how the JSONL writer keeps names that are not UTF-8.
 * Blank lines and a repeated CSV header (concatenated recordings) are skipped
 * without being counted as errors. Files from before the header grew (its
 * first RECORD_MIN_NFIELDS fields) read the same, the later fields empty. */
#ifndef FANOTOP_REPLAY_PARSE_H
#define FANOTOP_REPLAY_PARSE_H

#include "base/event.h"
#include "record/format.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest record accepted, in bytes (all its physical lines). The longest
 * record the writers produce (a path of 256 KiB, capture's longest, and four
 * 4 KiB fields, every byte escaped as JSON's six-byte \u00XX) is about
 * 1.6 MiB. A caller's buffer must hold at least this plus one. */
#define REPLAY_MAX_RECORD (2u << 20)

/* What the start of a stream is. */
enum replay_detect {
    REPLAY_DETECT_CSV,     /* the CSV header line */
    REPLAY_DETECT_JSONL,   /* starts with '{' */
    REPLAY_DETECT_MORE,    /* cannot tell yet: read more (or pass EOF) */
    REPLAY_DETECT_EMPTY,   /* no bytes at all */
    REPLAY_DETECT_UNKNOWN, /* not a recording */
};

/* Tell the format from the first LEN bytes of a stream (EOF: no more will
 * come). For CSV and JSONL, *SKIP gets the bytes to drop before records
 * start (a UTF-8 byte order mark, and the CSV header line). */
enum replay_detect replay_detect(const char *buf, size_t len, bool eof, size_t *skip);

struct replay_str {
    const char *s; /* NUL-terminated, inside the parser; valid until the next parse */
    size_t len;
};

/* One parsed record. An overflow marker has types == FA_BIT(FA_OVERFLOW),
 * a process line types == 0. */
struct replay_record {
    int64_t time_ns;
    int64_t start_ns; /* 0 = unknown */
    int32_t pid, tid, ppid;
    uint32_t uid;
    uint32_t types; /* FA_BIT() set, 0 for a process line */
    struct replay_str user, comm, exe, unit, path;
    struct replay_str container, cpath; /* "" in files from before these fields */
};

enum replay_status {
    REPLAY_RECORD, /* *rec holds a record */
    REPLAY_SKIP,   /* bytes consumed, nothing to report (blank line, header, long-line tail) */
    REPLAY_BAD,    /* a malformed line was consumed: replay_parser_error() says why */
    REPLAY_MORE,   /* the buffer ends mid-record: call again with more bytes or EOF */
};

struct replay_parser {
    enum export_format fmt;
    uint64_t line;     /* physical line number of the next unconsumed byte */
    uint64_t rec_line; /* line where the last record (or bad line) started */
    bool skipping;     /* dropping the rest of an over-long line */
    char err[128];
    /* Memo of recent conversions: consecutive records mostly share the
     * second they happened in and a handful of event type sets. */
    char last_second[20];
    int64_t last_second_ns;
    struct {
        char text[48];
        uint8_t len;
        uint32_t mask;
    } types_memo[16];
    char scratch[REPLAY_MAX_RECORD + 64]; /* unescaped fields; never outgrows a record */
};

/* Start parsing FMT; FIRST_LINE numbers the first byte that will be passed
 * (2 after a CSV header). */
void replay_parser_init(struct replay_parser *p, enum export_format fmt, uint64_t first_line);

/* Parse from BUF (LEN bytes; EOF: no more will come). *USED gets the bytes
 * consumed (possibly > 0 even with REPLAY_MORE); the caller drops them and
 * calls again with what follows, keeping unconsumed bytes. */
enum replay_status replay_parse_next(struct replay_parser *p, const char *buf, size_t len, bool eof,
                                     size_t *used, struct replay_record *rec);

/* Why the last REPLAY_BAD happened, one line, e.g. "unterminated quote". */
const char *replay_parser_error(const struct replay_parser *p);

/* REC as capture would have made it: the identity ID of its process (the
 * strings point into REC), and its event, named by PROC. */
void replay_record_proc(const struct replay_record *rec, uint32_t id, struct fa_proc *out);
void replay_record_event(const struct replay_record *rec, const struct fa_proc *proc,
                         struct fa_event *out);

#endif
