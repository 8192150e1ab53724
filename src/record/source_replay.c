#include "config.h"

#include "record/replay.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/event.h"
#include "base/hashmap.h"
#include "pipe/wire.h"
#include "record/replay_parse.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Big reads keep the syscall count low; it must hold the longest record. */
#define REPLAY_BUF (4u << 20)
_Static_assert(REPLAY_BUF > REPLAY_MAX_RECORD, "the read buffer must hold a whole record");

/* Events are counted in the shared stats in batches: an atomic add per
 * event would cost more than parsing the line. */
#define COUNT_BATCH 4096

#define IDENT_STRINGS 5

/* The identity last seen for one pid. A record carries the whole tuple on
 * every line; a new identity id is sent only when the tuple changes. */
struct ident {
    uint32_t id;
    int32_t ppid;
    uint32_t uid;
    int64_t start_ns;
    char *str; /* user, comm, exe, unit, container, each NUL-terminated */
    size_t cap;
    size_t len[IDENT_STRINGS];
};

struct replay {
    int fd;
    bool close_fd;
    char name[256]; /* for messages: the path, or "stdin" */
    double speed;
    char *buf;
    size_t off, len; /* unconsumed bytes are buf[off..len) */
    bool eof;
    struct replay_parser *parser;
    struct u64map ident_of; /* pid -> index in idents */
    struct ident *idents;
    size_t nidents, cap_idents;
    uint32_t next_id;
    uint64_t pending_events, pending_overflows;
    uint64_t good, bad; /* records read, malformed lines skipped */
    uint64_t first_bad_line;
    char first_bad[128];
    bool paced;
    int64_t t0_ns; /* recorded time of the first event */
    int64_t w0_ns; /* monotonic time it was replayed at */
};

/* PID's identity, zeroed (id 0) when new; NULL when out of memory. */
static struct ident *ident_slot(struct replay *rp, int32_t pid)
{
    bool added;
    uint64_t *idx = u64map_slot(&rp->ident_of, (uint32_t)pid, rp->nidents, &added);
    if (!idx)
        return NULL;
    if (added) {
        /* Zeroed, and never handed out before: idents only grow. */
        if (!buf_reserve(&rp->idents, &rp->cap_idents, rp->nidents + 1, sizeof *rp->idents,
                         true)) {
            u64map_del(&rp->ident_of, (uint32_t)pid);
            return NULL;
        }
        rp->nidents++;
    }
    return &rp->idents[*idx];
}

/* REC's identity strings, in the order struct ident keeps them. */
static void ident_strings(const struct replay_record *rec,
                          const struct replay_str *s[IDENT_STRINGS])
{
    s[0] = &rec->user, s[1] = &rec->comm, s[2] = &rec->exe, s[3] = &rec->unit;
    s[4] = &rec->container;
}

static bool ident_same(const struct ident *id, const struct replay_record *rec)
{
    const struct replay_str *s[IDENT_STRINGS];
    ident_strings(rec, s);
    if (id->ppid != rec->ppid || id->uid != rec->uid || id->start_ns != rec->start_ns)
        return false;
    const char *p = id->str;
    for (int i = 0; i < IDENT_STRINGS; i++) {
        if (id->len[i] != s[i]->len || memcmp(p, s[i]->s, s[i]->len) != 0)
            return false;
        p += id->len[i] + 1;
    }
    return true;
}

/* The identity of REC's process, sending a PROC record when it is new or
 * changed. Returns its id, 0 when out of memory (the event then goes out
 * with its pid alone), or -1 when stopped while waiting for the ring. */
static int64_t ident_for(struct replay *rp, struct source *src, const struct replay_record *rec)
{
    struct ident *id = ident_slot(rp, rec->pid);
    if (!id)
        return 0;
    if (id->id && ident_same(id, rec))
        return id->id;
    const struct replay_str *s[IDENT_STRINGS];
    ident_strings(rec, s);
    size_t need = 0;
    for (int i = 0; i < IDENT_STRINGS; i++)
        need += s[i]->len + 1;
    if (need > id->cap) {
        char *str = realloc(id->str, need);
        if (!str)
            return 0;
        id->str = str;
        id->cap = need;
    }
    char *p = id->str;
    for (int i = 0; i < IDENT_STRINGS; i++) {
        memcpy(p, s[i]->s, s[i]->len + 1);
        id->len[i] = s[i]->len;
        p += s[i]->len + 1;
    }
    id->ppid = rec->ppid;
    id->uid = rec->uid;
    id->start_ns = rec->start_ns;
    id->id = rp->next_id++;
    if (rp->next_id == 0) /* 0 means "no identity" on the wire */
        rp->next_id = 1;
    struct fa_proc proc;
    replay_record_proc(rec, id->id, &proc);
    if (!wire_put_proc(source_ring(src), WIRE_WAIT, &proc, source_stop_flag(src)))
        return -1;
    return id->id;
}

