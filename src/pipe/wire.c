#include "config.h"

#include "pipe/wire.h"

#include <sched.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#define PROC_STRINGS 6

/* Fixed part of a PROC record; the strings follow, each NUL-terminated, in
 * the order user, comm, exe, cmdline, unit, container. */
struct wire_proc {
    uint32_t kind;
    uint32_t id;
    int32_t pid;
    int32_t ppid;
    uint32_t uid;
    uint16_t len[PROC_STRINGS];
    int64_t start_ns;
};

/* Fixed part of an EVENT record; the NUL-terminated path follows, then the
 * NUL-terminated cpath when cpath_len is not 0. */
struct wire_event {
    uint32_t kind;
    uint32_t proc_id;
    int64_t time_ns;
    int32_t pid;
    int32_t tid;
    uint32_t types;
    uint32_t flags;
    uint32_t path_len;
    uint32_t cpath_len;
};

struct wire_notice {
    uint32_t kind;
    uint32_t len;
};

static void *reserve(struct ring *r, enum wire_mode mode, size_t len, const _Atomic bool *stop)
{
    if (mode == WIRE_DROP)
        return ring_reserve(r, len);
    if (mode == WIRE_TRY)
        return ring_try_reserve(r, len);
    for (unsigned spins = 0;; spins++) {
        void *p = ring_try_reserve(r, len);
        if (p)
            return p;
        if (len > ring_max_payload(r) || (stop && atomic_load(stop)))
            return NULL;
        if (spins < 64) {
            sched_yield();
        } else {
            struct timespec ts = {0, 200000};
            nanosleep(&ts, NULL);
        }
    }
}

static size_t clamp(const char *s, size_t max)
{
    return s ? strnlen(s, max) : 0;
}

bool wire_put_proc(struct ring *r, enum wire_mode mode, const struct fa_proc *p,
                   const _Atomic bool *stop)
{
    const char *str[PROC_STRINGS] = {p->user, p->comm, p->exe, p->cmdline, p->unit, p->container};
    struct wire_proc h = {.kind = WIRE_PROC, .id = p->id, .pid = p->pid, .ppid = p->ppid,
                          .uid = p->uid, .start_ns = p->start_ns};
    size_t total = sizeof h;
    for (int i = 0; i < PROC_STRINGS; i++) {
        h.len[i] = (uint16_t)clamp(str[i], WIRE_MAX_FIELD);
        total += h.len[i] + 1;
    }
    char *out = reserve(r, mode, total, stop);
    if (!out)
        return false;
    memcpy(out, &h, sizeof h);
    char *q = out + sizeof h;
    for (int i = 0; i < PROC_STRINGS; i++) {
        if (h.len[i])
            memcpy(q, str[i], h.len[i]);
        q[h.len[i]] = '\0';
        q += h.len[i] + 1;
    }
    ring_commit(r);
    return true;
}

bool wire_put_event(struct ring *r, enum wire_mode mode, const struct fa_event *ev,
                    const _Atomic bool *stop)
{
    size_t plen = ev->path_len;
    size_t clen = ev->cpath ? ev->cpath_len : 0;
    if (plen > UINT32_MAX - sizeof(struct wire_event) - 2 ||
        clen > UINT32_MAX - sizeof(struct wire_event) - 2 - plen) {
        ring_count_loss(r);
        return false;
    }
    struct wire_event h = {.kind = WIRE_EVENT,
                           .proc_id = ev->proc ? ev->proc->id : 0,
                           .time_ns = ev->time_ns,
                           .pid = ev->proc ? ev->proc->pid : 0,
                           .tid = ev->tid,
                           .types = ev->types,
                           .flags = ev->flags,
                           .path_len = (uint32_t)plen,
                           .cpath_len = (uint32_t)clen};
    char *out = reserve(r, mode, sizeof h + plen + 1 + (clen ? clen + 1 : 0), stop);
    if (!out)
        return false;
    memcpy(out, &h, sizeof h);
    if (plen)
        memcpy(out + sizeof h, ev->path, plen);
    out[sizeof h + plen] = '\0';
    if (clen) {
        memcpy(out + sizeof h + plen + 1, ev->cpath, clen);
        out[sizeof h + plen + 1 + clen] = '\0';
    }
    ring_commit(r);
    return true;
}

