/* The end of a recording. See replay_span.h. */
#include "config.h"

#include "run/replay_span.h"

#include "record/replay_parse.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Records are short; this much of the end holds several of the longest. */
#define TAIL_BYTES (4 * REPLAY_MAX_RECORD)

/* Up to LEN bytes of FD from OFF into BUF; how many, or -1. */
static ssize_t read_at(int fd, char *buf, size_t len, off_t off)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(fd, buf + got, len - got, off + (off_t)got);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (ssize_t)got;
}

/* The latest time of the records that parse in BUF[0, LEN), or 0. */
static int64_t latest(struct replay_parser *p, const char *buf, size_t len)
{
    int64_t best = 0;
    size_t at = 0;
    while (at < len) {
        size_t used = 0;
        struct replay_record rec;
        enum replay_status st = replay_parse_next(p, buf + at, len - at, true, &used, &rec);
        if (st == REPLAY_RECORD && rec.time_ns > best)
            best = rec.time_ns;
        if (used == 0)
            break;
        at += used;
    }
    return best;
}

bool replay_span_end(const char *path, int64_t *end_ns)
{
    struct stat sb;
    if (strcmp(path, "-") == 0 || stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
        return false; /* stdin or a pipe: a stream has no end to read */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    char *buf = NULL;
    struct replay_parser *p = NULL;
    bool ok = false;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0)
        goto out;
    buf = malloc(TAIL_BYTES);
    p = malloc(sizeof *p);
    if (!buf || !p)
        goto out;
    ssize_t n = read_at(fd, buf, 4096, 0);
    size_t skip = 0;
    enum replay_detect d = n > 0 ? replay_detect(buf, (size_t)n, true, &skip) : REPLAY_DETECT_EMPTY;
    if (d != REPLAY_DETECT_CSV && d != REPLAY_DETECT_JSONL)
        goto out;
    off_t from = sb.st_size > TAIL_BYTES ? sb.st_size - TAIL_BYTES : 0;
    n = read_at(fd, buf, TAIL_BYTES, from);
    if (n <= 0)
        goto out;
    size_t start = from == 0 ? skip : 0;
    if (from > 0) { /* start at a line: the first may be a record's tail */
        while (start < (size_t)n && buf[start] != '\n')
            start++;
        start++;
    }
    if (start >= (size_t)n)
        goto out;
    replay_parser_init(p, d == REPLAY_DETECT_CSV ? EXPORT_CSV : EXPORT_JSONL, 1);
    *end_ns = latest(p, buf + start, (size_t)n - start);
    ok = *end_ns > 0;
out:
    free(buf);
    free(p);
    close(fd);
    return ok;
}
