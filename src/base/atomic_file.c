#include "config.h"

#include "base/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_error(char *err, size_t errlen, const char *path, int e)
{
    snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
}

/* Started through sudo: hand the file to the user who ran sudo, who would
 * otherwise find a root-owned file in their directory. Best effort. */
static void chown_to_sudo_user(int fd)
{
    const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");
    if (geteuid() != 0 || !u || !*u)
        return;
    char *end;
    errno = 0;
    unsigned long uid = strtoul(u, &end, 10);
    if (errno || *end || uid >= (uid_t)-1)
        return;
    unsigned long gid = (unsigned long)(gid_t)-1;
    if (g && *g) {
        errno = 0;
        unsigned long v = strtoul(g, &end, 10);
        if (!errno && !*end && v < (gid_t)-1)
            gid = v;
    }
    if (fchown(fd, (uid_t)uid, (gid_t)gid) != 0) {
        /* Keep the file root's: still written, just not handed over. */
    }
}

FILE *atomic_file_open_stream(const char *path, char *err, size_t errlen)
{
    bool created = true;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) {
        created = false;
        fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    }
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        write_error(err, errlen, path, errno);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (created) {
        if (fchmod(fd, 0600) != 0) {
            /* the umask can only have taken bits away from 0600 */
        }
        chown_to_sudo_user(fd);
    }
    return fp;
}

int atomic_file_open(struct atomic_file *af, const char *path, mode_t mode, char *err,
                     size_t errlen)
{
    memset(af, 0, sizeof *af);
    size_t n = strlen(path);
    af->path = strdup(path);
    af->tmp_path = malloc(n + 8);
    if (!af->path || !af->tmp_path) {
        write_error(err, errlen, path, ENOMEM);
        goto fail;
    }
    memcpy(af->tmp_path, path, n);
    memcpy(af->tmp_path + n, ".XXXXXX", 8);
    int fd = mkostemp(af->tmp_path, O_CLOEXEC);
    if (fd < 0) {
        write_error(err, errlen, path, errno);
        goto fail;
    }
    if (fchmod(fd, mode) != 0 || !(af->fp = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        unlink(af->tmp_path);
        write_error(err, errlen, path, e);
        goto fail;
    }
    chown_to_sudo_user(fd);
    return 0;
fail:
    free(af->path);
    free(af->tmp_path);
    af->path = af->tmp_path = NULL;
    return -1;
}

static void atomic_file_free(struct atomic_file *af)
{
    free(af->path);
    free(af->tmp_path);
    af->path = af->tmp_path = NULL;
    af->fp = NULL;
}

/* Make the rename itself durable. A failure here is not reported: the data
 * is synced and a lost rename leaves the old file, never a partial one. */
static void sync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen)
{
    int e = 0;
    errno = 0;
    if (fflush(af->fp) != 0 || ferror(af->fp))
        e = errno ? errno : EIO;
    else if (fsync(fileno(af->fp)) != 0)
        e = errno;
    if (fclose(af->fp) != 0 && !e)
        e = errno;
    af->fp = NULL;
    if (!e && rename(af->tmp_path, af->path) != 0)
        e = errno;
    if (e) {
        unlink(af->tmp_path);
        write_error(err, errlen, af->path, e);
        atomic_file_free(af);
        return -1;
    }
    sync_dir_of(af->path);
    atomic_file_free(af);
    return 0;
}

void atomic_file_abort(struct atomic_file *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->tmp_path)
        unlink(af->tmp_path);
    atomic_file_free(af);
}

void atomic_file_fail(struct atomic_file *af, int e, char *err, size_t errlen)
{
    write_error(err, errlen, af->path ? af->path : "?", e ? e : EIO);
    atomic_file_abort(af);
}
