#include "config.h"

#include "pipe/source.h"

#include "base/privs.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

struct source {
    const struct source_ops *ops;
    void *impl;
    struct ring *ring;
    pthread_t thread;
    _Atomic bool stop;
    _Atomic bool finished;
    _Atomic int status;
    _Atomic uint64_t events, overflows, errors, filtered;
    _Atomic uint64_t sync_wanted, sync_done;
    int wake_fd; /* eventfd: source_sync_request wakes a source waiting in poll */
};

static void *source_thread(void *arg)
{
    struct source *src = arg;
    /* Best effort: on failure the thread runs at the process's priority. */
    if (src->ops->nice && setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), src->ops->nice)) {
    }
    if (src->ops->drop_privileges) {
        char err[256];
        privs_drop(err, sizeof err); /* hardening only: main reports failures */
    }
    int rc = src->ops->run(src, src->impl);
    atomic_store(&src->status, rc);
    atomic_store_explicit(&src->finished, true, memory_order_release);
    return NULL;
}

struct source *source_start(const struct source_ops *ops, void *impl, struct ring *r)
{
    struct source *src = calloc(1, sizeof *src);
    if (!src)
        return NULL;
    src->ops = ops;
    src->impl = impl;
    src->ring = r;
    src->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    /* Signals go to the main thread, whose loops watch for them. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&src->thread, NULL, source_thread, src);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        if (src->wake_fd >= 0)
            close(src->wake_fd);
        free(src);
        return NULL;
    }
    return src;
}

void source_stop(struct source *src)
{
    if (!src)
        return;
    atomic_store(&src->stop, true);
    pthread_join(src->thread, NULL);
    if (src->ops->destroy)
        src->ops->destroy(src->impl);
    if (src->wake_fd >= 0)
        close(src->wake_fd);
    free(src);
}

bool source_finished(const struct source *src)
{
    return atomic_load_explicit(&((struct source *)src)->finished, memory_order_acquire);
}

int source_status(const struct source *src)
{
    return atomic_load(&((struct source *)src)->status);
}

void source_get_stats(const struct source *src, struct source_stats *out)
{
    struct source *s = (struct source *)src;
    out->events = atomic_load_explicit(&s->events, memory_order_relaxed);
    out->overflows = atomic_load_explicit(&s->overflows, memory_order_relaxed);
    out->errors = atomic_load_explicit(&s->errors, memory_order_relaxed);
    out->filtered = atomic_load_explicit(&s->filtered, memory_order_relaxed);
}

struct ring *source_ring(struct source *src)
{
    return src->ring;
}

const _Atomic bool *source_stop_flag(struct source *src)
{
    return &src->stop;
}

bool source_should_stop(const struct source *src)
{
    return atomic_load_explicit(&((struct source *)src)->stop, memory_order_relaxed);
}

void source_count(struct source *src, uint64_t events, uint64_t overflows, uint64_t errors,
                  uint64_t filtered)
{
    /* Only the source thread writes these; relaxed adds are enough for counters. */
    if (events)
        atomic_fetch_add_explicit(&src->events, events, memory_order_relaxed);
    if (overflows)
        atomic_fetch_add_explicit(&src->overflows, overflows, memory_order_relaxed);
    if (errors)
        atomic_fetch_add_explicit(&src->errors, errors, memory_order_relaxed);
    if (filtered)
        atomic_fetch_add_explicit(&src->filtered, filtered, memory_order_relaxed);
}

uint64_t source_sync_request(struct source *src)
{
    uint64_t ticket = atomic_fetch_add(&src->sync_wanted, 1) + 1;
    uint64_t one = 1;
    if (src->wake_fd >= 0 && write(src->wake_fd, &one, sizeof one) < 0) {
        /* the counter is full: the source is awake anyway */
    }
    return ticket;
}

bool source_synced(const struct source *src, uint64_t ticket)
{
    /* acquire: the records pushed before the answer are visible in the ring */
    return atomic_load_explicit(&((struct source *)src)->sync_done, memory_order_acquire) >=
           ticket;
}

int source_wake_fd(const struct source *src)
{
    return src->wake_fd;
}

void source_sync_poll(struct source *src)
{
    uint64_t v;
    if (src->wake_fd >= 0 && read(src->wake_fd, &v, sizeof v) < 0) {
        /* EAGAIN: already read */
    }
}

uint64_t source_sync_wanted(const struct source *src)
{
    return atomic_load(&((struct source *)src)->sync_wanted);
}

void source_sync_done(struct source *src, uint64_t wanted)
{
    atomic_store_explicit(&src->sync_done, wanted, memory_order_release);
}
