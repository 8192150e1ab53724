/* Ring throughput: records per second between two threads, for 64- and
 * 256-byte payloads. The capture path must never wait on the ring. */
#include "config.h"

#include "pipe/ring.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RECORDS 50000000ULL

struct run {
    struct ring *r;
    size_t payload;
    unsigned long long got;
    unsigned long long sum;
};

static void *produce(void *arg)
{
    struct run *run = arg;
    for (unsigned long long i = 0; i < RECORDS;) {
        unsigned char *p = ring_try_reserve(run->r, run->payload);
        if (!p)
            continue;
        memcpy(p, &i, sizeof i);
        ring_commit(run->r);
        i++;
    }
    return NULL;
}

static bool take(const void *p, size_t len, void *ctx)
{
    struct run *run = ctx;
    unsigned long long v;
    (void)len;
    memcpy(&v, p, sizeof v);
    run->sum += v;
    run->got++;
    return true;
}

static double measure(size_t payload)
{
    struct run run = {.r = ring_create((size_t)1 << 22), .payload = payload};
    struct timespec a, b;
    pthread_t t;
    clock_gettime(CLOCK_MONOTONIC, &a);
    pthread_create(&t, NULL, produce, &run);
    while (run.got < RECORDS)
        ring_consume(run.r, 0, take, &run);
    pthread_join(t, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    if (run.sum != RECORDS * (RECORDS - 1) / 2) {
        fprintf(stderr, "ring bench: corrupted stream\n");
        exit(1);
    }
    ring_destroy(run.r);
    return (double)RECORDS / secs;
}

int main(void)
{
    size_t sizes[] = {64, 256};
    for (size_t i = 0; i < 2; i++) {
        double best = 0;
        for (int rep = 0; rep < 3; rep++) {
            double rate = measure(sizes[i]);
            if (rate > best)
                best = rate;
        }
        printf("ring: %3zu-byte records: %.1f M records/s (best of 3, %llu records)\n", sizes[i],
               best / 1e6, RECORDS);
    }
    return 0;
}
