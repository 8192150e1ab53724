#include "config.h"

#include "capture/proc.h"

#include "base/hashmap.h"
#include "base/procstat.h"
#include "capture/cgroup.h"
#include "capture/container.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/socket.h>
#include <unistd.h>

#define CHECK_NS     1000000000LL  /* start-time check period per pid */
#define IDLE_NS      60000000000LL /* sweep entries unseen this long */
#define FORK_KEEP_NS 10000000000LL /* and fork records no event asked for */
#define COMM_MAX     15            /* TASK_COMM_LEN - 1 */
#define FIELD_MAX    4096          /* exe and cmdline are cut here (WIRE_MAX_FIELD) */

/* Events that only the new program can cause: once one arrives after an
 * exec open, the exec is complete and /proc shows the new program. Reads and
 * closes do not count: the kernel reads the binary and closes the old
 * program's files while the exec is still under way. */
#define EXEC_DONE_MASK                                                                             \
    (FAN_MODIFY | FAN_CLOSE_WRITE | FAN_ATTRIB | FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM |        \
     FAN_MOVED_TO | FAN_DELETE_SELF | FAN_MOVE_SELF)

struct entry {
    pid_t key;      /* the tid events carry */
    pid_t tgid;     /* its process: == key for a process entry */
    uint64_t start; /* start time of KEY's task; 0 = unknown (gone when first seen) */
    int64_t checked;
    int64_t seen;
    int64_t reread_at;   /* earliest next re-read attempt */
    int interps;         /* exec opens still expected for the program being exec'd */
    bool reread;         /* /proc to be read again once the exec is done */
    bool built;          /* identity made (an entry may hold only a fork record) */
    pid_t fork_parent;   /* from the kernel's fork event, 0 when none seen */
    uint64_t fork_seq;   /* order of that fork event */
    uint64_t built_seq;  /* forks seen when the identity was made */
    uint64_t born_batch; /* fork event batches read when the entry was made */
    char *strings;       /* comm, exe, cmdline, unit and container of info.ident */
    struct proc_info info;
};

/* What /proc says of a process at one moment. */
struct snap {
    pid_t tgid, ppid;
    uint32_t uid;
    uint64_t start;
    char comm[COMM_MAX + 1];
    char exe[FIELD_MAX + 1];
    char cmdline[FIELD_MAX + 1];
    char unit[CGROUP_UNIT_MAX];
    char container[CONTAINER_NAME_MAX];
};

struct user {
    uint32_t uid;
    char *name;
};

struct proc_cache {
    pid_t self;
    struct u64map entries; /* key -> struct entry * */
    uint32_t next_id;
    uint64_t fork_seq;
    uint64_t batch;      /* batches of fork events read */
    uint64_t forks_lost; /* proc connector messages the socket dropped */
    int events_fd;       /* proc connector socket, -1 when none */
    struct container_names *names;
    struct user *users;
    size_t nusers;
    struct snap snap;
    char raw[FIELD_MAX * 2]; /* scratch for /proc reads */
};

/* ---- the entries by key --------------------------------------------------- */

static struct entry *entry_of(const struct proc_cache *c, pid_t key)
{
    uint64_t e;
    return u64map_get(&c->entries, (uint32_t)key, &e) ? (struct entry *)(uintptr_t)e : NULL;
}

/* ---- reading /proc --------------------------------------------------------- */

/* Read /proc/PID/WHAT into c->raw (NUL-terminated); length or -1. */
static ssize_t read_proc(struct proc_cache *c, pid_t pid, const char *what)
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
static uint64_t read_start(struct proc_cache *c, pid_t tid, pid_t *ppid)
{
    ssize_t n = read_proc(c, tid, "stat");
    struct procstat ps;
    if (n <= 0 || !procstat_parse(c->raw, (size_t)n, &ps))
        return 0;
    if (ppid)
        *ppid = ps.ppid;
    return ps.start;
}

/* Fill c->snap for task TID: always tgid, ppid, uid, start and unit; comm,
 * exe and cmdline too when VARIANT (they change on exec). False when the
 * task is gone. */
