/* The one hash map: lookups survive growth and backward-shift deletion, a
 * sweep visits every entry once while it deletes, and u64multi keeps
 * several values under one key in order through deletion anywhere. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/hashmap.h"

#include <stdlib.h>

static void finds_every_key_after_growth_and_deletes(void **state)
{
    (void)state;
    struct u64map m = {0};
    bool added;
    assert_null(u64map_find(&m, 1));
    for (uint64_t k = 0; k < 10000; k++) {
        uint64_t *v = u64map_slot(&m, k * 7919, k, &added);
        assert_non_null(v);
        assert_true(added);
    }
    assert_int_equal(*u64map_slot(&m, 7919, 99, &added), 1);
    assert_false(added);
    assert_int_equal(u64map_count(&m), 10000);
    for (uint64_t k = 0; k < 10000; k += 3)
        assert_true(u64map_del(&m, k * 7919));
    assert_false(u64map_del(&m, 0));
    for (uint64_t k = 0; k < 10000; k++) {
        uint64_t v = 0;
        assert_int_equal(u64map_get(&m, k * 7919, &v), k % 3 != 0);
        if (k % 3)
            assert_int_equal(v, k);
    }
    size_t pos = 0, n = 0;
    uint64_t key, val;
    while (u64map_next(&m, &pos, &key, &val)) {
        assert_int_equal(key, val * 7919);
        n++;
    }
    assert_int_equal(n, u64map_count(&m));
    assert_true(u64map_bytes(&m) >= n * sizeof(struct u64map_bucket));
    u64map_clear(&m);
    assert_int_equal(u64map_count(&m), 0);
    assert_false(u64map_get(&m, 7919, &val));
    u64map_free(&m);
    assert_int_equal(u64map_bytes(&m), 0);
}

struct sweep_seen {
    unsigned char *visits;
};

/* Keys spread over 64 bits, values 0..N-1. */
static uint64_t key_of(uint64_t v)
{
    return (v + 1) * UINT64_C(0x9e3779b97f4a7c15);
}

static bool drop_multiples_of_three(void *ctx, uint64_t key, uint64_t val)
{
    struct sweep_seen *s = ctx;
    assert_int_equal(key, key_of(val));
    s->visits[val]++;
    return val % 3 == 0;
}

static void sweep_visits_each_entry_once(void **state)
{
    (void)state;
    /* Many sizes, so that some probe runs wrap round the table's end. */
    for (size_t n = 1; n <= 600; n++) {
        struct u64map m = {0};
        bool added;
        for (uint64_t k = 0; k < n; k++)
            assert_non_null(u64map_slot(&m, key_of(k), k, &added));
        struct sweep_seen s = {calloc(n, 1)};
        u64map_sweep(&m, drop_multiples_of_three, &s);
        for (uint64_t k = 0; k < n; k++) {
            assert_int_equal(s.visits[k], 1);
            uint64_t v;
            assert_int_equal(u64map_get(&m, key_of(k), &v), k % 3 != 0);
        }
        assert_int_equal(u64map_count(&m), n - (n + 2) / 3);
        free(s.visits);
        u64map_free(&m);
    }
}

/* The values under KEY, newest first, as a number in decimal digits. */
static uint64_t chain(const struct u64multi *m, uint64_t key)
{
    uint64_t digits = 0;
    for (uint64_t v = u64multi_first(m, key); v != U64MULTI_END; v = u64multi_next(m, v))
        digits = digits * 10 + v;
    return digits;
}

static void multi_keeps_shared_keys_through_deletes(void **state)
{
    (void)state;
    struct u64multi m = {0};
    assert_int_equal(u64multi_first(&m, 5), U64MULTI_END);
    for (uint64_t v = 1; v <= 5; v++)
        assert_true(u64multi_add(&m, 42, v));
    assert_true(u64multi_add(&m, 43, 6));
    assert_int_equal(chain(&m, 42), 54321);
    assert_int_equal(chain(&m, 43), 6);
    assert_int_equal(u64multi_count(&m), 6);
    u64multi_del(&m, 42, 3); /* in the middle */
    assert_int_equal(chain(&m, 42), 5421);
    u64multi_del(&m, 42, 5); /* the head */
    assert_int_equal(chain(&m, 42), 421);
    u64multi_del(&m, 42, 1); /* the tail */
    assert_int_equal(chain(&m, 42), 42);
    u64multi_del(&m, 42, 9); /* never filed: nothing happens */
    u64multi_del(&m, 44, 4);
    assert_int_equal(chain(&m, 42), 42);
    u64multi_del(&m, 42, 4);
    u64multi_del(&m, 42, 2);
    assert_int_equal(u64multi_first(&m, 42), U64MULTI_END);
    assert_int_equal(chain(&m, 43), 6);
    assert_int_equal(u64multi_count(&m), 1);
    u64multi_clear(&m);
    assert_int_equal(u64multi_first(&m, 43), U64MULTI_END);
    u64multi_free(&m);
}

static void multi_takes_the_empty_marker_as_a_key(void **state)
{
    (void)state;
    struct u64multi m = {0};
    assert_true(u64multi_add(&m, UINT64_MAX, 7));
    assert_true(u64multi_add(&m, UINT64_MAX - 1, 8));
    /* Filed together: the caller tells them apart by what they name. */
    assert_int_equal(chain(&m, UINT64_MAX), 87);
    u64multi_del(&m, UINT64_MAX, 7);
    assert_int_equal(chain(&m, UINT64_MAX - 1), 8);
    assert_true(u64multi_bytes(&m) > 0);
    u64multi_free(&m);
    assert_int_equal(u64multi_bytes(&m), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(finds_every_key_after_growth_and_deletes),
        cmocka_unit_test(sweep_visits_each_entry_once),
        cmocka_unit_test(multi_keeps_shared_keys_through_deletes),
        cmocka_unit_test(multi_takes_the_empty_marker_as_a_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
