/* Process identity for the capture thread: tid -> process -> pid, ppid, uid,
 * user, comm, exe, cmdline and unit.
 *
 * Identity is versioned: each version gets an id (1, 2, ... never 0) so
 * events carry only the id, and a version never changes once made. A fork,
 * an exec, a change of user (setuid family) or of name (PR_SET_NAME), a
 * move to another cgroup or a pid reuse makes a new version, which applies
 * to the events the kernel queued after the change and to none before.
 *
 * The kernel tells those changes twice, in queues that are not ordered
 * against each other: fanotify's (an exec opens its file: FAN_OPEN_EXEC, in
 * the queue of the program's own file events) and the proc connector's
 * (fork, exec, uid, comm, stamped with the kernel's monotonic clock). The
 * capture thread tells this module when it read each fanotify queue and
 * when it found one empty; a connector change is then applied before the
 * first batch that can hold events from after it, and an exec at its own
 * exec open when that batch has one. Not thread-safe: capture thread only. */
#ifndef FANOTOP_PROC_H
#define FANOTOP_PROC_H

#include "base/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* uid of a process that was gone before it could be read. */
#define PROC_UID_UNKNOWN UINT32_MAX

/* fanotify queues whose order against process changes is kept (0 .. N-1). */
#define PROC_QUEUES 2

/* What an event needs to know of its process. */
struct proc_info {
    struct fa_proc ident; /* current identity; strings owned by the cache */
    bool sent;            /* ident was queued in the ring (clear it to send again) */
    bool self;            /* one of fanotop's own threads */
    uint32_t view;        /* its nspath view (capture.c sets it when it sends ident) */
};

struct proc_cache;

/* An empty cache; SELF is our own pid (its threads are marked self). */
struct proc_cache *proc_cache_create(pid_t self);
void proc_cache_destroy(struct proc_cache *c);

/* The process of thread TID for an event with fanotify MASK, at monotonic
 * time NOW (ns). A new tid is named from its fork (a copy of its parent) or
 * else read from /proc; a cached one has its start time checked and its
 * cgroup read again at most twice a second (and on every exec), so a
 * reused pid is not mislabelled and a cgroup move is seen. An event that
 * shows a finished exec (a plain open, a write, a directory change)
 * triggers the deferred /proc re-read of an exec named only by its file.
 * Never NULL but when out of memory; valid until the next call. */
struct proc_info *proc_lookup(struct proc_cache *c, pid_t tid, uint64_t mask, int64_t now);

struct proc_batch;

/* P opened PATH (LEN bytes; NULL when unknown) for exec (FAN_OPEN_EXEC), at
 * this point of its queue: batch B (NULL when none), whose events after
 * this one start at offset REST. The kernel reports this before the new
 * program runs: the identity is taken from what /proc showed after the
 * kernel's exec event where that fits PATH, else from PATH (exe = PATH,
 * comm = its basename cut to 15 bytes) and /proc is read again once the
 * program runs. The exec opens that follow within one exec (the ELF
 * interpreter, a script's interpreter) keep the name; an interpreter
 * becomes the exe, as the kernel has it. Opens nothing. */
void proc_exec(struct proc_cache *c, struct proc_info *p, const char *path, size_t len,
               const struct proc_batch *b, size_t rest);

/* Task TID of process TGID was forked by process PARENT before now, as the
 * caller knows (a command it started itself, before the kernel's process
 * events were listened to): records the parent, which names the parent of
 * a process gone before its first event is read, and reads a process from
 * /proc at once, so that its user and unit are its own, not a copy of its
 * parent's. */
void proc_note_fork(struct proc_cache *c, pid_t tid, pid_t tgid, pid_t parent, int64_t now);

/* The parent that PID's fork named, or 0 when none is known. */
pid_t proc_fork_parent(const struct proc_cache *c, pid_t pid);

/* Subscribe C to the kernel's process events (the proc connector: root in
 * the initial namespaces, CONFIG_PROC_EVENTS). Returns a non-blocking fd to
 * poll, owned by C, or -1: then processes are named from /proc and exec
 * events only. */
int proc_events_start(struct proc_cache *c);

