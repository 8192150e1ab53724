/* Process lineage: the proctab links identities to their parents (by pid
 * and start time, late when a parent comes after its child, never in a
 * loop) and let a name and command line read late complete an identity;
 * the process tree nests processes under them with own and subtree counts,
 * keeps ancestors without rows, dims what only the filter's matches need,
 * opens and closes; the processes view groups by comm, exe or unit; extra
 * columns; the processes behind a row. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/filter.h"
#include "model/store.h"
#include "model/view.h"
#include "pipe/proctab.h"
#include "store_events.h"

#include <stdio.h>
#include <string.h>

#define SEC INT64_C(1000000000)
#define T0  (INT64_C(1795341600) * SEC)

/* An identity with the strings tests do not care about. */
static struct fa_proc ident(uint32_t id, int32_t pid, int32_t ppid, const char *comm, int64_t start)
{
    return (struct fa_proc){.id = id,
                            .pid = pid,
                            .ppid = ppid,
                            .uid = 1000,
                            .user = "alice",
                            .comm = comm,
                            .exe = "",
                            .cmdline = "",
                            .unit = "session-3.scope",
                            .start_ns = start};
}

static const struct fa_proc *put(struct proctab *t, uint32_t id, int32_t pid, int32_t ppid,
                                 const char *comm, int64_t start)
{
    struct fa_proc p = ident(id, pid, ppid, comm, start);
    const struct fa_proc *e = proctab_add(t, &p);
    assert_non_null(e);
    return e;
}

/* ---- the proctab's links ---- */

static void parent_is_the_process_that_started_last_before_the_child(void **state)
{
    (void)state;
    struct proctab *t = proctab_create();
    const struct fa_proc *old = put(t, 1, 100, 1, "old", T0 + 1 * SEC);
    const struct fa_proc *sh = put(t, 2, 100, 1, "sh", T0 + 5 * SEC); /* pid 100 reused */
    const struct fa_proc *kid = put(t, 3, 200, 100, "make", T0 + 6 * SEC);
    const struct fa_proc *early = put(t, 4, 201, 100, "early", T0 + 2 * SEC);
    assert_ptr_equal(kid->parent, sh);
    assert_ptr_equal(early->parent, old);
    /* pid 100 reused once more, later: children of before keep their parent */
    put(t, 5, 100, 1, "new", T0 + 9 * SEC);
    assert_ptr_equal(kid->parent, sh);
    /* An exec'd identity of the same process is as good a parent. */
    const struct fa_proc *sh2 = put(t, 6, 200, 100, "cc", T0 + 6 * SEC);
    const struct fa_proc *grandkid = put(t, 7, 300, 200, "as", T0 + 7 * SEC);
    assert_ptr_equal(grandkid->parent, sh2);
    assert_null(old->parent); /* pid 1 is not held */
    proctab_destroy(t);
}

static void a_parent_that_comes_later_is_linked_then(void **state)
{
    (void)state;
    struct proctab *t = proctab_create();
    /* Start times unknown (a recording from before they were kept). */
    const struct fa_proc *kid = put(t, 1, 4242, 1, "cat", 0);
    assert_null(kid->parent);
    const struct fa_proc *init = put(t, 2, 1, 0, "init", 0);
    assert_ptr_equal(kid->parent, init);
    /* A candidate that started after the child is not its parent. */
    const struct fa_proc *orphan = put(t, 3, 500, 77, "x", T0);
    put(t, 4, 77, 1, "later", T0 + SEC);
    assert_null(orphan->parent);
    const struct fa_proc *real = put(t, 5, 77, 1, "real", T0 - SEC);
    assert_ptr_equal(orphan->parent, real);
    proctab_destroy(t);
}

static void links_never_close_a_loop(void **state)
{
    (void)state;
    struct proctab *t = proctab_create();
    /* A replayed file may say anything: 10 is 20's parent and 20 is 10's. */
    const struct fa_proc *a = put(t, 1, 10, 20, "a", 0);
    const struct fa_proc *b = put(t, 2, 20, 10, "b", 0);
    assert_true(a->parent == NULL || b->parent == NULL);
    const struct fa_proc *self = put(t, 3, 30, 30, "self", 0);
    assert_null(self->parent);
    /* A chain of any depth ends. */
    int depth = 0;
    for (const struct fa_proc *p = b; p && depth < 10; p = p->parent)
        depth++;
    assert_true(depth < 10);
    proctab_destroy(t);
}

