#include "config.h"

#include "capture/slowfs.h"

#include "base/buf.h"
#include "base/clock.h"
#include "capture/decode.h"
#include "capture/proc.h"
#include "capture/resolve.h"
#include "pipe/ring.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RING_BYTES   (4 * 1024 * 1024)
#define POLL_MS      100  /* how soon a stop is noticed while idle */
#define STOP_WAIT_MS 300  /* how long a stop waits for a worker in the kernel */
#define EXEC_HEAD    4096 /* bytes of an exec'd file that tell its interpreter */

enum { RUNNING, DONE, ABANDONED };

/* An event in the worker's ring; the path follows. */
struct rec {
    uint64_t mask;
    uint64_t dev;
    int32_t tid;
    int32_t followers;
    uint32_t flags;
    uint32_t len;
};

struct slowfs {
    int group;
    int wake;    /* eventfd: named events wait */
    int stopper; /* eventfd: stop */
    struct ring *ring;
    struct resolver *res; /* the worker's own: resolvers are not shared */
    struct buf path;
    unsigned char *buf;
    size_t read_bytes;
    pthread_t thread;
    _Atomic int state;
    _Atomic bool stop;
    _Atomic int64_t busy_since; /* monotonic ns the current read or name began; 0 idle */
    _Atomic uint64_t lost, overflows;
    _Atomic bool out_of_fds;
    bool told; /* the current stall was told */
};

bool slowfs_is_slow(const char *fstype)
{
    static const char *const slow[] = {
        "fuse", "fuseblk", "nfs",   "nfs4",      "cifs",   "smb3", "smbfs",    "9p",    "ceph",
        "afs",  "coda",    "ncpfs", "glusterfs", "lustre", "gpfs", "virtiofs", "davfs", "orangefs",
    };
    if (strncmp(fstype, "fuse.", 5) == 0)
        return true;
    for (size_t i = 0; i < sizeof slow / sizeof slow[0]; i++)
        if (strcmp(fstype, slow[i]) == 0)
            return true;
    return false;
}

bool slowfs_reached_through(const struct mount_table *mt, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; i < mt->n; i++) {
        const struct mount_entry *e = &mt->v[i];
        if (slowfs_is_slow(e->fstype) && mounts_path_under(path, n, e->point, strlen(e->point)))
            return true;
    }
    return false;
}

int slowfs_exec_followers(int fd)
{
    unsigned char head[EXEC_HEAD];
    ssize_t n = fd >= 0 ? pread(fd, head, sizeof head, 0) : -1;
    return n > 0 ? proc_exec_followers(head, (size_t)n) : 0;
}

static void free_all(struct slowfs *w)
{
    if (w->group >= 0)
        close(w->group);
    if (w->wake >= 0)
        close(w->wake);
    if (w->stopper >= 0)
        close(w->stopper);
    ring_destroy(w->ring);
    resolve_destroy(w->res);
    buf_free(&w->path);
    free(w->buf);
    free(w);
}

/* Name one event and queue it for the capture thread. */
static void name_one(struct slowfs *w, const struct decode_event *ev)
{
    atomic_store(&w->busy_since, clock_mono_ns());
    struct rec r = {.mask = ev->mask, .tid = ev->pid};
    resolve_fd(w->res, ev->fd, &w->path, &r.flags);
    if (ev->mask & FAN_OPEN_EXEC)
        r.followers = slowfs_exec_followers(ev->fd);
    struct stat st;
    if ((ev->mask & FAN_OPEN_EXEC) &&
        !(ev->mask & (FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE)) && fstat(ev->fd, &st) == 0)
        r.dev = st.st_dev;
    r.len = (uint32_t)w->path.len;
    unsigned char *out = buf_failed(&w->path) ? NULL : ring_reserve(w->ring, sizeof r + r.len);
    if (!out) {
        atomic_fetch_add(&w->lost, 1);
        return;
    }
    memcpy(out, &r, sizeof r);
    memcpy(out + sizeof r, w->path.p, r.len);
    ring_commit(w->ring);
}