bool wire_put_notice(struct ring *r, enum wire_mode mode, const char *text,
                     const _Atomic bool *stop)
{
    struct wire_notice h = {.kind = WIRE_NOTICE, .len = (uint32_t)clamp(text, WIRE_MAX_FIELD)};
    char *out = reserve(r, mode, sizeof h + h.len + 1, stop);
    if (!out)
        return false;
    memcpy(out, &h, sizeof h);
    memcpy(out + sizeof h, text, h.len);
    out[sizeof h + h.len] = '\0';
    ring_commit(r);
    return true;
}

/* Copy a record's fixed header (HSIZE bytes) into H when the record holds
 * it; false for a short record. The trailer is checked by the caller. */
static bool header_of(const char *p, size_t len, void *h, size_t hsize)
{
    if (len < hsize)
        return false;
    memcpy(h, p, hsize);
    return true;
}

static bool decode_proc(const char *p, size_t len, struct proctab *tab)
{
    struct wire_proc h;
    if (!header_of(p, len, &h, sizeof h))
        return false;
    const char *str[PROC_STRINGS];
    size_t off = sizeof h;
    for (int i = 0; i < PROC_STRINGS; i++) {
        if (off + h.len[i] + 1 > len || p[off + h.len[i]] != '\0')
            return false;
        str[i] = p + off;
        off += h.len[i] + 1;
    }
    struct fa_proc proc = {.id = h.id, .pid = h.pid, .ppid = h.ppid, .uid = h.uid,
                           .user = str[0], .comm = str[1], .exe = str[2], .cmdline = str[3],
                           .unit = str[4], .container = str[5], .start_ns = h.start_ns};
    return proctab_add(tab, &proc) != NULL;
}

static bool decode_event(const char *p, size_t len, struct proctab *tab,
                         const struct wire_sink *sink)
{
    struct wire_event h;
    if (!header_of(p, len, &h, sizeof h))
        return false;
    size_t cspan = h.cpath_len ? (size_t)h.cpath_len + 1 : 0;
    if (sizeof h + h.path_len + 1 + cspan > len)
        return false;
    const struct fa_proc *proc = h.proc_id ? proctab_get(tab, h.proc_id) : NULL;
    if (!proc) /* the identity record was lost or never sent: keep the pid we know */
        proc = proctab_placeholder(tab, h.pid);
    struct fa_event ev = {.time_ns = h.time_ns, .tid = h.tid, .types = h.types,
                          .flags = h.flags, .proc = proc, .path = p + sizeof h,
                          .path_len = h.path_len,
                          .cpath = cspan ? p + sizeof h + h.path_len + 1 : NULL,
                          .cpath_len = h.cpath_len};
    if (sink->event)
        sink->event(&ev, sink->ctx);
    return true;
}

bool wire_decode(const void *payload, size_t len, struct proctab *tab,
                 const struct wire_sink *sink)
{
    uint32_t kind;
    if (len < sizeof kind)
        return false;
    memcpy(&kind, payload, sizeof kind);
    switch (kind) {
    case WIRE_PROC:
        return decode_proc(payload, len, tab);
    case WIRE_EVENT:
        return decode_event(payload, len, tab, sink);
    case WIRE_NOTICE: {
        struct wire_notice h;
        if (!header_of(payload, len, &h, sizeof h) || sizeof h + h.len + 1 > len)
            return false;
        if (sink->notice)
            sink->notice((const char *)payload + sizeof h, sink->ctx);
        return true;
    }
    default:
        return false;
    }
}

struct drain_ctx {
    struct proctab *tab;
    const struct wire_sink *sink;
};

static bool drain_one(const void *payload, size_t len, void *ctx)
{
    struct drain_ctx *d = ctx;
    wire_decode(payload, len, d->tab, d->sink);
    return true;
}

size_t wire_drain(struct ring *r, size_t max, struct proctab *tab, const struct wire_sink *sink)
{
    struct drain_ctx d = {tab, sink};
    return ring_consume(r, max, drain_one, &d);
}