static bool read_snap(struct proc_cache *c, pid_t tid, bool variant)
{
    struct snap *s = &c->snap;
    memset(s, 0, offsetof(struct snap, comm));
    s->comm[0] = s->exe[0] = s->cmdline[0] = s->unit[0] = s->container[0] = '\0';
    s->tgid = tid;
    s->uid = PROC_UID_UNKNOWN;
    ssize_t n = read_proc(c, tid, "status");
    if (n <= 0)
        return false;
    unsigned long v;
    if (status_field(c->raw, "\nTgid:", 0, &v))
        s->tgid = (pid_t)v;
    if (status_field(c->raw, "\nUid:", 1, &v)) /* effective uid, as ps and top show */
        s->uid = (uint32_t)v;
    n = read_proc(c, tid, "stat");
    struct procstat ps;
    if (n <= 0 || !procstat_parse(c->raw, (size_t)n, &ps))
        return false;
    s->ppid = ps.ppid;
    s->start = ps.start;
    if (variant) {
        size_t cl = ps.comm_len < COMM_MAX ? ps.comm_len : COMM_MAX;
        memcpy(s->comm, ps.comm, cl);
        s->comm[cl] = '\0';
    }
    pid_t pid = s->tgid;
    n = read_proc(c, pid, "cgroup");
    if (n > 0) {
        cgroup_unit(c->raw, (size_t)n, s->unit, sizeof s->unit);
        container_name(c->names, c->raw, (size_t)n, s->container, sizeof s->container);
    }
    if (!variant)
        return true;
    n = read_proc(c, pid, "cmdline");
    if (n > 0)
        proc_join_cmdline(c->raw, (size_t)n, s->cmdline, sizeof s->cmdline);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    ssize_t l = readlink(path, s->exe, sizeof s->exe - 1);
    s->exe[l > 0 ? l : 0] = '\0';
    return true;
}

/* ---- identities ------------------------------------------------------------ */

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
    struct user *nu = realloc(c->users, (c->nusers + 1) * sizeof *nu);
    if (!nu)
        return "";
    c->users = nu;
    char *copy = strdup(name);
    if (!copy)
        return "";
    c->users[c->nusers++] = (struct user){uid, copy};
    return copy;
}

static uint32_t next_id(struct proc_cache *c)
{
    if (++c->next_id == 0)
        c->next_id = 1;
    return c->next_id;
}

/* Give E a new identity from the given fields (copied). */
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
                                             .container = ""};
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
    e->info.sent = false;
}

static void ident_from_snap(struct proc_cache *c, struct entry *e)
{
    struct snap *s = &c->snap;
    ident_set(c, e, s->ppid, s->uid, s->comm[0] ? s->comm : "?", s->exe, s->cmdline, s->unit,
              s->container);
}

