#include "config.h"

#include "capture/cstate.h"

#include "base/json.h"

#include <stdio.h>
#include <string.h>

/* Member KEY of the object at J's cursor: a string into OUT. Other members
 * are skipped; WANT2 (may be NULL) is a second key read into OUT2. */
static bool object_strings(struct json *j, const char *key, char *out, size_t outlen,
                           bool *found, const char *key2, char *out2, size_t out2len,
                           bool *found2)
{
    if (!json_open(j, '{'))
        return false;
    unsigned n = 0;
    char k[32];
    while (json_next(j, '{', &n)) {
        if (!json_key(j, k, sizeof k))
            return false;
        bool ok;
        if (strcmp(k, key) == 0 && json_peek(j) == '"')
            ok = *found = json_string(j, out, outlen, NULL);
        else if (key2 && strcmp(k, key2) == 0 && json_peek(j) == '"')
            ok = *found2 = json_string(j, out2, out2len, NULL);
        else
            ok = json_skip(j);
        if (!ok)
            return false;
    }
    return !j->bad;
}

bool cstate_docker_name(const char *json, size_t len, const char *id, char out[CSTATE_NAME_MAX])
{
    struct json j;
    json_init(&j, json, len);
    char name[CSTATE_NAME_MAX], fid[80];
    bool has_name = false, has_id = false;
    if (!object_strings(&j, "Name", name, sizeof name, &has_name, "ID", fid, sizeof fid, &has_id) ||
        !has_name || (has_id && strcmp(fid, id) != 0))
        return false;
    const char *n = name[0] == '/' ? name + 1 : name;
    if (!*n)
        return false;
    memmove(out, n, strlen(n) + 1);
    return true;
}

bool cstate_docker_root(const char *json, size_t len, char *out, size_t outlen)
{
    struct json j;
    json_init(&j, json, len);
    char graph[4096];
    bool root = false, old = false;
    if (!object_strings(&j, "data-root", out, outlen, &root, "graph", graph, sizeof graph, &old))
        return false;
    if (!root && old)
        snprintf(out, outlen, "%s", graph);
    return (root || old) && out[0] == '/';
}

/* One container of containers.json: its id and first name. */
static bool storage_entry(struct json *j, char *id, size_t idlen, char *name, size_t namelen)
{
    id[0] = name[0] = '\0';
    if (!json_open(j, '{'))
        return false;
    unsigned n = 0;
    char k[32];
    while (json_next(j, '{', &n)) {
        if (!json_key(j, k, sizeof k))
            return false;
        bool ok;
        if (strcmp(k, "id") == 0 && json_peek(j) == '"') {
            ok = json_string(j, id, idlen, NULL);
        } else if (strcmp(k, "names") == 0 && json_open(j, '[')) {
            unsigned m = 0;
            ok = true;
            while (ok && json_next(j, '[', &m))
                ok = m == 1 && json_peek(j) == '"' ? json_string(j, name, namelen, NULL)
                                                  : json_skip(j);
            ok = ok && !j->bad;
        } else {
            ok = json_skip(j);
        }
        if (!ok)
            return false;
    }
    return !j->bad;
}

bool cstate_storage_name(const char *json, size_t len, const char *id,
                         char out[CSTATE_NAME_MAX])
{
    struct json j;
    json_init(&j, json, len);
    if (!json_open(&j, '['))
        return false;
    unsigned n = 0;
    char eid[80], name[CSTATE_NAME_MAX];
    while (json_next(&j, '[', &n)) {
        if (json_peek(&j) != '{') {
            if (!json_skip(&j))
                return false;
            continue;
        }
        if (!storage_entry(&j, eid, sizeof eid, name, sizeof name))
            return false;
        if (name[0] && strcmp(eid, id) == 0) {
            memcpy(out, name, sizeof name);
            return true;
        }
    }
    return false;
}

bool cstate_pod_dir(const char *dirname, const char *uid, char out[CSTATE_NAME_MAX])
{
    /* Namespaces, pod names and UIDs hold no '_': the two '_' split it. */
    const char *a = strchr(dirname, '_');
    const char *b = a ? strchr(a + 1, '_') : NULL;
    if (!a || !b || a == dirname || b == a + 1 || strchr(b + 1, '_') || strcmp(b + 1, uid) != 0)
        return false;
    int ns = (int)(a - dirname), pod = (int)(b - a - 1);
    if ((size_t)ns + (size_t)pod + 2 > CSTATE_NAME_MAX)
        return false;
    memcpy(out, dirname, (size_t)ns);
    out[ns] = '/';
    memcpy(out + ns + 1, a + 1, (size_t)pod);
    out[ns + 1 + pod] = '\0';
    return true;
}
