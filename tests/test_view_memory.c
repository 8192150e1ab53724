/* Views at the edges of memory: a tree of an empty store refreshes to no
 * rows (no array to clear), and a refresh that runs out of memory says so
 * (view_short_of_memory) instead of passing for "nothing matches". */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "model/store.h"
#include "model/view.h"
#include "store_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define T0 (INT64_C(1795341600) * INT64_C(1000000000))

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZED 1
#else
#define SANITIZED 0
#endif

static const struct fa_proc sh = {.id = 1,
                                  .pid = 100,
                                  .ppid = 1,
                                  .user = "root",
                                  .comm = "sh",
                                  .exe = "/bin/sh",
                                  .cmdline = "sh",
                                  .unit = ""};

static void empty_tree_has_no_rows(void **state)
{
    (void)state;
    struct store *st = store_create(NULL);
    struct view *v = view_create(st, VIEW_TREE);
    assert_non_null(v);
    view_refresh(v, T0);
    assert_int_equal(view_nrows(v), 0);
    assert_int_equal(view_total_rows(v), 0);
    assert_false(view_short_of_memory(v));
    view_destroy(v);
    store_destroy(st);
}

/* This process's address space now, in bytes (VmSize). */
static unsigned long long vm_size(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    unsigned long long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmSize: %llu kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb * 1024;
}

static void a_refresh_out_of_memory_says_so(void **state)
{
    (void)state;
    if (SANITIZED)
        skip(); /* the sanitizers' allocators stop the process instead of failing */
    struct store *st = store_create(NULL);
    char path[64];
    for (int i = 0; i < 50000; i++) {
        snprintf(path, sizeof path, "/data/dir%03d/file%05d", i % 500, i);
        store_events_add(st, &sh, 100, path, FA_BIT(FA_OPEN), T0 + i);
    }
    /* Views made, never refreshed: the refresh is what needs the memory. */
    enum view_kind kinds[] = {VIEW_PATHS, VIEW_TREE};
    struct view *v[2];
    for (int k = 0; k < 2; k++)
        assert_non_null(v[k] = view_create(st, kinds[k]));
    for (int k = 0; k < 2; k++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            /* No room left to grow in. */
            struct rlimit lim = {vm_size(), vm_size()};
            if (setrlimit(RLIMIT_AS, &lim) != 0)
                _exit(3);
            view_refresh(v[k], T0);
            _exit(view_short_of_memory(v[k]) ? 0 : 1);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    /* With memory, the same refresh is whole. */
    for (int k = 0; k < 2; k++) {
        view_refresh(v[k], T0);
        assert_false(view_short_of_memory(v[k]));
        assert_true(view_nrows(v[k]) > 0);
        view_destroy(v[k]);
    }
    store_destroy(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_tree_has_no_rows),
        cmocka_unit_test(a_refresh_out_of_memory_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
