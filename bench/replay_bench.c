/* Replay ingest rate: events per second from a CSV recording through the real
 * replay source (read, parse, identities, ring) to a consumer thread that
 * decodes every record, as the UI or batch mode would. Target: 1 M events/s.
 * The recording is generated first: LINES lines (default 2 M) of a busy
 * server's mix, some paths quoted (commas, quotes, a newline), a few hundred
 * processes that exec now and then. Also shown: the parser alone, and a
 * plain read of the file (the I/O floor).
 * Usage: bench/replay_bench [LINES] [FILE]   (FILE is kept if given) */
#include "config.h"

#include "pipe/proctab.h"
#include "record/replay.h"
#include "record/replay_parse.h"
#include "pipe/wire.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TARGET 1e6
#define RUNS   3

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const comms[] = {"nginx", "postgres", "bash", "python3", "sshd",
                                    "cron",  "node",     "java", "rsync",   "containerd-shim"};
static const char *const types[] = {"open",   "access",      "close_nowrite", "open|access",
                                    "modify", "close_write", "create",        "delete"};

static size_t generate(const char *path, size_t lines)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs("time,pid,tid,ppid,uid,user,comm,exe,unit,event,path\n", f);
    long long t = 1795341600LL * 1000000;
    size_t bytes = 0;
    for (size_t i = 0; i < lines; i++) {
        t += 1 + (long long)(i % 7);
        unsigned pid = 1000 + (unsigned)(i * 2654435761u % 300);
        /* Every 50 000 lines the processes exec: identities change. */
        const char *comm = comms[(pid + i / 50000) % 10];
        time_t secs = (time_t)(t / 1000000);
        struct tm tm;
        gmtime_r(&secs, &tm);
        char stamp[40];
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
        char pathbuf[160];
        if (i % 20 == 0)
            snprintf(pathbuf, sizeof pathbuf, "\"/srv/data/report, %zu \"\"final\"\".csv\"",
                     i % 1000);
        else if (i % 997 == 0)
            snprintf(pathbuf, sizeof pathbuf, "\"/tmp/odd\nname-%zu\"", i);
        else
            snprintf(pathbuf, sizeof pathbuf, "/var/lib/%s/data/%02zu/file-%05zu.dat", comm, i % 64,
                     i % 20000);
        int n = fprintf(f, "%s.%06lldZ,%u,%u,1,%u,%s,%s,/usr/bin/%s,%s.service,%s,%s\n", stamp,
                        t % 1000000, pid, pid + (unsigned)(i % 3), pid % 3 ? 33u : 0u,
                        pid % 3 ? "www-data" : "root", comm, comm, comm, types[i % 8], pathbuf);
        bytes += (size_t)n;
    }
    fclose(f);
    return bytes;
}

struct count {
    unsigned long long events;
};

static void on_event(const struct fa_event *ev, void *ctx)
{
    struct count *c = ctx;
    c->events += ev->path_len > 0;
}

/* Replay source + consumer thread: events/s. */
static double run_replay(const char *path, size_t lines)
{
    struct ring *r = ring_create((size_t)64 << 20); /* fanotop's default ring */
    struct proctab *tab = proctab_create();
    struct count c = {0};
    struct wire_sink sink = {on_event, NULL, &c};
    char err[512];
    double a = now_s();
    struct source *src = replay_start(path, 0, r, err, sizeof err);
    if (!src) {
        fprintf(stderr, "replay_bench: %s\n", err);
        exit(1);
    }
    for (;;) {
        bool done = source_finished(src);
        if (wire_drain(r, 0, tab, &sink) == 0) {
            if (done)
                break;
            /* Like the UI between ticks: spinning on an empty ring would
             * only fight the producer for the ring's cache lines. */
            struct timespec ts = {0, 100000};
            nanosleep(&ts, NULL);
        }
    }
    double secs = now_s() - a;
    struct source_stats st;
    source_get_stats(src, &st);
    source_stop(src);
    if (c.events != lines || st.errors) {
        fprintf(stderr, "replay_bench: got %llu events and %llu errors, want %zu and 0\n", c.events,
                (unsigned long long)st.errors, lines);
        exit(1);
    }
    proctab_destroy(tab);
    ring_destroy(r);
    return (double)lines / secs;
}

/* The parser alone over the file in memory: records/s. */
static double run_parser(const char *data, size_t len, size_t lines)
{
    static struct replay_parser p;
    size_t skip;
    replay_detect(data, len, true, &skip);
    replay_parser_init(&p, EXPORT_CSV, 2);
    size_t off = skip, got = 0;
    double a = now_s();
    for (;;) {
        struct replay_record rec;
        size_t used;
        enum replay_status st = replay_parse_next(&p, data + off, len - off, true, &used, &rec);
        off += used;
        if (st == REPLAY_MORE)
            break;
        got += st == REPLAY_RECORD;
    }
    double secs = now_s() - a;
    if (got != lines) {
        fprintf(stderr, "replay_bench: parser got %zu records, want %zu\n", got, lines);
        exit(1);
    }
    return (double)lines / secs;
}

static char *slurp(const char *path, size_t *len, double *read_s)
{
    int fd = open(path, O_RDONLY);
    off_t size = lseek(fd, 0, SEEK_END);
    lseek(fd, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    double a = now_s();
    size_t have = 0;
    ssize_t n;
    while ((n = read(fd, buf + have, 1 << 20)) > 0)
        have += (size_t)n;
    *read_s = now_s() - a;
    close(fd);
    *len = have;
    return buf;
}

int main(int argc, char **argv)
{
    size_t lines = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000000;
    char tmp[] = "/tmp/fanotop-replay-bench.XXXXXX";
    const char *path = argc > 2 ? argv[2] : tmp;
    if (argc <= 2) {
        int fd = mkstemp(tmp);
        if (fd < 0) {
            perror("mkstemp");
            return 1;
        }
        close(fd);
    }
    size_t bytes = generate(path, lines);
    size_t len;
    double read_s;
    char *data = slurp(path, &len, &read_s); /* also warms the page cache */
    double best = 0, best_parse = 0;
    for (int i = 0; i < RUNS; i++) {
        double rate = run_replay(path, lines);
        best = rate > best ? rate : best;
        rate = run_parser(data, len, lines);
        best_parse = rate > best_parse ? rate : best_parse;
    }
    free(data);
    if (argc <= 2)
        unlink(path);
    printf("replay: %zu lines, %.0f MB CSV\n", lines, (double)bytes / 1e6);
    printf("replay: source -> ring -> consumer: %.2f M events/s (best of %d; target %.1f M, "
           "%.1fx)\n",
           best / 1e6, RUNS, TARGET / 1e6, best / TARGET);
    printf("replay: parser alone: %.2f M records/s; plain read(): %.0f MB/s\n", best_parse / 1e6,
           (double)len / 1e6 / read_s);
    return best >= TARGET ? 0 : 1;
}
