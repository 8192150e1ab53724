/* The store: counts per type and per (path, process) pair, eviction of the
 * least recently seen paths at max_rows, the bounded recent-events log,
 * reset, rates and the directory table behind the tree view. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/store.h"
#include "pipe/proctab.h"
#include "store_events.h"
#include "model/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEC INT64_C(1000000000)
#define T0  (INT64_C(1795860000) * SEC) /* 2026-11-28 */

static const struct fa_proc cat = {.id = 1,
                                   .pid = 100,
                                   .ppid = 1,
                                   .uid = 0,
                                   .user = "root",
                                   .comm = "cat",
                                   .exe = "/usr/bin/cat",
                                   .cmdline = "cat x",
                                   .unit = "ssh.service"};
static const struct fa_proc vim = {.id = 2,
                                   .pid = 200,
                                   .ppid = 1,
                                   .uid = 1000,
                                   .user = "alice",
                                   .comm = "vim",
                                   .exe = "/usr/bin/vim",
                                   .cmdline = "vim x",
                                   .unit = ""};

static void add(struct store *st, const struct fa_proc *p, const char *path, uint32_t types,
                int64_t t)
{
    store_events_add(st, p, p ? p->pid : 0, path, types, t);
}

static bool has_path(const struct store *st, const char *path)
{
    return store_find_path(st, path, strlen(path)) != STORE_NONE;
}

static const struct store_pair *pair_of(const struct store *st, const char *path,
                                        const struct fa_proc *p)
{
    uint32_t s = store_find_path(st, path, strlen(path));
    if (s == STORE_NONE)
        return NULL;
    struct store_view sv;
    store_internal_view(st, &sv);
    for (uint32_t q = sv.paths[s].pairs; q != STORE_NONE; q = sv.pairs[q].next)
        if (sv.pairs[q].proc == p)
            return &sv.pairs[q];
    return NULL;
}

/* N processes called "p", ids and pids from 10. */
static void make_procs(struct fa_proc *procs, int n)
{
    for (int i = 0; i < n; i++)
        procs[i] = (struct fa_proc){.id = (uint32_t)i + 10,
                                    .pid = i + 10,
                                    .user = "",
                                    .comm = "p",
                                    .exe = "",
                                    .cmdline = "",
                                    .unit = ""};
}

static void counts_events_per_type_and_pair(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, &cat, "/etc/hosts", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/etc/hosts", FA_BIT(FA_ACCESS) | FA_BIT(FA_CLOSE_NOWRITE), T0 + 1);
    add(st, &vim, "/etc/hosts", FA_BIT(FA_MODIFY), T0 + 2);
    add(st, &vim, "/tmp/x", FA_BIT(FA_CREATE), T0 + 3);
    struct store_totals tot;
    store_get_totals(st, &tot);
    /* A merged kernel event is one event but counts under each of its types. */
    assert_int_equal(tot.events, 4);
    assert_int_equal(tot.per_type[FA_OPEN], 1);
    assert_int_equal(tot.per_type[FA_ACCESS], 1);
    assert_int_equal(tot.per_type[FA_CLOSE_NOWRITE], 1);
    assert_int_equal(tot.per_type[FA_MODIFY], 1);
    assert_int_equal(tot.per_type[FA_CREATE], 1);
    assert_int_equal(tot.paths, 2);
    assert_int_equal(tot.pairs, 3);
    assert_int_equal(tot.overflows, 0);
    assert_int_equal(tot.evictions, 0);

    const struct store_pair *p = pair_of(st, "/etc/hosts", &cat);
    assert_non_null(p);
    assert_int_equal(p->events, 2);
    assert_int_equal(store_pair_count(p, FA_OPEN), 1);
    assert_int_equal(store_pair_count(p, FA_ACCESS), 1);
    assert_int_equal(store_pair_count(p, FA_MODIFY), 0);
    assert_int_equal(p->first_ns, T0);
    assert_int_equal(p->last_ns, T0 + 1);
    store_destroy(st);
}

static void event_without_process_gets_placeholder(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, NULL, "/a", FA_BIT(FA_OPEN), T0);
    const struct store_pair *p = pair_of(st, "/a", &proctab_unknown);
    assert_non_null(p);
    assert_string_equal(p->proc->comm, "?");
    struct fa_event ev;
    store_log_get(st, 0, &ev);
    assert_ptr_equal(ev.proc, &proctab_unknown);
    store_destroy(st);
}

