/* The replay source: a recording (CSV or JSON Lines, told apart by its
 * content) read from a file or stdin, fed into the ring as the live capture
 * would. Streams: lines are sent as they arrive. */
#ifndef FANOTOP_REPLAY_H
#define FANOTOP_REPLAY_H

#include "pipe/ring.h"
#include "pipe/source.h"

#include <stddef.h>

/* Open PATH ("-" = stdin), check that it is a recording (reading its first
 * line), and start the replay thread. SPEED 0 = as fast as possible, else
 * real time scaled by SPEED. On failure returns NULL with one line in ERR
 * (an empty file, not a recording, cannot open): exit status 2. Malformed
 * lines are counted in the source's errors and reported as a notice
 * ("replay: N malformed lines skipped, first at line L: REASON"); when no
 * line at all was good, the source's status is 2. */
struct source *replay_start(const char *path, double speed, struct ring *r, char *err,
                            size_t errlen);

/* replay_start in two steps, so that privileges can go in between (the
 * file opened, nothing of it read): PATH's descriptor ("-": stdin), or -1
 * with one line in ERR; then the replay of FD (closed by the replay unless
 * stdin), PATH naming it in messages. */
int replay_open(const char *path, char *err, size_t errlen);
struct source *replay_start_fd(int fd, const char *path, double speed, struct ring *r, char *err,
                               size_t errlen);

#endif
