/* The kernel's process events (the proc connector) as versions of process
 * identity, each put in its place among the fanotify events.
 *
 * fanotify events carry no time; connector events carry the kernel's
 * monotonic time. Both are queued by the acting task itself, during the
 * system call. So a change at time T comes after every event of a batch
 * whose read returned before T, and before every event of a queue that was
 * found empty after T. Between the two (the change happened while events
 * from before it still waited in the queue, or while the batch was read)
 * the order is unknown: a batch that emptied its queue is named with the
 * change (its events are the newest, and those from after the change are
 * the ones that matter), a batch read from a backlog is not (its events are
 * the oldest). An exec is also seen in fanotify's own queue, as the open of
 * the file it runs: where the batch shows it, the change applies exactly
 * there. */
#include "config.h"

#include "capture/decode.h"
#include "capture/proc_internal.h"
#include "base/procstat.h"

#include <errno.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/socket.h>
#include <unistd.h>

/* Changes kept waiting for their place; past this (a fork storm while the
 * queues never empty) the oldest apply at once. */
#define PEND_MAX 65536
/* Processes whose exec opens one batch shows that are told apart; a batch
 * with more lets every exec of it apply at its open. */
#define EXEC_PIDS 64

/* ---- the waiting changes ----------------------------------------------------- */

static struct proc_change *change_add(struct proc_cache *c)
{
    if (c->head == c->n) {
        c->base += c->head; /* every change applied: start over */
        c->head = c->n = 0;
    }
    if (c->n == c->cap) {
        if (c->head > c->cap / 2) {
            memmove(c->pend, c->pend + c->head, (c->n - c->head) * sizeof *c->pend);
            c->base += c->head;
            c->n -= c->head;
            c->head = 0;
        } else {
            size_t cap = c->cap ? c->cap * 2 : 256;
            struct proc_change *np = realloc(c->pend, cap * sizeof *np);
            if (!np)
                return NULL;
            c->pend = np;
            c->cap = cap;
        }
    }
    struct proc_change *ch = &c->pend[c->n++];
    memset(ch, 0, sizeof *ch);
    ch->seq = c->base + c->n - 1;
    return ch;
}

static struct proc_change *change_by_seq(struct proc_cache *c, uint64_t seq)
{
    if (seq < c->base + c->head || seq >= c->base + c->n)
        return NULL;
    return &c->pend[seq - c->base];
}

void proc_changes_free(struct proc_cache *c)
{
    for (size_t i = c->head; i < c->n; i++)
        free(c->pend[i].snap);
    free(c->pend);
    c->pend = NULL;
    c->head = c->n = c->cap = 0;
}

/* ---- applying one ------------------------------------------------------------- */

static void apply(struct proc_cache *c, struct proc_change *ch, int64_t now);

/* The changes of PID read before BEFORE (a seq) that are not applied yet. */
static void apply_earlier(struct proc_cache *c, pid_t pid, uint64_t before, int64_t now)
{
    for (size_t i = c->head; i < c->n && c->pend[i].seq < before; i++)
        if (!c->pend[i].done && c->pend[i].pid == pid)
            apply(c, &c->pend[i], now);
}

/* E's process was forked by CH's parent: a copy of the parent as it was
 * then, under a new version. A parent that cannot be known leaves E to be
 * read from /proc at its first event. */
static void apply_fork(struct proc_cache *c, struct entry *e, const struct proc_change *ch,
                       int64_t now)
{
    e->fork_seq = 0;
    e->gen = ch->gen;
    e->fork_parent = ch->parent;
    e->start_ns = proc_fork_start_ns(ch->t);
    e->tgid = e->key;
    e->built = false;
    e->in_exec = e->reread = e->open_met = e->interp_open = e->ran = e->awaiting = e->opened =
        e->early_uid = e->early_comm = false;
    free(e->snap); /* the parent's program, whose exec is not this process's */
    e->snap = NULL;
    e->info.self = e->key == c->self;
    struct entry *p = proc_fork_parent_entry(c, ch->parent, now);
    if (!p || p == e)
        return;
    const struct fa_proc *pi = &p->info.ident;
    /* A new process: a new version even where a reused pid had the same. */
    free(e->strings);
    e->strings = NULL;
    proc_ident_update(c, e, ch->parent, pi->uid, pi->comm, pi->exe, pi->cmdline, pi->unit,
                      pi->container);
    if (!e->info.ident.comm)
        return;
    e->built = true;
    e->fork_new = false; /* a copy of its parent already names the parent */
    e->from_fork = true;
    e->start = 0; /* adopted from /proc by the first check */
    e->checked = p->checked;
    e->seen = now;
}

