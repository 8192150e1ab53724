/* Following a command or running processes. The command is forked early and
 * waits on a pipe, so the fanotify marks are in place before it execs. We
 * become a child subreaper: orphans of the followed tree (double-forked
 * daemons) are re-parented to us, which keeps their ancestry visible. */
#include "config.h"

#include "run/follow.h"
#include "base/procstat.h"
#include "base/textsafe.h"
#include "capture/follow_tree.h"
#include "pipe/source.h"
#include "run/signals.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#define FOLLOW_START_TIMEOUT_MS 30000

struct follow {
    pid_t child;              /* the COMMAND, 0 with --pid */
    struct follow_tree *tree; /* which pids are followed: the capture thread's */
    bool shares_tty;          /* record/batch: the command stays in our process group */
    int go_fd;                /* write end: releases the waiting child */
    int err_fd;               /* read end: errno from a failed exec */
    char *name;               /* argv[0] for messages */
    bool reaped;
    /* the run ends with COMMAND, not with its last descendant */
    bool stop_at_exit;
};

__attribute__((format(printf, 5, 6))) static void set_err(char *err, size_t errlen, int *status,
                                                           int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    *status = code;
}

static bool resolve_user(const char *name, uid_t *uid, gid_t *gid, char **login)
{
    struct passwd *pw = NULL;
    char *end;
    errno = 0;
    unsigned long n = strtoul(name, &end, 10);
    if (*name && !*end)
        pw = getpwuid((uid_t)n);
    else
        pw = getpwnam(name);
    if (!pw)
        return false;
    *uid = pw->pw_uid;
    *gid = pw->pw_gid;
    *login = strdup(pw->pw_name);
    return *login != NULL;
}

/* The user COMMAND runs as: --user, else sudo's invoking user, else ourselves. */
static int pick_user(const struct options *opt, uid_t *uid, gid_t *gid, char **login, char *err,
                     size_t errlen, int *status)
{
    *login = NULL;
    if (opt->run_user) {
        if (!resolve_user(opt->run_user, uid, gid, login)) {
            set_err(err, errlen, status, 2, "unknown user '%s'", opt->run_user);
            return -1;
        }
        return 0;
    }
    const char *su = getenv("SUDO_UID");
    if (su && *su && geteuid() == 0) {
        if (!resolve_user(su, uid, gid, login)) {
            set_err(err, errlen, status, 2, "unknown SUDO_UID '%s'", su);
            return -1;
        }
        const char *sg = getenv("SUDO_GID");
        if (sg && *sg)
            *gid = (gid_t)strtoul(sg, NULL, 10);
        return 0;
    }
    *uid = geteuid();
    *gid = getegid();
    return 0;
}

static void child_fail(int fd, int e)
{
    ssize_t w = write(fd, &e, sizeof e);
    (void)w;
    _exit(127);
}

/* In the forked child: become USER, wait for the go byte, exec. Only
 * async-signal-safe calls until exec. */
static void child_run(struct follow *f, char **argv, int go_rd, int err_wr, uid_t uid, gid_t gid,
                      const char *login)
{
    sigset_t none;
    sigemptyset(&none);
    for (int s = 1; s < NSIG; s++)
        signal(s, SIG_DFL);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (!f->shares_tty) {
        /* The screen owns the terminal: the command gets its own session and no tty. */
        setsid();
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
            dup2(null, 0);
            dup2(null, 1);
            dup2(null, 2);
            if (null > 2)
                close(null);
        }
    }
    if (login && geteuid() == 0) {
        if (initgroups(login, gid) < 0 || setgid(gid) < 0 || setuid(uid) < 0)
            child_fail(err_wr, errno);
    }
    struct pollfd p = {.fd = go_rd, .events = POLLIN};
    int rc = poll(&p, 1, FOLLOW_START_TIMEOUT_MS);
    char go = 0;
    if (rc <= 0 || read(go_rd, &go, 1) != 1 || go != 'g') {
        if (rc == 0 && f->shares_tty) {
            static const char msg[] =
                "fanotop: capture did not start within 30 s; not running the command\n";
            ssize_t w = write(2, msg, sizeof msg - 1);
            (void)w;
        }
        _exit(126);
    }
    close(go_rd);
    execvp(argv[0], argv);
    child_fail(err_wr, errno);
}

