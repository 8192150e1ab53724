/* libFuzzer target for the replay parser (CSV and JSON Lines).
 * Input: byte 0 picks the format (and a chunk size), the rest is a stream.
 * Checks: no crash; parsing in small chunks (as a pipe delivers) gives
 * exactly what parsing the whole stream gives; every byte is consumed; and
 * each record, written back by the record writer, parses to the same values. */
#include "config.h"

#include "record/recwriter.h"
#include "record/replay_parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct log {
    char *p;
    size_t len, cap;
};

static void log_put(struct log *l, const void *s, size_t n)
{
    if (l->len + n > l->cap) {
        l->cap = (l->len + n) * 2 + 256;
        l->p = realloc(l->p, l->cap);
        if (!l->p)
            abort();
    }
    memcpy(l->p + l->len, s, n);
    l->len += n;
}

static void log_str(struct log *l, const struct replay_str *s)
{
    if (strlen(s->s) != s->len) /* fields never hold a NUL */
        abort();
    log_put(l, &s->len, sizeof s->len);
    log_put(l, s->s, s->len);
}

static void check_written_back(const struct replay_record *rec, enum export_format fmt)
{
    static struct replay_parser p2;
    struct fa_proc proc;
    struct fa_event ev;
    replay_record_proc(rec, 1, &proc);
    replay_record_event(rec, &proc, &ev);
    size_t len;
    char *line = recwriter_line(&ev, fmt, &len);
    if (!line)
        abort();
    replay_parser_init(&p2, fmt, 1);
    struct replay_record back;
    size_t used;
    enum replay_status st = replay_parse_next(&p2, line, len, true, &used, &back);
    /* The writer keeps microseconds, rounding down. */
    int64_t us = rec->time_ns % 1000;
    int64_t want_time = rec->time_ns - (us < 0 ? us + 1000 : us);
    if (rec->time_ns < INT64_MIN + 1000) { /* its microsecond starts before int64 can count */
        free(line);
        return;
    }
    int64_t sus = rec->start_ns % 1000;
    int64_t want_start = rec->start_ns - (sus < 0 ? sus + 1000 : sus);
    if (rec->start_ns < INT64_MIN + 1000 || (rec->start_ns && !want_start)) {
        free(line); /* a start the writer's microseconds cannot hold */
        return;
    }
    bool overflow = rec->types & FA_BIT(FA_OVERFLOW);
    if (st != REPLAY_RECORD || used != len || back.time_ns != want_time ||
        back.types != rec->types || (!overflow && back.start_ns != want_start)) {
        fprintf(stderr, "written back: %.*s -> %d %s\n", (int)len, line, st,
                replay_parser_error(&p2));
        abort();
    }
    if (!(rec->types & FA_BIT(FA_OVERFLOW))) {
        const struct replay_str *a[5] = {&rec->user, &rec->comm, &rec->exe, &rec->unit, &rec->path};
        const struct replay_str *b[5] = {&back.user, &back.comm, &back.exe, &back.unit, &back.path};
        for (int i = 0; i < 5; i++)
            if (a[i]->len != b[i]->len || memcmp(a[i]->s, b[i]->s, a[i]->len) != 0)
                abort();
        if (back.pid != rec->pid || back.tid != rec->tid || back.ppid != rec->ppid ||
            back.uid != rec->uid)
            abort();
    }
    free(line);
}

/* Parse IN in CHUNK-byte deliveries; log every outcome. */
static void run(enum export_format fmt, const char *in, size_t len, size_t chunk, struct log *l,
                bool check)
{
    static struct replay_parser p;
    replay_parser_init(&p, fmt, 2);
    char *buf = malloc(len + 1);
    size_t have = 0, off = 0;
    for (;;) {
        bool eof = have == len;
        struct replay_record rec;
        size_t used;
        enum replay_status st = replay_parse_next(&p, buf + off, have - off, eof, &used, &rec);
        if (used > have - off)
            abort();
        off += used;
        if (st == REPLAY_MORE) {
            if (eof)
                break;
            size_t n = len - have < chunk ? len - have : chunk;
            memcpy(buf + have, in + have, n);
            have += n;
            continue;
        }
        if (st != REPLAY_RECORD && st != REPLAY_BAD && st != REPLAY_SKIP)
            abort();
        if (st == REPLAY_SKIP) {
            if (used == 0)
                abort(); /* no progress */
            continue;    /* how skipped bytes arrive in chunks does not matter */
        }
        log_put(l, &st, sizeof st);
        log_put(l, &p.rec_line, sizeof p.rec_line);
        if (st == REPLAY_BAD) {
            const char *e = replay_parser_error(&p);
            log_put(l, e, strlen(e) + 1);
        } else if (st == REPLAY_RECORD) {
            log_put(l, &rec.time_ns, sizeof rec.time_ns);
            log_put(l, &rec.pid, sizeof rec.pid);
            log_put(l, &rec.tid, sizeof rec.tid);
            log_put(l, &rec.ppid, sizeof rec.ppid);
            log_put(l, &rec.uid, sizeof rec.uid);
            log_put(l, &rec.types, sizeof rec.types);
            log_put(l, &rec.start_ns, sizeof rec.start_ns);
            /* types 0 only for a process line: no event type, no path */
            if ((!rec.types && rec.path.len) || (rec.types & ~FA_ALL_TYPES))
                abort();
            log_str(l, &rec.user);
            log_str(l, &rec.comm);
            log_str(l, &rec.exe);
            log_str(l, &rec.unit);
            log_str(l, &rec.path);
            if (check)
                check_written_back(&rec, fmt);
        }
    }
    if (off != len)
        abort(); /* every byte is accounted for */
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > REPLAY_MAX_RECORD / 2)
        return 0;
    enum export_format fmt = data[0] & 1 ? EXPORT_JSONL : EXPORT_CSV;
    size_t chunk = 1 + (data[0] >> 1) % 17;
    const char *in = (const char *)data + 1;
    size_t len = size - 1;

    size_t skip;
    enum replay_detect d = replay_detect(in, len, true, &skip);
    if ((d == REPLAY_DETECT_CSV || d == REPLAY_DETECT_JSONL) && skip > len)
        abort();

    struct log whole = {0}, parts = {0};
    run(fmt, in, len, len ? len : 1, &whole, true);
    run(fmt, in, len, chunk, &parts, false);
    if (whole.len != parts.len || (whole.len && memcmp(whole.p, parts.p, whole.len) != 0))
        abort();
    free(whole.p);
    free(parts.p);
    return 0;
}
