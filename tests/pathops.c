/* Test helper: file operations whose paths are hard to name, for the path
 * tests. Each prints what it did, one line per operation, so the test can
 * check every recorded event against the truth.
 *
 *   pathops race IN OUT N GAP_US   N rounds; even rounds write OUT/oK/f and
 *                                  move OUT/oK to IN/oK GAP_US later, odd
 *                                  rounds write IN/iK/f and move IN/iK to
 *                                  OUT/iK; prints "in DIR/f" or "out DIR/f"
 *                                  for the directory where each write was.
 *                                  A round's directory is made just before
 *                                  its write, unless it is there already
 *   pathops race-dirs IN OUT N     make the directories of those N rounds
 *                                  (for a watcher to see them first)
 *   pathops deep DIR DEPTH LEN     DEPTH nested directories of LEN-byte names
 *                                  below DIR, made with mkdirat/openat (no
 *                                  path is ever longer than one name), then
 *                                  the file "leaf" written and read there;
 *                                  prints "path P" with the file's full path
 *   pathops tmpfile DIR NAME       an O_TMPFILE file in DIR, written, linked
 *                                  as DIR/NAME with linkat, written again
 *                                  through the same descriptor and closed;
 *                                  prints "ino N"
 *   pathops write FILE             open, write and close FILE once
 *   pathops unlink FILE            unlink FILE
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what, const char *path)
{
    fprintf(stderr, "pathops: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void write_at(int dirfd, const char *name, const char *what)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        die("create", name);
    if (write(fd, what, strlen(what)) < 0)
        die("write", name);
    close(fd);
}

static void pause_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/* DIR/NAME, allocated. */
static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        die("malloc", name);
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

/* Round K's directory, in IN or OUT, allocated. */
static char *round_dir(const char *in, const char *out, long k)
{
    char name[32];
    snprintf(name, sizeof name, "%c%ld", k % 2 ? 'i' : 'o', k);
    return join(k % 2 ? in : out, name);
}

static int race_dirs(const char *in, const char *out, long n)
{
    for (long k = 0; k < n; k++) {
        char *d = round_dir(in, out, k);
        if (mkdir(d, 0755) < 0 && errno != EEXIST)
            die("mkdir", d);
        free(d);
    }
    return 0;
}

static int race(const char *in, const char *out, long n, long gap_us)
{
    for (long k = 0; k < n; k++) {
        const char *dst = k % 2 ? out : in;
        char *from = round_dir(in, out, k), *file = join(from, "f");
        char *to = join(dst, strrchr(from, '/') + 1);
        if (mkdir(from, 0755) < 0 && errno != EEXIST)
            die("mkdir", from);
        write_at(AT_FDCWD, file, "x");
        if (gap_us)
            pause_us(gap_us);
        if (rename(from, to) < 0)
            die("rename", from);
        printf("%s %s\n", k % 2 ? "in" : "out", file);
        free(from);
        free(to);
        free(file);
        /* Rounds apart, as an admin's tool would see them: the test is the
         * gap between the write and the move, not a flood. */
        pause_us(2000);
    }
    return 0;
}

static int deep(const char *dir, long depth, long len)
{
    char name[256];
    if (len < 1 || len > 255)
        return 2;
    memset(name, 'd', (size_t)len);
    name[len] = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        die("open", dir);
    size_t plen = strlen(dir), cap = plen + (size_t)depth * ((size_t)len + 1) + 16;
    char *path = malloc(cap);
    if (!path)
        die("malloc", dir);
    memcpy(path, dir, plen + 1);
    for (long i = 0; i < depth; i++) {
        snprintf(name + len - 4, 5, "%04ld", i % 10000);
        if (mkdirat(fd, name, 0755) < 0 && errno != EEXIST)
            die("mkdirat", name);
        int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (sub < 0)
            die("openat", name);
        close(fd);
        fd = sub;
        path[plen++] = '/';
        memcpy(path + plen, name, (size_t)len);
        plen += (size_t)len;
        path[plen] = '\0';
    }
    write_at(fd, "leaf", "deep\n");
    int f = openat(fd, "leaf", O_RDONLY | O_CLOEXEC);
    char buf[16];
    if (f < 0 || read(f, buf, sizeof buf) < 0)
        die("read", "leaf");
    close(f);
    close(fd);
    printf("path %s/leaf\n", path);
    free(path);
    return 0;
}

static int tmpfile_link(const char *dir, const char *name)
{
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0)
        die("O_TMPFILE", dir);
    struct stat st;
    if (fstat(fd, &st) < 0 || write(fd, "before\n", 7) < 0)
        die("write", dir);
    pause_us(100000);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || linkat(fd, "", dfd, name, AT_EMPTY_PATH) < 0)
        die("linkat", name);
    pause_us(100000);
    if (write(fd, "after\n", 6) < 0)
        die("write", name);
    close(fd);
    close(dfd);
    printf("ino %llu\n", (unsigned long long)st.st_ino);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "race") == 0)
        return race(argv[2], argv[3], atol(argv[4]), atol(argv[5]));
    if (argc == 5 && strcmp(argv[1], "race-dirs") == 0)
        return race_dirs(argv[2], argv[3], atol(argv[4]));
    if (argc == 5 && strcmp(argv[1], "deep") == 0)
        return deep(argv[2], atol(argv[3]), atol(argv[4]));
    if (argc == 4 && strcmp(argv[1], "tmpfile") == 0)
        return tmpfile_link(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "write") == 0) {
        write_at(AT_FDCWD, argv[2], "x");
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "unlink") == 0) {
        if (unlink(argv[2]) < 0)
            die("unlink", argv[2]);
        return 0;
    }
    fprintf(stderr, "usage: pathops race IN OUT N GAP_US | pathops race-dirs IN OUT N | "
                    "pathops deep DIR DEPTH LEN | "
                    "pathops tmpfile DIR NAME | pathops write FILE | pathops unlink FILE\n");
    return 2;
}
