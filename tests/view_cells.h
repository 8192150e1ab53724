/* Test helpers shared by the view tests (include after cmocka.h): an event
 * into a store by a process, a cell's text by column name, a filter that
 * must compile. */
#ifndef FANOTOP_TESTS_VIEW_CELLS_H
#define FANOTOP_TESTS_VIEW_CELLS_H

#include "model/filter.h"
#include "model/view.h"
#include "store_events.h"

/* An event of P (its thread is pid + 1; NULL: no process) at T. */
static inline void add(struct store *st, const struct fa_proc *p, const char *path, uint32_t types,
                       int64_t t)
{
    store_events_add(st, p, p ? p->pid + 1 : 0, path, types, t);
}

static char cellbuf[8][4096];
static int cellnext;

/* Cell text by column name (a rotating static buffer: fine for asserts). */
static inline const char *cellf(const struct view *v, size_t row, const char *col,
                                enum view_format f)
{
    int c = view_column_by_name(v, col);
    assert_true(c >= 0);
    char *buf = cellbuf[cellnext++ % 8];
    view_cell(v, row, (size_t)c, f, buf, sizeof cellbuf[0]);
    return buf;
}

static inline struct filter *compile(const char *expr)
{
    struct filter_error err;
    struct filter *f = filter_compile(expr, &err);
    if (!f)
        fail_msg("filter '%s': %s", expr, err.message);
    return f;
}

#endif