/* ---- the process tree ---- */

/* sshd > bash > sh > make > cc1 cc1 sed, bash > loop > 10 cats; sshd and
 * bash never touch a file. */
struct forest {
    struct proctab *t;
    struct store *st;
    const struct fa_proc *sshd, *bash, *sh, *make, *cc[2], *sed, *loop, *cat[10];
};

static void forest_make(struct forest *f)
{
    f->t = proctab_create();
    f->st = store_create(NULL);
    f->sshd = put(f->t, 1, 800, 1, "sshd", T0 - 100 * SEC);
    f->bash = put(f->t, 2, 900, 800, "bash", T0 - 90 * SEC);
    f->sh = put(f->t, 3, 1100, 900, "sh", T0);
    f->make = put(f->t, 4, 1200, 1100, "make", T0 + SEC);
    f->cc[0] = put(f->t, 5, 1301, 1200, "cc1", T0 + 2 * SEC);
    f->cc[1] = put(f->t, 6, 1302, 1200, "cc1", T0 + 2 * SEC);
    f->sed = put(f->t, 7, 1400, 1200, "sed", T0 + 3 * SEC);
    f->loop = put(f->t, 8, 1500, 900, "loop", T0 + 4 * SEC);
    for (int i = 0; i < 10; i++)
        f->cat[i] = put(f->t, 9 + (uint32_t)i, 1600 + i, 1500, "cat", T0 + 5 * SEC);
    store_events_add(f->st, f->sh, 1100, "/home/alice/build.sh", FA_BIT(FA_OPEN), T0);
    store_events_add(f->st, f->make, 1200, "/src/Makefile", FA_BIT(FA_OPEN), T0 + SEC);
    store_events_add(f->st, f->cc[0], 1301, "/src/a.o", FA_BIT(FA_CLOSE_WRITE), T0 + 2 * SEC);
    store_events_add(f->st, f->cc[1], 1302, "/src/b.o", FA_BIT(FA_CLOSE_WRITE), T0 + 2 * SEC);
    store_events_add(f->st, f->sed, 1400, "/etc/app.conf", FA_BIT(FA_OPEN), T0 + 3 * SEC);
    store_events_add(f->st, f->sed, 1400, "/etc/app.conf", FA_BIT(FA_MOVED_TO), T0 + 3 * SEC);
    store_events_add(f->st, f->loop, 1500, "/loop.sh", FA_BIT(FA_OPEN), T0 + 4 * SEC);
    for (int i = 0; i < 10; i++)
        store_events_add(f->st, f->cat[i], 1600 + i, "/etc/hosts", FA_BIT(FA_OPEN), T0 + 5 * SEC);
}

static void forest_free(struct forest *f)
{
    store_destroy(f->st);
    proctab_destroy(f->t);
}

static char cellbuf[8][256];
static int cellnext;

static const char *cell(const struct view *v, size_t row, const char *col)
{
    int c = view_column_by_name(v, col);
    assert_true(c >= 0);
    char *buf = cellbuf[cellnext++ % 8];
    view_cell(v, row, (size_t)c, VIEW_FMT_EXPORT, buf, sizeof cellbuf[0]);
    return buf;
}

/* "comm pid depth" of every row, one a line, dimmed rows marked "~". */
static const char *rows_of(const struct view *v)
{
    static char out[4096];
    size_t at = 0;
    for (size_t r = 0; r < view_nrows(v) && at < sizeof out - 64; r++)
        at += (size_t)snprintf(out + at, sizeof out - at, "%s%s %s %d\n",
                               view_row_dimmed(v, r) ? "~" : "", cell(v, r, "comm"),
                               cell(v, r, "pid"), view_tree_depth(v, r));
    out[at] = '\0';
    return out;
}

