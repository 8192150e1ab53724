#include "config.h"

#include "base/privs.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
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

static bool is_kept(int cap)
{
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (kept[i] == cap)
            return true;
    return false;
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
    /* The bounding set first: that needs CAP_SETPCAP, which goes next. */
    for (int cap = 0; cap <= 63; cap++) {
        if (is_kept(cap))
            continue;
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL && errno != EPERM) {
            snprintf(err, errlen, "cannot drop capability %d: %s", cap, strerror(errno));
            return -1;
        }
    }
    struct __user_cap_data_struct d[2];
    if (cap_get(d) < 0) {
        snprintf(err, errlen, "cannot read capabilities: %s", strerror(errno));
        return -1;
    }
    unsigned long long keep = 0;
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        keep |= 1ULL << kept[i];
    unsigned long long had = d[1].permitted;
    had = had << 32 | d[0].permitted;
    unsigned long long eff = had & keep;
    unsigned long long perm = had & (keep | spare);
    d[0].effective = (uint32_t)eff;
    d[1].effective = (uint32_t)(eff >> 32);
    d[0].permitted = (uint32_t)perm;
    d[1].permitted = (uint32_t)(perm >> 32);
    d[0].inheritable = d[1].inheritable = 0;
    /* capset changes only the calling thread; the capture thread keeps its
     * own set, which is why main calls this before other threads can matter
     * for privileges: the capture thread needs no capability once running. */
    if (cap_set(d) < 0) {
        snprintf(err, errlen, "cannot drop capabilities: %s", strerror(errno));
        return -1;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        snprintf(err, errlen, "cannot set no_new_privs: %s", strerror(errno));
        return -1;
    }
    return 0;
}
