/* What proc.c (the cache, /proc, versions of identity, exec opens) and
 * proc_events.c (the kernel's process events and their place among the
 * fanotify events) share. Capture thread only. */
#ifndef FANOTOP_PROC_INTERNAL_H
#define FANOTOP_PROC_INTERNAL_H

#include "base/hashmap.h"
#include "capture/cgroup.h"
#include "capture/container.h"
#include "capture/proc.h"

#define PROC_COMM_MAX  15   /* TASK_COMM_LEN - 1 */
#define PROC_FIELD_MAX 4096 /* exe and cmdline are cut here (WIRE_MAX_FIELD) */

/* What /proc showed of a process right after the kernel reported an exec
 * of it: the program it then ran (strings in one block with the struct). */
struct proc_snap {
    const char *comm, *exe, *cmdline, *unit, *container; /* unit NULL: cgroup not read */
};

struct entry {
    pid_t key;       /* the tid events carry */
    pid_t tgid;      /* its process: == key for a process entry */
    uint64_t start;  /* start time of KEY's task; 0 = unknown */
    int64_t checked; /* start time (and cgroup) last read */
    int64_t seen;
    int64_t reread_at;      /* earliest next re-read attempt */
    bool in_exec;           /* an exec's opens are under way: a further one is its interpreter */
    bool open_met;          /* the last program's exec open met the kernel's exec event */
    bool interp_open;       /* since then an exec open was taken for an interpreter unseen */
    bool ran;               /* the open of the file the program runs (its exe) was seen */
    bool awaiting;          /* the last program's exec open met no exec event: the next is its */
    bool opened;            /* the program in force was named at its exec open */
    bool reread;            /* /proc to be read again once the exec is done */
    bool built;             /* identity made (an entry may hold only a fork record) */
    bool from_fork;         /* made as a copy of the parent: its start time is adopted when read */
    bool early_uid;         /* a change of user applied before it was built (a copy lacks it) */
    bool early_comm;        /* a change of name, likewise */
    uint32_t uid_then;      /* EARLY_UID: the user it took */
    pid_t fork_parent;      /* from the kernel's fork event, 0 when none seen */
    bool fork_new;          /* fork_parent came from a fork seen since the entry was built */
    int64_t start_ns;       /* wall clock start of the task, as proc_start_ns; 0 = unknown */
    uint32_t gen;           /* forks of this pid applied (a new process each) */
    uint32_t gen_read;      /* forks of this pid read from the kernel */
    uint32_t pending;       /* changes read, not applied yet */
    uint32_t met_waiting;   /* of those, execs met at their exec open already */
    uint32_t execs;         /* exec changes read, neither applied nor met at their exec open */
    uint64_t fork_seq;      /* sequence number of the fork not applied yet, 0 when none */
    uint64_t last_exec;     /* seq of the latest exec change read */
    struct proc_snap *snap; /* /proc after the exec in force, NULL when unknown */
    char *strings;          /* comm, exe, cmdline, unit and container of info.ident */
    struct proc_info info;
    char comm_then[PROC_COMM_MAX + 1]; /* EARLY_COMM: the name it took */
};

enum proc_change_kind { CHANGE_FORK, CHANGE_EXEC, CHANGE_UID, CHANGE_COMM };

/* One process event of the kernel, waiting for its place among fanotify's. */
struct proc_change {
    int64_t t;       /* when it happened (the kernel's monotonic clock) */
    uint64_t seq;    /* order of reading */
    pid_t pid;       /* the process (FORK: the child) */
    pid_t parent;    /* FORK: the process that forked */
    uint32_t gen;    /* the process's generation it belongs to (FORK: the one it starts) */
    uint32_t uid;    /* UID: the effective uid */
    uint8_t kind;    /* enum proc_change_kind */
    bool done;       /* applied (or void) */
    uint8_t at_exec; /* EXEC: 1 + the queue whose batch being named shows its exec
                      * open (applied there, or at that batch's end); 0: none */
    bool met;        /* EXEC: applied at its exec open already */
    char comm[PROC_COMM_MAX + 1]; /* COMM */
    struct proc_snap *snap;       /* EXEC: /proc right after it, NULL when gone or past it */
};

#define PROC_READS 16 /* reads remembered per queue */

/* What is known of one fanotify queue's order against the clock. */
struct proc_queue {
    bool used;
    bool waiting;     /* it held events when last looked at, not all read since */
    int64_t empty_at; /* every event queued before this was read */
    uint64_t events;  /* events read from it */
    struct {
        int64_t start;   /* when a read began */
        uint64_t before; /* events read before it */
    } reads[PROC_READS]; /* the latest reads, a ring */
    unsigned nreads;
};