static void evicts_least_recently_seen_path_at_max_rows(void **state)
{
    (void)state;
    struct store_config cfg = {.max_rows = 3};
    struct store *st = store_create(&cfg);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/b", FA_BIT(FA_OPEN), T0 + 1);
    add(st, &vim, "/b", FA_BIT(FA_OPEN), T0 + 1);
    add(st, &cat, "/c", FA_BIT(FA_OPEN), T0 + 2);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0 + 3); /* /a is now the most recent */
    add(st, &cat, "/d", FA_BIT(FA_OPEN), T0 + 4); /* evicts /b and its two pairs */
    struct store_totals tot;
    store_get_totals(st, &tot);
    assert_int_equal(tot.paths, 3);
    assert_int_equal(tot.pairs, 3);
    assert_int_equal(tot.evictions, 1);
    assert_true(has_path(st, "/a"));
    assert_false(has_path(st, "/b"));
    assert_true(has_path(st, "/c"));
    assert_true(has_path(st, "/d"));
    add(st, &cat, "/e", FA_BIT(FA_OPEN), T0 + 5); /* evicts /c */
    add(st, &cat, "/b", FA_BIT(FA_OPEN), T0 + 6); /* back as new: evicts /a */
    store_get_totals(st, &tot);
    assert_int_equal(tot.evictions, 3);
    assert_false(has_path(st, "/c"));
    assert_false(has_path(st, "/a"));
    assert_true(has_path(st, "/b"));
    assert_int_equal(pair_of(st, "/b", &cat)->events, 1); /* counts restart */
    assert_null(pair_of(st, "/b", &vim));
    /* Totals still count every event, evicted or not. */
    assert_int_equal(tot.events, 8);
    store_destroy(st);
}

/* Many inserts and evictions: every held path is still found through the
 * hash index (backward-shift deletion keeps probe chains whole). */
static void index_stays_whole_under_heavy_eviction(void **state)
{
    (void)state;
    struct store_config cfg = {.max_rows = 500};
    struct store *st = store_create(&cfg);
    char path[64];
    for (int i = 0; i < 20000; i++) {
        snprintf(path, sizeof path, "/d%d/f%d", i % 37, i);
        add(st, (i & 1) ? &cat : &vim, path, FA_BIT(FA_OPEN), T0 + i);
        if (i % 7 == 0) { /* keep some old paths recent */
            snprintf(path, sizeof path, "/d%d/f%d", (i / 2) % 37, i / 2);
            add(st, &cat, path, FA_BIT(FA_ACCESS), T0 + i);
        }
    }
    struct store_totals tot;
    store_get_totals(st, &tot);
    assert_int_equal(tot.paths, 500);
    struct store_view sv;
    store_internal_view(st, &sv);
    size_t live = 0, pairs = 0;
    for (size_t s = 0; s < sv.npath_slots; s++) {
        if (!sv.paths[s].gen)
            continue;
        live++;
        assert_int_equal(store_find_path(st, sv.paths[s].str, sv.paths[s].len), s);
        for (uint32_t q = sv.paths[s].pairs; q != STORE_NONE; q = sv.pairs[q].next) {
            assert_int_equal(sv.pairs[q].path, s);
            pairs++;
        }
    }
    assert_int_equal(live, 500);
    assert_int_equal(pairs, tot.pairs);
    /* Every directory node is referenced by something that is held. */
    for (size_t d = 0; d < sv.ndir_slots; d++)
        if (sv.dirs[d].gen)
            assert_true(sv.dirs[d].refs > 0);
    assert_true(tot.evictions >= 20000 - 500);
    store_destroy(st);
}

/* --max-rows counts paths only: the pair cap folds the least recently seen
 * pairs into their path's "(others)" pair, so no path goes and every
 * path's counts stay whole. */