static struct entry *insert(struct proc_cache *c, pid_t key)
{
    struct entry *e = calloc(1, sizeof *e);
    bool added;
    if (!e || !u64map_slot(&c->entries, (uint32_t)key, (uintptr_t)e, &added)) {
        free(e);
        return NULL;
    }
    e->key = e->tgid = key;
    e->born_batch = c->batch;
    return e;
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

/* (Re)build E from /proc: a process, or a thread naming its process. With
 * EXEC the caller names it next (comm, exe and cmdline are not read). A
 * task gone before it could be read takes its parent from the kernel's fork
 * event and, until it is seen exec, its parent's identity (a fork child is a
 * copy of its parent). */
static void build(struct proc_cache *c, struct entry *e, bool exec, int64_t now, int depth)
{
    bool alive = read_snap(c, e->key, !exec);
    e->checked = now;
    e->built = true;
    e->built_seq = c->fork_seq;
    e->interps = 0;
    e->reread = false;
    e->start = alive ? c->snap.start : 0;
    if (alive) {
        e->tgid = c->snap.tgid;
        if (e->tgid != e->key)
            return;
        if (!c->snap.ppid)
            c->snap.ppid = e->fork_parent; /* reaped while read: stat says 0 */
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
    if (p && p != e && p->built && p->info.ident.comm) {
        const struct fa_proc *pi = parent_ident(c, p, now);
        ident_set(c, e, e->fork_parent, pi->uid, pi->comm, pi->exe, pi->cmdline, pi->unit,
                  pi->container);
    } else {
        ident_set(c, e, e->fork_parent, PROC_UID_UNKNOWN, "?", "", "", "", "");
    }
}

/* Is E's identity out of date: never made, or its pid forked anew since? */
static bool stale(const struct entry *e)
{
    return !e->built || e->fork_seq > e->built_seq;
}

static struct entry *process_entry(struct proc_cache *c, pid_t pid, bool exec, int64_t now,
                                   int depth)
{
    struct entry *e = entry_of(c, pid);
    if (e && !stale(e) && e->tgid == pid)
        return e;
    if (!e && !(e = insert(c, pid)))
        return NULL;
    if (e->tgid != pid && !stale(e))
        e->tgid = pid; /* a thread alias under a pid that now leads a process */
    build(c, e, exec, now, depth);
    if (e->tgid != pid || !e->info.ident.comm) {
        /* /proc or a stale fork record calls it a thread: still, a process is wanted */
        e->tgid = pid;
        ident_set(c, e, 0, PROC_UID_UNKNOWN, "?", "", "", "", "");
    }
    return e;
}

/* Is the task behind E still the one cached? Rebuilds E when not. */
static void validate(struct proc_cache *c, struct entry *e, bool exec, int64_t now)
{
    e->checked = now;
    uint64_t start = read_start(c, e->key, NULL);
    if (start == 0 && e->start != 0)
        return; /* gone: its queued events still belong to it */
    if (start == e->start)
        return;
    /* The pid was reused (or first seen gone and now alive): a new task. */
    build(c, e, exec, now, 0);
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
    if (now < e->reread_at)
        return;
    if (!e->start || !read_snap(c, e->key, true) || c->snap.start != e->start) {
        e->reread = false; /* gone or replaced: the exec's own naming stays */
        return;
    }
    struct snap *s = &c->snap;
    const struct fa_proc *id = &e->info.ident;
    if (!s->ppid)
        s->ppid = id->ppid; /* reaped while read: stat says 0 */
    /* Events of both groups arrive in two queues: an event read "after" the
     * exec may predate it, and /proc may still show the old program. Accept
     * /proc only once it shows the exec'd file or name. */
    if (!same_prefix(s->exe, id->exe) && strcmp(s->comm, id->comm) != 0) {
        e->reread_at = now + CHECK_NS;
        return;
    }
    e->reread = false;
    /* A zombie has no exe and no cmdline left: keep what the exec told us. */
    const char *exe = s->exe[0] ? s->exe : id->exe;
    const char *cmdline = s->cmdline[0] ? s->cmdline : id->cmdline;
    if (strcmp(s->comm, id->comm) == 0 && strcmp(exe, id->exe) == 0 &&
        strcmp(cmdline, id->cmdline) == 0 && strcmp(s->unit, id->unit) == 0 &&
        strcmp(s->container, id->container) == 0 && s->uid == id->uid && s->ppid == id->ppid)
        return;
    if (exe != s->exe)
        snprintf(s->exe, sizeof s->exe, "%s", id->exe);
    if (cmdline != s->cmdline)
        snprintf(s->cmdline, sizeof s->cmdline, "%s", id->cmdline);
    ident_from_snap(c, e);
}

struct proc_info *proc_lookup(struct proc_cache *c, pid_t tid, uint64_t mask, int64_t now)
{
    bool exec = mask & FAN_OPEN_EXEC;
    struct entry *e = entry_of(c, tid);
    if (!e && c->events_fd >= 0) {
        /* A new task: its fork may have been reported since the last read. */
        proc_events_read(c, now);
        e = entry_of(c, tid);
    }
    if (!e && !(e = insert(c, tid)))
        return NULL;
    if (stale(e))
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
     * the interpreters of an exec have been opened already. */
    bool runs = !exec && (mask & (FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE));
    if (runs)
        e->interps = 0;
    bool done = runs || (!exec && (mask & EXEC_DONE_MASK));
    if (done && e->reread)
        reread(c, e, now);
    return &e->info;
}

/* The dynamic loader ("ld-linux-x86-64.so.2", "ld-musl-x86_64.so.1",
 * "ld.so.1"): run by the kernel for other programs, rarely by hand. */
static bool is_elf_interpreter(const char *path, size_t len)
{
    const char *base = path;
    for (size_t i = 0; i < len; i++)
        if (path[i] == '/')
            base = path + i + 1;
    size_t bl = (size_t)(path + len - base);
    return bl > 5 && (memcmp(base, "ld-", 3) == 0 || memcmp(base, "ld.so", 5) == 0) &&
           memmem(base, bl, ".so", 3) != NULL;
}

void proc_exec(struct proc_cache *c, struct proc_info *p, const char *path, size_t len,
               int followers)
{
    struct entry *e = (struct entry *)((char *)p - offsetof(struct entry, info));
    if (e->interps > 0) {
        /* The interpreter of the program just exec'd (which may need one too). */
        e->interps += followers - 1;
        return;
    }
    if (path && is_elf_interpreter(path, len))
        return; /* its program's exec was missed or taken for another's (pid reuse) */
    e->interps = followers;
    e->reread = true;
    e->reread_at = 0;
    if (!path)
        return;
    const char *base = path;
    for (size_t i = 0; i < len; i++)
        if (path[i] == '/')
            base = path + i + 1;
    char comm[COMM_MAX + 1];
    size_t bl = (size_t)(path + len - base);
    if (bl > COMM_MAX)
        bl = COMM_MAX;
    memcpy(comm, base, bl);
    comm[bl] = '\0';
    char exe[FIELD_MAX + 1];
    size_t el = len < FIELD_MAX ? len : FIELD_MAX;
    memcpy(exe, path, el);
    exe[el] = '\0';
    const struct fa_proc *id = &e->info.ident;
    /* unit and container are copied before ident_set frees the block they live in */
    char unit[CGROUP_UNIT_MAX], container[CONTAINER_NAME_MAX];
    snprintf(unit, sizeof unit, "%s", id->unit ? id->unit : "");
    snprintf(container, sizeof container, "%s", id->container ? id->container : "");
    ident_set(c, e, id->ppid, id->uid, comm, exe, "", unit, container);
}

static void entry_free(struct entry *e)
{
    free(e->strings);
    free(e);
}

/* u64map_sweep's test: frees an entry unseen for long (CTX: the time now). */
static bool entry_idle(void *ctx, uint64_t key, uint64_t val)
{
    (void)key;
    int64_t now = *(const int64_t *)ctx;
    struct entry *e = (struct entry *)(uintptr_t)val;
    if (now - e->seen <= (e->built ? IDLE_NS : FORK_KEEP_NS))
        return false;
    entry_free(e);
    return true;
}

void proc_cache_sweep(struct proc_cache *c, int64_t now)
{
    u64map_sweep(&c->entries, entry_idle, &now);
}

/* E's process was forked by PARENT, as learnt only now: fill in what the
 * identity could not know (parent, and uid and unit of a process already
 * gone), keeping its name. */
static void adopt_parent(struct proc_cache *c, struct entry *e, pid_t parent, int64_t now)
{
    e->fork_parent = parent;
    const struct fa_proc *id = &e->info.ident;
    bool unnamed = !id->comm || strcmp(id->comm, "?") == 0;
    if (e->tgid != e->key || (id->ppid == parent && !unnamed && id->uid != PROC_UID_UNKNOWN))
        return;
    struct entry *p = process_entry(c, parent, false, now, 1);
    const struct fa_proc *pi = p && p != e && p->built ? parent_ident(c, p, now) : NULL;
    if (!pi) {
        ident_set(c, e, parent, id->uid, id->comm ? id->comm : "?", id->exe ? id->exe : "",
                  id->cmdline ? id->cmdline : "", id->unit ? id->unit : "",
                  id->container ? id->container : "");
        return;
    }
    const struct fa_proc *names = unnamed ? pi : id; /* a fork child is a copy of its parent */
    const struct fa_proc *owner = id->unit && id->unit[0] ? id : pi;
    ident_set(c, e, parent, id->uid != PROC_UID_UNKNOWN ? id->uid : pi->uid, names->comm,
              names->exe, names->cmdline, owner->unit, owner->container ? owner->container : "");
}

void proc_note_batch(struct proc_cache *c)
{
    c->batch++;
}

void proc_note_fork(struct proc_cache *c, pid_t tid, pid_t tgid, pid_t parent, int64_t now)
{
    struct entry *e = entry_of(c, tid);
    if (e && e->built && !e->fork_parent) {
        /* A fork reported after the events of its child were read (they
         * raced between our last read of fork events and the event read),
         * or a pid reused. Tell them apart by the start time, or, for a task
         * already gone, by whether we met it only since the last batch. */
        uint64_t start = read_start(c, tid, NULL);
        bool same = start ? start == e->start : e->born_batch + 1 >= c->batch;
        if (same) {
            if (tgid != tid) {
                e->tgid = tgid;
                e->fork_parent = parent;
            } else {
                adopt_parent(c, e, parent, now);
            }
            e->seen = now;
            return;
        }
    }
    if (!e && !(e = insert(c, tid)))
        return;
    e->fork_parent = parent;
    e->tgid = tgid;
    e->fork_seq = ++c->fork_seq;
    e->seen = now;
}

pid_t proc_fork_parent(const struct proc_cache *c, pid_t pid)
{
    const struct entry *e = entry_of(c, pid);
    return e ? e->fork_parent : 0;
}

/* The proc connector: one netlink message per fork, exec, exit ... of any
 * process of the machine, sent when it happens. */
int proc_events_start(struct proc_cache *c)
{
    int s = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_CONNECTOR);
    if (s < 0)
        return -1;
    /* Room for fork storms; SO_RCVBUFFORCE goes past rmem_max as root. */
    int size = 8 << 20;
    if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
        setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    struct sockaddr_nl addr = {.nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC};
    struct {
        struct nlmsghdr nl;
        struct cn_msg cn;
        uint32_t op;
    } __attribute__((packed)) msg;
    memset(&msg, 0, sizeof msg);
    msg.nl.nlmsg_len = sizeof msg;
    msg.nl.nlmsg_type = NLMSG_DONE;
    msg.cn.id.idx = CN_IDX_PROC;
    msg.cn.id.val = CN_VAL_PROC;
    msg.cn.len = sizeof msg.op;
    msg.op = PROC_CN_MCAST_LISTEN;
    if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 ||
        send(s, &msg, sizeof msg, 0) != (ssize_t)sizeof msg) {
        close(s);
        return -1;
    }
    c->events_fd = s;
    return s;
}

