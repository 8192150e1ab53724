/* Container names: the container a process runs in, by the name its
 * runtime gave it, read from the runtime's own state on disk (no daemon is
 * asked), at a bounded cost and cached by container id. Capture thread
 * only: not thread-safe.
 *
 * Where names come from: docker's containers/ID/config.v2.json under its
 * data root (/var/lib/docker, or daemon.json's data-root); podman's (and
 * CRI-O's) containers-storage containers.json and volatile-containers.json
 * under /var/lib/containers/storage and /run/containers/storage; for
 * Kubernetes, the pod's namespace and name from the kubelet's
 * /var/log/pods/NAMESPACE_NAME_UID directory, found by the pod UID in the
 * cgroup path; LXC, systemd-nspawn and libvirt guests by the machine name
 * in the cgroup path. A container in a user's own cgroups (rootless) is
 * looked up in that user's storage only, and shown with the user. */
#ifndef FANOTOP_CONTAINER_H
#define FANOTOP_CONTAINER_H

#include <stddef.h>

/* Longest name written, with its kind and user. */
#define CONTAINER_NAME_MAX 320

/* The test hook: a directory put before every state path, so tests can lay
 * out the runtimes' files without the runtimes. */
#define CONTAINER_STATE_ROOT_ENV "FANOTOP_STATE_ROOT"

struct container_names;

/* An empty cache; NULL when out of memory. */
struct container_names *container_names_create(void);
void container_names_destroy(struct container_names *c);

/* Name the container of a process whose /proc/PID/cgroup reads TEXT (LEN
 * bytes) into OUT (OUTLEN bytes, NUL-terminated, cut): "docker:web-1",
 * "podman:db", "k8s:default/api-7d9f", "lxc:u1", "nspawn:box"; a rootless
 * container with its user after the kind ("podman@alice:db"); the short id
 * ("docker:9fed73027329") while its runtime's state does not name it (asked
 * again at most every 10 s); "" outside containers. Returns the length. */
size_t container_name(struct container_names *c, const char *text, size_t len, char *out,
                      size_t outlen);

/* Containers cached (named or not). */
size_t container_names_count(const struct container_names *c);

#endif
