/* The container runtimes' own state on disk, parsed: pure functions over
 * the bytes of one file or directory name, for container.c to name
 * containers with. Every input is treated as hostile: malformed text is
 * refused, never read past, and names are cut at the caller's buffer. */
#ifndef FANOTOP_CSTATE_H
#define FANOTOP_CSTATE_H

#include <stdbool.h>
#include <stddef.h>

/* Longest container name kept (docker allows 64+, k8s namespace/pod 253+63). */
#define CSTATE_NAME_MAX 256

/* docker's /var/lib/docker/containers/ID/config.v2.json (JSON, LEN bytes):
 * the container's top-level "Name" ("/web-1") without its leading '/' into
 * OUT (CSTATE_NAME_MAX bytes). ID: the top-level "ID" must equal it when the
 * file has one (a file copied from elsewhere names another container).
 * False when there is no such name or the text is not JSON. */
bool cstate_docker_name(const char *json, size_t len, const char *id, char out[CSTATE_NAME_MAX]);

/* docker's /etc/docker/daemon.json: its "data-root" (or the older "graph")
 * into OUT (OUTLEN bytes); false when it sets none. */
bool cstate_docker_root(const char *json, size_t len, char *out, size_t outlen);

/* containers-storage's containers.json (podman, buildah, CRI-O: a JSON
 * array of {"id": ..., "names": [...], ...}): FN(ID, NAME, CTX) for each
 * container that has an id and a first name, in order, until FN returns
 * false. False when the text is malformed (after the containers before the
 * fault) or FN stopped. */
bool cstate_storage_each(const char *json, size_t len,
                         bool (*fn)(const char *id, const char *name, void *ctx), void *ctx);

/* The first name of the container whose "id" is ID into OUT; false when it
 * is not there. */
bool cstate_storage_name(const char *json, size_t len, const char *id, char out[CSTATE_NAME_MAX]);

/* A kubelet pod log directory name, "NAMESPACE_PODNAME_UID" (as in
 * /var/log/pods): true when its UID is UID, with "NAMESPACE/PODNAME" in OUT. */
bool cstate_pod_dir(const char *dirname, const char *uid, char out[CSTATE_NAME_MAX]);

#endif
