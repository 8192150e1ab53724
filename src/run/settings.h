/* Settings file: $XDG_CONFIG_HOME/fanotop/fanotoprc (default
 * ~/.config/fanotop/fanotoprc), one key=value per line, '#' comments.
 * Keys: delay, color, mouse, view, columns.VIEW (comma-separated column
 * names in display order), sort.VIEW (COLUMN,asc or COLUMN,desc), filter
 * (one line per remembered filter, oldest first). Unknown keys and broken
 * lines are warned about and ignored. No curses. */
#ifndef FANOTOP_SETTINGS_H
#define FANOTOP_SETTINGS_H

#include "model/view.h"

#include <stdbool.h>
#include <stddef.h>

#define SETTINGS_MAX_HISTORY 50

struct settings {
    double delay;                /* seconds, 0 = not set */
    int color;                   /* -1 not set, 0 off, 1 on */
    int mouse;                   /* -1 not set, 0 off, 1 on */
    char *view;                  /* start view name or NULL */
    char *columns[VIEW_NKINDS];  /* visible columns per view, NULL = all */
    char *sort[VIEW_NKINDS];     /* sort column and direction per view, NULL = default */
    char *history[SETTINGS_MAX_HISTORY]; /* filter history, oldest first */
    size_t nhistory;
};

/* Where the file lives; writes the path into BUF. False when neither
 * XDG_CONFIG_HOME nor HOME is set. */
bool settings_path(char *buf, size_t len);

/* Empty settings (nothing set). */
void settings_init(struct settings *s);
void settings_free(struct settings *s);

/* Read PATH into S. A missing file is not an error (returns 0). Each broken
 * line calls WARN with a one-line message naming the file and line
 * ("fanotoprc:3: unknown key 'colour'") and is otherwise ignored. Returns -1
 * only when the file exists but cannot be read (message in ERR). */
int settings_load(struct settings *s, const char *path,
                  void (*warn)(const char *msg, void *ctx), void *ctx, char *err, size_t errlen);

/* Write S to PATH atomically (temp file + rename), creating the directory.
 * Returns 0, or -1 with "cannot write PATH: reason" in ERR. */
int settings_save(const struct settings *s, const char *path, char *err, size_t errlen);

/* Read a sort.VIEW value ("COLUMN" or "COLUMN,asc" / "COLUMN,desc") for
 * kind K: the column's index in the kind's catalogue, and *DIR 1 for
 * descending, 0 for ascending, -1 when not given. False for a column the
 * kind does not have. */
bool settings_sort_parse(enum view_kind k, const char *value, size_t *col, int *dir);

/* Remember filter text EXPR (moved to the newest place if already there). */
void settings_add_history(struct settings *s, const char *expr);

#endif