void proc_meet_exec(struct proc_cache *c, struct entry *e, struct proc_change *ch, int64_t now)
{
    /* What the process did before it exec'd (a server's child that drops
     * root, then execs) came before its exec open and every later event,
     * whatever another queue may still hold. */
    apply_earlier(c, ch->pid, ch->seq, now);
    if (!ch->done)
        e->met_waiting++;
    ch->met = true;
    if (e->execs)
        e->execs--;
    free(e->snap);
    e->snap = ch->snap;
    ch->snap = NULL;
}

struct proc_change *proc_next_exec(struct proc_cache *c, const struct entry *e)
{
    for (size_t i = c->head; i < c->n; i++) {
        struct proc_change *ch = &c->pend[i];
        if (ch->pid == e->key && ch->kind == CHANGE_EXEC && !ch->done && !ch->met &&
            ch->gen == e->gen)
            return ch;
    }
    return NULL;
}

/* An exec not met at its exec open (that is in another queue, or not read
 * yet, or was merged away): what /proc showed right after it is in force. */
static void apply_exec(struct proc_cache *c, struct entry *e, struct proc_change *ch)
{
    if (ch->met || e->gen != ch->gen)
        return;
    proc_meet_exec(c, e, ch, e->seen);
    e->awaiting = false;
    if (e->built && e->snap)
        proc_take_snap(c, e, e->snap, NULL);
    else if (e->built && e->interp_open && e->open_met)
        proc_exec_promote(c, e); /* gone before /proc was read */
    e->in_exec = e->interp_open = false;
    e->open_met = true;
}

static void apply(struct proc_cache *c, struct proc_change *ch, int64_t now)
{
    ch->done = true;
    struct entry *e = proc_entry_of(c, ch->pid);
    if (!e)
        return;
    if (ch->kind == CHANGE_EXEC && ch->met && e->met_waiting)
        e->met_waiting--;
    if (e->pending)
        e->pending--;
    if (ch->kind == CHANGE_FORK) {
        if (e->fork_seq == ch->seq)
            apply_fork(c, e, ch, now);
        return;
    }
    if (ch->kind == CHANGE_EXEC) {
        apply_exec(c, e, ch);
        return;
    }
    if (!e->built && e->gen == ch->gen && e->tgid == e->key) {
        /* Not known yet: its first event reads /proc, which shows the
         * change, or copies its parent (an exec of it waits), which does
         * not: the forked child of a server that drops root, then execs. */
        if (ch->kind == CHANGE_UID) {
            e->early_uid = true;
            e->uid_then = ch->uid;
        } else {
            e->early_comm = true;
            memcpy(e->comm_then, ch->comm, sizeof e->comm_then);
        }
        return;
    }
    if (!e->built || e->gen != ch->gen || e->tgid != e->key)
        return;
    const struct fa_proc *id = &e->info.ident;
    if (ch->kind == CHANGE_UID) {
        proc_ident_update(c, e, id->ppid, ch->uid, id->comm, id->exe, id->cmdline, id->unit,
                          id->container);
        e->checked = 0; /* a new user often comes with a new cgroup: look at once */
    } else {
        proc_ident_update(c, e, id->ppid, id->uid, ch->comm, id->exe, id->cmdline, id->unit,
                          id->container);
    }
}

void proc_fork_now(struct proc_cache *c, struct entry *e, int64_t now)
{
    struct proc_change *ch = change_by_seq(c, e->fork_seq);
    if (!ch || ch->done || ch->kind != CHANGE_FORK) {
        e->fork_seq = 0;
        return;
    }
    apply_earlier(c, ch->parent, ch->seq, now); /* the parent as it was at the fork */
    apply(c, ch, now);
}

/* Apply, in the order read, the changes up to time UNTIL, the execs up to
 * EXECS (but those to apply at their exec open), then drop the applied ones
 * from the head. */
