/* What the process cache tests (test_proc, test_proc_changes) share: real
 * children to look at, the kernel's process events fed as the proc
 * connector sends them, and fanotify batches that hold exec opens. */
#ifndef FANOTOP_TEST_PROC_FIXTURE_H
#define FANOTOP_TEST_PROC_FIXTURE_H

#include "capture/proc.h"

#include <linux/cn_proc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/fanotify.h>
#include <sys/types.h>

#define SEC 1000000000LL

/* CLOCK_MONOTONIC in ns. */
int64_t mono(void);

/* A child that waits for a signal. */
pid_t spawn_paused(void);

/* Kill and wait for PID. */
void reap(pid_t pid);

/* Our own comm into OUT (LEN bytes). */
void own_comm(char *out, size_t len);

/* Give C one proc connector event WHAT at T (for FORK, ARG is the parent;
 * for UID, the uid; COMM for COMM), read at NOW: what proc_events_take says. */
size_t feed(struct proc_cache *c, enum what what, int64_t t, pid_t pid, pid_t tgid, uint32_t arg,
            const char *comm, int64_t now);

/* A batch read from fanotify queue 0 between START and END holding exec
 * opens (FAN_OPEN_EXEC, no fd) of the pids in EXECS. */
struct fake_batch {
    struct fanotify_event_metadata ev[8];
    struct proc_batch b;
};

/* Fill FB: read between START and END, exec opens of the N pids of EXECS. */
void fake_batch(struct fake_batch *fb, int64_t start, int64_t end, bool emptied, const pid_t *execs,
                size_t n);

/* A child that execs PROG with ARGV once a byte is written to *GO. */
pid_t spawn_exec(const char *prog, char *const argv[], int *go);

/* Wait until KID's comm is WANT, and its exec is past. */
void wait_comm(pid_t kid, const char *want);

/* A child of ours, looked up (named COMM, after us) at T0, that then execs
 * sleep 30; its exec event, at T0 + 1000, is read at T0 + 3000. */
pid_t child_execs_sleep(struct proc_cache *c, int64_t t0, const char *comm);

#endif
