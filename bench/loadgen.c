/* Load generator for the monitor comparison (bench/compare.py): a known
 * number of file operations, as fast as possible, from 1..8 processes, each
 * operation on a different file in round robin over K files.
 *
 *   loadgen prepare DIR [-k K]      create DIR/f000000.. (16 bytes each), remove
 *                                   leftover DIR/c* names of the create mode
 *   loadgen run DIR -m MODE [-p PROCS] [-n OPS] [-k K]
 *
 * MODE is open (open+close), read (open+read+close), write (open+write+close)
 * or create (create+close+unlink). OPS is the total over all processes. The
 * workers are forked and wait on a pipe before the clock starts, so process
 * creation is not timed. Output, one "key: ..." line each, for the driver:
 *   pids, seconds, ops_per_s, expected (per event type), assumption.
 *
 * Why round robin: the kernel merges a new event into a queued one for the
 * same object and process (ORing the type bits), so two opens of one file that
 * sit in the queue together are reported as one. Each process comes back to a
 * file only after K-1 other files; with K above the merge window (the kernel
 * looks back at most 128 events in each of 128 hash buckets, 16384 events, and
 * a default queue holds 16384) no two operations of one process on one file
 * can be merged, and the expected counts per type are exact. Within one
 * operation the types differ (open, access, close_nowrite), so merging them
 * into one record loses nothing. */
#include "config.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FILE_BYTES    16
#define MAX_PROCS     8
#define DEFAULT_FILES 20000
#define DEFAULT_OPS   200000
#define MERGE_WINDOW  16384

enum mode { M_OPEN, M_READ, M_WRITE, M_CREATE };

static const char *const mode_names[] = {"open", "read", "write", "create"};

/* Event types each operation produces on its file, in fanotop's names. An
 * unlink also changes the inode's link count (attrib) and ends it
 * (delete_self): those come without a name, the file being gone, so no
 * monitor can tie them to the load's files and they are not counted. */
static const char *const mode_events[] = {
    "open=1 close_nowrite=1",
    "open=1 access=1 close_nowrite=1",
    "open=1 modify=1 close_write=1",
    "create=1 open=1 close_write=1 delete=1",
};

struct job {
    const char *dir;
    enum mode mode;
    long files;
    long ops; /* per process */
    int procs;
};

static void usage(void)
{
    fprintf(stderr, "usage: loadgen prepare DIR [-k FILES]\n"
                    "       loadgen run DIR -m open|read|write|create [-p PROCS] [-n OPS] "
                    "[-k FILES]\n");
    exit(2);
}

static long parse_long(const char *s, long min, long max, const char *what)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max) {
        fprintf(stderr, "loadgen: %s must be a number from %ld to %ld: %s\n", what, min, max, s);
        exit(2);
    }
    return v;
}

static void die(const char *what, const char *path)
{
    fprintf(stderr, "loadgen: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The name of file I (prepare, open/read/write modes) */
static void file_name(char *buf, size_t len, const char *dir, long i)
{
    snprintf(buf, len, "%s/f%06ld", dir, i);
}

static int prepare(const char *dir, long files)
{
    char path[PATH_MAX];
    char data[FILE_BYTES];
    memset(data, 'x', sizeof data);
    for (long i = 0; i < files; i++) {
        file_name(path, sizeof path, dir, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            die("cannot create", path);
        if (write(fd, data, sizeof data) != (ssize_t)sizeof data)
            die("cannot write", path);
        close(fd);
    }
    /* A create run killed half-way leaves a name that would make O_EXCL fail. */
    DIR *d = opendir(dir);
    if (!d)
        die("cannot read", dir);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] != 'c')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (unlink(path) < 0)
            die("cannot remove", path);
    }
    closedir(d);
    printf("prepared: %ld files of %d bytes in %s\n", files, FILE_BYTES, dir);
    return 0;
}

static void one_op(const struct job *j, int p, long i, char *buf)
{
    char path[PATH_MAX];
    long idx = (i + (long)p * j->files / j->procs) % j->files;
    int fd;
    switch (j->mode) {
    case M_OPEN:
        file_name(path, sizeof path, j->dir, idx);
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
            die("cannot open", path);
        close(fd);
        break;
    case M_READ:
        file_name(path, sizeof path, j->dir, idx);
        if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
            die("cannot open", path);
        /* A read must return data: the kernel reports access only then. */
        if (read(fd, buf, FILE_BYTES) <= 0)
            die("cannot read", path);
        close(fd);
        break;
    case M_WRITE:
        file_name(path, sizeof path, j->dir, idx);
        /* No O_TRUNC: truncation would add a modify event of its own. */
        if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
            die("cannot open", path);
        if (pwrite(fd, buf, FILE_BYTES, 0) != FILE_BYTES)
            die("cannot write", path);
        close(fd);
        break;
    case M_CREATE:
        snprintf(path, sizeof path, "%s/c%d-%06ld", j->dir, p, i % j->files);
        if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
            die("cannot create", path);
        close(fd);
        if (unlink(path) < 0)
            die("cannot remove", path);
        break;
    }
}

