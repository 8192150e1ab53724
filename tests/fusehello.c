/* Test helper: a FUSE filesystem of one file, "hello", that a test mounts
 * and then stops (SIGSTOP) to play a daemon that does not answer.
 *
 *   fusehello -f MOUNTPOINT   (libfuse's options; -f: in the foreground)
 *
 * Prints "pid N" first: the process to stop.
 */
#define FUSE_USE_VERSION 31
#include "config.h"

#include <errno.h>
#include <fuse.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>

static const char text[] = "hello through a daemon\n";

static int hello_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
    (void)fi;
    memset(st, 0, sizeof *st);
    if (strcmp(path, "/") == 0) {
        st->st_mode = S_IFDIR | 0755;
        st->st_nlink = 2;
    } else if (strcmp(path, "/hello") == 0) {
        st->st_mode = S_IFREG | 0444;
        st->st_nlink = 1;
        st->st_size = sizeof text - 1;
    } else {
        return -ENOENT;
    }
    return 0;
}

static int hello_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
                         struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
    (void)off, (void)fi, (void)flags;
    if (strcmp(path, "/") != 0)
        return -ENOENT;
    fill(buf, ".", NULL, 0, 0);
    fill(buf, "..", NULL, 0, 0);
    fill(buf, "hello", NULL, 0, 0);
    return 0;
}

static int hello_open(const char *path, struct fuse_file_info *fi)
{
    if (strcmp(path, "/hello") != 0)
        return -ENOENT;
    return (fi->flags & O_ACCMODE) == O_RDONLY ? 0 : -EACCES;
}

static int hello_read(const char *path, char *buf, size_t size, off_t off,
                      struct fuse_file_info *fi)
{
    (void)fi;
    if (strcmp(path, "/hello") != 0)
        return -ENOENT;
    size_t len = sizeof text - 1;
    if ((size_t)off >= len)
        return 0;
    if (size > len - (size_t)off)
        size = len - (size_t)off;
    memcpy(buf, text + off, size);
    return (int)size;
}

static const struct fuse_operations hello_ops = {
    .getattr = hello_getattr,
    .readdir = hello_readdir,
    .open = hello_open,
    .read = hello_read,
};

int main(int argc, char **argv)
{
    printf("pid %d\n", (int)getpid());
    fflush(stdout);
    return fuse_main(argc, argv, &hello_ops, NULL);
}