static void apply_until(struct proc_cache *c, int64_t until, int64_t execs, int64_t now)
{
    size_t excess = c->n - c->head > PEND_MAX ? c->n - c->head - PEND_MAX : 0;
    for (size_t i = c->head; i < c->n; i++) {
        struct proc_change *ch = &c->pend[i];
        int64_t upto = ch->kind == CHANGE_EXEC ? execs : until;
        if (!ch->done && (i - c->head < excess || (!ch->at_exec && ch->t <= upto)))
            apply(c, ch, now);
    }
    while (c->head < c->n && c->pend[c->head].done) {
        struct proc_change *ch = &c->pend[c->head++];
        free(ch->snap);
        ch->snap = NULL;
    }
}

/* The changes that came before every event still queued anywhere. */
static void settle(struct proc_cache *c, int64_t now)
{
    int64_t until = INT64_MAX;
    for (int q = 0; q < PROC_QUEUES; q++)
        if (c->queues[q].used && c->queues[q].empty_at < until)
            until = c->queues[q].empty_at;
    if (until != INT64_MAX && c->head < c->n)
        apply_until(c, until, until, now);
}

bool proc_changes_waiting(const struct proc_cache *c)
{
    return c->head < c->n;
}

void proc_queue_limit(struct proc_cache *c, uint64_t max)
{
    c->queue_max = max;
}

void proc_queue_polled(struct proc_cache *c, int q, bool waiting, int64_t since)
{
    if (q < 0 || q >= PROC_QUEUES)
        return;
    struct proc_queue *qs = &c->queues[q];
    if (!qs->used) {
        qs->used = true;
        qs->empty_at = since; /* what came before watching does not matter */
    }
    qs->waiting = waiting;
    if (!waiting && since > qs->empty_at)
        qs->empty_at = since;
    settle(c, since);
}

/* Mark the exec changes in (AFTER, UNTIL] whose process B (of queue Q)
 * shows opening a program for exec: they apply at that open (proc_exec) or
 * after B. One before AFTER came before all of B: its open too. A batch of
 * the other queue named while B's are (an overlay's twin read on demand)
 * leaves B's marks alone. */
static void mark_at_exec(struct proc_cache *c, int q, const struct proc_batch *b, int64_t after,
                         int64_t until)
{
    bool any = false;
    for (size_t i = c->head; i < c->n && !any; i++)
        any = !c->pend[i].done && !c->pend[i].at_exec && c->pend[i].kind == CHANGE_EXEC &&
              c->pend[i].t > after && c->pend[i].t <= until;
    if (!any)
        return;
    pid_t pids[EXEC_PIDS];
    size_t np = 0;
    bool all = false;
    size_t off = 0;
    struct decode_event ev;
    while (!all && decode_next(b->buf, b->len, &off, &ev) == DECODE_OK) {
        if (!(ev.mask & FAN_OPEN_EXEC) || (ev.mask & FAN_ONDIR) || proc_opens_loader(&ev))
            continue;
        const struct entry *t = proc_entry_of(c, ev.pid);
        pid_t pid = t ? t->tgid : ev.pid;
        size_t k = 0;
        while (k < np && pids[k] != pid)
            k++;
        if (k == np && np < EXEC_PIDS)
            pids[np++] = pid;
        else if (k == np)
            all = true;
    }
    for (size_t i = c->head; i < c->n; i++) {
        struct proc_change *ch = &c->pend[i];
        if (ch->done || ch->at_exec || ch->kind != CHANGE_EXEC || ch->t <= after || ch->t > until)
            continue;
        bool shown = all;
        for (size_t k = 0; k < np && !shown; k++)
            shown = pids[k] == ch->pid;
        if (shown)
            ch->at_exec = (uint8_t)(q + 1);
    }
}

void proc_batch_begin(struct proc_cache *c, int q, const struct proc_batch *b)
{
    if (q < 0 || q >= PROC_QUEUES || c->head == c->n)
        return;
    /* Up to the end of the read where it emptied the queue, else up to
     * where it is known to be past: but no further than what another queue
     * still holding events is past. */
    int64_t execs = b->emptied ? b->end : c->queues[q].empty_at;
    int64_t until = execs;
    for (int r = 0; r < PROC_QUEUES; r++) {
        const struct proc_queue *o = &c->queues[r];
        if (r != q && o->used && o->waiting && o->empty_at < until)
            until = o->empty_at;
    }
    mark_at_exec(c, q, b, c->queues[q].empty_at, execs);
    apply_until(c, until, execs, b->end);
}