struct follow *follow_prepare(const struct options *opt, char *err, size_t errlen, int *status)
{
    struct follow *f = calloc(1, sizeof *f);
    if (!f) {
        set_err(err, errlen, status, 1, "out of memory");
        return NULL;
    }
    f->go_fd = f->err_fd = -1;
    if (opt->nfollow) {
        for (size_t i = 0; i < opt->nfollow; i++) {
            if (kill(opt->follow_pids[i], 0) < 0 && errno == ESRCH) {
                char buf[32];
                snprintf(buf, sizeof buf, "%d", (int)opt->follow_pids[i]);
                set_err(err, errlen, status, 2, "no such process: %s", buf);
                free(f);
                return NULL;
            }
        }
        f->tree = follow_tree_create(getpid(), 0, opt->follow_pids, opt->nfollow);
        if (!f->tree) {
            free(f);
            set_err(err, errlen, status, 1, "out of memory");
            return NULL;
        }
        return f;
    }

    uid_t uid;
    gid_t gid;
    char *login;
    if (pick_user(opt, &uid, &gid, &login, err, errlen, status) < 0) {
        free(f);
        return NULL;
    }
    f->shares_tty = opt->record || opt->batch;
    f->stop_at_exit = opt->stop_at_exit;
    f->name = strdup(opt->command[0]);
    int go[2], ep[2];
    if (!f->name || pipe2(go, O_CLOEXEC) < 0) {
        set_err(err, errlen, status, 1, "cannot start the command: %s", strerror(errno));
        free(f->name);
        free(login);
        free(f);
        return NULL;
    }
    if (pipe2(ep, O_CLOEXEC) < 0) {
        set_err(err, errlen, status, 1, "cannot start the command: %s", strerror(errno));
        close(go[0]);
        close(go[1]);
        free(f->name);
        free(login);
        free(f);
        return NULL;
    }
    /* Orphans of the followed tree come to us, so their ancestry stays known. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    pid_t pid = fork();
    if (pid < 0) {
        set_err(err, errlen, status, 1, "cannot start the command: %s", strerror(errno));
        close(go[0]);
        close(go[1]);
        close(ep[0]);
        close(ep[1]);
        free(f->name);
        free(login);
        free(f);
        return NULL;
    }
    if (pid == 0) {
        close(go[1]);
        close(ep[0]);
        if (opt->record && strcmp(opt->record, "-") == 0)
            dup2(2, 1); /* the command's output must not mix into the record stream */
        child_run(f, opt->command, go[0], ep[1], uid, gid, login);
    }
    free(login);
    close(go[0]);
    close(ep[1]);
    f->go_fd = go[1];
    f->err_fd = ep[0];
    f->child = pid;
    f->tree = follow_tree_create(getpid(), pid, NULL, 0);
    if (!f->tree) {
        set_err(err, errlen, status, 1, "out of memory");
        follow_destroy(f); /* the waiting child sees EOF and exits */
        return NULL;
    }
    return f;
}

int follow_launch(struct follow *f, char *err, size_t errlen, int *status)
{
    if (!f->child)
        return 0;
    ssize_t w = write(f->go_fd, "g", 1);
    close(f->go_fd);
    f->go_fd = -1;
    if (w != 1) {
        set_err(err, errlen, status, 1, "cannot start '%s': %s", f->name, strerror(errno));
        return -1;
    }
    int e = 0;
    ssize_t n;
    do
        n = read(f->err_fd, &e, sizeof e);
    while (n < 0 && errno == EINTR);
    close(f->err_fd);
    f->err_fd = -1;
    if (n == (ssize_t)sizeof e) {
        /* exec failed: the child has exited with 127. */
        waitpid(f->child, NULL, 0);
        follow_tree_child_gone(f->tree);
        f->reaped = true;
        set_err(err, errlen, status, 127, "cannot run '%s': %s", f->name, strerror(e));
        return -1;
    }
    return 0;
}

struct follow_tree *follow_tree_of(const struct follow *f)
{
    return f ? f->tree : NULL;
}

/* How long to wait for the capture's answer before ending anyway: it comes
 * within a read or two of the kernel's queues, even under a flood; this only
 * guards against a capture thread that cannot answer. */
#define END_GRACE_NS 10000000000LL

void follow_end_reap(struct follow *f, struct source *src, struct follow_end *e, int *status,
                     int64_t now)
{
    if (e->done)
        return;
    if (!e->reaped && !(e->reaped = follow_reap(f, status)))
        return;
    if (!f->stop_at_exit && !follow_descendants_gone(f))
        return;
    e->done = true;
    e->at = now;
    e->ticket = source_sync_request(src);
}

bool follow_end_caught_up(const struct follow_end *e, const struct source *src, int64_t now)
{
    return e->done && (source_synced(src, e->ticket) || now - e->at > END_GRACE_NS);
}

pid_t follow_child(const struct follow *f)
{
    return f ? f->child : 0;
}

