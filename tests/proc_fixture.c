/* The process cache tests' shared helpers (proc_fixture.h). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proc_fixture.h"

#include <linux/connector.h>
#include <linux/netlink.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int64_t mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * SEC + ts.tv_nsec;
}

pid_t spawn_paused(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    return pid;
}

void reap(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

void own_comm(char *out, size_t len)
{
    FILE *f = fopen("/proc/self/comm", "r");
    if (!f || !fgets(out, (int)len, f))
        out[0] = '\0';
    if (f)
        fclose(f);
    out[strcspn(out, "\n")] = '\0';
}

/* One proc connector event as the kernel sends it, in a netlink datagram. */
size_t feed(struct proc_cache *c, enum what what, int64_t t, pid_t pid, pid_t tgid, uint32_t arg,
            const char *comm, int64_t now)
{
    struct {
        struct proc_event ev;
    } m;
    memset(&m, 0, sizeof m);
    m.ev.what = what;
    m.ev.timestamp_ns = (uint64_t)t;
    switch (what) {
    case PROC_EVENT_FORK:
        m.ev.event_data.fork.parent_pid = m.ev.event_data.fork.parent_tgid = (pid_t)arg;
        m.ev.event_data.fork.child_pid = pid;
        m.ev.event_data.fork.child_tgid = tgid;
        break;
    case PROC_EVENT_UID:
        m.ev.event_data.id.process_pid = pid;
        m.ev.event_data.id.process_tgid = tgid;
        m.ev.event_data.id.r.ruid = m.ev.event_data.id.e.euid = arg;
        break;
    case PROC_EVENT_COMM:
        m.ev.event_data.comm.process_pid = pid;
        m.ev.event_data.comm.process_tgid = tgid;
        snprintf(m.ev.event_data.comm.comm, sizeof m.ev.event_data.comm.comm, "%s", comm);
        break;
    default:
        m.ev.event_data.exec.process_pid = pid;
        m.ev.event_data.exec.process_tgid = tgid;
        break;
    }
    union {
        struct nlmsghdr nl;
        char raw[NLMSG_SPACE(sizeof(struct cn_msg) + sizeof m.ev)];
    } dgram;
    memset(&dgram, 0, sizeof dgram);
    dgram.nl.nlmsg_len = NLMSG_LENGTH(sizeof(struct cn_msg) + sizeof m.ev);
    dgram.nl.nlmsg_type = NLMSG_DONE;
    struct cn_msg cn = {.id = {.idx = CN_IDX_PROC, .val = CN_VAL_PROC}, .len = sizeof m.ev};
    memcpy(NLMSG_DATA(&dgram.nl), &cn, sizeof cn);
    memcpy((char *)NLMSG_DATA(&dgram.nl) + sizeof cn, &m.ev, sizeof m.ev);
    return proc_events_take(c, &dgram, dgram.nl.nlmsg_len, now);
}

void fake_batch(struct fake_batch *fb, int64_t start, int64_t end, bool emptied, const pid_t *execs,
                size_t n)
{
    memset(fb, 0, sizeof *fb);
    for (size_t i = 0; i < n && i < 8; i++)
        fb->ev[i] = (struct fanotify_event_metadata){.event_len = sizeof fb->ev[i],
                                                     .vers = FANOTIFY_METADATA_VERSION,
                                                     .metadata_len = sizeof fb->ev[i],
                                                     .mask = FAN_OPEN_EXEC,
                                                     .fd = FAN_NOFD,
                                                     .pid = execs[i]};
    fb->b = (struct proc_batch){.start = start,
                                .end = end,
                                .emptied = emptied,
                                .buf = (const unsigned char *)fb->ev,
                                .len = n * sizeof fb->ev[0],
                                .events = n};
}

pid_t spawn_exec(const char *prog, char *const argv[], int *go)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    pid_t kid = fork();
    if (kid == 0) {
        char b;
        close(fds[1]);
        if (read(fds[0], &b, 1) != 1)
            _exit(1);
        execv(prog, argv);
        _exit(127);
    }
    close(fds[0]);
    *go = fds[1];
    return kid;
}

void wait_comm(pid_t kid, const char *want)
{
    char path[64], comm[32] = "";
    snprintf(path, sizeof path, "/proc/%d/comm", (int)kid);
    for (int i = 0; i < 1000 && strncmp(comm, want, strlen(want)) != 0; i++) {
        usleep(2000);
        FILE *f = fopen(path, "r");
        if (f) {
            if (!fgets(comm, sizeof comm, f))
                comm[0] = '\0';
            fclose(f);
        }
    }
    usleep(20000); /* past the exec: its cmdline is in place */
}

/* A child of ours, looked up (named after us) at T0, that then execs
 * sleep 30; its exec event, at T0 + 1000, is read at T0 + 3000. */
pid_t child_execs_sleep(struct proc_cache *c, int64_t t0, const char *comm)
{
    int go = -1;
    char *argv[] = {"sleep", "30", NULL};
    pid_t kid = spawn_exec("/bin/sleep", argv, &go);
    struct proc_info *p = proc_lookup(c, kid, FAN_OPEN, t0);
    assert_string_equal(p->ident.comm, comm);
    assert_int_equal(write(go, "g", 1), 1);
    close(go);
    wait_comm(kid, "sleep");
    feed(c, PROC_EVENT_EXEC, t0 + 1000, kid, kid, 0, NULL, t0 + 3000);
    return kid;
}
