/* The way to a directory fanotop writes into as root, walked one component
 * at a time, so that no one but root and the invoking user can steer it: a
 * symbolic link on the way is followed only when it belongs to root (/home
 * -> /data/home) or, where allowed, to the invoking user, and its target is
 * walked by the same rule. Optionally each directory must be root's or the
 * user's (the last one the user's), and what is missing is made, inside a
 * directory of the user's, for the user. */
#ifndef FANOTOP_SAFEDIR_H
#define FANOTOP_SAFEDIR_H

#include <stddef.h>
#include <sys/types.h>

enum {
    SAFEDIR_USER_LINKS = 1u << 0, /* follow the invoking user's links too */
    SAFEDIR_OWNED = 1u << 1,      /* each directory root's or the user's, the last the user's */
    SAFEDIR_CREATE = 1u << 2,     /* make what is missing (0700, the user's) */
};

/* Returned when a directory is missing and SAFEDIR_CREATE was not given. */
#define SAFEDIR_MISSING (-2)

/* Open directory DIR (relative to the working directory unless absolute),
 * on the way to FILE, for UID:GID (the invoking user) under FLAGS. A
 * descriptor that *at calls take (O_RDONLY where the directory may be read,
 * else O_PATH); SAFEDIR_MISSING; or -1 with "cannot VERB PATH: why" in ERR:
 * PATH the directory or link refused, or FILE when a call failed. */
int safedir_open(const char *dir, const char *file, uid_t uid, gid_t gid, unsigned flags,
                 const char *verb, char *err, size_t errlen);

#endif