static void pair_cap_folds_pairs_and_keeps_every_path(void **state)
{
    (void)state;
    struct store_config cfg = {.max_rows = 2, .max_pairs = 8};
    struct store *st = store_create(&cfg);
    struct fa_proc procs[20];
    make_procs(procs, 20);
    add(st, &cat, "/old", FA_BIT(FA_OPEN), T0);
    for (int i = 0; i < 20; i++)
        add(st, &procs[i], "/etc/ld.so.cache", FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS), T0 + 1 + i);
    struct store_totals tot;
    store_get_totals(st, &tot);
    assert_int_equal(tot.paths, 2);
    assert_int_equal(tot.evictions, 0);
    assert_true(has_path(st, "/old"));
    assert_int_equal(tot.pairs, 8);
    assert_true(tot.folded >= 13);
    /* /old's pair was the least recently seen: it is /old's others now. */
    assert_null(pair_of(st, "/old", &cat));
    assert_int_equal(pair_of(st, "/old", &store_others)->events, 1);
    /* ld.so.cache: the newest processes keep their pairs, the rest sum up
     * in its others pair, and nothing is lost. */
    const struct store_pair *o = pair_of(st, "/etc/ld.so.cache", &store_others);
    assert_non_null(o);
    assert_non_null(pair_of(st, "/etc/ld.so.cache", &procs[19]));
    assert_null(pair_of(st, "/etc/ld.so.cache", &procs[0]));
    uint64_t events = 0, opens = 0;
    struct store_view sv;
    store_internal_view(st, &sv);
    uint32_t s = store_find_path(st, "/etc/ld.so.cache", 16);
    for (uint32_t q = sv.paths[s].pairs; q != STORE_NONE; q = sv.pairs[q].next) {
        events += sv.pairs[q].events;
        opens += store_pair_count(&sv.pairs[q], FA_OPEN);
        assert_int_equal(sv.pairs[q].path, s);
    }
    assert_int_equal(events, 20);
    assert_int_equal(opens, 20);
    assert_int_equal(o->first_ns, T0 + 1);
    /* A process back after its pair was folded gets a pair again. */
    add(st, &procs[0], "/etc/ld.so.cache", FA_BIT(FA_OPEN), T0 + 30);
    assert_int_equal(pair_of(st, "/etc/ld.so.cache", &procs[0])->events, 1);
    store_get_totals(st, &tot);
    assert_int_equal(tot.pairs, 8);
    assert_int_equal(tot.paths, 2);
    store_destroy(st);
}

/* With the default pair cap, N paths each seen by 4 processes all stay, and
 * nothing is folded. */
static void default_pair_cap_holds_four_processes_a_path(void **state)
{
    (void)state;
    struct store_config cfg = {.max_rows = 300};
    struct store *st = store_create(&cfg);
    struct fa_proc procs[4];
    make_procs(procs, 4);
    char path[32];
    for (int i = 0; i < 300; i++)
        for (int k = 0; k < 4; k++) {
            snprintf(path, sizeof path, "/d/f%d", i);
            add(st, &procs[k], path, FA_BIT(FA_OPEN), T0 + i);
        }
    struct store_totals tot;
    store_get_totals(st, &tot);
    assert_int_equal(tot.paths, 300);
    assert_int_equal(tot.pairs, 1200);
    assert_int_equal(tot.evictions, 0);
    assert_int_equal(tot.folded, 0);
    store_destroy(st);
}

/* A replay's rates: one interval per recorded second, whatever the wall
 * clock does; a gap of seconds without events shows as rate 0. */
static void event_clock_closes_recorded_seconds(void **state)
{
    (void)state;
    struct store_config cfg = {.event_clock = true};
    struct store *st = store_create(&cfg);
    for (int i = 0; i < 4; i++)
        add(st, &cat, "/a", FA_BIT(FA_OPEN), T0 + i * SEC / 4);
    struct store_totals tot;
    store_tick(st, T0 + 100 * SEC); /* the wall clock: ignored */
    store_get_totals(st, &tot);
    assert_true(tot.rate == 0.0);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0 + SEC + 1);
    store_get_totals(st, &tot);
    assert_true(tot.rate == 4.0); /* the first recorded second held 4 */
    struct store_view sv;
    store_internal_view(st, &sv);
    assert_true(sv.interval_s == 1.0);
    assert_int_equal(store_pair_rate_count(pair_of(st, "/a", &cat), sv.epoch), 4);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0 + 10 * SEC);
    store_get_totals(st, &tot);
    assert_true(tot.rate == 0.0); /* the seconds before had none */
    store_internal_view(st, &sv);
    assert_int_equal(store_pair_rate_count(pair_of(st, "/a", &cat), sv.epoch), 0);
    store_clock_end(st); /* the recording ends: its last second counts */
    store_get_totals(st, &tot);
    assert_true(tot.rate == 1.0);
    assert_int_equal(tot.first_ns, T0);
    assert_int_equal(tot.last_ns, T0 + 10 * SEC);
    double hist[STORE_RATE_HISTORY];
    size_t n = store_rate_history(st, hist, STORE_RATE_HISTORY);
    assert_int_equal(n, 11);
    assert_true(hist[0] == 4.0 && hist[1] == 1.0 && hist[5] == 0.0 && hist[10] == 1.0);
    store_destroy(st);
}