void proc_events_read(struct proc_cache *c, int64_t now)
{
    int fd = c->events_fd;
    if (fd < 0)
        return;
    union {
        struct nlmsghdr nl;
        char raw[32768];
    } buf;
    proc_note_batch(c);
    for (;;) {
        ssize_t n = recv(fd, buf.raw, sizeof buf.raw, 0);
        if (n < 0 && errno == ENOBUFS) {
            c->forks_lost++; /* those processes are named from /proc alone */
            continue;
        }
        if (n <= 0)
            return;
        size_t left = (size_t)n;
        for (struct nlmsghdr *nh = &buf.nl; NLMSG_OK(nh, left); nh = NLMSG_NEXT(nh, left)) {
            size_t need = offsetof(struct proc_event, event_data) + sizeof(struct fork_proc_event);
            if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct cn_msg) + need))
                continue;
            const struct cn_msg *cn = NLMSG_DATA(nh);
            if (cn->id.idx != CN_IDX_PROC || cn->len < need)
                continue;
            struct proc_event ev;
            memcpy(&ev, cn->data, need);
            if (ev.what != PROC_EVENT_FORK)
                continue;
            const struct fork_proc_event *f = &ev.event_data.fork;
            proc_note_fork(c, f->child_pid, f->child_tgid, f->parent_tgid, now);
        }
    }
}

static uint64_t elf_get(const unsigned char *p, int size, bool big)
{
    uint64_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint64_t)p[big ? size - 1 - i : i] << (8 * i);
    return v;
}

int proc_exec_followers(const unsigned char *head, size_t len)
{
    if (len >= 2 && head[0] == '#' && head[1] == '!')
        return 1; /* the script's interpreter */
    if (len < 52 || memcmp(head, "\177ELF", 4) != 0)
        return 0;
    bool wide = head[4] == 2, big = head[5] == 2;
    uint64_t phoff = elf_get(head + (wide ? 32 : 28), wide ? 8 : 4, big);
    uint64_t phentsize = elf_get(head + (wide ? 54 : 42), 2, big);
    uint64_t phnum = elf_get(head + (wide ? 56 : 44), 2, big);
    if (phentsize < 4 || phoff > len || phnum > (len - phoff) / phentsize)
        return 1; /* headers out of reach: most programs are dynamically linked */
    for (uint64_t i = 0; i < phnum; i++)
        if (elf_get(head + phoff + i * phentsize, 4, big) == 3 /* PT_INTERP */)
            return 1;
    return 0;
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
    for (size_t i = 0; i < c->nusers; i++)
        free(c->users[i].name);
    free(c->users);
    free(c);
}
