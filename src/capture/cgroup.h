/* Who owns a process, from its cgroup: a container or a systemd unit. Pure
 * parsing of the text of /proc/PID/cgroup (cgroup v1, v2 or hybrid). */
#ifndef FANOTOP_CGROUP_H
#define FANOTOP_CGROUP_H

#include <stddef.h>

/* Longest owner name written (a unit name is at most 255 bytes). */
#define CGROUP_UNIT_MAX 256

/* Name the owner described by TEXT (LEN bytes, the content of /proc/PID/cgroup)
 * into OUT (OUTLEN bytes, always NUL-terminated): "RUNTIME:ID" with the first
 * 12 hex digits of the container id for docker, containerd, crio, podman and
 * k8s (any runtime under kubepods), "lxc:NAME" for LXC; else the outermost
 * systemd service or scope ("ssh.service", "user@1000.service",
 * "session-3.scope"); else "". Returns the length written. */
size_t cgroup_unit(const char *text, size_t len, char *out, size_t outlen);

#endif