static void crowded_path_counts_each_process_in_one_pair(void **state)
{
    (void)state;
    struct store_config cfg = {.max_rows = 50};
    struct store *st = store_create(&cfg);
    struct fa_proc procs[12];
    make_procs(procs, 12);
    for (int life = 0; life < 2; life++) {
        for (int round = 0; round < 3; round++)
            for (int i = 0; i < 12; i++)
                add(st, &procs[(i * 5 + round) % 12], "/etc/ld.so.cache", FA_BIT(FA_OPEN),
                    T0 + round);
        struct store_view sv;
        store_internal_view(st, &sv);
        assert_int_equal(sv.paths[store_find_path(st, "/etc/ld.so.cache", 16)].npairs, 12);
        for (int i = 0; i < 12; i++)
            assert_int_equal(pair_of(st, "/etc/ld.so.cache", &procs[i])->events, 3);
        /* Evicted with all its pairs, then back: counted afresh. */
        char path[32];
        for (int i = 0; i < 50; i++) {
            snprintf(path, sizeof path, "/x/%d", i);
            add(st, &cat, path, FA_BIT(FA_OPEN), T0 + 4);
        }
        assert_false(has_path(st, "/etc/ld.so.cache"));
    }
    store_destroy(st);
}

static void log_keeps_the_newest_events_up_to_its_depth(void **state)
{
    (void)state;
    struct store_config cfg = {.log_depth = 4};
    struct store *st = store_create(&cfg);
    char path[32];
    for (int i = 0; i < 10; i++) {
        snprintf(path, sizeof path, "/f%d", i);
        add(st, &cat, path, FA_BIT(FA_OPEN), T0 + i);
    }
    assert_int_equal(store_log_count(st), 4);
    for (size_t i = 0; i < 4; i++) {
        struct fa_event ev;
        store_log_get(st, i, &ev);
        snprintf(path, sizeof path, "/f%zu", i + 6);
        assert_int_equal(ev.path_len, strlen(path));
        assert_string_equal(ev.path, path);
        assert_int_equal(ev.time_ns, T0 + 6 + (int64_t)i);
        assert_ptr_equal(ev.proc, &cat);
        assert_int_equal(store_log_seq(st, i), 6 + i);
    }
    store_destroy(st);
}

/* Long paths fill the log's byte arena before its depth: the oldest events
 * go, and every kept event still has its own path, across wrap-arounds. */
static void log_arena_wraps_without_corrupting_paths(void **state)
{
    (void)state;
    struct store_config cfg = {.log_depth = 300, .max_rows = 10};
    struct store *st = store_create(&cfg);
    char *path = malloc(5000);
    int n = 2000;
    for (int i = 0; i < n; i++) {
        size_t len = (size_t)(i * 37 % 4000) + 10;
        memset(path, 'a' + i % 26, len);
        int k = snprintf(path, len, "/%d/", i);
        path[k] = 'x';
        path[len] = '\0';
        add(st, &cat, path, FA_BIT(FA_OPEN), T0 + i);
    }
    size_t count = store_log_count(st);
    assert_true(count > 10);
    assert_true(count <= 300);
    for (size_t j = 0; j < count; j++) {
        int i = n - (int)count + (int)j;
        struct fa_event ev;
        store_log_get(st, j, &ev);
        size_t len = (size_t)(i * 37 % 4000) + 10;
        char head[32];
        snprintf(head, sizeof head, "/%d/", i);
        assert_int_equal(ev.path_len, len);
        assert_memory_equal(ev.path, head, strlen(head));
        assert_int_equal(ev.path[len - 1], 'a' + i % 26);
        assert_int_equal(ev.path[len], '\0');
        assert_int_equal(ev.time_ns, T0 + i);
    }
    /* The arena is capped, so the log's memory is too. */
    assert_true(store_memory(st) < 300 * 256 + 300 * 64 + 2 * 1024 * 1024);
    free(path);
    store_destroy(st);
}