static void proctree_nests_processes_under_their_parents(void **state)
{
    (void)state;
    struct forest f;
    forest_make(&f);
    struct view *v = view_create(f.st, VIEW_PROCTREE);
    assert_string_equal(view_kind_name(VIEW_PROCTREE), "proctree");
    assert_int_equal(view_kind_by_name("proctree"), VIEW_PROCTREE);
    assert_int_equal(view_kind_by_name("pro"), VIEW_PROCS); /* a prefix: still the processes */
    assert_true(view_is_tree(v));
    view_refresh(v, T0 + 10 * SEC);
    /* Sorted by pid among siblings; ancestors without events dimmed. */
    assert_string_equal(rows_of(v), "~sshd 800 0\n"
                                    "~bash 900 1\n"
                                    "sh 1100 2\n"
                                    "make 1200 3\n"
                                    "cc1 1301 4\n"
                                    "cc1 1302 4\n"
                                    "sed 1400 4\n"
                                    "loop 1500 2\n"
                                    "cat 1600 3\n"
                                    "cat 1601 3\n"
                                    "cat 1602 3\n"
                                    "cat 1603 3\n"
                                    "cat 1604 3\n"
                                    "cat 1605 3\n"
                                    "cat 1606 3\n"
                                    "cat 1607 3\n"
                                    "cat 1608 3\n"
                                    "cat 1609 3\n");
    assert_int_equal(view_total_rows(v), 18);
    /* Own counts and subtree totals. */
    assert_string_equal(cell(v, 0, "events"), "0");
    assert_string_equal(cell(v, 0, "subtree"), "17");
    assert_string_equal(cell(v, 0, "procs"), "16");
    assert_string_equal(cell(v, 3, "events"), "1");
    assert_string_equal(cell(v, 3, "subtree"), "5");
    assert_string_equal(cell(v, 3, "procs"), "4");
    assert_string_equal(cell(v, 6, "events"), "2");
    assert_string_equal(cell(v, 6, "files"), "1");
    bool open;
    assert_true(view_tree_is_dir(v, 3, &open));
    assert_true(open);
    assert_false(view_tree_is_dir(v, 4, NULL));
    view_destroy(v);
    forest_free(&f);
}

static void proctree_filter_keeps_ancestors_dimmed(void **state)
{
    (void)state;
    struct forest f;
    forest_make(&f);
    struct view *v = view_create(f.st, VIEW_PROCTREE);
    struct filter_error err;
    struct filter *flt = filter_compile("path:^/etc/app", &err);
    assert_non_null(flt);
    view_set_filter(v, flt);
    view_refresh(v, T0 + 10 * SEC);
    assert_string_equal(rows_of(v), "~sshd 800 0\n"
                                    "~bash 900 1\n"
                                    "~sh 1100 2\n"
                                    "~make 1200 3\n"
                                    "sed 1400 4\n");
    assert_string_equal(cell(v, 0, "subtree"), "2");
    assert_string_equal(cell(v, 3, "events"), "0");
    view_destroy(v);
    filter_free(flt);
    forest_free(&f);
}

static void proctree_opens_and_closes(void **state)
{
    (void)state;
    struct forest f;
    forest_make(&f);
    struct view *v = view_create(f.st, VIEW_PROCTREE);
    view_refresh(v, T0 + 10 * SEC);
    view_tree_toggle(v, 7); /* the loop: its cats go */
    assert_int_equal(view_nrows(v), 8);
    bool open = true;
    assert_true(view_tree_is_dir(v, 7, &open));
    assert_false(open);
    /* The state is kept by process, across refreshes. */
    view_refresh(v, T0 + 10 * SEC);
    assert_int_equal(view_nrows(v), 8);
    view_tree_set(v, 7, true);
    assert_int_equal(view_nrows(v), 18);
    view_tree_all(v, false);
    assert_string_equal(rows_of(v), "~sshd 800 0\n");
    view_tree_all(v, true);
    assert_int_equal(view_nrows(v), 18);
    view_destroy(v);
    forest_free(&f);
}

