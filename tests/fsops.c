/* Test helper: performs known file operations so the capture tests can
 * check that each one is recorded with the right type, path, pid and comm.
 *
 *   fsops ops DIR        create, write, read, chmod, rename, delete, a file
 *                        named with a space, a comma, a quote and a newline,
 *                        and an exec of a copied binary; prints "pid N" for
 *                        itself and "child N" for the exec'd copy
 *   fsops flood DIR N    N open+close of DIR/flood-K over 64 files
 *   fsops create DIR N   create DIR/c-0 .. c-N-1, each once
 *   fsops churn DIR N    create and unlink DIR/u-0 .. u-N-1 (N 0: forever)
 *   fsops read FILE      open, read and close FILE once
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what, const char *path)
{
    fprintf(stderr, "fsops: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        die("create", path);
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        die("write", path);
    close(fd);
}

static void read_file(const char *path)
{
    char buf[256];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        die("open", path);
    if (read(fd, buf, sizeof buf) < 0)
        die("read", path);
    close(fd);
}

static void copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
    if (in < 0 || out < 0)
        die("copy", to);
    char buf[65536];
    ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            die("write", to);
    close(in);
    close(out);
}

/* The kernel merges queued events on one object ("open|modify|close_write")
 * and names an fd only when it is read: pause between operations so each is
 * read, and named, before the next one changes the file. */
static void step(void)
{
    usleep(50000);
}

static int ops(const char *dir)
{
    char a[4096], b[4096], weird[4096], bin[4096], input[4096];
    printf("pid %d\n", (int)getpid());
    fflush(stdout);

    snprintf(a, sizeof a, "%s/created.txt", dir);
    snprintf(b, sizeof b, "%s/renamed.txt", dir);
    write_file(a, "hello\n");
    step();
    read_file(a);
    step();
    if (chmod(a, 0600) < 0)
        die("chmod", a);
    step();
    if (rename(a, b) < 0)
        die("rename", a);
    step();
    if (unlink(b) < 0)
        die("unlink", b);
    step();

    snprintf(weird, sizeof weird, "%s/we ird,na\"me\nx.txt", dir);
    write_file(weird, "odd\n");
    step();
    read_file(weird);
    step();
    if (unlink(weird) < 0)
        die("unlink", weird);
    step();

    /* A copied binary (cat) with its own name reads a file: its events must
     * carry the copy's name, though the process lives only a moment. */
    snprintf(bin, sizeof bin, "%s/fsops-cat", dir);
    snprintf(input, sizeof input, "%s/exec-input.txt", dir);
    copy_file("/bin/cat", bin);
    write_file(input, "input\n");
    step();
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    pid_t child = fork();
    if (child < 0)
        die("fork", bin);
    if (child == 0) {
        dup2(devnull, 1);
        execl(bin, "fsops-cat", input, (char *)NULL);
        _exit(127);
    }
    int st;
    waitpid(child, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "fsops: %s failed\n", bin);
        return 1;
    }
    printf("child %d\n", (int)child);
    return 0;
}

static int flood(const char *dir, long n)
{
    char path[4096];
    printf("pid %d\n", (int)getpid());
    fflush(stdout);
    for (int k = 0; k < 64; k++) {
        snprintf(path, sizeof path, "%s/flood-%d", dir, k);
        write_file(path, "x");
    }
    /* Round robin over 64 files: the kernel merges identical queued events. */
    for (long i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/flood-%ld", dir, i % 64);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            die("open", path);
        close(fd);
    }
    return 0;
}

/* N new files named PREFIX-0 .. PREFIX-N-1 (N 0: no end), each once: their
 * create events cannot merge, so a monitor that loses nothing sees exactly N.
 * With UNLINK each goes right away, and every event names a new path. */
static int create_many(const char *dir, const char *prefix, long n, bool unlink_too)
{
    char path[4096];
    for (long i = 0; n <= 0 || i < n; i++) {
        snprintf(path, sizeof path, "%s/%s-%ld", dir, prefix, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0)
            die("create", path);
        close(fd);
        if (unlink_too && unlink(path) != 0)
            die("unlink", path);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "ops") == 0)
        return ops(argv[2]);
    if (argc == 4 && strcmp(argv[1], "flood") == 0)
        return flood(argv[2], atol(argv[3]));
    if (argc == 4 && strcmp(argv[1], "churn") == 0)
        return create_many(argv[2], "u", atol(argv[3]), true);
    if (argc == 4 && strcmp(argv[1], "create") == 0)
        return create_many(argv[2], "c", atol(argv[3]), false);
    if (argc == 3 && strcmp(argv[1], "read") == 0) {
        read_file(argv[2]);
        return 0;
    }
    fprintf(stderr, "usage: fsops ops DIR | fsops flood DIR N | fsops create DIR N | "
                    "fsops churn DIR N | fsops read FILE\n");
    return 2;
}
