#include "config.h"

#include "capture/proc.h"

#include "base/procstat.h"
#include "capture/container.h"
#include "capture/decode.h"
#include "capture/proc_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <time.h>
#include <unistd.h>

/* Start time and cgroup are read again this often per process: a reused pid
 * is told from the old one, and a move to another cgroup (a unit, a
 * container) is named well within a second, for one /proc read per process
 * and half second, never one per event. */
#define CHECK_NS     500000000LL
#define IDLE_NS      60000000000LL /* sweep entries unseen this long */
#define FORK_KEEP_NS 10000000000LL /* and fork records no event asked for */
#define REREAD_NS    1000000000LL  /* a refused re-read is tried again after this */

/* Events that only the new program can cause: once one arrives after an
 * exec open, the exec is complete and /proc shows the new program. Reads and
 * closes do not count: the kernel reads the binary and closes the old
 * program's files while the exec is still under way. */
#define EXEC_DONE_MASK                                                                             \
    (FAN_MODIFY | FAN_CLOSE_WRITE | FAN_ATTRIB | FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM |        \
     FAN_MOVED_TO | FAN_DELETE_SELF | FAN_MOVE_SELF)

/* ---- the entries by key --------------------------------------------------- */

struct entry *proc_entry_of(const struct proc_cache *c, pid_t key)
{
    uint64_t e;
    return u64map_get(&c->entries, (uint32_t)key, &e) ? (struct entry *)(uintptr_t)e : NULL;
}

struct entry *proc_entry_add(struct proc_cache *c, pid_t key)
{
    struct entry *e = calloc(1, sizeof *e);
    bool added;
    if (!e || !u64map_slot(&c->entries, (uint32_t)key, (uintptr_t)e, &added)) {
        free(e);
        return NULL;
    }
    e->key = e->tgid = key;
    return e;
}

static struct entry *entry_of_info(struct proc_info *p)
{
    return (struct entry *)((char *)p - offsetof(struct entry, info));
}

/* ---- reading /proc --------------------------------------------------------- */

ssize_t proc_read_file(struct proc_cache *c, pid_t pid, const char *what)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, what);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, c->raw + len, sizeof c->raw - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        if (len == sizeof c->raw - 1)
            break;
    }
    close(fd);
    c->raw[len] = '\0';
    return (ssize_t)len;
}

/* The boot time and the clock tick, read once: every start time of a run
 * is reckoned from the same boot time, as ps reckons it, so that one
 * process always gets the same start (and a start can be checked again). */
static pthread_once_t boot_once = PTHREAD_ONCE_INIT;
static int64_t boot_ns;
static long ticks_per_s;

static void boot_read(void)
{
    ticks_per_s = sysconf(_SC_CLK_TCK);
    FILE *f = fopen("/proc/stat", "re");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        long long b;
        if (sscanf(line, "btime %lld", &b) == 1) {
            boot_ns = (int64_t)b * 1000000000;
            break;
        }
    }
    if (f)
        fclose(f);
}

int64_t proc_start_ns(uint64_t ticks)
{
    pthread_once(&boot_once, boot_read);
    uint64_t hz = (uint64_t)ticks_per_s;
    /* (a start past year 2262 is no start: int64_t ns end there) */
    if (!ticks || !boot_ns || ticks_per_s <= 0 ||
        ticks / hz >= (uint64_t)((INT64_MAX - boot_ns) / 1000000000))
        return 0;
    return boot_ns + (int64_t)(ticks / hz) * 1000000000 + (int64_t)(ticks % hz * 1000000000 / hz);
}

int64_t proc_fork_start_ns(int64_t t)
{
    pthread_once(&boot_once, boot_read);
    struct timespec mono, boot;
    if (t <= 0 || ticks_per_s <= 0 || clock_gettime(CLOCK_MONOTONIC, &mono) != 0 ||
        clock_gettime(CLOCK_BOOTTIME, &boot) != 0)
        return 0;
    int64_t mono_ns = (int64_t)mono.tv_sec * 1000000000 + mono.tv_nsec;
    if (t > mono_ns)
        return 0; /* a fork reported before it happened: not a time */
    /* /proc counts starts on the boot time clock, which goes on in suspend */
    uint64_t since_boot =
        (uint64_t)(t + (int64_t)boot.tv_sec * 1000000000 + boot.tv_nsec - mono_ns);
    uint64_t hz = (uint64_t)ticks_per_s;
    return proc_start_ns(since_boot / 1000000000 * hz + since_boot % 1000000000 * hz / 1000000000);
}