static void proctree_merges_a_process_identities_across_exec(void **state)
{
    (void)state;
    struct proctab *t = proctab_create();
    struct store *st = store_create(NULL);
    const struct fa_proc *sh = put(t, 1, 100, 1, "sh", T0);
    const struct fa_proc *fork = put(t, 2, 200, 100, "sh", T0 + SEC);
    const struct fa_proc *exec = put(t, 3, 200, 100, "make", T0 + SEC);
    const struct fa_proc *reused = put(t, 4, 200, 1, "other", T0 + 9 * SEC);
    store_events_add(st, sh, 100, "/a", FA_BIT(FA_OPEN), T0);
    store_events_add(st, fork, 200, "/b", FA_BIT(FA_OPEN), T0 + SEC);
    store_events_add(st, exec, 200, "/c", FA_BIT(FA_OPEN), T0 + 2 * SEC);
    store_events_add(st, reused, 200, "/d", FA_BIT(FA_OPEN), T0 + 9 * SEC);
    struct view *v = view_create(st, VIEW_PROCTREE);
    view_refresh(v, T0 + 10 * SEC);
    /* One node for pid 200 before and after its exec, named by the later
     * identity; the process that took pid 200 later is another. */
    assert_string_equal(rows_of(v), "sh 100 0\n"
                                    "make 200 1\n"
                                    "other 200 0\n");
    assert_string_equal(cell(v, 1, "events"), "2");
    assert_string_equal(cell(v, 1, "files"), "2");
    const struct fa_proc *procs[4];
    assert_int_equal(view_row_procs(v, 1, procs, 4), 1);
    assert_int_equal(procs[0]->pid, 200);
    assert_true(procs[0]->start_ns == T0 + SEC);
    view_destroy(v);
    store_destroy(st);
    proctab_destroy(t);
}

/* An exec named at the open of its file, its arguments (and the kernel's
 * name for it) read a moment later: one identity (as a replay, which has
 * no command lines, makes it); any other difference is a new one. */
static void a_name_and_command_line_read_late_complete_the_identity(void **state)
{
    (void)state;
    struct proctab *t = proctab_create();
    struct fa_proc named = ident(1, 300, 200, "sleep", T0);
    named.exe = "/usr/bin/sleep";
    const struct fa_proc *e = proctab_add(t, &named);
    struct fa_proc full = named;
    full.id = 2, full.cmdline = "sleep 600";
    assert_ptr_equal(proctab_add(t, &full), e);
    assert_ptr_equal(proctab_get(t, 2), e);
    assert_string_equal(e->cmdline, "sleep 600");
    assert_int_equal(proctab_count(t), 1);
    /* Known already: the same answer again (a re-sent identity). */
    assert_ptr_equal(proctab_add(t, &full), e);
    /* A new user, or another command line of a process that has one, is
     * a new identity. */
    struct fa_proc dropped = full;
    dropped.id = 3, dropped.uid = 65534, dropped.user = "nobody";
    const struct fa_proc *d = proctab_add(t, &dropped);
    assert_ptr_not_equal(d, e);
    struct fa_proc other = dropped;
    other.id = 4, other.cmdline = "sleep 5";
    assert_ptr_not_equal(proctab_add(t, &other), d);
    /* dash run as sh: named after its file, then as the kernel names it. */
    struct fa_proc dash = ident(5, 400, 200, "dash", T0);
    dash.exe = "/usr/bin/dash";
    const struct fa_proc *sh = proctab_add(t, &dash);
    struct fa_proc as_sh = dash;
    as_sh.id = 6, as_sh.comm = "sh", as_sh.cmdline = "sh -c x";
    assert_ptr_equal(proctab_add(t, &as_sh), sh);
    assert_string_equal(sh->comm, "sh");
    assert_string_equal(proctab_get(t, 6)->cmdline, "sh -c x");
    /* A name of its own (not its file's) that changes is a rename. */
    struct fa_proc worker = ident(7, 500, 200, "worker", T0);
    worker.exe = "/usr/bin/python3.11";
    const struct fa_proc *w = proctab_add(t, &worker);
    struct fa_proc renamed = worker;
    renamed.id = 8, renamed.comm = "other", renamed.cmdline = "python3 w.py";
    assert_ptr_not_equal(proctab_add(t, &renamed), w);
    assert_string_equal(w->comm, "worker");
    /* The pid reused: another process, even alike. */
    put(t, 9, 600, 200, "cat", T0);
    struct fa_proc reused = ident(10, 600, 200, "cat", T0 + SEC);
    reused.cmdline = "cat f";
    assert_string_equal(proctab_add(t, &reused)->cmdline, "cat f");
    assert_string_equal(proctab_get(t, 9)->cmdline, "");
    assert_int_equal(proctab_count(t), 8); /* ids 2 and 6 name ids 1 and 5 */
    proctab_destroy(t);
}

