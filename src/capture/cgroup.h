/* Who owns a process, from its cgroup: a container or a systemd unit. Pure
 * parsing of the text of /proc/PID/cgroup (cgroup v1, v2 or hybrid). */
#ifndef FANOTOP_CGROUP_H
#define FANOTOP_CGROUP_H

#include <stdbool.h>
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

/* Longest container id kept (runtimes use 64 hex digits), and a pod UID. */
#define CGROUP_ID_MAX  65
#define CGROUP_POD_MAX 37

/* What the cgroup says of the container a process runs in, to look up its
 * name: the OUTERMOST container of the path, the one the host's runtime
 * made (an id nested inside it means nothing to the host's runtimes, and
 * whoever runs in a container may make cgroups below it). */
struct cgroup_owner {
    char kind[16];              /* "docker", "podman", "containerd", "crio", "k8s", "lxc",
                                   "nspawn" or "qemu"; "" for none */
    char id[CGROUP_ID_MAX];     /* its hex id (kinds with ids), cut at 64 digits */
    char pod[CGROUP_POD_MAX];   /* k8s: the pod's UID (with '-'), "" when not in the path */
    char name[CGROUP_UNIT_MAX]; /* lxc, nspawn, qemu: the name in the path, escapes decoded */
    long user;                  /* uid of the user@UID.service subtree above it (a user's
                                   own, delegated cgroups: rootless containers), or -1 */
};

/* The container TEXT (LEN bytes of /proc/PID/cgroup) names into OUT;
 * false (OUT->kind "") when it names none. */
bool cgroup_owner(const char *text, size_t len, struct cgroup_owner *out);

#endif
