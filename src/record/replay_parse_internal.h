/* Shared by the record readers (replay_parse.c, csv_read.c, jsonl_read.c):
 * not for other modules. */
#ifndef FANOTOP_REPLAY_PARSE_INTERNAL_H
#define FANOTOP_REPLAY_PARSE_INTERNAL_H

#include "record/replay_parse.h"

/* REPLAY_BAD, with MSG as the reason. */
enum replay_status replay_bad(struct replay_parser *p, const char *msg);

/* REPLAY_BAD: "bad number in field NAME" (FIELD: enum record_field). */
enum replay_status replay_bad_number(struct replay_parser *p, int field);

/* Consume the rest of the physical line holding BUF[FROM] (*USED); a line
 * that continues past the buffer is dropped by the following calls. */
void replay_drop_line(struct replay_parser *p, const char *buf, size_t len, bool eof, size_t from,
                      size_t *used);

/* F holds RECORD_NFIELDS fields as text (NUL-terminated, in the parser's
 * scratch): convert them into REC. REPLAY_RECORD or REPLAY_BAD. */
enum replay_status replay_convert(struct replay_parser *p, const struct replay_str *f,
                                  struct replay_record *rec);

/* The next CSV record / JSON line in BUF: replay_parse_next's contract, once
 * the common cases (a line being skipped, a repeated CSV header) are done. */
enum replay_status replay_csv_next(struct replay_parser *p, const char *buf, size_t len, bool eof,
                                   size_t *used, struct replay_record *rec);
enum replay_status replay_jsonl_next(struct replay_parser *p, const char *buf, size_t len, bool eof,
                                     size_t *used, struct replay_record *rec);

#endif