/* A filter typed before a process's name and command line were read
 * matches its events once they are. */
static void a_filter_sees_a_name_and_command_line_read_late(void **state)
{
    (void)state;
    struct proctab *t = proctab_create();
    struct store *st = store_create(NULL);
    struct fa_proc dash = ident(1, 300, 200, "dash", T0);
    dash.exe = "/usr/bin/dash";
    const struct fa_proc *p = proctab_add(t, &dash);
    store_events_add(st, p, 300, "/bin/dash", FA_BIT(FA_OPEN_EXEC), T0);
    struct view *v = view_create(st, VIEW_PROCS);
    struct filter_error err;
    struct filter *flt = filter_compile("comm:^sh$ cmd:600", &err);
    assert_non_null(flt);
    view_set_filter(v, flt);
    view_refresh(v, T0 + SEC);
    assert_int_equal(view_nrows(v), 0);
    struct fa_proc full = dash;
    full.id = 2, full.comm = "sh", full.cmdline = "sh -c 'sleep 600'";
    assert_ptr_equal(proctab_add(t, &full), p);
    store_events_add(st, p, 300, "/bin/dash", FA_BIT(FA_ACCESS), T0 + SEC);
    view_refresh(v, T0 + 2 * SEC);
    assert_int_equal(view_nrows(v), 1);
    assert_string_equal(cell(v, 0, "events"), "2");
    view_destroy(v);
    filter_free(flt);
    store_destroy(st);
    proctab_destroy(t);
}

/* ---- grouping, extra columns, the processes of a row ---- */

static void processes_group_by_comm_exe_unit(void **state)
{
    (void)state;
    struct forest f;
    forest_make(&f);
    struct view *v = view_create(f.st, VIEW_PROCS);
    view_refresh(v, T0 + 10 * SEC);
    assert_int_equal(view_nrows(v), 16);
    assert_int_equal(view_group_by_name("comm"), VIEW_GROUP_COMM);
    assert_int_equal(view_group_by_name("bogus"), -1);
    view_set_group(v, VIEW_GROUP_COMM);
    assert_int_equal(view_nrows(v), 0); /* no rows of the old kind until the refresh */
    view_refresh(v, T0 + 10 * SEC);
    assert_int_equal(view_group(v), VIEW_GROUP_COMM);
    static const char *const names[] = {"comm", "procs", "events", "files", "last", "rate"};
    assert_int_equal(view_ncolumns(v), 6);
    for (size_t c = 0; c < 6; c++)
        assert_string_equal(view_column(v, c)->name, names[c]);
    assert_int_equal(view_nrows(v), 6);
    assert_string_equal(cell(v, 0, "comm"), "cat"); /* sorted by events */
    assert_string_equal(cell(v, 0, "procs"), "10");
    assert_string_equal(cell(v, 0, "events"), "10");
    assert_string_equal(cell(v, 0, "files"), "1"); /* one file, however many cats */
    const struct fa_proc *procs[16];
    assert_int_equal(view_row_procs(v, 0, procs, 16), 10);
    /* Its details: those processes. */
    char title[64];
    struct view *d = view_details(v, 0, title, sizeof title);
    assert_non_null(d);
    assert_string_equal(title, "cat");
    assert_int_equal(view_kind(d), VIEW_PROCS);
    assert_int_equal(view_limited_to(d), VIEW_GROUP_COMM);
    assert_int_equal(view_nrows(d), 10);
    view_destroy(d);
    view_set_group(v, VIEW_GROUP_UNIT);
    view_refresh(v, T0 + 10 * SEC);
    assert_int_equal(view_nrows(v), 1);
    assert_string_equal(cell(v, 0, "procs"), "16");
    /* Other kinds do not group; the processes view again does. */
    view_set_kind(v, VIEW_PATHS);
    view_refresh(v, T0 + 10 * SEC);
    assert_string_equal(view_column(v, 0)->name, "path");
    view_set_kind(v, VIEW_PROCS);
    view_refresh(v, T0 + 10 * SEC);
    assert_string_equal(view_column(v, 0)->name, "unit");
    view_set_group(v, VIEW_GROUP_NONE);
    view_refresh(v, T0 + 10 * SEC);
    assert_int_equal(view_nrows(v), 16);
    assert_int_equal(view_ncolumns(v), 9);
    view_destroy(v);
    forest_free(&f);
}

