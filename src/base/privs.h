/* Least privilege: once the fanotify groups and marks exist, keep only the
 * capabilities that event handling needs and set no_new_privs. */
#ifndef FANOTOP_PRIVS_H
#define FANOTOP_PRIVS_H

#include <stddef.h>

/* Capabilities kept after setup, and why:
 *   CAP_DAC_READ_SEARCH  open_by_handle_at() to name FID-mode events; reading /proc
 *   CAP_SYS_PTRACE       /proc/PID/exe and cmdline of other users' processes
 *   CAP_DAC_OVERRIDE     exports and settings go where root could write them
 *   CAP_CHOWN            exports under sudo are handed to the invoking user
 *   CAP_KILL             forward Ctrl-C to a followed command run as another user
 * Everything else (CAP_SYS_ADMIN first of all) is dropped from the effective,
 * permitted, inheritable and bounding sets. Returns 0, or -1 with a message
 * in ERR (the caller warns and goes on: dropping is hardening, not a need). */
int privs_drop(char *err, size_t errlen);

/* Effective capability mask of this thread (bit N = capability N), for tests
 * and --verbose. */
unsigned long long privs_effective(void);

#endif