bool follow_reap(struct follow *f, int *status)
{
    if (f && f->child && f->reaped)
        follow_descendants_gone(f); /* orphans of the tree are still ours to reap */
    if (!f || !f->child || f->reaped)
        return false;
    int st;
    pid_t pid;
    bool done = false;
    /* As a subreaper we also collect orphans of the tree; only COMMAND's status counts. */
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        if (pid != f->child)
            continue;
        follow_tree_child_gone(f->tree);
        f->reaped = true;
        done = true;
        if (WIFEXITED(st))
            *status = WEXITSTATUS(st);
        else if (WIFSIGNALED(st))
            *status = 128 + WTERMSIG(st);
        else
            *status = 1;
    }
    return done;
}

void follow_signal(struct follow *f, int sig)
{
    if (f && f->child && !f->reaped)
        kill(f->child, sig);
}

bool follow_shares_tty(const struct follow *f)
{
    return f && f->shares_tty;
}

const char *follow_name(const struct follow *f)
{
    return f && f->name ? f->name : "";
}

void follow_destroy(struct follow *f)
{
    if (!f)
        return;
    if (f->go_fd >= 0) {
        /* Capture never started: the waiting child sees EOF and exits. */
        close(f->go_fd);
        if (f->child)
            waitpid(f->child, NULL, 0);
    }
    if (f->err_fd >= 0)
        close(f->err_fd);
    follow_tree_destroy(f->tree);
    free(f->name);
    free(f);
}

enum follow_stop follow_check_stop(struct follow *f, bool child_done)
{
    int sig = signals_stop_requested();
    if (!sig)
        return FOLLOW_RUN;
    if (sig != SIGINT || !f || !follow_child(f) || child_done)
        return FOLLOW_STOP;
    if (!(signals_stop_from_tty() && follow_shares_tty(f)))
        follow_signal(f, SIGINT);
    signals_clear_stop();
    return FOLLOW_FORWARDED;
}

bool follow_descendants_gone(struct follow *f)
{
    (void)f;
    /* Orphans of the tree, double-forked daemons included, are re-parented
     * to us as their subreaper: once the COMMAND is reaped, the tree is
     * gone when no child of ours is left. */
    pid_t pid;
    int st;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
    }
    return pid < 0 && errno == ECHILD;
}

/* Pids and parents of every process, from /proc. */
struct proc_row {
    pid_t pid, ppid;
    char comm[64];
};

static size_t read_procs(struct proc_row **out)
{
    size_t n = 0, cap = 0;
    struct proc_row *v = NULL;
    DIR *d = opendir("/proc");
    for (struct dirent *de; d && (de = readdir(d));) {
        char *end, path[64], buf[512];
        long pid = strtol(de->d_name, &end, 10);
        if (*end || pid <= 0)
            continue;
        snprintf(path, sizeof path, "/proc/%ld/stat", pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t len = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
        if (fd >= 0)
            close(fd);
        struct procstat ps;
        if (len <= 0 || !procstat_parse(buf, (size_t)len, &ps))
            continue;
        if (n == cap) {
            struct proc_row *nv = realloc(v, (cap = cap ? cap * 2 : 256) * sizeof *nv);
            if (!nv)
                break;
            v = nv;
        }
        v[n] = (struct proc_row){.pid = (pid_t)pid, .ppid = ps.ppid};
        textsafe_escape(ps.comm, ps.comm_len, 0, v[n].comm, sizeof v[n].comm);
        n++;
    }
    if (d)
        closedir(d);
    *out = v;
    return n;
}

void follow_tell_running(const struct follow *f)
{
    if (!f || !f->child || !f->stop_at_exit || !f->reaped)
        return;
    struct proc_row *v;
    size_t n = read_procs(&v);
    /* Our descendants, found breadth first: a process's children come after it. */
    pid_t *tree = malloc((n + 1) * sizeof *tree);
    size_t nt = 0;
    if (tree)
        tree[nt++] = getpid();
    for (size_t k = 0; tree && k < nt; k++)
        for (size_t i = 0; i < n; i++)
            if (v[i].ppid == tree[k] && v[i].pid != tree[k])
                tree[nt++] = v[i].pid;
    char line[1024] = "";
    size_t used = 0, shown = 0;
    for (size_t k = 1; k < nt && used + 1 < sizeof line; k++) {
        for (size_t i = 0; i < n; i++) {
            if (v[i].pid != tree[k])
                continue;
            if (shown++ < 20)
                used += (size_t)snprintf(line + used, sizeof line - used, "%s%d (%s)",
                                         used ? ", " : "", (int)v[i].pid, v[i].comm);
            break;
        }
    }
    char name[256];
    textsafe_escape(f->name, strlen(f->name), 0, name, sizeof name);
    if (shown > 20 && used < sizeof line)
        snprintf(line + used, sizeof line - used, " and %zu more", shown - 20);
    if (shown)
        fprintf(stderr, "fanotop: %s exited; still running: %s\n", name, line);
    free(tree);
    free(v);
}
