/* How far a recording goes: the time of its last record, read from the end
 * of the file, so that the screen can say how far a replay has come. No
 * curses; the record format is record/replay_parse.h's. */
#ifndef FANOTOP_REPLAY_SPAN_H
#define FANOTOP_REPLAY_SPAN_H

#include <stdbool.h>
#include <stdint.h>

/* The latest time among the last records of the recording PATH (a regular
 * file, CSV or JSON Lines) into *END_NS; false when PATH is not a regular
 * file (stdin, a pipe) or no record could be read. */
bool replay_span_end(const char *path, int64_t *end_ns);

#endif