static void flush_counts(struct replay *rp, struct source *src)
{
    source_count(src, rp->pending_events, rp->pending_overflows, 0, 0);
    rp->pending_events = rp->pending_overflows = 0;
}

/* --replay-speed: hold each event until its recorded offset from the first
 * one, divided by the speed, has passed. False when asked to stop. */
static bool pace(struct replay *rp, struct source *src, int64_t time_ns)
{
    if (!rp->paced) {
        rp->paced = true;
        rp->t0_ns = time_ns;
        rp->w0_ns = clock_mono_ns();
        return true;
    }
    /* In double: recorded times may be centuries apart. */
    double due = (double)rp->w0_ns + ((double)time_ns - (double)rp->t0_ns) / rp->speed;
    for (;;) {
        int64_t now = clock_mono_ns();
        if ((double)now >= due)
            return true;
        flush_counts(rp, src); /* the consumer sees what came so far */
        if (source_should_stop(src))
            return false;
        double left = due - (double)now;
        long ns = left > 50e6 ? 50000000L : (long)left;
        struct timespec ts = {0, ns};
        nanosleep(&ts, NULL);
    }
}

/* False when asked to stop. */
static bool emit(struct replay *rp, struct source *src, const struct replay_record *rec)
{
    if (rp->speed > 0 && !pace(rp, src, rec->time_ns))
        return false;
    struct ring *r = source_ring(src);
    const _Atomic bool *stop = source_stop_flag(src);
    if (rec->types & FA_BIT(FA_OVERFLOW)) {
        struct fa_event ev = {
            .time_ns = rec->time_ns, .types = rec->types, .path = "", .path_len = 0};
        if (!wire_put_event(r, WIRE_WAIT, &ev, stop))
            return false;
        rp->pending_overflows++;
    } else {
        int64_t id = ident_for(rp, src, rec);
        if (id < 0)
            return false;
        if (!rec->types)
            return true; /* a process line: its identity is all there is */
        struct fa_proc proc = {.id = (uint32_t)id, .pid = rec->pid};
        struct fa_event ev;
        replay_record_event(rec, &proc, &ev);
        if (!wire_put_event(r, WIRE_WAIT, &ev, stop))
            return false;
        rp->pending_events++;
    }
    if (rp->pending_events + rp->pending_overflows >= COUNT_BATCH)
        flush_counts(rp, src);
    return true;
}

static void note_bad(struct replay *rp, struct source *src)
{
    if (rp->bad++ == 0) {
        rp->first_bad_line = rp->parser->rec_line;
        snprintf(rp->first_bad, sizeof rp->first_bad, "%s", replay_parser_error(rp->parser));
    }
    source_count(src, 0, 0, 1, 0);
}

static void report_bad(struct replay *rp, struct source *src)
{
    if (!rp->bad)
        return;
    char msg[256];
    if (rp->bad == 1)
        snprintf(msg, sizeof msg, "replay: 1 malformed line skipped, at line %llu: %s",
                 (unsigned long long)rp->first_bad_line, rp->first_bad);
    else
        snprintf(msg, sizeof msg, "replay: %llu malformed lines skipped, first at line %llu: %s",
                 (unsigned long long)rp->bad, (unsigned long long)rp->first_bad_line,
                 rp->first_bad);
    /* When stopping, one try: a full ring then loses the notice, not the exit. */
    wire_put_notice(source_ring(src), WIRE_WAIT, msg, source_stop_flag(src));
}

/* Wait until FD is readable or a stop is requested; false on stop. A pipe
 * may stay silent for long (ssh host fanotop --record=-), and a blocked
 * read() would never see the stop flag. */
static bool wait_readable(int fd, struct source *src)
{
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    while (!source_should_stop(src)) {
        int n = poll(&pfd, 1, 100);
        if (n > 0 || (n < 0 && errno != EINTR))
            return true; /* readable, hung up or an error: read() tells which */
    }
    return false;
}

/* Read more into the buffer (after the unconsumed bytes). Returns 1 with
 * data or at EOF, 0 on stop, -1 on a read error (errno set). */
static int fill(struct replay *rp, struct source *src)
{
    if (rp->off) {
        memmove(rp->buf, rp->buf + rp->off, rp->len - rp->off);
        rp->len -= rp->off;
        rp->off = 0;
    }
    for (;;) {
        if (src && !wait_readable(rp->fd, src))
            return 0;
        ssize_t n = read(rp->fd, rp->buf + rp->len, REPLAY_BUF - rp->len);
        if (n > 0) {
            rp->len += (size_t)n;
            return 1;
        }
        if (n == 0) {
            rp->eof = true;
            return 1;
        }
        if (errno != EINTR && errno != EAGAIN)
            return -1;
        if (!src)
            return -1; /* interrupted on the main thread: Ctrl-C while waiting */
    }
}

/* Fill until a record may be complete: a record ends only at a newline or
 * at EOF, so parsing again before one arrives would redo the same work (a
 * slow pipe delivering a long line a few bytes at a time). */
