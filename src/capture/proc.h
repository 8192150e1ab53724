/* Process identity for the capture thread: tid -> process -> pid, ppid, uid,
 * user, comm, exe, cmdline and unit, read from /proc once and cached.
 *
 * Each identity gets an id (1, 2, ... never 0) so events carry only the id;
 * an identity never changes once made: an exec, a pid reuse or a late re-read
 * that finds something new makes a new id. Not thread-safe: capture thread
 * only. */
#ifndef FANOTOP_PROC_H
#define FANOTOP_PROC_H

#include "base/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* uid of a process that was gone before it could be read. */
#define PROC_UID_UNKNOWN UINT32_MAX

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
 * time NOW (ns). A new tid is read from /proc; a cached one is renewed at
 * once when the kernel reports its pid forked anew, and has its start time
 * checked at most once a second and on every exec, so a reused pid is not
 * mislabelled. An event that shows a finished exec (a plain open, a
 * write, a directory change) triggers the deferred /proc re-read of that
 * exec. Never NULL but when out of memory; valid until the next call. */
struct proc_info *proc_lookup(struct proc_cache *c, pid_t tid, uint64_t mask, int64_t now);

/* P opened PATH (LEN bytes; NULL when unknown) for exec (FAN_OPEN_EXEC).
 * The kernel reports this before the new program's comm is set, so the new
 * identity is taken from the path: exe = PATH, comm = its basename cut to 15
 * bytes; /proc is read again once the program runs. FOLLOWERS is how many
 * more exec opens this program makes the kernel do (proc_exec_followers):
 * those (the ELF interpreter, a script's interpreter) keep the name. */
void proc_exec(struct proc_cache *c, struct proc_info *p, const char *path, size_t len,
               int followers);

/* From the first LEN bytes of an exec'd file: 1 when the kernel will open
 * another file for exec to run it (a dynamically linked ELF's interpreter,
 * a #! script's interpreter), else 0. */
int proc_exec_followers(const unsigned char *head, size_t len);

/* The kernel's fork event: task TID of process TGID was created by process
 * PARENT. Names the parent (and, through it, the uid and unit) of processes
 * gone before their first event is read, and tells a reused pid from the
 * old one at once. */
void proc_note_fork(struct proc_cache *c, pid_t tid, pid_t tgid, pid_t parent, int64_t now);

/* A new batch of fork events begins (proc_events_read calls it): a fork
 * event can arrive one batch after its child's first file events. */
void proc_note_batch(struct proc_cache *c);

/* The parent that PID's fork event named, or 0 when none was seen. */
pid_t proc_fork_parent(const struct proc_cache *c, pid_t pid);

/* Subscribe C to the kernel's process events (the proc connector: root in
 * the initial namespaces, CONFIG_PROC_EVENTS). Returns a non-blocking fd to
 * poll, owned by C, or -1: then processes are named from /proc and exec
 * events only. */
int proc_events_start(struct proc_cache *c);

/* Read every waiting process event. Call before reading fanotify events: a
 * fork is reported before anything its child does. */
void proc_events_read(struct proc_cache *c, int64_t now);

/* Forget processes not seen for a minute (fork records no event asked for
 * after 10 s); call now and then with NOW. */
void proc_cache_sweep(struct proc_cache *c, int64_t now);

/* Number of cached threads and processes. */
size_t proc_cache_size(const struct proc_cache *c);

/* Join the NUL-separated arguments of /proc/PID/cmdline (LEN bytes) with
 * spaces into OUT (OUTLEN bytes, NUL-terminated, cut). Returns the length. */
size_t proc_join_cmdline(const char *raw, size_t len, char *out, size_t outlen);

#endif