static void overflow_is_counted_and_logged_but_not_a_path(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0);
    add(st, NULL, "", FA_BIT(FA_OVERFLOW), T0 + 1);
    add(st, &cat, "/b", FA_BIT(FA_OPEN), T0 + 2);
    struct store_totals tot;
    store_get_totals(st, &tot);
    assert_int_equal(tot.overflows, 1);
    assert_int_equal(tot.per_type[FA_OVERFLOW], 1);
    assert_int_equal(tot.events, 2);
    assert_int_equal(tot.paths, 2);
    assert_int_equal(store_log_count(st), 3);
    struct fa_event ev;
    store_log_get(st, 1, &ev);
    assert_int_equal(ev.types, FA_BIT(FA_OVERFLOW));
    assert_int_equal(ev.time_ns, T0 + 1);
    assert_false(has_path(st, ""));
    store_destroy(st);
}

static void reset_forgets_counts_and_log(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, &cat, "/a/b/c", FA_BIT(FA_OPEN), T0);
    add(st, &vim, "/a/d", FA_BIT(FA_MODIFY), T0);
    add(st, NULL, "", FA_BIT(FA_OVERFLOW), T0);
    store_tick(st, T0);
    store_tick(st, T0 + SEC);
    size_t before = store_memory(st);
    store_reset(st);
    struct store_totals tot;
    store_get_totals(st, &tot);
    assert_int_equal(tot.events, 0);
    assert_int_equal(tot.overflows, 0);
    assert_int_equal(tot.paths, 0);
    assert_int_equal(tot.pairs, 0);
    assert_int_equal(tot.per_type[FA_OPEN], 0);
    assert_true(tot.rate == 0.0);
    assert_int_equal(store_log_count(st), 0);
    double hist[STORE_RATE_HISTORY];
    assert_int_equal(store_rate_history(st, hist, STORE_RATE_HISTORY), 0);
    assert_false(has_path(st, "/a/b/c"));
    struct store_view sv;
    store_internal_view(st, &sv);
    for (size_t d = 0; d < sv.ndir_slots; d++)
        assert_int_equal(sv.dirs[d].gen, 0);
    assert_true(store_memory(st) <= before);
    /* And it keeps working. */
    add(st, &cat, "/a/b/c", FA_BIT(FA_OPEN), T0 + 5);
    store_get_totals(st, &tot);
    assert_int_equal(tot.events, 1);
    assert_int_equal(pair_of(st, "/a/b/c", &cat)->events, 1);
    assert_int_equal(store_log_count(st), 1);
    store_destroy(st);
}

static void rates_close_per_interval_with_history(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    store_tick(st, T0); /* starts the first interval */
    for (int i = 0; i < 10; i++)
        add(st, &cat, "/a", FA_BIT(FA_OPEN), T0 + i);
    struct store_totals tot;
    store_get_totals(st, &tot);
    assert_true(tot.rate == 0.0); /* nothing closed yet */
    store_tick(st, T0 + SEC / 2); /* too early: the interval stays open */
    store_get_totals(st, &tot);
    assert_true(tot.rate == 0.0);
    store_tick(st, T0 + SEC);
    store_get_totals(st, &tot);
    assert_true(tot.rate == 10.0);
    const struct store_pair *p = pair_of(st, "/a", &cat);
    struct store_view sv;
    store_internal_view(st, &sv);
    assert_int_equal(store_pair_rate_count(p, sv.epoch), 10);
    /* A two-second interval: 6 events over 2 s, two history entries. */
    for (int i = 0; i < 6; i++)
        add(st, &cat, "/a", FA_BIT(FA_OPEN), T0);
    store_tick(st, T0 + 3 * SEC);
    store_get_totals(st, &tot);
    assert_true(tot.rate == 3.0);
    store_internal_view(st, &sv);
    assert_int_equal(store_pair_rate_count(p, sv.epoch), 6);
    assert_true(sv.interval_s == 2.0);
    store_tick(st, T0 + 4 * SEC);
    store_internal_view(st, &sv);
    assert_int_equal(store_pair_rate_count(p, sv.epoch), 0); /* idle for a second */
    double hist[STORE_RATE_HISTORY];
    size_t n = store_rate_history(st, hist, STORE_RATE_HISTORY);
    assert_int_equal(n, 4);
    assert_true(hist[0] == 10.0);
    assert_true(hist[1] == 3.0 && hist[2] == 3.0);
    assert_true(hist[3] == 0.0);
    /* Asking for fewer gives the newest. */
    assert_int_equal(store_rate_history(st, hist, 2), 2);
    assert_true(hist[0] == 3.0 && hist[1] == 0.0);
    /* The history holds at most STORE_RATE_HISTORY seconds. */
    for (int i = 0; i < 100; i++)
        store_tick(st, T0 + (5 + i) * SEC);
    assert_int_equal(store_rate_history(st, hist, STORE_RATE_HISTORY), STORE_RATE_HISTORY);
    store_destroy(st);
}

