#include "config.h"

#include "ui/ui_backlog.h"

#include <stdlib.h>
#include <string.h>

/* Fixed part of a record; the path and a NUL follow, padded to 8 bytes. */
struct rec {
    int64_t time_ns;
    const struct fa_proc *proc;
    int32_t tid;
    uint32_t types;
    uint32_t flags;
    uint32_t path_len;
};

static size_t rec_size(size_t path_len)
{
    return (sizeof(struct rec) + path_len + 1 + 7) & ~(size_t)7;
}

void ui_backlog_init(struct ui_backlog *b, size_t limit)
{
    memset(b, 0, sizeof *b);
    b->limit = limit ? limit : UI_BACKLOG_MAX;
}

void ui_backlog_free(struct ui_backlog *b)
{
    free(b->buf);
    memset(b, 0, sizeof *b);
}

/* Room for NEED more bytes: reuse the applied front, then grow. */
static bool reserve(struct ui_backlog *b, size_t need)
{
    if (b->off == b->len)
        b->off = b->len = 0;
    if (b->len + need <= b->cap)
        return true;
    if (b->off && (b->len - b->off) + need <= b->cap) {
        memmove(b->buf, b->buf + b->off, b->len - b->off);
        b->len -= b->off;
        b->off = 0;
        return true;
    }
    size_t live = b->len - b->off;
    if (live + need > b->limit)
        return false;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < live + need)
        cap *= 2;
    if (cap > b->limit)
        cap = b->limit;
    unsigned char *p = malloc(cap);
    if (!p)
        return false;
    if (live)
        memcpy(p, b->buf + b->off, live);
    free(b->buf);
    b->buf = p;
    b->cap = cap;
    b->len = live;
    b->off = 0;
    return true;
}

bool ui_backlog_push(struct ui_backlog *b, const struct fa_event *ev)
{
    size_t plen = ev->path ? ev->path_len : 0;
    size_t size = rec_size(plen);
    if (!reserve(b, size)) {
        b->dropped++;
        return false;
    }
    struct rec r = {.time_ns = ev->time_ns,
                    .proc = ev->proc,
                    .tid = ev->tid,
                    .types = ev->types,
                    .flags = ev->flags,
                    .path_len = (uint32_t)plen};
    unsigned char *p = b->buf + b->len;
    memcpy(p, &r, sizeof r);
    if (plen)
        memcpy(p + sizeof r, ev->path, plen);
    p[sizeof r + plen] = '\0';
    b->len += size;
    b->count++;
    return true;
}

bool ui_backlog_pop(struct ui_backlog *b, struct fa_event *ev)
{
    if (b->off >= b->len)
        return false;
    struct rec r;
    const unsigned char *p = b->buf + b->off;
    memcpy(&r, p, sizeof r);
    *ev = (struct fa_event){.time_ns = r.time_ns,
                            .tid = r.tid,
                            .types = r.types,
                            .flags = r.flags,
                            .proc = r.proc,
                            .path = (const char *)p + sizeof r,
                            .path_len = r.path_len};
    b->off += rec_size(r.path_len);
    b->count--;
    return true;
}
