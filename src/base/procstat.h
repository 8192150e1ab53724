/* The one parser of /proc/PID/stat: pure, over the bytes read. */
#ifndef FANOTOP_PROCSTAT_H
#define FANOTOP_PROCSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct procstat {
    pid_t ppid;
    pid_t pgrp;       /* the process group, field 5 */
    uint64_t start;   /* starttime, in clock ticks since boot */
    const char *comm; /* inside the parsed text, not NUL-terminated */
    size_t comm_len;
};

/* Parse TEXT (LEN bytes of /proc/PID/stat) up to starttime, the 22nd
 * field. comm, between the first '(' and the last ')', may hold spaces and
 * parentheses. False when the text is cut short or malformed. */
bool procstat_parse(const char *text, size_t len, struct procstat *out);

#endif
