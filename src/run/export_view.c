#include "config.h"

#include "run/export_view.h"
#include "base/atomic_file.h"
#include "record/csv_write.h"
#include "record/recwriter.h"

#include <errno.h>
#include <string.h>
#include <time.h>

size_t export_view_cell(struct buf *cell, const struct view *v, size_t row, size_t col,
                        enum view_format fmt)
{
    cell->len = 0;
    if (!buf_grow(cell, 0))
        return 0;
    size_t n = view_cell(v, row, col, fmt, cell->p, cell->cap);
    if (n >= cell->cap)
        n = buf_grow(cell, n) ? view_cell(v, row, col, fmt, cell->p, cell->cap) : strlen(cell->p);
    cell->len = n;
    return n;
}

int export_view_table(FILE *out, const struct view *v, unsigned flags)
{
    size_t ncol = view_ncolumns(v), nrow = view_nrows(v);
    int rc = 0;
    for (size_t c = 0; c < ncol && rc == 0; c++) {
        const char *name = view_column(v, c)->name;
        if (c && putc(',', out) == EOF)
            rc = -1;
        else
            rc = csv_write_field(out, name, strlen(name), flags);
    }
    if (rc == 0 && putc('\n', out) == EOF)
        rc = -1;
    struct buf cell = {0};
    for (size_t r = 0; r < nrow && rc == 0; r++) {
        for (size_t c = 0; c < ncol && rc == 0; c++) {
            size_t n = export_view_cell(&cell, v, r, c, VIEW_FMT_EXPORT);
            if (buf_failed(&cell)) {
                errno = ENOMEM;
                rc = -1;
            } else if (c && putc(',', out) == EOF) {
                rc = -1;
            } else {
                rc = csv_write_field(out, cell.p, n, flags);
            }
        }
        if (rc == 0 && putc('\n', out) == EOF)
            rc = -1;
    }
    buf_free(&cell);
    return rc;
}

/* Finish AF: commit when OK, else abort with errno's message. */
static int finish(struct atomic_file *af, bool ok, char *err, size_t errlen)
{
    if (!ok) {
        atomic_file_fail(af, errno, err, errlen);
        return -1;
    }
    return atomic_file_commit(af, err, errlen);
}

int export_view_csv(const struct view *v, const char *path, bool csv_raw, size_t *rows, char *err,
                    size_t errlen)
{
    struct atomic_file af;
    if (atomic_file_open(&af, path, 0600, err, errlen) < 0)
        return -1;
    errno = 0;
    bool ok = export_view_table(af.fp, v, CSV_ESCAPE_UTF8 | (csv_raw ? 0 : CSV_DEFUSE)) == 0;
    if (finish(&af, ok, err, errlen) < 0)
        return -1;
    if (rows)
        *rows = view_nrows(v);
    return 0;
}

int export_events(const struct store *st, const struct filter *f, const char *path,
                  enum export_format fmt, size_t *rows, char *err, size_t errlen)
{
    struct atomic_file af;
    if (atomic_file_open(&af, path, 0600, err, errlen) < 0)
        return -1;
    struct recwriter *w = recwriter_create(af.fp, fmt);
    bool ok = w != NULL;
    errno = ok ? 0 : ENOMEM;
    size_t n = store_log_count(st), written = 0;
    for (size_t i = 0; i < n && ok; i++) {
        struct fa_event ev;
        store_log_get(st, i, &ev);
        /* Overflow markers always go out: a filter must not hide a loss. */
        if (!(ev.types & FA_BIT(FA_OVERFLOW)) && f && !filter_match_event(f, &ev))
            continue;
        ok = recwriter_write(w, &ev) == 0;
        written++;
    }
    if (w && recwriter_finish(w) != 0)
        ok = false;
    if (finish(&af, ok, err, errlen) < 0)
        return -1;
    if (rows)
        *rows = written;
    return 0;
}

void export_default_name(const char *view_name, const char *ext, char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    char stamp[32] = "00000000-000000";
    if (localtime_r(&now, &tm))
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(buf, len, "fanotop-%s-%s.%s", view_name, stamp, ext);
}
