#include "config.h"

#include "base/privs.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Raw capget/capset: libcap is not a dependency for five bits. */
static int cap_get(struct __user_cap_data_struct data[2])
{
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    return (int)syscall(SYS_capget, &hdr, data);
}

static int cap_set(struct __user_cap_data_struct data[2])
{
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    return (int)syscall(SYS_capset, &hdr, data);
}

static const int kept[] = {CAP_DAC_READ_SEARCH, CAP_SYS_PTRACE, CAP_DAC_OVERRIDE, CAP_CHOWN,
                           CAP_KILL};

/* A decimal id from the environment, or false. */
static bool env_id(const char *name, unsigned long *out)
{
    const char *v = getenv(name);
    if (!v || *v < '0' || *v > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || *end || n >= (unsigned long)(uid_t)-1)
        return false;
    *out = n;
    return true;
}

void privs_invoker(uid_t *uid, gid_t *gid)
{
    unsigned long u, g;
    if (geteuid() == 0 && env_id("SUDO_UID", &u)) {
        *uid = (uid_t)u;
        if (env_id("SUDO_GID", &g)) {
            *gid = (gid_t)g;
        } else {
            const struct passwd *pw = getpwuid(*uid);
            *gid = pw ? pw->pw_gid : getgid();
        }
        return;
    }
    *uid = getuid();
    *gid = getgid();
}

/* Become UID:GID with the user's supplementary groups, for good (real,
 * effective and saved ids). */
static int become(uid_t uid, gid_t gid, char *err, size_t errlen)
{
    const struct passwd *pw = getpwuid(uid);
    int rc = pw ? initgroups(pw->pw_name, gid) : setgroups(1, &gid);
    if (rc == 0)
        rc = setresgid(gid, gid, gid);
    if (rc == 0)
        rc = setresuid(uid, uid, uid);
    if (rc != 0) {
        snprintf(err, errlen, "cannot become uid %lu: %s", (unsigned long)uid, strerror(errno));
        return -1;
    }
    return 0;
}

/* Drop every capability but those in KEEP (a mask) from the bounding set:
 * that needs CAP_SETPCAP, which goes with the rest afterwards. */
static int drop_bounding(unsigned long long keep, char *err, size_t errlen)
{
    for (int cap = 0; cap <= 63; cap++) {
        if (keep & (1ULL << cap))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL && errno != EPERM) {
            snprintf(err, errlen, "cannot drop capability %d: %s", cap, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int set_no_new_privs(char *err, size_t errlen)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        snprintf(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int privs_drop_all(char *err, size_t errlen)
{
    if (drop_bounding(0, err, errlen) < 0)
        return -1;
    /* Ambient capabilities would survive an exec; there is none to keep. */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
        snprintf(err, errlen, "cannot clear ambient capabilities: %s", strerror(errno));
        return -1;
    }
    uid_t uid;
    gid_t gid;
    privs_invoker(&uid, &gid);
    if (geteuid() == 0 && uid != 0 && become(uid, gid, err, errlen) < 0)
        return -1;
    /* Still uid 0 (root itself ran it): no capability in any set. */
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    if (cap_set(d) < 0) {
        snprintf(err, errlen, "cannot drop capabilities: %s", strerror(errno));
        return -1;
    }
    return set_no_new_privs(err, errlen);
}

int privs_raise(int cap, bool on)
{
    struct __user_cap_data_struct d[2];
    if (cap < 0 || cap > 63 || cap_get(d) < 0)
        return -1;
    uint32_t bit = 1u << (cap % 32);
    if (on)
        d[cap / 32].effective |= bit;
    else
        d[cap / 32].effective &= ~bit;
    return cap_set(d);
}

unsigned long long privs_effective(void)
{
    struct __user_cap_data_struct d[2];
    if (cap_get(d) < 0)
        return 0;
    return (unsigned long long)d[0].effective | (unsigned long long)d[1].effective << 32;
}

int privs_drop(char *err, size_t errlen)
{
    return privs_drop_keep(0, err, errlen);
}

int privs_drop_keep(unsigned long long spare, char *err, size_t errlen)
{
    unsigned long long keep = 0;
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        keep |= 1ULL << kept[i];
    if (drop_bounding(keep, err, errlen) < 0)
        return -1;
    struct __user_cap_data_struct d[2];
    if (cap_get(d) < 0) {
        snprintf(err, errlen, "cannot read capabilities: %s", strerror(errno));
        return -1;
    }
    unsigned long long had = d[1].permitted;
    had = had << 32 | d[0].permitted;
    unsigned long long eff = had & keep;
    unsigned long long perm = had & (keep | spare);
    d[0].effective = (uint32_t)eff;
    d[1].effective = (uint32_t)(eff >> 32);
    d[0].permitted = (uint32_t)perm;
    d[1].permitted = (uint32_t)(perm >> 32);
    d[0].inheritable = d[1].inheritable = 0;
    /* capset changes only the calling thread: main and the capture thread
     * each drop their own (the capture thread keeps CAP_SYS_ADMIN spare, for
     * the filesystems mounted after start). */
    if (cap_set(d) < 0) {
        snprintf(err, errlen, "cannot drop capabilities: %s", strerror(errno));
        return -1;
    }
    return set_no_new_privs(err, errlen);
}
