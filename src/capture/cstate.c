#include "config.h"

#include "capture/cstate.h"

#include "base/json.h"

#include <stdio.h>
#include <string.h>

/* String members wanted from an object: KEY's value goes to OUT. */
struct want {
    const char *key;
    char *out;
    size_t len;
    bool found;
};

/* json_object's MEMBER: the wanted strings (a NULL key ends CTX's list). */
static bool want_member(struct json *j, const char *key, void *ctx)
{
    for (struct want *w = ctx; w->key; w++)
        if (strcmp(key, w->key) == 0 && json_peek(j) == '"')
            return (w->found = json_string(j, w->out, w->len, NULL));
    return json_skip(j);
}

bool cstate_docker_name(const char *json, size_t len, const char *id, char out[CSTATE_NAME_MAX])
{
    struct json j;
    json_init(&j, json, len);
    char name[CSTATE_NAME_MAX], fid[80];
    struct want w[] = {{"Name", name, sizeof name, false}, {"ID", fid, sizeof fid, false}, {0}};
    if (!json_object(&j, want_member, w) || !w[0].found || (w[1].found && strcmp(fid, id) != 0))
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
    struct want w[] = {
        {"data-root", out, outlen, false}, {"graph", graph, sizeof graph, false}, {0}};
    if (!json_object(&j, want_member, w))
        return false;
    if (!w[0].found && w[1].found)
        snprintf(out, outlen, "%s", graph);
    return (w[0].found || w[1].found) && out[0] == '/';
}

/* One container of containers.json, as json_object's MEMBER: its "id" and
 * the first of its "names" into CTX (two struct want). */
static bool storage_member(struct json *j, const char *key, void *ctx)
{
    struct want *w = ctx;
    if (strcmp(key, "names") != 0 || !json_open(j, '['))
        return want_member(j, key, w);
    unsigned m = 0;
    bool ok = true;
    while (ok && json_next(j, '[', &m))
        ok = m == 1 && json_peek(j) == '"' ? (w[1].found = json_string(j, w[1].out, w[1].len, NULL))
                                           : json_skip(j);
    return ok && !j->bad;
}

bool cstate_storage_each(const char *json, size_t len,
                         bool (*fn)(const char *id, const char *name, void *ctx), void *ctx)
{
    struct json j;
    json_init(&j, json, len);
    if (!json_open(&j, '['))
        return false;
    unsigned n = 0;
    char id[80], name[CSTATE_NAME_MAX];
    while (json_next(&j, '[', &n)) {
        if (json_peek(&j) != '{') {
            if (!json_skip(&j))
                return false;
            continue;
        }
        struct want w[] = {{"id", id, sizeof id, false}, {"names", name, sizeof name, false}, {0}};
        if (!json_object(&j, storage_member, w))
            return false;
        if (w[0].found && w[1].found && !fn(id, name, ctx))
            return false;
    }
    return !j.bad;
}

struct find {
    const char *id;
    char *out;
    bool found;
};

static bool find_id(const char *id, const char *name, void *ctx)
{
    struct find *f = ctx;
    if (strcmp(id, f->id) != 0)
        return true;
    memcpy(f->out, name, strlen(name) + 1);
    f->found = true;
    return false;
}

bool cstate_storage_name(const char *json, size_t len, const char *id, char out[CSTATE_NAME_MAX])
{
    struct find f = {id, out, false};
    cstate_storage_each(json, len, find_id, &f);
    return f.found;
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