static void extra_columns_show_lineage_and_start(void **state)
{
    (void)state;
    struct forest f;
    forest_make(&f);
    assert_int_equal(view_kind_nextra(VIEW_PROCS), 4);
    assert_string_equal(view_kind_extra(VIEW_PROCS, 0).name, "ppid");
    assert_null(view_kind_extra(VIEW_PROCS, 4).name);
    assert_string_equal(view_kind_extra(VIEW_EVENTS, 1).name, "parent");
    struct view *v = view_create(f.st, VIEW_PROCS);
    size_t n = view_ncolumns(v);
    view_set_sort(v, (size_t)view_column_by_name(v, "pid"), false);
    view_show_extra_columns(v, true);
    assert_int_equal(view_ncolumns(v), n + 4);
    assert_string_equal(view_column(v, view_sort_column(v))->name, "pid"); /* kept */
    view_refresh(v, T0 + 10 * SEC);
    assert_string_equal(cell(v, 0, "comm"), "sh");
    assert_string_equal(cell(v, 0, "ppid"), "900");
    assert_string_equal(cell(v, 0, "parent"), "bash");
    assert_string_equal(cell(v, 0, "start"), "2026-11-22T10:00:00.000000Z");
    assert_int_equal(view_column(v, (size_t)view_column_by_name(v, "cmdline"))->width, 0);
    /* Details inherit them: a process row's paths, a path's processes. */
    struct view *d = view_details(v, 0, NULL, 0);
    assert_non_null(view_details_proc(d));
    assert_ptr_equal(view_details_proc(d), f.sh);
    struct view *dd = view_details(d, 0, NULL, 0);
    assert_true(view_column_by_name(dd, "parent") >= 0);
    view_destroy(dd);
    view_destroy(d);
    /* The events view: a row's process; its ppid and parent. */
    view_set_kind(v, VIEW_EVENTS);
    view_refresh(v, T0 + 10 * SEC);
    assert_string_equal(cell(v, 0, "parent"), "bash");
    const struct fa_proc *procs[2];
    assert_int_equal(view_row_procs(v, 0, procs, 2), 1);
    assert_ptr_equal(procs[0], f.sh);
    view_show_extra_columns(v, false);
    assert_int_equal(view_column_by_name(v, "parent"), -1);
    /* Rows of no process: paths, types. */
    view_set_kind(v, VIEW_TYPES);
    view_refresh(v, T0 + 10 * SEC);
    assert_int_equal(view_row_procs(v, 0, procs, 2), 0);
    view_destroy(v);
    forest_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parent_is_the_process_that_started_last_before_the_child),
        cmocka_unit_test(a_parent_that_comes_later_is_linked_then),
        cmocka_unit_test(links_never_close_a_loop),
        cmocka_unit_test(proctree_nests_processes_under_their_parents),
        cmocka_unit_test(proctree_filter_keeps_ancestors_dimmed),
        cmocka_unit_test(proctree_opens_and_closes),
        cmocka_unit_test(proctree_merges_a_process_identities_across_exec),
        cmocka_unit_test(a_name_and_command_line_read_late_complete_the_identity),
        cmocka_unit_test(a_filter_sees_a_name_and_command_line_read_late),
        cmocka_unit_test(processes_group_by_comm_exe_unit),
        cmocka_unit_test(extra_columns_show_lineage_and_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