bool proc_read_stat(pid_t pid, struct proc_stat *st)
{
    char path[64], text[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    struct procstat ps;
    if (n <= 0 || !procstat_parse(text, (size_t)n, &ps))
        return false;
    st->ppid = ps.ppid;
    st->pgrp = ps.pgrp;
    st->start_ns = proc_start_ns(ps.start);
    return true;
}

size_t proc_join_cmdline(const char *raw, size_t len, char *out, size_t outlen)
{
    if (!outlen)
        return 0;
    while (len && raw[len - 1] == '\0')
        len--;
    size_t n = len < outlen - 1 ? len : outlen - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = raw[i] ? raw[i] : ' ';
    out[n] = '\0';
    return n;
}

/* "Key:\tN..." in a status text: the Nth (0-based) number after KEY. */
static bool status_field(const char *text, const char *key, int nth, unsigned long *out)
{
    const char *p = strstr(text, key);
    if (!p)
        return false;
    p += strlen(key);
    for (int i = 0;; i++) {
        while (*p == '\t' || *p == ' ')
            p++;
        if (*p < '0' || *p > '9')
            return false;
        char *end;
        unsigned long v = strtoul(p, &end, 10);
        if (i == nth) {
            *out = v;
            return true;
        }
        p = end;
    }
}

/* Start time of task TID, 0 when gone. */
static uint64_t read_start(struct proc_cache *c, pid_t tid)
{
    ssize_t n = proc_read_file(c, tid, "stat");
    struct procstat ps;
    if (n <= 0 || !procstat_parse(c->raw, (size_t)n, &ps))
        return 0;
    return ps.start;
}

bool proc_read_owner(struct proc_cache *c, pid_t pid)
{
    c->snap.unit[0] = c->snap.container[0] = '\0';
    ssize_t n = proc_read_file(c, pid, "cgroup");
    if (n <= 0)
        return false;
    cgroup_unit(c->raw, (size_t)n, c->snap.unit, sizeof c->snap.unit);
    container_name(c->names, c->raw, (size_t)n, c->snap.container, sizeof c->snap.container);
    return true;
}

/* Fill c->snap for task TID: always tgid, ppid, uid, start and unit; comm,
 * exe and cmdline too when VARIANT (they change on exec). False when the
 * task is gone. */
static bool read_snap(struct proc_cache *c, pid_t tid, bool variant)
{
    struct proc_read *s = &c->snap;
    memset(s, 0, offsetof(struct proc_read, comm));
    s->comm[0] = s->exe[0] = s->cmdline[0] = s->unit[0] = s->container[0] = '\0';
    s->tgid = tid;
    s->uid = PROC_UID_UNKNOWN;
    ssize_t n = proc_read_file(c, tid, "status");
    if (n <= 0)
        return false;
    unsigned long v;
    if (status_field(c->raw, "\nTgid:", 0, &v))
        s->tgid = (pid_t)v;
    if (status_field(c->raw, "\nUid:", 1, &v)) /* effective uid, as ps and top show */
        s->uid = (uint32_t)v;
    n = proc_read_file(c, tid, "stat");
    struct procstat ps;
    if (n <= 0 || !procstat_parse(c->raw, (size_t)n, &ps))
        return false;
    s->ppid = ps.ppid;
    s->start = ps.start;
    if (variant) {
        size_t cl = ps.comm_len < PROC_COMM_MAX ? ps.comm_len : PROC_COMM_MAX;
        memcpy(s->comm, ps.comm, cl);
        s->comm[cl] = '\0';
    }
    pid_t pid = s->tgid;
    proc_read_owner(c, pid);
    if (!variant)
        return true;
    n = proc_read_file(c, pid, "cmdline");
    if (n > 0)
        proc_join_cmdline(c->raw, (size_t)n, s->cmdline, sizeof s->cmdline);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    ssize_t l = readlink(path, s->exe, sizeof s->exe - 1);
    s->exe[l > 0 ? l : 0] = '\0';
    return true;
}

/* ---- identities ------------------------------------------------------------ */

static const char *base_of(const char *path, size_t len, size_t *blen);
static bool same_base(const char *a, const char *b, size_t blen);

static const char *user_name(struct proc_cache *c, uint32_t uid)
{
    if (uid == PROC_UID_UNKNOWN)
        return "";
    for (size_t i = 0; i < c->nusers; i++)
        if (c->users[i].uid == uid)
            return c->users[i].name;
    struct passwd pw, *res = NULL;
    char buf[4096];
    char num[16];
    const char *name = num;
    if (getpwuid_r((uid_t)uid, &pw, buf, sizeof buf, &res) == 0 && res)
        name = res->pw_name;
    else
        snprintf(num, sizeof num, "%u", uid);
    struct proc_user *nu = realloc(c->users, (c->nusers + 1) * sizeof *nu);
    if (!nu)
        return "";
    c->users = nu;
    char *copy = strdup(name);
    if (!copy)
        return "";
    c->users[c->nusers++] = (struct proc_user){uid, copy};
    return copy;
}

static uint32_t next_id(struct proc_cache *c)
{
    if (++c->next_id == 0)
        c->next_id = 1;
    return c->next_id;
}

/* Give E a new identity version from the given fields (copied; they may
 * point into E's current one). */
static void ident_set(struct proc_cache *c, struct entry *e, pid_t ppid, uint32_t uid,
                      const char *comm, const char *exe, const char *cmdline, const char *unit,
                      const char *container)
{
    size_t l[5] = {strlen(comm), strlen(exe), strlen(cmdline), strlen(unit), strlen(container)};
    char *block = malloc(l[0] + l[1] + l[2] + l[3] + l[4] + 5);
    if (!block) {
        if (!e->strings) /* never NULL strings: an unnamed identity */
            e->info.ident = (struct fa_proc){.id = next_id(c),
                                             .pid = e->key,
                                             .ppid = ppid,
                                             .uid = PROC_UID_UNKNOWN,
                                             .user = "",
                                             .comm = "?",
                                             .exe = "",
                                             .cmdline = "",
                                             .unit = "",
                                             .container = "",
                                             .start_ns = e->start_ns};
        return; /* else keep the old identity: better than none */
    }
    const char *src[5] = {comm, exe, cmdline, unit, container};
    const char *dst[5];
    char *q = block;
    for (int i = 0; i < 5; i++) {
        memcpy(q, src[i], l[i] + 1);
        dst[i] = q;
        q += l[i] + 1;
    }
    free(e->strings);
    e->strings = block;
    struct fa_proc *id = &e->info.ident;
    id->id = next_id(c);
    id->pid = e->key;
    id->ppid = ppid;
    id->uid = uid;
    id->user = user_name(c, uid);
    id->comm = dst[0];
    id->exe = dst[1];
    id->cmdline = dst[2];
    id->unit = dst[3];
    id->container = dst[4];
    id->start_ns = e->start_ns;
    e->info.sent = false;
}

void proc_ident_update(struct proc_cache *c, struct entry *e, pid_t ppid, uint32_t uid,
                       const char *comm, const char *exe, const char *cmdline, const char *unit,
                       const char *container)
{
    const struct fa_proc *id = &e->info.ident;
    if (e->strings && id->ppid == ppid && id->uid == uid && strcmp(id->comm, comm) == 0 &&
        strcmp(id->exe, exe) == 0 && strcmp(id->cmdline, cmdline) == 0 &&
        strcmp(id->unit, unit) == 0 && strcmp(id->container, container) == 0)
        return;
    ident_set(c, e, ppid, uid, comm, exe, cmdline, unit, container);
}

static void ident_from_snap(struct proc_cache *c, struct entry *e)
{
    struct proc_read *s = &c->snap;
    ident_set(c, e, s->ppid, s->uid, s->comm[0] ? s->comm : "?", s->exe, s->cmdline, s->unit,
              s->container);
}

/* The exe to show when /proc says PROC_EXE and fanotify named the file
 * PATH (NULL: not seen): one file may have two paths (fanotify names it
 * through the mount fanotop reached it by; /proc/PID/exe as the process
 * sees it, or an overlay's lower file), and the events of one program show
 * one, fanotify's where it named the file. */
static const char *same_exe(const char *path, const char *proc_exe)
{
    size_t pl;
    const char *pb = base_of(proc_exe, strlen(proc_exe), &pl);
    return path && path[0] && pl && same_base(path, pb, pl) ? path : proc_exe;
}

void proc_take_snap(struct proc_cache *c, struct entry *e, const struct proc_snap *s,
                    const char *path)
{
    const struct fa_proc *id = &e->info.ident;
    proc_ident_update(c, e, id->ppid, id->uid, s->comm, same_exe(path, s->exe), s->cmdline,
                      s->unit ? s->unit : id->unit, s->unit ? s->container : id->container);
    e->reread = false;
}

/* A process entry's parent can be gone too; a fork chain is followed this far. */
#define INHERIT_DEPTH 4

static struct entry *process_entry(struct proc_cache *c, pid_t pid, bool exec, int64_t now,
                                   int depth);
static void reread(struct proc_cache *c, struct entry *e, int64_t now);

/* P's identity as a fork child inherits it. A parent named only by its exec
 * event (after the file exec'd: python3.11 for the symlink python3) may never
 * send an event of its own that would have /proc read again; a parent that
 * forks has finished its exec, so read /proc now. */
static const struct fa_proc *parent_ident(struct proc_cache *c, struct entry *p, int64_t now)
{
    if (p->reread)
        reread(c, p, now);
    return &p->info.ident;
}

/* E made anew: from /proc when the task is there (a thread entry learns its
 * process and stops there), else from its fork (a fork child is a copy of
 * its parent). With EXEC the caller names it next (comm, exe and cmdline
 * are not read). */
static void build(struct proc_cache *c, struct entry *e, bool exec, int64_t now, int depth)
{
    /* A fork seen since the last build names this process's parent; one
     * from before may be an earlier process's with the same pid. */
    bool forked = e->fork_parent && (!e->built || e->fork_new);
    bool alive = read_snap(c, e->key, !exec);
    /* changes since its fork: /proc shows them, a copy of its parent not */
    bool early_uid = e->early_uid, early_comm = e->early_comm;
    e->early_uid = e->early_comm = false;
    e->checked = now;
    e->built = true;
    e->fork_new = false;
    e->from_fork = false;
    e->in_exec = e->opened = false;
    e->reread = false;
    e->start = alive ? c->snap.start : 0;
    /* gone: the start its fork gave it, if any */
    e->start_ns = alive ? proc_start_ns(e->start) : forked ? e->start_ns : 0;
    /* /proc shows a program exec'd after this event when an exec event of
     * the process waits to be applied: a fork child before its exec is a
     * copy of its parent. */
    if (alive && !(c->snap.tgid == e->key && e->execs && e->fork_parent)) {
        e->tgid = c->snap.tgid;
        if (e->tgid != e->key)
            return;
        /* Who forked it, not who holds it now: an orphan is re-parented to
         * init or a subreaper (and stat says 0 when it is reaped while read). */
        if (forked || !c->snap.ppid)
            c->snap.ppid = e->fork_parent ? e->fork_parent : c->snap.ppid;
        e->info.self = c->snap.tgid == c->self;
        ident_from_snap(c, e);
        return;
    }
    e->info.self = false;
    if (!e->fork_parent) {
        e->tgid = e->key;
        ident_from_snap(c, e); /* all unknown but the pid */
        return;
    }
    if (e->tgid != e->key)
        return; /* a thread: the fork event named its process */
    struct entry *p =
        depth < INHERIT_DEPTH ? process_entry(c, e->fork_parent, false, now, depth + 1) : NULL;
    const struct fa_proc *pi = NULL;
    if (p && p != e && p->built && p->info.ident.comm)
        pi = parent_ident(c, p, now);
    uint32_t uid = early_uid ? e->uid_then : pi ? pi->uid : PROC_UID_UNKNOWN;
    const char *comm = early_comm ? e->comm_then : pi ? pi->comm : "?";
    if (pi)
        ident_set(c, e, e->fork_parent, uid, comm, pi->exe, pi->cmdline, pi->unit, pi->container);
    else
        ident_set(c, e, e->fork_parent, uid, comm, "", "", "", "");
}

static struct entry *process_entry(struct proc_cache *c, pid_t pid, bool exec, int64_t now,
                                   int depth)
{
    struct entry *e = proc_entry_of(c, pid);
    if (e && e->fork_seq && !e->built)
        proc_fork_now(c, e, now);
    if (e && e->built && e->tgid == pid)
        return e;
    if (!e && !(e = proc_entry_add(c, pid)))
        return NULL;
    e->tgid = pid; /* a thread alias under a pid that now leads a process */
    build(c, e, exec, now, depth);
    if (e->tgid != pid || !e->info.ident.comm) {
        /* /proc or a stale fork record calls it a thread: still, a process is wanted */
        e->tgid = pid;
        ident_set(c, e, 0, PROC_UID_UNKNOWN, "?", "", "", "", "");
    }
    return e;
}

/* Is the task behind E still the one cached? Rebuilds E when not; reads its
 * cgroup again when it is. */
static void validate(struct proc_cache *c, struct entry *e, bool exec, int64_t now)
{
    e->checked = now;
    uint64_t start = read_start(c, e->key);
    if (start == 0)
        return; /* gone: its queued events still belong to it */
    if (e->start == 0 && e->from_fork) {
        e->start = start; /* the fork event named this very task */
        if (!e->start_ns)
            e->start_ns = proc_start_ns(start); /* else its versions keep the fork's */
    }
    if (start != e->start) {
        /* The pid was reused (or first seen gone and now alive): a new task. */
        build(c, e, exec, now, 0);
        return;
    }
    if (e->tgid != e->key || !proc_read_owner(c, e->key))
        return;
    const struct fa_proc *id = &e->info.ident;
    proc_ident_update(c, e, id->ppid, id->uid, id->comm, id->exe, id->cmdline, c->snap.unit,
                      c->snap.container);
}

struct entry *proc_fork_parent_entry(struct proc_cache *c, pid_t pid, int64_t now)
{
    struct entry *p = proc_entry_of(c, pid);
    if (!p || !p->built || p->tgid != pid || !p->info.ident.comm)
        return NULL;
    if (now - p->checked >= CHECK_NS)
        validate(c, p, false, now); /* a fork is a time to look at its cgroup again */
    if (p->reread)
        reread(c, p, now);
    return p->built ? p : NULL;
}

static bool same_prefix(const char *a, const char *b)
{
    /* "/usr/bin/x (deleted)" still names /usr/bin/x */
    size_t la = strlen(a), lb = strlen(b);
    size_t n = la < lb ? la : lb;
    return n && memcmp(a, b, n) == 0 && (la == lb || a[n] == ' ' || b[n] == ' ');
}

/* The exec of E is done: read what /proc says of the new program. */
static void reread(struct proc_cache *c, struct entry *e, int64_t now)
{
    /* changes read but not applied yet: /proc may be past this event (but
     * for an exec met at its open, which is this program's) */
    if (now < e->reread_at || e->pending > e->met_waiting)
        return;
    if (!e->start || !read_snap(c, e->key, true) || c->snap.start != e->start) {
        e->reread = false; /* gone or replaced: the exec's own naming stays */
        return;
    }
    struct proc_read *s = &c->snap;
    const struct fa_proc *id = &e->info.ident;
    if (id->ppid > 0)
        s->ppid = id->ppid; /* who forked it: re-parenting (or a reap) does not change that */
    /* Events of both groups arrive in two queues: an event read "after" the
     * exec may predate it, and /proc may still show the old program. Accept
     * /proc only once it shows the exec'd file or name. */
    if (!same_prefix(s->exe, id->exe) && strcmp(s->comm, id->comm) != 0) {
        e->reread_at = now + REREAD_NS;
        return;
    }
    e->reread = false;
    /* A zombie has no exe and no cmdline left: keep what the exec told us. */
    proc_ident_update(c, e, s->ppid, s->uid, s->comm,
                      s->exe[0] ? same_exe(id->exe, s->exe) : id->exe,
                      s->cmdline[0] ? s->cmdline : id->cmdline, s->unit, s->container);
}

struct proc_info *proc_lookup(struct proc_cache *c, pid_t tid, uint64_t mask, int64_t now)
{
    bool exec = mask & FAN_OPEN_EXEC;
    struct entry *e = proc_entry_of(c, tid);
    if (!e && c->events_fd >= 0) {
        /* A new task: its fork may have been reported since the last read. */
        proc_events_read(c, now);
        e = proc_entry_of(c, tid);
    }
    if (!e && !(e = proc_entry_add(c, tid)))
        return NULL;
    /* A task's first event: nothing of it comes before its fork. */
    if (e->fork_seq && !e->built)
        proc_fork_now(c, e, now);
    if (!e->built)
        build(c, e, exec, now, 0);
    else if (exec || now - e->checked >= CHECK_NS)
        validate(c, e, exec, now);
    e->seen = now;
    if (e->tgid != e->key) {
        struct entry *p = process_entry(c, e->tgid, exec, now, 0);
        if (!p)
            return NULL;
        if (p != e && (exec || now - p->checked >= CHECK_NS))
            validate(c, p, exec, now);
        p->seen = now;
        e = p;
    }
    /* Open, write and close events come in the exec events' queue (the
     * capture puts both in one group per filesystem), so they prove that
     * the interpreters of an exec have been opened already; but not with a
     * read or a close in them: the kernel merges the process's later
     * events on a file into one still queued, which may be its read of a
     * script it is exec'ing. */
    bool runs = !exec && (mask & (FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE)) &&
                !(mask & (FAN_ACCESS | FAN_CLOSE_NOWRITE));
    if (runs)
        e->in_exec = false;
    bool done = runs || (!exec && (mask & EXEC_DONE_MASK));
    if (done && e->reread)
        reread(c, e, now);
    return &e->info;
}

/* The process that forked P's process, or NULL (see proc_unsent_ancestors). */
static struct proc_info *proc_parent(struct proc_cache *c, struct proc_info *p, int64_t now)
{
    const struct entry *e = entry_of_info(p);
    pid_t ppid = p->ident.ppid;
    if (ppid <= 0 || ppid == e->tgid)
        return NULL;
    struct entry *pe = process_entry(c, ppid, false, now, 1);
    if (!pe || pe == e || pe->info.self || !pe->info.ident.comm)
        return NULL;
    /* Gone before anything of it was known: nothing worth a node. */
    if (!pe->start_ns && strcmp(pe->info.ident.comm, "?") == 0)
        return NULL;
    /* Started after its supposed child: the pid was reused since. */
    if (pe->start_ns && e->start_ns && pe->start_ns > e->start_ns)
        return NULL;
    pe->seen = now;
    parent_ident(c, pe, now);
    return &pe->info;
}

size_t proc_unsent_ancestors(struct proc_cache *c, struct proc_info *p, int64_t now,
                             struct proc_info **out)
{
    size_t n = 0;
    for (struct proc_info *a = proc_parent(c, p, now); a && !a->sent && n < PROC_ANCESTORS_MAX;
         a = proc_parent(c, a, now))
        out[n++] = a;
    return n;
}

/* ---- exec opens ------------------------------------------------------------ */

static const char *base_of(const char *path, size_t len, size_t *blen)
{
    const char *base = path;
    for (size_t i = 0; i < len; i++)
        if (path[i] == '/')
            base = path + i + 1;
    *blen = (size_t)(path + len - base);
    return base;
}

static bool same_base(const char *a, const char *b, size_t blen)
{
    size_t al;
    const char *ab = base_of(a, strlen(a), &al);
    return al == blen && memcmp(ab, b, blen) == 0;
}

/* Does S, what /proc showed right after an exec, show the program whose
 * exec opened a file with basename BASE (BL bytes)? The kernel names it
 * after the name exec'd (a symlink's: python3 for python3.11) and its exe is
 * the file run. */
static bool snap_is_program(const struct proc_snap *s, const char *base, size_t bl)
{
    size_t cl = bl < PROC_COMM_MAX ? bl : PROC_COMM_MAX;
    size_t sl = strlen(s->comm);
    if (sl == cl && memcmp(s->comm, base, cl) == 0)
        return true;
    return same_base(s->exe, base, bl) && sl < bl && memcmp(s->comm, base, sl) == 0;
}

/* Or S runs that very file, under the name it was exec'd by (sh for dash,
 * no part of the file's name): for the exec of an open, which S follows. */
static bool snap_runs(const struct proc_snap *s, const char *base, size_t bl)
{
    return snap_is_program(s, base, bl) || same_base(s->exe, base, bl);
}

/* Or the interpreter of the script of comm COMM that S shows (its exe)? */
static bool snap_is_interp(const struct proc_snap *s, const char *base, size_t bl, const char *comm)
{
    return same_base(s->exe, base, bl) && strcmp(s->comm, comm) == 0;
}

/* A new program's exec open, at its place in the queue: the kernel's exec
 * event read for it (NEXT, if any) is met here, and what /proc showed after
 * it names the program if it fits; else the path does. */
static void exec_program(struct proc_cache *c, struct entry *e, struct proc_change *next,
                         const char *path, size_t len)
{
    e->in_exec = e->opened = true;
    e->interp_open = e->ran = false;
    size_t bl = 0;
    const char *base = path ? base_of(path, len, &bl) : NULL;
    /* The oldest exec event read and not met is this open's; with none,
     * the exec event may have been applied already (from another queue):
     * then what /proc showed after it fits. */
    if (next)
        proc_meet_exec(c, e, next, e->seen);
    e->open_met = next || (path && e->snap && snap_runs(e->snap, base, bl));
    e->awaiting = !e->open_met;
    char exe[PROC_FIELD_MAX + 1];
    size_t el = !path ? 0 : len < PROC_FIELD_MAX ? len : PROC_FIELD_MAX;
    memcpy(exe, path ? path : "", el);
    exe[el] = '\0';
    const struct fa_proc *id = &e->info.ident;
    if (path && e->snap && snap_runs(e->snap, base, bl)) {
        /* as /proc showed it after its exec; an exec applied already keeps
         * the name of its file (an overlay's exec opens it twice: the
         * lower file, then its own) */
        proc_take_snap(c, e, e->snap, !next && same_base(id->exe, base, bl) ? id->exe : exe);
        e->ran = same_base(e->snap->exe, base, bl); /* no script: it runs this very file */
        return;
    }
    free(e->snap); /* /proc showed a later program, or none */
    e->snap = NULL;
    e->reread = true;
    e->reread_at = 0;
    if (!path)
        return;
    char comm[PROC_COMM_MAX + 1];
    size_t cl = bl < PROC_COMM_MAX ? bl : PROC_COMM_MAX;
    memcpy(comm, base, cl);
    comm[cl] = '\0';
    proc_ident_update(c, e, id->ppid, id->uid, comm, exe, "", id->unit, id->container);
}

/* The dynamic loader ("ld-linux-x86-64.so.2", "ld-musl-x86_64.so.1",
 * "ld.so.1"): run by the kernel for other programs, rarely by hand. It is
 * always the last file an exec opens. */
static bool is_elf_interpreter(const char *path, size_t len)
{
    size_t bl;
    const char *base = base_of(path, len, &bl);
    return bl > 5 && (memcmp(base, "ld-", 3) == 0 || memcmp(base, "ld.so", 5) == 0) &&
           memmem(base, bl, ".so", 3) != NULL;
}

bool proc_opens_loader(const struct decode_event *ev)
{
    if (ev->name)
        return is_elf_interpreter(ev->name, ev->name_len);
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", (int)ev->fd);
    ssize_t n = ev->fd >= 0 ? readlink(link, path, sizeof path) : -1;
    return n > 0 && is_elf_interpreter(path, (size_t)n);
}

/* Exec opens of programs and scripts (not the loader) of E's process in B
 * from offset REST on. */
static size_t later_execs(const struct proc_cache *c, const struct entry *e,
                          const struct proc_batch *b, size_t rest)
{
    size_t n = 0;
    struct decode_event ev;
    while (b && decode_next(b->buf, b->len, &rest, &ev) == DECODE_OK) {
        if (!(ev.mask & FAN_OPEN_EXEC) || (ev.mask & FAN_ONDIR))
            continue;
        const struct entry *t = ev.pid == e->key ? e : proc_entry_of(c, ev.pid);
        n += t && t->tgid == e->key && !proc_opens_loader(&ev);
    }
    return n;
}

/* The open E's process made last for exec, taken for an interpreter, was
 * a new program's: its exec event, read since, is met there. */
static void exec_was_program(struct proc_cache *c, struct entry *e)
{
    struct proc_change *next = proc_next_exec(c, e);
    if (next)
        proc_meet_exec(c, e, next, e->seen);
    e->interp_open = e->awaiting = false;
    e->open_met = e->ran = true;
    const struct fa_proc *id = &e->info.ident;
    size_t bl;
    const char *base = base_of(id->exe, strlen(id->exe), &bl);
    if (e->snap && snap_is_program(e->snap, base, bl))
        proc_take_snap(c, e, e->snap, id->exe);
    else
        proc_exec_promote(c, e);
}

void proc_exec(struct proc_cache *c, struct proc_info *p, const char *path, size_t len,
               const struct proc_batch *b, size_t rest)
{
    struct entry *e = entry_of_info(p);
    if (path && is_elf_interpreter(path, len)) {
        /* Its program's opens are over: the next exec open is a new one. An
         * open taken for an interpreter was a new program's if exec events
         * read, not met, outnumber the program opens left in the batch. */
        if (e->in_exec && e->interp_open && e->open_met && e->execs &&
            later_execs(c, e, b, rest) < e->execs)
            exec_was_program(c, e);
        e->in_exec = false;
        return;
    }
    struct proc_change *next = e->execs ? proc_next_exec(c, e) : NULL;
    size_t bl = 0;
    const char *base = path ? base_of(path, len, &bl) : NULL;
    const struct fa_proc *id = &e->info.ident;
    /* The program's file again, with no exec event read for it: an
     * overlay's exec opens the lower file, then its own. */
    if (path && e->opened && (e->in_exec || !next) && same_base(id->exe, base, bl))
        return;
    if (!e->in_exec || !path) {
        exec_program(c, e, next, path, len);
        return;
    }
    /* A second exec open before the program ran: the interpreter of a
     * script, or (a static program that execs at once) a new program. What
     * /proc showed after each exec tells them apart; the kernel merges a
     * process's repeated opens of one file (the loader) while they are
     * queued, so their order alone does not. */
    if (!e->ran && e->snap && snap_is_interp(e->snap, base, bl, id->comm)) {
        e->ran = true;
        return;
    }
    /* A new program's: as /proc showed after its exec; or the file the
     * program runs was opened already; or, gone before /proc was read,
     * there are as many exec events read and not met as exec opens left in
     * the batch (each has its program's open here or later). */
    if ((next && next->snap && snap_is_program(next->snap, base, bl)) || e->ran ||
        (next && later_execs(c, e, b, rest) < e->execs)) {
        exec_program(c, e, next, path, len);
        return;
    }
    /* A script's interpreter is what runs: the kernel's exe, under the script's name. */
    e->interp_open = true;
    char exe[PROC_FIELD_MAX + 1];
    size_t el = len < PROC_FIELD_MAX ? len : PROC_FIELD_MAX;
    memcpy(exe, path, el);
    exe[el] = '\0';
    proc_ident_update(c, e, id->ppid, id->uid, id->comm, exe, id->cmdline, id->unit, id->container);
}

void proc_exec_late(struct proc_cache *c, struct entry *e, struct proc_snap *s)
{
    const struct fa_proc *id = &e->info.ident;
    size_t bl;
    const char *base = base_of(id->exe, strlen(id->exe), &bl);
    if (!s || !e->built ||
        !(snap_runs(s, base, bl) || snap_is_interp(s, base, bl, id->comm))) {
        free(s);
        return;
    }
    free(e->snap);
    e->snap = s;
    /* the file the program runs was opened: itself, or a script's
     * interpreter that came before this event was read */
    e->ran = same_base(s->exe, base, bl);
    proc_take_snap(c, e, s, id->exe);
}

void proc_exec_promote(struct proc_cache *c, struct entry *e)
{
    const struct fa_proc *id = &e->info.ident;
    size_t bl;
    const char *base = base_of(id->exe, strlen(id->exe), &bl);
    char comm[PROC_COMM_MAX + 1];
    size_t cl = bl < PROC_COMM_MAX ? bl : PROC_COMM_MAX;
    memcpy(comm, base, cl);
    comm[cl] = '\0';
    proc_ident_update(c, e, id->ppid, id->uid, comm, id->exe, "", id->unit, id->container);
    e->reread = true;
    e->reread_at = 0;
}

/* ---- the cache ------------------------------------------------------------- */

static void entry_free(struct entry *e)
{
    free(e->snap);
    free(e->strings);
    free(e);
}

/* u64map_sweep's test: frees an entry unseen for long (CTX: the time now). */
static bool entry_idle(void *ctx, uint64_t key, uint64_t val)
{
    (void)key;
    int64_t now = *(const int64_t *)ctx;
    struct entry *e = (struct entry *)(uintptr_t)val;
    if (e->pending || now - e->seen <= (e->built ? IDLE_NS : FORK_KEEP_NS))
        return false;
    entry_free(e);
    return true;
}

void proc_cache_sweep(struct proc_cache *c, int64_t now)
{
    u64map_sweep(&c->entries, entry_idle, &now);
}

void proc_note_fork(struct proc_cache *c, pid_t tid, pid_t tgid, pid_t parent, int64_t now)
{
    struct entry *e = proc_entry_of(c, tid);
    if (!e && !(e = proc_entry_add(c, tid)))
        return;
    e->fork_parent = parent;
    e->fork_new = true;
    e->tgid = tgid;
    e->seen = now;
    /* Read now, while it runs: a change of user it made since the fork
     * (the user a followed command runs as) is in /proc, and one it makes
     * from now on is reported in order. Named later, once it may be gone,
     * it would be a copy of its parent as that was. */
    if (tid == tgid)
        build(c, e, false, now, 0);
}

pid_t proc_fork_parent(const struct proc_cache *c, pid_t pid)
{
    const struct entry *e = proc_entry_of(c, pid);
    return e ? e->fork_parent : 0;
}

size_t proc_cache_size(const struct proc_cache *c)
{
    return u64map_count(&c->entries);
}

struct proc_cache *proc_cache_create(pid_t self)
{
    struct proc_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->self = self;
    c->events_fd = -1;
    c->base = 1;
    c->names = container_names_create();
    if (!c->names) {
        free(c);
        return NULL;
    }
    return c;
}

void proc_cache_destroy(struct proc_cache *c)
{
    if (!c)
        return;
    size_t pos = 0;
    uint64_t key, e;
    while (u64map_next(&c->entries, &pos, &key, &e))
        entry_free((struct entry *)(uintptr_t)e);
    u64map_free(&c->entries);
    container_names_destroy(c->names);
    if (c->events_fd >= 0)
        close(c->events_fd);
    proc_changes_free(c);
    for (size_t i = 0; i < c->nusers; i++)
        free(c->users[i].name);
    free(c->users);
    free(c);
}
