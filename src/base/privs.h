/* Least privilege: once the fanotify groups and marks exist, keep only the
 * capabilities that event handling needs and set no_new_privs. */
#ifndef FANOTOP_PRIVS_H
#define FANOTOP_PRIVS_H

#include <stdbool.h>
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

/* As privs_drop, but the capabilities of SPARE (bit N = capability N) stay
 * in this thread's permitted set, not effective: the thread raises them
 * with privs_raise around the one call that needs them (the capture thread
 * keeps CAP_SYS_ADMIN so, to mark filesystems mounted after start). */
int privs_drop_keep(unsigned long long spare, char *err, size_t errlen);

/* Make capability CAP effective (ON) or not again, in this thread; it must
 * be permitted. 0, or -1 with errno set. */
int privs_raise(int cap, bool on);

/* Effective capability mask of this thread (bit N = capability N), for tests
 * and --verbose. */
unsigned long long privs_effective(void);

#endif
