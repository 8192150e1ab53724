#include "config.h"

#include "base/procstat.h"

#include <string.h>

/* Fields after comm up to starttime: state, ppid, ..., starttime. */
#define FIELDS 20

bool procstat_parse(const char *text, size_t len, struct procstat *out)
{
    /* comm may hold spaces and ')': the fields resume after the last ')'. */
    const char *close = NULL;
    for (size_t i = len; i-- > 0;)
        if (text[i] == ')') {
            close = text + i;
            break;
        }
    if (!close)
        return false;
    const char *p = close + 1, *end = text + len;
    unsigned long long v[FIELDS];
    int n = 0;
    while (n < FIELDS && p < end) {
        while (p < end && *p == ' ')
            p++;
        if (p >= end)
            break;
        if (n == 0) { /* the state letter */
            v[n++] = 0;
            while (p < end && *p != ' ')
                p++;
            continue;
        }
        bool neg = *p == '-';
        if (neg)
            p++;
        if (p >= end || *p < '0' || *p > '9')
            return false;
        unsigned long long x = 0;
        while (p < end && *p >= '0' && *p <= '9')
            x = x * 10 + (unsigned long long)(*p++ - '0');
        v[n++] = neg ? 0 : x;
    }
    if (n < FIELDS)
        return false;
    const char *open = memchr(text, '(', len);
    out->ppid = (pid_t)v[1];
    out->pgrp = (pid_t)v[2];
    out->start = v[FIELDS - 1];
    out->comm = open && open < close ? open + 1 : close;
    out->comm_len = open && open < close ? (size_t)(close - open - 1) : 0;
    return true;
}
