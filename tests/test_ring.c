/* Ring: edges, wrap-around, loss counting, and a two-thread stress run that
 * proves order and integrity (run it under TSan too). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "pipe/ring.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct collect {
    size_t n;
    size_t lens[1024];
    unsigned char first[1024];
};

static bool collect_fn(const void *p, size_t len, void *ctx)
{
    struct collect *c = ctx;
    c->lens[c->n] = len;
    c->first[c->n] = len ? *(const unsigned char *)p : 0;
    c->n++;
    return true;
}

static void create_rejects_bad_capacity(void **state)
{
    (void)state;
    errno = 0;
    assert_null(ring_create(100));
    assert_int_equal(errno, EINVAL);
    assert_null(ring_create(32));
    struct ring *r = ring_create(64);
    assert_non_null(r);
    assert_int_equal(ring_capacity(r), 64);
    ring_destroy(r);
}

static void empty_ring_consumes_nothing(void **state)
{
    (void)state;
    struct ring *r = ring_create(1024);
    struct collect c = {0};
    assert_true(ring_empty(r));
    assert_int_equal(ring_consume(r, 0, collect_fn, &c), 0);
    assert_int_equal(c.n, 0);
    ring_destroy(r);
}

static void exact_fill_then_full_counts_loss(void **state)
{
    (void)state;
    struct ring *r = ring_create(256);
    /* 8-byte header + 24-byte payload = 32 bytes: exactly 8 records fill 256. */
    unsigned char buf[24];
    for (int i = 0; i < 8; i++) {
        memset(buf, i, sizeof buf);
        assert_true(ring_push(r, buf, sizeof buf));
    }
    errno = 0;
    assert_false(ring_push(r, buf, 1));
    assert_int_equal(errno, ENOBUFS);
    assert_int_equal(ring_losses(r), 1);
    assert_int_equal(ring_pushed(r), 8);
    struct collect c = {0};
    assert_int_equal(ring_consume(r, 0, collect_fn, &c), 8);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(c.lens[i], 24);
        assert_int_equal(c.first[i], i);
    }
    assert_true(ring_empty(r));
    /* Space is back after consuming. */
    assert_true(ring_push(r, buf, sizeof buf));
    ring_destroy(r);
}

static void zero_length_payload(void **state)
{
    (void)state;
    struct ring *r = ring_create(64);
    assert_true(ring_push(r, NULL, 0));
    struct collect c = {0};
    assert_int_equal(ring_consume(r, 0, collect_fn, &c), 1);
    assert_int_equal(c.lens[0], 0);
    ring_destroy(r);
}

static void largest_record_fits_and_larger_is_rejected(void **state)
{
    (void)state;
    struct ring *r = ring_create(1024);
    size_t max = ring_max_payload(r);
    assert_int_equal(max, 1024 / 2 - RING_HDR_SIZE);
    unsigned char *buf = calloc(1, max + 1);
    buf[0] = 0xab;
    assert_true(ring_push(r, buf, max));
    errno = 0;
    assert_false(ring_push(r, buf, max + 1));
    assert_int_equal(errno, EMSGSIZE);
    assert_int_equal(ring_losses(r), 1);
    struct collect c = {0};
    assert_int_equal(ring_consume(r, 0, collect_fn, &c), 1);
    assert_int_equal(c.lens[0], max);
    assert_int_equal(c.first[0], 0xab);
    /* Now positioned mid-buffer: the largest record must wrap with padding. */
    assert_true(ring_push(r, buf, 8));
    assert_true(ring_push(r, buf, max));
    c.n = 0;
    assert_int_equal(ring_consume(r, 0, collect_fn, &c), 2);
    assert_int_equal(c.lens[1], max);
    free(buf);
    ring_destroy(r);
}

static void wrap_with_padding_keeps_order(void **state)
{
    (void)state;
    struct ring *r = ring_create(128);
    unsigned char buf[40];
    /* 48-byte records: two fit (96), the third must pad 32 bytes and wrap. */
    for (int round = 0; round < 50; round++) {
        memset(buf, round, sizeof buf);
        assert_true(ring_push(r, buf, 40));
        struct collect c = {0};
        assert_int_equal(ring_consume(r, 0, collect_fn, &c), 1);
        assert_int_equal(c.first[0], round);
        assert_int_equal(c.lens[0], 40);
    }
    assert_int_equal(ring_losses(r), 0);
    ring_destroy(r);
}

