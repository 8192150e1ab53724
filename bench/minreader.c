/* The floor of the monitor comparison: the least a fanotify monitor can do.
 * One fd-mode group, the same marks and event mask as fanotop's fd group
 * (open, access, modify, close, exec on the filesystem of each PATH), large
 * blocking reads, and per event only a count (per pid and type) and close().
 * No path resolution, no process lookup, no output until it stops.
 *
 *   minreader [--mount] [--unlimited-queue] PATH...
 *
 * Runs until SIGINT or SIGTERM, then prints on stdout:
 *   minreader: records=N overflows=N read_errors=N
 *   pid=P open=N access=N modify=N close_write=N close_nowrite=N open_exec=N
 * (one pid line per process seen; pids beyond the table are summed as pid=0). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/resource.h>
#include <unistd.h>

#define READ_BUF (256 * 1024) /* as fanotop's capture */
#define FD_SLACK 64
#define NPIDS    4096 /* open-addressing table: power of two */

enum { T_OPEN, T_ACCESS, T_MODIFY, T_CLOSE_WRITE, T_CLOSE_NOWRITE, T_OPEN_EXEC, NT };

static const struct {
    const char *name;
    uint64_t mask;
} types[NT] = {
    {"open", FAN_OPEN},
    {"access", FAN_ACCESS},
    {"modify", FAN_MODIFY},
    {"close_write", FAN_CLOSE_WRITE},
    {"close_nowrite", FAN_CLOSE_NOWRITE},
    {"open_exec", FAN_OPEN_EXEC},
};

struct pid_count {
    int32_t pid; /* 0 = free slot (pid 0 never generates events) */
    uint64_t n[NT];
};

static struct pid_count table[NPIDS];
static struct pid_count other; /* the table is full */
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static struct pid_count *slot_of(int32_t pid)
{
    uint32_t h = ((uint32_t)pid * 2654435761u) & (NPIDS - 1);
    for (unsigned i = 0; i < NPIDS; i++) {
        struct pid_count *s = &table[(h + i) & (NPIDS - 1)];
        if (s->pid == pid)
            return s;
        if (s->pid == 0) {
            s->pid = pid;
            return s;
        }
    }
    return &other;
}

/* Each event of a full read holds an fd: make room for all of them. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    rlim_t want = READ_BUF / FAN_EVENT_METADATA_LEN + FD_SLACK;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
        rl.rlim_cur = want;
        if (rl.rlim_max < want)
            rl.rlim_max = want;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
            fprintf(stderr, "minreader: cannot raise the fd limit: %s\n", strerror(errno));
    }
}

int main(int argc, char **argv)
{
    unsigned how = FAN_MARK_FILESYSTEM;
    unsigned flags = FAN_CLASS_NOTIF | FAN_CLOEXEC;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--mount") == 0)
            how = FAN_MARK_MOUNT;
        else if (strcmp(argv[i], "--unlimited-queue") == 0)
            flags |= FAN_UNLIMITED_QUEUE;
        else
            break;
    }
    if (i >= argc || argv[i][0] == '-') {
        fprintf(stderr, "usage: minreader [--mount] [--unlimited-queue] PATH...\n");
        return 2;
    }
    int fan = fanotify_init(flags, O_RDONLY | O_LARGEFILE | O_CLOEXEC);
    if (fan < 0) {
        fprintf(stderr, "minreader: fanotify_init: %s\n", strerror(errno));
        return 1;
    }
    uint64_t mask = FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE | FAN_OPEN_EXEC;
    for (; i < argc; i++) {
        if (fanotify_mark(fan, FAN_MARK_ADD | how, mask, AT_FDCWD, argv[i]) == 0)
            continue;
        /* Filesystems without FID support refuse filesystem marks here too. */
        if (how == FAN_MARK_FILESYSTEM &&
            fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_MOUNT, mask, AT_FDCWD, argv[i]) == 0)
            continue;
        fprintf(stderr, "minreader: cannot mark %s: %s\n", argv[i], strerror(errno));
        return 1;
    }
    raise_fd_limit();
    /* No SA_RESTART: the signal must end the blocking read. */
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    static unsigned char buf[READ_BUF] __attribute__((aligned(8)));
    uint64_t records = 0, overflows = 0, errors = 0;
    pid_t self = getpid();
    while (!stop) {
        ssize_t n = read(fan, buf, sizeof buf);
        if (n < 0) {
            if (errno != EINTR)
                errors++;
            continue;
        }
        const struct fanotify_event_metadata *m = (const void *)buf;
        for (; FAN_EVENT_OK(m, n); m = FAN_EVENT_NEXT(m, n)) {
            records++;
            if (m->mask & FAN_Q_OVERFLOW)
                overflows++;
            else if (m->pid != self) {
                struct pid_count *s = slot_of(m->pid);
                for (int t = 0; t < NT; t++)
                    if (m->mask & types[t].mask)
                        s->n[t]++;
            }
            if (m->fd >= 0)
                close(m->fd);
        }
    }
    printf("minreader: records=%" PRIu64 " overflows=%" PRIu64 " read_errors=%" PRIu64 "\n",
           records, overflows, errors);
    for (unsigned k = 0; k <= NPIDS; k++) {
        const struct pid_count *s = k < NPIDS ? &table[k] : &other;
        uint64_t any = 0;
        for (int t = 0; t < NT; t++)
            any |= s->n[t];
        if ((k < NPIDS && s->pid == 0) || !any)
            continue;
        printf("pid=%d", k < NPIDS ? (int)s->pid : 0);
        for (int t = 0; t < NT; t++)
            printf(" %s=%" PRIu64, types[t].name, s->n[t]);
        printf("\n");
    }
    return 0;
}