static int fill_to_newline(struct replay *rp, struct source *src)
{
    for (;;) {
        size_t old = rp->len - rp->off;
        int f = fill(rp, src);
        if (f != 1 || rp->eof || memchr(rp->buf + old, '\n', rp->len - old) ||
            rp->len >= REPLAY_MAX_RECORD)
            return f;
    }
}

static int replay_run(struct source *src, void *impl)
{
    struct replay *rp = impl;
    int rc = 0;
    for (;;) {
        for (;;) {
            struct replay_record rec;
            size_t used;
            enum replay_status st = replay_parse_next(rp->parser, rp->buf + rp->off,
                                                      rp->len - rp->off, rp->eof, &used, &rec);
            rp->off += used;
            if (st == REPLAY_MORE)
                break;
            if (st == REPLAY_BAD) {
                note_bad(rp, src);
            } else if (st == REPLAY_RECORD) {
                rp->good++;
                if (!emit(rp, src, &rec))
                    goto out;
            }
        }
        if (rp->eof)
            break;
        flush_counts(rp, src); /* a live pipe may now keep us waiting */
        int f = fill_to_newline(rp, src);
        if (f == 0)
            break;
        if (f < 0) {
            char msg[320];
            snprintf(msg, sizeof msg, "replay: %s: %s", rp->name, strerror(errno));
            flush_counts(rp, src);
            wire_put_notice(source_ring(src), WIRE_WAIT, msg, source_stop_flag(src));
            rc = 1;
            break;
        }
    }
out:
    flush_counts(rp, src);
    report_bad(rp, src);
    /* Not one good line: it was no recording (exit status 2, as for a file
     * that is not one from its first line). */
    if (rc == 0 && rp->eof && rp->bad && !rp->good)
        rc = 2;
    return rc;
}

static void replay_destroy(void *impl)
{
    struct replay *rp = impl;
    if (!rp)
        return;
    if (rp->close_fd && rp->fd >= 0)
        close(rp->fd);
    for (size_t i = 0; i < rp->nidents; i++)
        free(rp->idents[i].str);
    free(rp->idents);
    u64map_free(&rp->ident_of);
    free(rp->parser);
    free(rp->buf);
    free(rp);
}

static const struct source_ops replay_ops = {
    .run = replay_run,
    .destroy = replay_destroy,
    .drop_privileges = false,
};

int replay_open(const char *path, char *err, size_t errlen)
{
    if (strcmp(path, "-") == 0)
        return STDIN_FILENO;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        snprintf(err, errlen, "replay: %s: %s", path, strerror(errno));
    return fd;
}

struct source *replay_start(const char *path, double speed, struct ring *r, char *err,
                            size_t errlen)
{
    int fd = replay_open(path, err, errlen);
    return fd < 0 ? NULL : replay_start_fd(fd, path, speed, r, err, errlen);
}

struct source *replay_start_fd(int fd, const char *path, double speed, struct ring *r, char *err,
                               size_t errlen)
{
    bool is_stdin = fd == STDIN_FILENO;
    struct replay *rp = calloc(1, sizeof *rp);
    if (!rp) {
        if (!is_stdin)
            close(fd);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    rp->fd = fd;
    rp->close_fd = !is_stdin;
    rp->speed = speed;
    rp->next_id = 1;
    snprintf(rp->name, sizeof rp->name, "%s", is_stdin ? "stdin" : path);
    rp->buf = malloc(REPLAY_BUF);
    rp->parser = malloc(sizeof *rp->parser);
    if (!rp->buf || !rp->parser) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }

    /* Read only as far as the format shows: the rest streams on the thread. */
    size_t skip = 0;
    enum replay_detect d;
    while ((d = replay_detect(rp->buf, rp->len, rp->eof, &skip)) == REPLAY_DETECT_MORE) {
        if (fill(rp, NULL) < 0) {
            snprintf(err, errlen, "replay: %s: %s", rp->name,
                     errno == EINTR ? "interrupted" : strerror(errno));
            goto fail;
        }
    }
    switch (d) {
    case REPLAY_DETECT_CSV:
        replay_parser_init(rp->parser, EXPORT_CSV, 2);
        break;
    case REPLAY_DETECT_JSONL:
        replay_parser_init(rp->parser, EXPORT_JSONL, 1);
        break;
    case REPLAY_DETECT_EMPTY:
        snprintf(err, errlen, "replay: %s: empty file", rp->name);
        goto fail;
    default:
        snprintf(err, errlen,
                 "replay: %s: not a fanotop recording (expected the CSV header time,pid,... "
                 "or JSON Lines)",
                 rp->name);
        goto fail;
    }
    rp->off = skip;

    struct source *src = source_start(&replay_ops, rp, r);
    if (!src) {
        snprintf(err, errlen, "replay: cannot start a thread: %s", strerror(errno));
        goto fail;
    }
    return src;
fail:
    replay_destroy(rp);
    return NULL;
}
