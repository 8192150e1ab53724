/* Store and view benchmark: bytes per stored path (RSS and store_memory),
 * store_add throughput, and view_refresh times with a million distinct
 * paths (unchanged filter, a new filter, each view kind). Times are CPU time.
 * Usage: bench/store_bench [PATHS] (default 1000000). */
#include "config.h"

#include "base/clock.h"
#include "model/filter.h"
#include "model/store.h"
#include "model/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* CPU time, not wall time: this machine is shared, and a benchmark that
 * waits for a core would measure the neighbours. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t rss_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long size = 0, res = 0;
    if (f) {
        if (fscanf(f, "%lu %lu", &size, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * (size_t)sysconf(_SC_PAGESIZE);
}

/* Best of N refreshes, in ms. */
static double time_refresh(struct view *v, int n)
{
    double best = 1e9;
    for (int i = 0; i < n; i++) {
        double t = now_s();
        view_refresh(v, clock_real_ns());
        t = now_s() - t;
        if (t < best)
            best = t;
    }
    return best * 1e3;
}

static struct filter *compile(const char *expr)
{
    struct filter_error err;
    struct filter *f = filter_compile(expr, &err);
    if (!f) {
        fprintf(stderr, "store_bench: filter '%s': %s\n", expr, err.message);
        exit(1);
    }
    return f;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    enum { NPROCS = 1000 };
    static struct fa_proc procs[NPROCS];
    static char comms[NPROCS][16];
    for (int i = 0; i < NPROCS; i++) {
        snprintf(comms[i], sizeof comms[i], "worker%d", i);
        procs[i] = (struct fa_proc){.id = (uint32_t)i + 1,
                                    .pid = 1000 + i,
                                    .ppid = 1,
                                    .uid = 0,
                                    .user = "root",
                                    .comm = comms[i],
                                    .exe = "/usr/bin/worker",
                                    .cmdline = comms[i],
                                    .unit = i % 3 ? "app.service" : "batch.service"};
    }
    /* Paths of realistic shape and length (about 38 bytes), each seen once:
     * the worst case for memory per path. Made before the clock starts. */
    char *paths = malloc(n * 48);
    uint8_t *lens = malloc(n);
    if (!paths || !lens)
        return 1;
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        int len = snprintf(paths + i * 48, 48, "/var/lib/app/d%03zu/s%02zu/file-%07zu.dat", i % 997,
                           i % 89, i);
        lens[i] = (uint8_t)len;
        bytes += (size_t)len;
    }
    size_t rss0 = rss_bytes();
    struct store_config cfg = {.max_rows = n, .log_depth = 0};
    struct store *st = store_create(&cfg);
    int64_t t0 = clock_real_ns();
    double t = now_s();
    for (size_t i = 0; i < n; i++) {
        struct fa_event ev = {.time_ns = t0 + (int64_t)i,
                              .tid = 1,
                              .types = FA_BIT(FA_OPEN),
                              .proc = &procs[i % NPROCS],
                              .path = paths + i * 48,
                              .path_len = lens[i]};
        store_add(st, &ev);
    }
    double add_s = now_s() - t;
    size_t rss1 = rss_bytes();
    struct store_totals tot;
    store_get_totals(st, &tot);
    size_t mem = store_memory(st);
    printf("store: %zu distinct paths (%.1f bytes average), %zu pairs\n", tot.paths,
           (double)bytes / (double)n, tot.pairs);
    printf("store_add, new paths: %.0f ns/event (%.2f M events/s)\n", add_s * 1e9 / (double)n,
           (double)n / add_s / 1e6);
    printf("bytes per stored path: RSS %.0f, store_memory %.0f (log of %d events included)\n",
           (double)(rss1 - rss0) / (double)n, (double)mem / (double)n, STORE_DEFAULT_LOG_DEPTH);

    /* Events on known paths in random order (the steady state, cache-cold). */
    size_t m = 2000000;
    t = now_s();
    for (size_t i = 0; i < m; i++) {
        size_t k = (i * 7919) % n;
        struct fa_event ev = {.time_ns = t0 + (int64_t)(n + i),
                              .tid = 1,
                              .types = FA_BIT(FA_ACCESS),
                              .proc = &procs[k % NPROCS],
                              .path = paths + k * 48,
                              .path_len = lens[k]};
        store_add(st, &ev);
    }
    double hit_s = now_s() - t;
    printf("store_add, known paths: %.0f ns/event\n", hit_s * 1e9 / (double)m);
    store_tick(st, clock_real_ns());

    struct view *v = view_create(st, VIEW_PATHS);
    size_t rss2 = rss_bytes();
    printf("\nview_refresh with %zu paths (best of 3, ms):\n", tot.paths);
    printf("  paths, no filter:                    %7.1f\n", time_refresh(v, 3));
    printf("  paths view RSS: %.0f bytes per row\n",
           (double)(rss_bytes() - rss2) / (double)view_nrows(v));
    struct filter *f = compile("d12 file-0");
    view_set_filter(v, f);
    t = now_s();
    view_refresh(v, clock_real_ns());
    printf("  paths, new 2-term path filter:       %7.1f  (%zu rows)\n", (now_s() - t) * 1e3,
           view_nrows(v));
    printf("  paths, same filter again (cached):   %7.1f\n", time_refresh(v, 3));
    struct filter *g = compile("comm:worker1 file");
    view_set_filter(v, g);
    t = now_s();
    view_refresh(v, clock_real_ns());
    printf("  paths, new process filter:           %7.1f  (%zu rows)\n", (now_s() - t) * 1e3,
           view_nrows(v));
    printf("  paths, same process filter (cached): %7.1f\n", time_refresh(v, 3));
    view_set_filter(v, NULL);
    view_refresh(v, clock_real_ns());
    t = now_s();
    view_set_sort(v, (size_t)view_column_by_name(v, "path"), false);
    printf("  paths, re-sort by path name:         %7.1f\n", (now_s() - t) * 1e3);
    static const enum view_kind kinds[] = {VIEW_PROCS, VIEW_TYPES, VIEW_UNITS, VIEW_EVENTS,
                                           VIEW_TREE};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        view_set_kind(v, kinds[k]);
        double ms = time_refresh(v, 3);
        printf("  %-36s %7.1f  (%zu rows)\n", view_kind_name(kinds[k]), ms, view_nrows(v));
    }
    view_tree_all(v, true);
    printf("  tree, all expanded:                  %7s  (%zu rows)\n", "", view_nrows(v));
    printf("  tree, all expanded, refresh:         %7.1f\n", time_refresh(v, 1));
    view_destroy(v);
    filter_free(f);
    filter_free(g);
    t = now_s();
    store_reset(st);
    printf("store_reset: %.1f ms\n", (now_s() - t) * 1e3);
    store_destroy(st);
    free(paths);
    free(lens);
    return 0;
}
