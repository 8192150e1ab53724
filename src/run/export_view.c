/* Exports that read the consumer's data: a view snapshot and the store's
 * recent-events log, written through the writers of export.c into an atomic
 * file. Kept apart from export.c so that programs which only write records
 * (record mode, fuzz targets) do not link the store and the views. */
#include "config.h"

#include "record/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
    unsigned flags = CSV_ESCAPE_UTF8 | (csv_raw ? 0 : CSV_DEFUSE);
    size_t ncol = view_ncolumns(v), nrow = view_nrows(v);
    size_t cap = 4096;
    char *cell = malloc(cap);
    bool ok = cell != NULL;
    errno = ok ? 0 : ENOMEM;
    for (size_t c = 0; c < ncol && ok; c++) {
        const char *name = view_column(v, c)->name;
        ok = (c == 0 || putc(',', af.fp) != EOF) &&
             csv_write_field(af.fp, name, strlen(name), flags) == 0;
    }
    ok = ok && putc('\n', af.fp) != EOF;
    for (size_t r = 0; r < nrow && ok; r++) {
        for (size_t c = 0; c < ncol && ok; c++) {
            size_t n = view_cell(v, r, c, VIEW_FMT_EXPORT, cell, cap);
            if (n >= cap) {
                char *bigger = realloc(cell, n + 1);
                if (!bigger) {
                    errno = ENOMEM;
                    ok = false;
                    break;
                }
                cell = bigger;
                cap = n + 1;
                n = view_cell(v, r, c, VIEW_FMT_EXPORT, cell, cap);
            }
            ok = (c == 0 || putc(',', af.fp) != EOF) && csv_write_field(af.fp, cell, n, flags) == 0;
        }
        ok = ok && putc('\n', af.fp) != EOF;
    }
    free(cell);
    if (finish(&af, ok, err, errlen) < 0)
        return -1;
    if (rows)
        *rows = nrow;
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