static void reserve_needs_room_for_padding(void **state)
{
    (void)state;
    struct ring *r = ring_create(128);
    unsigned char buf[40];
    assert_true(ring_push(r, buf, 40)); /* [0,48) */
    assert_true(ring_push(r, buf, 40)); /* [48,96) */
    struct collect c = {0};
    assert_int_equal(ring_consume(r, 1, collect_fn, &c), 1); /* frees [0,48) */
    /* 80 bytes are free, but a 56-byte record needs 32 of pad first: 88 > 80. */
    unsigned char big[48] = {0};
    assert_false(ring_push(r, big, 48));
    assert_int_equal(ring_losses(r), 1);
    /* A small record fits at the tail without wrapping. */
    assert_true(ring_push(r, buf, 16));
    c.n = 0;
    assert_int_equal(ring_consume(r, 0, collect_fn, &c), 2);
    ring_destroy(r);
}

static void try_reserve_does_not_count_loss(void **state)
{
    (void)state;
    struct ring *r = ring_create(64);
    unsigned char buf[24];
    assert_true(ring_push(r, buf, 24));
    assert_true(ring_push(r, buf, 24));
    assert_null(ring_try_reserve(r, 8));
    assert_int_equal(ring_losses(r), 0);
    ring_destroy(r);
}

static bool stop_after_first(const void *p, size_t len, void *ctx)
{
    (void)p, (void)len;
    (*(int *)ctx)++;
    return false;
}

static void consumer_can_stop_early(void **state)
{
    (void)state;
    struct ring *r = ring_create(256);
    for (int i = 0; i < 3; i++)
        assert_true(ring_push(r, &i, sizeof i));
    int calls = 0;
    assert_int_equal(ring_consume(r, 0, stop_after_first, &calls), 1);
    assert_int_equal(calls, 1);
    assert_false(ring_empty(r));
    struct collect c = {0};
    assert_int_equal(ring_consume(r, 0, collect_fn, &c), 2);
    ring_destroy(r);
}

/* Stress: payloads of varying length carry a sequence number and a checksum. */
#define STRESS_RECORDS 10000000ULL

struct stress {
    struct ring *r;
    uint64_t next;
    uint64_t bad;
    uint64_t received;
};

static uint32_t checksum(const unsigned char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static void *producer(void *arg)
{
    struct stress *s = arg;
    unsigned char buf[256];
    for (uint64_t seq = 0; seq < STRESS_RECORDS;) {
        size_t len = 12 + (seq * 7) % 200;
        memcpy(buf, &seq, 8);
        for (size_t i = 12; i < len; i++)
            buf[i] = (unsigned char)(seq + i);
        uint32_t sum = checksum(buf + 12, len - 12);
        memcpy(buf + 8, &sum, 4);
        void *p = ring_try_reserve(s->r, len);
        if (!p)
            continue; /* full: retry the same record so the sequence stays dense */
        memcpy(p, buf, len);
        ring_commit(s->r);
        seq++;
    }
    return NULL;
}

static bool check_fn(const void *p, size_t len, void *ctx)
{
    struct stress *s = ctx;
    uint64_t seq;
    uint32_t sum;
    memcpy(&seq, p, 8);
    memcpy(&sum, (const char *)p + 8, 4);
    if (seq != s->next || len != 12 + (seq * 7) % 200 ||
        sum != checksum((const unsigned char *)p + 12, len - 12))
        s->bad++;
    s->next = seq + 1;
    s->received++;
    return true;
}

static void two_threads_ten_million_records_in_order(void **state)
{
    (void)state;
    struct stress s = {.r = ring_create(1 << 16)};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, producer, &s), 0);
    while (s.received < STRESS_RECORDS)
        ring_consume(s.r, 0, check_fn, &s);
    pthread_join(t, NULL);
    assert_int_equal(s.bad, 0);
    assert_int_equal(s.received, STRESS_RECORDS);
    assert_int_equal(ring_losses(s.r), 0);
    ring_destroy(s.r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_rejects_bad_capacity),
        cmocka_unit_test(empty_ring_consumes_nothing),
        cmocka_unit_test(exact_fill_then_full_counts_loss),
        cmocka_unit_test(zero_length_payload),
        cmocka_unit_test(largest_record_fits_and_larger_is_rejected),
        cmocka_unit_test(wrap_with_padding_keeps_order),
        cmocka_unit_test(reserve_needs_room_for_padding),
        cmocka_unit_test(try_reserve_does_not_count_loss),
        cmocka_unit_test(consumer_can_stop_early),
        cmocka_unit_test(two_threads_ten_million_records_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