/* Q, just read by B, is past every event queued before the start of a read
 * that is followed by as many events as the queue can hold. */
static void queue_read(struct proc_cache *c, struct proc_queue *qs, const struct proc_batch *b)
{
    unsigned slot = qs->nreads++ % PROC_READS;
    qs->reads[slot].start = b->start;
    qs->reads[slot].before = qs->events;
    qs->events += b->events;
    if (b->emptied) {
        qs->waiting = false;
        if (b->start > qs->empty_at)
            qs->empty_at = b->start; /* the read found it empty after it began */
        return;
    }
    unsigned n = qs->nreads < PROC_READS ? qs->nreads : PROC_READS;
    for (unsigned i = 0; c->queue_max && i < n; i++) {
        unsigned k = (qs->nreads - 1 - i) % PROC_READS;
        if (qs->events - qs->reads[k].before >= c->queue_max) {
            if (qs->reads[k].start > qs->empty_at)
                qs->empty_at = qs->reads[k].start;
            break;
        }
    }
}

void proc_batch_end(struct proc_cache *c, int q, const struct proc_batch *b)
{
    if (q < 0 || q >= PROC_QUEUES)
        return;
    for (size_t i = c->head; i < c->n; i++)
        if (c->pend[i].at_exec == q + 1) {
            c->pend[i].at_exec = 0;
            if (!c->pend[i].done)
                apply(c, &c->pend[i], b->end);
        }
    queue_read(c, &c->queues[q], b);
    settle(c, b->end);
}

/* ---- reading the kernel's events ------------------------------------------------ */

uint64_t proc_events_lost(const struct proc_cache *c)
{
    return c->events_lost;
}

/* The proc connector: one netlink message per fork, exec, uid change ... of
 * any process of the machine, sent when it happens. */
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
    /* netlink header, connector header, then the operation */
    uint32_t op = PROC_CN_MCAST_LISTEN;
    struct cn_msg cn = {.id = {.idx = CN_IDX_PROC, .val = CN_VAL_PROC}, .len = sizeof op};
    struct nlmsghdr nh = {.nlmsg_len = NLMSG_LENGTH(sizeof cn + sizeof op),
                          .nlmsg_type = NLMSG_DONE};
    char msg[NLMSG_SPACE(sizeof cn + sizeof op)];
    memset(msg, 0, sizeof msg);
    memcpy(msg, &nh, sizeof nh);
    memcpy(msg + NLMSG_HDRLEN, &cn, sizeof cn);
    memcpy(msg + NLMSG_HDRLEN + sizeof cn, &op, sizeof op);
    if (bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 ||
        send(s, msg, nh.nlmsg_len, 0) != (ssize_t)nh.nlmsg_len) {
        close(s);
        return -1;
    }
    c->events_fd = s;
    return s;
}

/* What /proc shows of process PID right after an exec, while it still runs
 * the program; NULL when it is gone. */
/* Comm and exe of PID into COMM and EXE (EXELEN bytes); false when gone. */
static bool read_names(struct proc_cache *c, pid_t pid, char *comm, char *exe, size_t exelen)
{
    ssize_t n = proc_read_file(c, pid, "stat");
    struct procstat ps;
    if (n <= 0 || !procstat_parse(c->raw, (size_t)n, &ps))
        return false;
    size_t cl = ps.comm_len < PROC_COMM_MAX ? ps.comm_len : PROC_COMM_MAX;
    memcpy(comm, ps.comm, cl);
    comm[cl] = '\0';
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    ssize_t l = readlink(path, exe, exelen - 1);
    exe[l > 0 ? l : 0] = '\0';
    return true;
}