static void *worker(void *arg)
{
    struct slowfs *w = arg;
    struct pollfd p[2] = {{.fd = w->group, .events = POLLIN}, {.fd = w->stopper, .events = POLLIN}};
    while (!atomic_load(&w->stop)) {
        if (poll(p, 2, POLL_MS) <= 0 || !(p[0].revents & POLLIN))
            continue;
        /* The kernel opens a file per event in this read: through a daemon
         * that does not answer, it waits here. */
        atomic_store(&w->busy_since, clock_mono_ns());
        ssize_t n = read(w->group, w->buf, w->read_bytes);
        if (n < 0 && (errno == EMFILE || errno == ENFILE))
            atomic_store(&w->out_of_fds, true);
        size_t off = 0;
        struct decode_event ev;
        while (n > 0 && decode_next(w->buf, (size_t)n, &off, &ev) == DECODE_OK) {
            if (ev.mask & FAN_Q_OVERFLOW)
                atomic_fetch_add(&w->overflows, 1);
            else if (!atomic_load(&w->stop))
                name_one(w, &ev);
            if (ev.fd >= 0)
                close(ev.fd);
        }
        atomic_store(&w->busy_since, 0);
        uint64_t one = 1;
        if (n > 0 && write(w->wake, &one, sizeof one) < 0) {
            /* the counter is full: the capture thread is waking anyway */
        }
    }
    int running = RUNNING;
    if (!atomic_compare_exchange_strong(&w->state, &running, DONE))
        free_all(w); /* left behind by slowfs_stop: nobody else will */
    return NULL;
}

struct slowfs *slowfs_start(int group, size_t read_bytes)
{
    struct slowfs *w = calloc(1, sizeof *w);
    if (!w) {
        close(group);
        return NULL;
    }
    w->group = group;
    w->read_bytes = read_bytes < SLOWFS_READ_BYTES ? read_bytes : SLOWFS_READ_BYTES;
    w->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    w->stopper = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    w->ring = ring_create(RING_BYTES);
    w->res = resolve_create();
    w->buf = malloc(w->read_bytes);
    if (w->wake < 0 || w->stopper < 0 || !w->ring || !w->res || !w->buf ||
        pthread_create(&w->thread, NULL, worker, w) != 0) {
        free_all(w);
        return NULL;
    }
    return w;
}

int slowfs_wake_fd(const struct slowfs *w)
{
    return w->wake;
}

struct drain_ctx {
    void (*fn)(const struct slowfs_event *ev, void *ctx);
    void *ctx;
};

static bool drain_one(const void *payload, size_t len, void *ctx)
{
    struct drain_ctx *d = ctx;
    struct rec r;
    if (len < sizeof r)
        return true;
    memcpy(&r, payload, sizeof r);
    if (sizeof r + r.len > len)
        return true;
    struct slowfs_event ev = {.mask = r.mask,
                              .tid = r.tid,
                              .followers = r.followers,
                              .flags = r.flags,
                              .dev = (dev_t)r.dev,
                              .path = (const char *)payload + sizeof r,
                              .path_len = r.len};
    d->fn(&ev, d->ctx);
    return true;
}

size_t slowfs_drain(struct slowfs *w, void (*fn)(const struct slowfs_event *ev, void *ctx),
                    void *ctx, uint64_t *lost, uint64_t *overflows)
{
    uint64_t n;
    if (read(w->wake, &n, sizeof n) < 0 && errno != EAGAIN) {
        /* nothing to clear */
    }
    struct drain_ctx d = {fn, ctx};
    size_t got = ring_consume(w->ring, 0, drain_one, &d);
    *lost += atomic_exchange(&w->lost, 0);
    *overflows += atomic_exchange(&w->overflows, 0);
    return got;
}

bool slowfs_out_of_fds(struct slowfs *w)
{
    return atomic_exchange(&w->out_of_fds, false);
}

bool slowfs_idle(struct slowfs *w)
{
    return !atomic_load(&w->busy_since) && ring_empty(w->ring);
}

bool slowfs_stalled(struct slowfs *w, int64_t now, uint64_t *stalls)
{
    int64_t since = atomic_load(&w->busy_since);
    if (!since || now - since < SLOWFS_STALL_NS) {
        if (!since)
            w->told = false;
        return false;
    }
    if (w->told)
        return false;
    w->told = true;
    (*stalls)++;
    return true;
}

void slowfs_stop(struct slowfs *w)
{
    if (!w)
        return;
    atomic_store(&w->stop, true);
    uint64_t one = 1;
    if (write(w->stopper, &one, sizeof one) < 0) {
        /* the worker polls the stop flag too */
    }
    for (int waited = 0; waited < STOP_WAIT_MS && atomic_load(&w->state) != DONE; waited += 10) {
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
    int running = RUNNING;
    if (atomic_compare_exchange_strong(&w->state, &running, ABANDONED)) {
        /* Still in the kernel, waiting for a daemon: the exit of the
         * process ends that wait; its memory is its own until then. */
        pthread_detach(w->thread);
        return;
    }
    pthread_join(w->thread, NULL);
    free_all(w);
}
