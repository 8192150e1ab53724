/* Re-filtering cost: one million distinct rows (paths and processes as a busy
 * server shows them) through filter_match_subject, as a view does when the
 * filter changes. Budget: 200 ms for a two-term regex filter.
 * Usage: bench/filter_bench [FILTER...]   (default: a built-in set) */
#include "config.h"

#include "model/filter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROWS      1000000
#define RUNS      5
#define BUDGET_MS 200.0

struct row {
    const char *path;
    size_t len;
    const struct fa_proc *proc;
};

static const char *const comms[] = {
    "nginx", "postgres", "bash", "python3", "systemd-journal", "sshd",
    "cron",  "node",     "java", "rsync",   "dockerd",         "containerd-shim"};
#define NCOMMS (sizeof comms / sizeof comms[0])
#define NPROCS 64

static struct fa_proc procs[NPROCS];
static char proc_text[NPROCS][4][96];

static void make_procs(void)
{
    for (int i = 0; i < NPROCS; i++) {
        const char *comm = comms[(size_t)i % NCOMMS];
        snprintf(proc_text[i][0], sizeof proc_text[i][0], "/usr/bin/%s", comm);
        snprintf(proc_text[i][1], sizeof proc_text[i][1], "%s --worker=%d --config /etc/%s.conf",
                 comm, i, comm);
        snprintf(proc_text[i][2], sizeof proc_text[i][2], "%s", i % 3 ? "www-data" : "root");
        snprintf(proc_text[i][3], sizeof proc_text[i][3], "%s.service", comm);
        procs[i] = (struct fa_proc){.id = (uint32_t)i + 1,
                                    .pid = 1000 + i * 37,
                                    .ppid = 1,
                                    .uid = i % 3 ? 33 : 0,
                                    .user = proc_text[i][2],
                                    .comm = comm,
                                    .exe = proc_text[i][0],
                                    .cmdline = proc_text[i][1],
                                    .unit = proc_text[i][3]};
    }
}

/* Distinct paths in a few realistic shapes, all stored in one arena. */
static struct row *make_rows(char **arena_out)
{
    struct row *rows = malloc(ROWS * sizeof *rows);
    size_t cap = (size_t)ROWS * 64, used = 0;
    char *arena = malloc(cap);
    if (!rows || !arena) {
        fprintf(stderr, "filter bench: out of memory\n");
        exit(1);
    }
    size_t *offs = malloc(ROWS * sizeof *offs);
    for (unsigned i = 0; i < ROWS; i++) {
        int n;
        char *p = arena + used;
        switch (i % 4) {
        case 0:
            n = snprintf(p, 64, "/var/lib/app/%03u/file-%03u.log", i / 4000, i / 4 % 1000);
            break;
        case 1:
            n = snprintf(p, 64, "/home/u%03u/projects/src/module_%u/main.c", i % 500, i);
            break;
        case 2:
            n = snprintf(p, 64, "/usr/lib/x86_64-linux-gnu/libx%07u.so.6", i);
            break;
        default:
            n = snprintf(p, 64, "/var/log/nginx/access-%u.log.gz", i);
            break;
        }
        offs[i] = used;
        rows[i].len = (size_t)n;
        rows[i].proc = &procs[(i * 2654435761u >> 16) % NPROCS]; /* spread, not tied to i % 4 */
        used += (size_t)n + 1;
    }
    for (unsigned i = 0; i < ROWS; i++)
        rows[i].path = arena + offs[i];
    free(offs);
    *arena_out = arena;
    return rows;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median time of RUNS passes over all rows, in ms; -1 on a bad filter. */
static double measure(const char *expr, const struct row *rows)
{
    struct filter_error err;
    struct filter *f = filter_compile(expr, &err);
    if (!f) {
        char line[1024];
        filter_error_format(expr, &err, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        return -1;
    }
    double t[RUNS];
    size_t hits = 0;
    for (int r = 0; r < RUNS; r++) {
        double a = now_ms();
        hits = 0;
        for (size_t i = 0; i < ROWS; i++)
            hits += filter_match_subject(f, rows[i].path, rows[i].len, rows[i].proc);
        t[r] = now_ms() - a;
    }
    qsort(t, RUNS, sizeof t[0], cmp_double);
    double ms = t[RUNS / 2];
    printf("filter: %-44s %7zu of %d rows  %7.1f ms  %6.1f ns/row  (median of %d, jit %s)\n", expr,
           hits, ROWS, ms, ms * 1e6 / ROWS, RUNS, filter_jit(f) ? "yes" : "no");
    filter_free(f);
    return ms;
}

int main(int argc, char **argv)
{
    /* The first one is the budgeted case: two regex terms, path and process. */
    static const char *const defaults[] = {
        "app/\\d+/file-\\d*7\\.log$ comm:^(nginx|postgres)$",
        "/var/lib/app/ \\.log$",
        "(?i)/SRC/ MAIN\\.C$",
        "module_\\d+[05]/ user:root",
        "\\.so\\.6$ !pid:1000-1500",
        "cmd:--worker=1\\d .",
    };
    const char *const *exprs = argc > 1 ? (const char *const *)argv + 1 : defaults;
    int n = argc > 1 ? argc - 1 : (int)(sizeof defaults / sizeof defaults[0]);

    make_procs();
    char *arena;
    struct row *rows = make_rows(&arena);
    int status = 0;
    for (int i = 0; i < n; i++) {
        double ms = measure(exprs[i], rows);
        if (ms < 0)
            status = 2;
        else if (i == 0 && ms > BUDGET_MS) {
            printf("filter: over budget: %.1f ms > %.0f ms for %d rows\n", ms, BUDGET_MS, ROWS);
            status = 1;
        }
    }
    free(rows);
    free(arena);
    return status;
}