static struct proc_snap *read_exec_snap(struct proc_cache *c, pid_t pid)
{
    struct proc_read *s = &c->snap;
    char comm[PROC_COMM_MAX + 1], exe[sizeof s->exe];
    ssize_t n;
    /* The kernel sets a new program's exe some steps before its name: names
     * read twice alike were not read in the middle of a further exec. */
    for (int tries = 0;; tries++) {
        if (!read_names(c, pid, s->comm, s->exe, sizeof s->exe))
            return NULL; /* gone already: its exec open names it */
        if (!read_names(c, pid, comm, exe, sizeof exe))
            return NULL;
        if (strcmp(comm, s->comm) == 0 && strcmp(exe, s->exe) == 0)
            break;
        if (tries == 2)
            return NULL;
    }
    n = proc_read_file(c, pid, "cmdline");
    s->cmdline[0] = '\0';
    if (n > 0)
        proc_join_cmdline(c->raw, (size_t)n, s->cmdline, sizeof s->cmdline);
    bool unit = proc_read_owner(c, pid);
    if (!s->exe[0])
        return NULL; /* exited meanwhile: an exe is what tells programs apart */
    size_t len[5] = {strlen(s->comm), strlen(s->exe), strlen(s->cmdline), strlen(s->unit),
                     strlen(s->container)};
    struct proc_snap *sn = malloc(sizeof *sn + len[0] + len[1] + len[2] + len[3] + len[4] + 5);
    if (!sn)
        return NULL;
    char *q = (char *)(sn + 1);
    const char *src[5] = {s->comm, s->exe, s->cmdline, s->unit, s->container};
    const char **dst[5] = {&sn->comm, &sn->exe, &sn->cmdline, &sn->unit, &sn->container};
    for (int i = 0; i < 5; i++) {
        memcpy(q, src[i], len[i] + 1);
        *dst[i] = q;
        q += len[i] + 1;
    }
    if (!unit)
        sn->unit = NULL;
    return sn;
}

/* /proc of each process whose exec changes were read from seq FIRST on, for
 * the latest of them: an earlier one's program is gone already. */
static void read_exec_snaps(struct proc_cache *c, uint64_t first)
{
    for (size_t i = first > c->base + c->head ? first - c->base : c->head; i < c->n; i++) {
        struct proc_change *ch = &c->pend[i];
        struct entry *e = proc_entry_of(c, ch->pid);
        if (ch->kind != CHANGE_EXEC || !e || e->last_exec != ch->seq)
            continue;
        if (ch->met)
            proc_exec_late(c, e, read_exec_snap(c, ch->pid));
        else
            ch->snap = read_exec_snap(c, ch->pid);
    }
}

/* A change of process PID of kind KIND at T; NULL when it orders nothing
 * (a process never met, out of memory). */
static struct proc_change *change_of(struct proc_cache *c, enum proc_change_kind kind, pid_t pid,
                                     int64_t t, bool add, int64_t now)
{
    struct entry *e = proc_entry_of(c, pid);
    if (!e && (!add || !(e = proc_entry_add(c, pid))))
        return NULL;
    struct proc_change *ch = change_add(c);
    if (!ch)
        return NULL;
    if (kind == CHANGE_FORK) {
        e->gen_read++;
        e->fork_seq = ch->seq;
    }
    ch->kind = (uint8_t)kind;
    ch->pid = pid;
    ch->t = t;
    ch->gen = e->gen_read;
    e->pending++;
    e->seen = now;
    return ch;
}

static void on_fork(struct proc_cache *c, const struct proc_event *ev, int64_t now)
{
    const struct fork_proc_event *f = &ev->event_data.fork;
    if (f->child_pid != f->child_tgid) {
        /* A thread: it only tells which process its events are of. */
        struct entry *e = proc_entry_of(c, f->child_pid);
        if (!e && !(e = proc_entry_add(c, f->child_pid)))
            return;
        e->tgid = f->child_tgid;
        e->fork_parent = f->parent_tgid;
        e->fork_new = true;
        e->built = false;
        e->seen = now;
        return;
    }
    struct proc_change *ch =
        change_of(c, CHANGE_FORK, f->child_pid, (int64_t)ev->timestamp_ns, true, now);
    if (ch) {
        ch->parent = f->parent_tgid;
        struct entry *e = proc_entry_of(c, ch->pid);
        /* known at once to follow mode, which walks the ancestry */
        e->fork_parent = f->parent_tgid;
        e->fork_new = true;
        /* A thread's tid taken by a new process: the thread is gone, and
         * the new process's first event applies its fork. */
        if (e->tgid != e->key) {
            e->tgid = e->key;
            e->built = false;
        }
    }
}