struct proc_user {
    uint32_t uid;
    char *name;
};

/* What /proc says of a process at one moment. */
struct proc_read {
    pid_t tgid, ppid;
    uint32_t uid;
    uint64_t start;
    char comm[PROC_COMM_MAX + 1];
    char exe[PROC_FIELD_MAX + 1];
    char cmdline[PROC_FIELD_MAX + 1];
    char unit[CGROUP_UNIT_MAX];
    char container[CONTAINER_NAME_MAX];
};

struct proc_cache {
    pid_t self;
    struct u64map entries; /* key -> struct entry * */
    uint32_t next_id;
    int events_fd; /* proc connector socket, -1 when none */
    uint64_t events_lost;
    /* changes not applied yet, in the order read: pend[head .. n) */
    struct proc_change *pend;
    size_t head, n, cap;
    uint64_t base; /* pend[i].seq == base + i: seqs are never reused */
    struct proc_queue queues[PROC_QUEUES];
    uint64_t queue_max; /* events a queue holds at most, 0: no bound */
    struct proc_user *users;
    size_t nusers;
    struct container_names *names;
    struct proc_read snap;
    char raw[PROC_FIELD_MAX * 2]; /* scratch for /proc reads */
};

/* ---- proc.c, for proc_events.c ---- */

struct entry *proc_entry_of(const struct proc_cache *c, pid_t key);
struct entry *proc_entry_add(struct proc_cache *c, pid_t key);

/* The process entry of PID if it is known (none is read from /proc for a
 * fork: a child first seen later reads its own), its cgroup looked at
 * again when due, or NULL. */
struct entry *proc_fork_parent_entry(struct proc_cache *c, pid_t pid, int64_t now);

/* Give E a new identity version from the given fields (copied) if they
 * differ from its current one; a new version is sent again. */
void proc_ident_update(struct proc_cache *c, struct entry *e, pid_t ppid, uint32_t uid,
                       const char *comm, const char *exe, const char *cmdline, const char *unit,
                       const char *container);

/* The start a fork at monotonic time T (the kernel's clock of its process
 * events) gives its child, as proc_start_ns reckons /proc's: the kernel
 * reports a fork after it set the child's start, so the tick is the same
 * but when one passed between the two. 0 when T is not a time. */
int64_t proc_fork_start_ns(int64_t t);

/* The unit and container of process PID (its cgroup) into c->snap.unit
 * and c->snap.container; false when it is gone. */
bool proc_read_owner(struct proc_cache *c, pid_t pid);

/* /proc/PID/WHAT into c->raw (NUL-terminated); length or -1. */
ssize_t proc_read_file(struct proc_cache *c, pid_t pid, const char *what);

/* E's process took the program S shows (an exec): a new version; its exe
 * is PATH (fanotify's name of the file, NULL when none) where that names
 * the same file. */
void proc_take_snap(struct proc_cache *c, struct entry *e, const struct proc_snap *s,
                    const char *path);

/* A second exec event came for E, whose last exec open was taken for an
 * interpreter: it was a new program's, named by its file. */
void proc_exec_promote(struct proc_cache *c, struct entry *e);

/* The exec event of E's program, read after its exec open was named:
 * what /proc showed then (S, owned now) completes the name if it fits. */
void proc_exec_late(struct proc_cache *c, struct entry *e, struct proc_snap *s);

struct decode_event;

/* Is EV, an exec open, the dynamic loader's? By its name where the event
 * has one, else by its event fd's (opened by the kernel for us). */
bool proc_opens_loader(const struct decode_event *ev);

/* ---- proc_events.c, for proc.c ---- */

/* Apply E's fork that was read but not applied yet (its first event is
 * being named: nothing of it can come before). */
void proc_fork_now(struct proc_cache *c, struct entry *e, int64_t now);

/* The oldest exec change of E's process read and neither applied nor met,
 * or NULL. */
struct proc_change *proc_next_exec(struct proc_cache *c, const struct entry *e);

/* E's exec open is where change CH applies (at monotonic time NOW): the
 * process's changes read before it apply first, then its snapshot is in
 * force. */
void proc_meet_exec(struct proc_cache *c, struct entry *e, struct proc_change *ch, int64_t now);

void proc_changes_free(struct proc_cache *c);

#endif