/* Read every waiting process event at monotonic time NOW; an exec's
 * process has /proc read at once (its comm, exe, cmdline and cgroup), while
 * it still runs the program. Changes are kept until their place among the
 * fanotify events is known. Returns the number of events read. */
size_t proc_events_read(struct proc_cache *c, int64_t now);

/* A fanotify queue holds at most MAX events (the kernel drops the rest); 0
 * when it has no bound. A change is known to precede the events of a
 * queue read this long after it. */
void proc_queue_limit(struct proc_cache *c, uint64_t max);

/* The same for the process events of one netlink datagram BUF (LEN bytes)
 * read otherwise; returns their number. */
size_t proc_events_take(struct proc_cache *c, const void *buf, size_t len, int64_t now);

/* Are process changes read and not applied yet? */
bool proc_changes_waiting(const struct proc_cache *c);

/* fanotify queue Q (0 .. PROC_QUEUES-1) was polled after monotonic time
 * SINCE: WAITING when it held events, else it held none at some moment
 * after SINCE, so every change before SINCE comes before its next events.
 * Call it for each queue in use before its first read (an unused queue
 * orders nothing). */
void proc_queue_polled(struct proc_cache *c, int q, bool waiting, int64_t since);

/* One batch read from a fanotify queue: the read started at START and
 * returned at END (monotonic ns); EMPTIED when it took all that was queued.
 * BUF, LEN: the events read (to find the exec opens among them); EVENTS:
 * how many there were (set before proc_batch_end). */
struct proc_batch {
    int64_t start, end;
    bool emptied;
    const unsigned char *buf;
    size_t len;
    size_t events;
};

/* Call before naming the events of batch B of queue Q, after reading every
 * waiting process event: applies the changes that came before B's events
 * can have, and, when B emptied the queue, those that may fall among them
 * (the identity at the event's time is preferred) unless another queue
 * still holds events from before them (an exec applies all the same: the
 * new program's events outnumber the old one's), but for an exec that B
 * shows by its exec open: that one applies there. */
void proc_batch_begin(struct proc_cache *c, int q, const struct proc_batch *b);

/* Call after the events of batch B of queue Q were named. A batch of the
 * other queue may be begun and ended while B's events are named (read on
 * demand between two of them). */
void proc_batch_end(struct proc_cache *c, int q, const struct proc_batch *b);

/* Forget processes not seen for a minute (forks no event asked for after
 * 10 s); call now and then with NOW. */
void proc_cache_sweep(struct proc_cache *c, int64_t now);

/* Number of cached threads and processes. */
size_t proc_cache_size(const struct proc_cache *c);

/* Process events the socket dropped (the kernel sent more than it held):
 * processes of those are named from /proc and their exec alone. */
uint64_t proc_events_lost(const struct proc_cache *c);

/* A start time as read from /proc/PID/stat (clock ticks since boot) as
 * wall clock ns, reckoned from the boot time read once per run; 0 for 0. */
int64_t proc_start_ns(uint64_t ticks);

/* What /proc/PID/stat says of a process now; false when it is gone. */
struct proc_stat {
    pid_t ppid, pgrp;
    int64_t start_ns; /* as proc_start_ns reckons it */
};
bool proc_read_stat(pid_t pid, struct proc_stat *st);

/* Ancestors named before a process (a real tree is a few dozen deep). */
#define PROC_ANCESTORS_MAX 64

/* The ancestors of P's process whose identity is not sent yet, nearest
 * first, into OUT (PROC_ANCESTORS_MAX of them at most): each the process
 * that forked the one before (read from /proc when not cached yet), up to
 * one sent already, one not known, one of ours, or one that started after
 * its supposed child (the pid was reused). Returns how many; they are valid
 * like proc_lookup's answer. */
size_t proc_unsent_ancestors(struct proc_cache *c, struct proc_info *p, int64_t now,
                             struct proc_info **out);

/* Join the NUL-separated arguments of /proc/PID/cmdline (LEN bytes) with
 * spaces into OUT (OUTLEN bytes, NUL-terminated, cut). Returns the length. */
size_t proc_join_cmdline(const char *raw, size_t len, char *out, size_t outlen);

#endif