static void counts_stay_exact_past_32_bits(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0);
    struct store_pair *p = (struct store_pair *)pair_of(st, "/a", &cat);
    p->count[FA_OPEN] = UINT32_MAX - 1; /* as if 2^32 - 1 opens had been seen */
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/a", FA_BIT(FA_OPEN), T0);
    p = (struct store_pair *)pair_of(st, "/a", &cat);
    assert_int_equal(store_pair_count(p, FA_OPEN), (UINT64_C(1) << 32) + 1);
    assert_int_equal(store_pair_count(p, FA_ACCESS), 0);
    store_destroy(st);
}

static void directories_are_shared_and_released(void **state)
{
    (void)state;
    struct store_config cfg = {.max_rows = 10};
    struct store *st = store_create(&cfg);
    add(st, &cat, "/a/b/c", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/a/b/d", FA_BIT(FA_OPEN), T0);
    add(st, &cat, "/a/b", FA_BIT(FA_ATTRIB), T0); /* the directory itself */
    struct store_view sv;
    store_internal_view(st, &sv);
    size_t ndirs = 0;
    for (size_t d = 0; d < sv.ndir_slots; d++)
        ndirs += sv.dirs[d].gen != 0;
    assert_int_equal(ndirs, 3); /* "/", "a", "b" */
    uint32_t ab = store_find_path(st, "/a/b", 4);
    uint32_t abc = store_find_path(st, "/a/b/c", 6);
    uint32_t b = sv.paths[ab].as_dir;
    assert_int_not_equal(b, STORE_NONE);
    assert_string_equal(sv.dirs[b].name, "b");
    assert_int_equal(sv.dirs[b].depth, 2);
    assert_int_equal(sv.dirs[b].as_path, ab);
    assert_int_equal(sv.paths[abc].dir, b);
    assert_int_equal(sv.dirs[b].hash, store_hash("/a/b", 4));
    uint32_t a = sv.dirs[b].parent;
    assert_string_equal(sv.dirs[a].name, "a");
    assert_string_equal(sv.dirs[sv.dirs[a].parent].name, "/");
    assert_int_equal(sv.dirs[sv.dirs[a].parent].parent, STORE_NONE);
    /* A relative path keeps its own top level. */
    add(st, &cat, "rel/x", FA_BIT(FA_OPEN), T0);
    store_reset(st);
    store_internal_view(st, &sv);
    for (size_t d = 0; d < sv.ndir_slots; d++)
        assert_int_equal(sv.dirs[d].gen, 0);
    store_destroy(st);
}

static void memory_grows_with_paths(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    size_t empty = store_memory(st);
    char path[64];
    for (int i = 0; i < 5000; i++) {
        snprintf(path, sizeof path, "/var/lib/x/%d", i);
        add(st, &cat, path, FA_BIT(FA_OPEN), T0);
    }
    size_t full = store_memory(st);
    assert_true(full > empty + 5000 * 100); /* at least the strings, pairs and paths */
    store_destroy(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_events_per_type_and_pair),
        cmocka_unit_test(event_without_process_gets_placeholder),
        cmocka_unit_test(evicts_least_recently_seen_path_at_max_rows),
        cmocka_unit_test(index_stays_whole_under_heavy_eviction),
        cmocka_unit_test(pair_cap_folds_pairs_and_keeps_every_path),
        cmocka_unit_test(default_pair_cap_holds_four_processes_a_path),
        cmocka_unit_test(event_clock_closes_recorded_seconds),
        cmocka_unit_test(crowded_path_counts_each_process_in_one_pair),
        cmocka_unit_test(log_keeps_the_newest_events_up_to_its_depth),
        cmocka_unit_test(log_arena_wraps_without_corrupting_paths),
        cmocka_unit_test(overflow_is_counted_and_logged_but_not_a_path),
        cmocka_unit_test(reset_forgets_counts_and_log),
        cmocka_unit_test(rates_close_per_interval_with_history),
        cmocka_unit_test(counts_stay_exact_past_32_bits),
        cmocka_unit_test(directories_are_shared_and_released),
        cmocka_unit_test(memory_grows_with_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