static void worker(const struct job *j, int p, int go)
{
    char buf[FILE_BYTES];
    memset(buf, 'y', sizeof buf);
    char c;
    /* EOF on the pipe is the start signal, seen by all workers at once. */
    if (read(go, &c, 1) < 0)
        _exit(1);
    for (long i = 0; i < j->ops; i++)
        one_op(j, p, i, buf);
    _exit(0);
}

static int run(const struct job *j)
{
    int go[2];
    pid_t pids[MAX_PROCS];
    if (pipe(go) < 0)
        die("cannot create", "a pipe");
    fflush(stdout);
    for (int p = 0; p < j->procs; p++) {
        pids[p] = fork();
        if (pids[p] < 0)
            die("cannot fork", "a worker");
        if (pids[p] == 0) {
            close(go[1]);
            worker(j, p, go[0]);
        }
    }
    close(go[0]);
    printf("pids:");
    for (int p = 0; p < j->procs; p++)
        printf("%s%d", p ? "," : " ", (int)pids[p]);
    printf("\n");
    fflush(stdout);
    double t0 = now_s();
    close(go[1]);
    int failed = 0;
    for (int p = 0; p < j->procs; p++) {
        int st;
        if (waitpid(pids[p], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            failed = 1;
    }
    double secs = now_s() - t0;
    if (failed) {
        fprintf(stderr, "loadgen: a worker failed\n");
        return 1;
    }
    long total = j->ops * j->procs;
    printf("mode: %s procs=%d ops=%ld files=%ld dir=%s\n", mode_names[j->mode], j->procs, total,
           j->files, j->dir);
    printf("seconds: %.6f\n", secs);
    printf("ops_per_s: %.0f\n", (double)total / secs);
    /* Every type of this mode occurs once per operation. */
    printf("expected:");
    char spec[128];
    snprintf(spec, sizeof spec, "%s", mode_events[j->mode]);
    for (char *tok = strtok(spec, " "); tok; tok = strtok(NULL, " ")) {
        char *eq = strchr(tok, '=');
        *eq = '\0';
        printf(" %s=%ld", tok, total * strtol(eq + 1, NULL, 10));
    }
    printf("\n");
    printf("assumption: exact counts hold when no two operations of one process on one file are "
           "queued at once (each process revisits a file after %ld others; kernel merge window "
           "%d events)%s\n",
           j->files - 1, MERGE_WINDOW,
           j->files > MERGE_WINDOW ? "" : "; FILES is below the window: counts may be merged");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        usage();
    const char *cmd = argv[1];
    struct job j = {.dir = argv[2], .files = DEFAULT_FILES, .ops = DEFAULT_OPS, .procs = 1};
    bool have_mode = false;
    int opt;
    optind = 3;
    while ((opt = getopt(argc, argv, "m:p:n:k:")) != -1) {
        switch (opt) {
        case 'm':
            have_mode = false;
            for (int m = M_OPEN; m <= M_CREATE; m++)
                if (strcmp(optarg, mode_names[m]) == 0) {
                    j.mode = (enum mode)m;
                    have_mode = true;
                }
            if (!have_mode) {
                fprintf(stderr, "loadgen: unknown mode %s (open, read, write, create)\n", optarg);
                return 2;
            }
            break;
        case 'p':
            j.procs = (int)parse_long(optarg, 1, MAX_PROCS, "PROCS");
            break;
        case 'n':
            j.ops = parse_long(optarg, 1, LONG_MAX / MAX_PROCS, "OPS");
            break;
        case 'k':
            j.files = parse_long(optarg, 1, 999999, "FILES");
            break;
        default:
            usage();
        }
    }
    if (optind != argc)
        usage();
    struct stat st;
    if (stat(j.dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "loadgen: %s is not a directory\n", j.dir);
        return 2;
    }
    if (strcmp(cmd, "prepare") == 0)
        return prepare(j.dir, j.files);
    if (strcmp(cmd, "run") != 0)
        usage();
    if (!have_mode) {
        fprintf(stderr, "loadgen: run needs -m MODE\n");
        return 2;
    }
    if (j.ops % j.procs) {
        fprintf(stderr, "loadgen: OPS must be a multiple of PROCS\n");
        return 2;
    }
    j.ops /= j.procs;
    return run(&j);
}