static void on_event(struct proc_cache *c, const struct proc_event *ev, int64_t now)
{
    int64_t t = (int64_t)ev->timestamp_ns;
    struct proc_change *ch;
    switch (ev->what) {
    case PROC_EVENT_FORK:
        on_fork(c, ev, now);
        break;
    case PROC_EVENT_EXEC:
        /* An exec comes with its process's only chance to be read while
         * it runs the program: a process never met is met now. */
        if ((ch = change_of(c, CHANGE_EXEC, ev->event_data.exec.process_tgid, t, true, now))) {
            struct entry *e = proc_entry_of(c, ch->pid);
            e->last_exec = ch->seq;
            if (e->awaiting && e->gen == ch->gen) {
                /* the exec whose open was named before this event was read */
                ch->met = true;
                e->met_waiting++;
                e->awaiting = false;
                e->open_met = true;
            } else {
                e->execs++;
            }
        }
        break;
    case PROC_EVENT_UID:
        if ((ch = change_of(c, CHANGE_UID, ev->event_data.id.process_tgid, t, false, now)))
            ch->uid = ev->event_data.id.e.euid; /* the effective uid, as ps and top show */
        break;
    case PROC_EVENT_COMM:
        /* A thread's own name is not its process's (ps shows the leader's). */
        if (ev->event_data.comm.process_pid == ev->event_data.comm.process_tgid &&
            (ch = change_of(c, CHANGE_COMM, ev->event_data.comm.process_tgid, t, false, now))) {
            memcpy(ch->comm, ev->event_data.comm.comm, PROC_COMM_MAX);
            ch->comm[PROC_COMM_MAX] = '\0';
        }
        break;
    default:
        break; /* gid and session are not shown; exits tell nothing of events */
    }
}

/* The process events of one netlink datagram BUF (LEN bytes), read through
 * copies: never past LEN, whatever the lengths inside claim. */
static size_t take(struct proc_cache *c, const void *buf, size_t len, int64_t now)
{
    const char *p = buf;
    size_t got = 0;
    size_t head = offsetof(struct proc_event, event_data);
    for (size_t off = 0; len - off >= sizeof(struct nlmsghdr);) {
        struct nlmsghdr nh;
        memcpy(&nh, p + off, sizeof nh);
        if (nh.nlmsg_len < sizeof nh || nh.nlmsg_len > len - off)
            break;
        struct cn_msg cn;
        size_t room = nh.nlmsg_len - NLMSG_HDRLEN;
        if (room >= sizeof cn) {
            memcpy(&cn, p + off + NLMSG_HDRLEN, sizeof cn);
            if (cn.id.idx == CN_IDX_PROC && cn.len >= head && cn.len <= room - sizeof cn) {
                struct proc_event ev;
                memset(&ev, 0, sizeof ev);
                memcpy(&ev, p + off + NLMSG_HDRLEN + sizeof cn,
                       cn.len < sizeof ev ? cn.len : sizeof ev);
                on_event(c, &ev, now);
                got++;
            }
        }
        if (NLMSG_ALIGN(nh.nlmsg_len) >= len - off)
            break;
        off += NLMSG_ALIGN(nh.nlmsg_len);
    }
    return got;
}

size_t proc_events_take(struct proc_cache *c, const void *buf, size_t len, int64_t now)
{
    uint64_t first = c->base + c->n; /* seq of the first change read now */
    size_t got = take(c, buf, len, now);
    if (got)
        read_exec_snaps(c, first);
    return got;
}

size_t proc_events_read(struct proc_cache *c, int64_t now)
{
    int fd = c->events_fd;
    if (fd < 0)
        return 0;
    char buf[32768];
    size_t got = 0;
    uint64_t first = c->base + c->n;
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == ENOBUFS) {
            c->events_lost++; /* those processes are named from /proc alone */
            continue;
        }
        if (n <= 0)
            break;
        got += take(c, buf, (size_t)n, now);
    }
    /* After the whole read: one look at /proc per process, at its latest exec. */
    if (got)
        read_exec_snaps(c, first);
    return got;
}
