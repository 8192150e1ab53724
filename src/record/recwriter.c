#include "config.h"

#include "record/recwriter.h"
#include "base/buf.h"
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

char *recwriter_line(const struct fa_event *ev, enum export_format fmt, size_t *len)
{
    struct buf b = {0};
    put_line(&b, ev, fmt);
    buf_putc(&b, '\0');
    if (b.oom) {
        buf_free(&b);
        return NULL;
    }
    if (len)
        *len = b.len - 1;
    return b.p;
}

struct recwriter {
    FILE *out;
    enum export_format fmt;
    struct buf line; /* reused: no allocation per event once grown */
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

int recwriter_write(struct recwriter *w, const struct fa_event *ev)
{
    buf_reset(&w->line);
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
    free(w);
    return rc;
}
