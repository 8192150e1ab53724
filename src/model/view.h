/* Views: the rows of one table (paths, processes, types, units, events,
 * tree, process tree, or the details behind one row), made from the store through the
 * filter and sorted. A view is a snapshot: its rows keep their values until
 * the next view_refresh, which is how pause freezes the screen. The terminal
 * UI, the CSV snapshot export and batch mode all read rows through here. */
#ifndef FANOTOP_VIEW_H
#define FANOTOP_VIEW_H

#include "model/filter.h"
#include "model/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum view_kind {
    VIEW_PATHS,
    VIEW_PROCS,
    VIEW_TYPES,
    VIEW_UNITS,
    VIEW_EVENTS,
    VIEW_TREE,
    VIEW_PROCTREE,
    VIEW_CONTAINERS,
    VIEW_NKINDS,
    /* Details of one row; made only by view_details(). */
    VIEW_DETAIL_PATH = VIEW_NKINDS, /* processes that touched one path */
    VIEW_DETAIL_PROC,               /* paths one process touched */
    VIEW_DETAIL_EVENT,              /* the fields of one event */
};

/* "paths", "processes", "types", "units", "events", "tree", "proctree",
 * "containers". */
const char *view_kind_name(enum view_kind k);
/* Kind by name (accepts a unique prefix and singular forms; "proctree" only
 * whole, so that "pro" stays the processes); -1 if unknown. */
int view_kind_by_name(const char *name);

enum view_align { VIEW_LEFT, VIEW_RIGHT };

struct view_column {
    const char *name;      /* header text and CSV header; also the --sort name (lower case) */
    int width;             /* preferred screen width; 0 = takes the remaining width */
    enum view_align align;
    bool numeric;          /* sorts as a number; default direction descending */
    int prio;              /* a narrow screen drops the lowest first */
    int type;              /* the event type a per-type count column counts, or -1 */
    bool sparse;           /* often empty ("-"): dropped first when it is on screen */
};

/* The column catalogue of kind K (top-level or details), without a view:
 * the number of columns a fresh view of K has (0 for an unknown kind), and
 * column COL of them as that view shows it (a zeroed column, name NULL,
 * past the end). Names are static strings. */
size_t view_kind_ncolumns(enum view_kind k);
struct view_column view_kind_column(enum view_kind k, size_t col);
/* The extra columns of kind K, which a view shows after those once
 * view_show_extra_columns asks for them (ppid, cmdline, start ...): how
 * many, and extra column I (a zeroed column past the end). */
size_t view_kind_nextra(enum view_kind k);
struct view_column view_kind_extra(enum view_kind k, size_t i);

/* How view_cell renders a value. */
enum view_format {
    /* compact: 12:34:56 local times (with the date when the store's events
     * span more than a day), one-decimal rates; counts exact */
    VIEW_FMT_SCREEN,
    VIEW_FMT_EXPORT, /* exact: full numbers, ISO 8601 UTC times with microseconds */
};

struct view;

/* A view of ST of kind K (a top-level kind). The store must outlive it. */
struct view *view_create(struct store *st, enum view_kind k);
void view_destroy(struct view *v);

enum view_kind view_kind(const struct view *v);
/* Switch kind; keeps the filter; the sort goes to that kind's default. */
void view_set_kind(struct view *v, enum view_kind k);

/* Show kind K's extra columns after its others (in this view, the kinds it
 * switches to and the details it opens), or not; the sort stays on its
 * column when that still shows. */
void view_show_extra_columns(struct view *v, bool on);

/* The processes view folds processes with the same comm, exe or unit into
 * one row with a process count (columns: that field, procs, events, files,
 * last, rate); its details are the processes folded. Kept across kind
 * switches; the other kinds do not group. */
enum view_group { VIEW_GROUP_NONE, VIEW_GROUP_COMM, VIEW_GROUP_EXE, VIEW_GROUP_UNIT };
#define VIEW_NGROUPS 4
void view_set_group(struct view *v, enum view_group g);
enum view_group view_group(const struct view *v);
/* "none", "comm", "exe", "unit"; and back (-1 if unknown). */
const char *view_group_name(enum view_group g);
int view_group_by_name(const char *name);
/* The field a processes view made by view_details of a group (or unit) row
 * is limited to: VIEW_GROUP_UNIT for a unit's, NONE for any other view. */
