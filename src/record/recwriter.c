#include "config.h"

#include "record/recwriter.h"
#include "base/buf.h"
#include "base/hashmap.h"
#include "record/csv_write.h"
#include "record/jsonl_write.h"

#include <errno.h>
#include <stdlib.h>

static void put_line(struct buf *b, const struct fa_event *ev, enum export_format fmt)
{
    struct record_values rv;
    record_values_of(ev, &rv);
    if (fmt == EXPORT_CSV)
        csv_put_record(b, &rv);
    else
        jsonl_put_record(b, &rv);
}

/* P's process line at TIME_NS: no event type, no path. */
static void put_process(struct buf *b, const struct fa_proc *p, int64_t time_ns,
                        enum export_format fmt)
{
    struct fa_event ev = {.time_ns = time_ns, .tid = p->pid, .proc = p, .path = "", .path_len = 0};
    put_line(b, &ev, fmt);
}

static char *finish_line(struct buf *b, size_t *len)
{
    buf_putc(b, '\0');
    if (b->oom) {
        buf_free(b);
        return NULL;
    }
    if (len)
        *len = b->len - 1;
    return b->p;
}

char *recwriter_line(const struct fa_event *ev, enum export_format fmt, size_t *len)
{
    struct buf b = {0};
    put_line(&b, ev, fmt);
    return finish_line(&b, len);
}

char *recwriter_process_line(const struct fa_proc *p, int64_t time_ns, enum export_format fmt,
                             size_t *len)
{
    struct buf b = {0};
    put_process(&b, p, time_ns, fmt);
    return finish_line(&b, len);
}

/* Ancestors named at most this deep above a process (the proctab's parent
 * links never loop, but a replayed file may chain thousands). */
#define ANCESTORS_MAX 64

struct recwriter {
    FILE *out;
    enum export_format fmt;
    struct buf line;            /* reused: no allocation per event once grown */
    struct u64map named;        /* identities some line has named */
    const struct fa_proc *last; /* the last one named (most events follow it) */
};

struct recwriter *recwriter_create(FILE *out, enum export_format fmt)
{
    struct recwriter *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->out = out;
    w->fmt = fmt;
    if (fmt == EXPORT_CSV)
        fputs(EXPORT_RECORD_HEADER "\n", out); /* an error shows at the next write or finish */
    return w;
}

/* Mark P named; true when it was not yet. */
static bool name_once(struct recwriter *w, const struct fa_proc *p)
{
    bool added;
    if (p == w->last)
        return false;
    w->last = p;
    return u64map_slot(&w->named, (uintptr_t)p, 0, &added) && added;
}

/* Process lines for the ancestors of P no line has named, oldest first. */
static void name_ancestors(struct recwriter *w, const struct fa_proc *p, int64_t time_ns)
{
    const struct fa_proc *chain[ANCESTORS_MAX];
    size_t n = 0;
    for (const struct fa_proc *a = p->parent; a && n < ANCESTORS_MAX; a = a->parent) {
        bool added;
        uint64_t *slot = u64map_slot(&w->named, (uintptr_t)a, 0, &added);
        if (!slot || !added)
            break;
        chain[n++] = a;
    }
    while (n-- > 0)
        put_process(&w->line, chain[n], time_ns, w->fmt);
}

int recwriter_write(struct recwriter *w, const struct fa_event *ev)
{
    buf_reset(&w->line);
    if (ev->proc && !(ev->types & FA_BIT(FA_OVERFLOW)) && name_once(w, ev->proc))
        name_ancestors(w, ev->proc, ev->time_ns);
    put_line(&w->line, ev, w->fmt);
    if (w->line.oom) {
        errno = ENOMEM;
        return -1;
    }
    if (fwrite(w->line.p, 1, w->line.len, w->out) != w->line.len)
        return -1;
    return 0;
}

int recwriter_finish(struct recwriter *w)
{
    int rc = fflush(w->out) == 0 && !ferror(w->out) ? 0 : -1;
    if (rc < 0 && errno == 0)
        errno = EIO;
    buf_free(&w->line);
    u64map_free(&w->named);
    free(w);
    return rc;
}
