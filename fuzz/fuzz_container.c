/* libFuzzer target: the parsers that name containers and map their paths,
 * over arbitrary bytes: /proc/PID/cgroup text (cgroup_owner, cgroup_unit),
 * docker's config.v2.json and daemon.json, containers-storage's
 * containers.json, pod directory names, and a container's mountinfo with
 * host paths translated through it. The first byte picks the parser. Each
 * sees exactly SIZE bytes in its own buffer, so ASan catches a read past. */
#include "config.h"

#include "base/json.h"
#include "capture/cgroup.h"
#include "capture/cstate.h"
#include "capture/nspath.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static volatile size_t sink;

static const char host_info[] =
    "27 1 254:1 / / rw - ext4 /dev/vda1 rw\n"
    "30 27 0:120 / /var/lib/docker/overlay2/x/merged rw - overlay o rw\n";

static const char *const probes[] = {
    "/",
    "/var/lib/docker/overlay2/x/merged/etc/passwd",
    "/var/lib/docker/volumes/v/_data/f",
    "/l:x/f",
    "/srv/jail/etc",
    "/a/b/c/d/e/f/g",
};

static void mountinfo(const char *text, size_t len)
{
    struct mount_table host;
    if (mounts_parse(host_info, sizeof host_info - 1, &host) < 0)
        return;
    struct nspath_view v;
    struct mount_table t;
    const char *root = len && text[0] == '/' ? "/srv/jail" : NULL;
    if (mounts_parse(text, len, &t) == 0 && nspath_view_init(&v, &t, root) == 0) {
        char out[256];
        for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)
            sink += nspath_translate(&host, &v, probes[i], strlen(probes[i]), out, sizeof out);
        for (size_t i = 0; i < v.nlayers; i++)
            sink +=
                nspath_translate(&host, &v, v.layers[i].dir, v.layers[i].dir_len, out, sizeof out);
        nspath_view_free(&v);
    }
    mounts_free(&host);
}

static void json_walk(const char *text, size_t len)
{
    struct json j;
    json_init(&j, text, len);
    char s[16];
    size_t l;
    while (!j.bad && j.i < j.n) {
        size_t before = j.i;
        if (json_peek(&j) == '"')
            sink += json_string(&j, s, sizeof s, &l) ? l : 0;
        else
            sink += json_skip(&j);
        if (j.i == before)
            break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t len = size - 1;
    char *buf = malloc(len + 1);
    if (!buf)
        return 0;
    memcpy(buf, data + 1, len);
    char name[CSTATE_NAME_MAX];
    static const char id[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    switch (data[0] % 6) {
    case 0: {
        struct cgroup_owner o;
        char unit[CGROUP_UNIT_MAX];
        sink += cgroup_owner(buf, len, &o) + strlen(o.kind) + strlen(o.name);
        sink += cgroup_unit(buf, len, unit, sizeof unit);
        break;
    }
    case 1:
        sink += cstate_docker_name(buf, len, id, name);
        sink += cstate_docker_root(buf, len, name, sizeof name);
        break;
    case 2:
        sink += cstate_storage_name(buf, len, id, name);
        break;
    case 3: {
        /* A directory name is a C string. */
        char *z = malloc(len + 1);
        if (z) {
            memcpy(z, buf, len);
            z[len] = '\0';
            sink += cstate_pod_dir(z, "0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f", name);
            free(z);
        }
        break;
    }
    case 4:
        mountinfo(buf, len);
        break;
    default:
        json_walk(buf, len);
        break;
    }
    free(buf);
    return 0;
}