enum view_group view_limited_to(const struct view *v);

/* F may be NULL (no filter). The view keeps the pointer: keep F alive until
 * the next view_set_filter. Takes effect at the next view_refresh. */
void view_set_filter(struct view *v, const struct filter *f);

/* Sort by column COL (index into the columns), descending or not. Takes
 * effect at once (rows are re-sorted). */
void view_set_sort(struct view *v, size_t col, bool descending);
size_t view_sort_column(const struct view *v);
bool view_sort_descending(const struct view *v);
/* Column index by (case-insensitive) name, or -1. */
int view_column_by_name(const struct view *v, const char *name);

/* Rebuild the rows from the store (filter, roll up, sort). NOW_NS is the
 * wall clock used for rates and ages. */
void view_refresh(struct view *v, int64_t now_ns);

size_t view_ncolumns(const struct view *v);
const struct view_column *view_column(const struct view *v, size_t col);

/* Rows after the filter, and rows before it (for "shown / total"). The tree
 * counts shown rows as rows, and every node of the filtered tree as total. */
size_t view_nrows(const struct view *v);
size_t view_total_rows(const struct view *v);
/* True when the last refresh ran out of memory: rows may be missing, and
 * no row is not "nothing matches". */
bool view_short_of_memory(const struct view *v);

/* What the filter selects in the whole store as of the last refresh: its
 * events (an event the kernel merged from several selected types counts
 * once) and their rate; the store's totals when no filter is active. */
void view_matching(const struct view *v, uint64_t *events, double *rate);
/* The event types some row of V counts (FA_BIT set; 0 for kinds without
 * per-type counts). */
uint32_t view_types_present(const struct view *v);
/* The sum of ROW's per-type counts over TYPES (0 for kinds without them). */
uint64_t view_row_type_count(const struct view *v, size_t row, uint32_t types);

/* Write cell (ROW, COL) into BUF as raw bytes (not escaped: paths are
 * bytes), NUL-terminated, cut to LEN-1; returns the full length it needed. */
size_t view_cell(const struct view *v, size_t row, size_t col, enum view_format fmt, char *buf,
                 size_t len);

/* A stable identity for ROW (e.g. the path or process id), so the UI can
 * keep its cursor on the same row across refreshes; 0 if none. */
uint64_t view_row_key(const struct view *v, size_t row);
/* Row index with that key, or -1. */
long view_find_key(const struct view *v, uint64_t key);

/* Details of ROW: a new view of kind VIEW_DETAIL_PATH or VIEW_DETAIL_PROC (or
 * NULL when the row has none, e.g. a type row). TITLE gets the full path or
 * the full command line. It is a snapshot; view_refresh refreshes it.
 * It starts with V's filter (keep that alive, or view_set_filter it). A
 * units or containers row gives a VIEW_PROCS view limited to that unit; an
 * events row a VIEW_DETAIL_EVENT view of every field of that event (TITLE:
 * its command line); rows of details views have details too (a path's
 * process, a process's path, an event's path or process). */
struct view *view_details(const struct view *v, size_t row, char *title, size_t title_len);

/* The tree kinds (tree, proctree): is V one? Expand or collapse the node
 * (directory, process with children) at ROW; expand or collapse all. No
 * effect on other kinds. Takes effect at once. */
bool view_is_tree(const struct view *v);
void view_tree_toggle(struct view *v, size_t row);
void view_tree_set(struct view *v, size_t row, bool expanded);
void view_tree_all(struct view *v, bool expanded);
/* Depth of ROW in the tree (0 for others) and whether it is a node that
 * expands (a directory, a process with children). */
int view_tree_depth(const struct view *v, size_t row);
bool view_tree_is_dir(const struct view *v, size_t row, bool *expanded);
/* Is ROW shown only as the ancestor of a row the filter kept (proctree)? */
bool view_row_dimmed(const struct view *v, size_t row);

/* The processes behind ROW, at most MAX into OUT (identities in the
 * proctab; the same process once): a process row, every process of a group
 * row, a process tree node, an event's or a path details' process. Returns
 * how many there are (possibly more than MAX); 0 for rows of no process. */
size_t view_row_procs(const struct view *v, size_t row, const struct fa_proc **out, size_t max);

/* The process a VIEW_DETAIL_PROC view is about, or NULL. */
const struct fa_proc *view_details_proc(const struct view *v);

#endif
