/* Container names from the runtimes' own state: the JSON scanner; docker's
 * config.v2.json, containers-storage's containers.json and the kubelet's
 * pod directories parsed from samples in their real shapes (and hostile
 * ones refused); and container_name() end to end over a scratch state
 * root (FANOTOP_STATE_ROOT), as capture calls it with /proc/PID/cgroup. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/json.h"
#include "capture/container.h"
#include "capture/cstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ID64 "9fed73027329d8e1c0ffee00ba5eba11deadbeef0123456789abcdef01234567"
#define ID2  "4f3c2a9e81b7aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55aa55"
#define ID3  "77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa77aa"
#define ID4  "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e"
#define POD  "0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"

/* docker's config.v2.json as the daemon writes it: one line, "Name" keys
 * nested in other objects before the container's own. */
static const char docker_config[] =
    "{\"StreamConfig\":{},\"State\":{\"Running\":true,\"Paused\":false,\"Restarting\":false,"
    "\"OOMKilled\":false,\"RemovalInProgress\":false,\"Dead\":false,\"Pid\":4242,\"ExitCode\":0,"
    "\"Error\":\"\",\"StartedAt\":\"2026-11-22T10:00:00.1Z\",\"FinishedAt\":\"0001-01-01T00:00:"
    "00Z\","
    "\"Health\":null},\"ID\":\"" ID64 "\",\"Created\":\"2026-11-22T09:59:59.9Z\",\"Managed\":false,"
    "\"Path\":\"/docker-entrypoint.sh\",\"Args\":[\"nginx\",\"-g\",\"daemon off;\"],"
    "\"Config\":{\"Hostname\":\"9fed73027329\",\"Env\":[\"PATH=/usr/local/sbin:/usr/bin\","
    "\"NGINX_VERSION=1.27.3\"],\"Cmd\":[\"nginx\",\"-g\",\"daemon off;\"],\"Image\":\"nginx\","
    "\"Volumes\":null,\"Labels\":{\"maintainer\":\"NGINX \\u003cdocker-maint@nginx.com\\u003e\"},"
    "\"StopSignal\":\"SIGQUIT\"},\"Image\":\"sha256:66f8bdd3810c\",\"ImageManifest\":null,"
    "\"NetworkSettings\":{\"Bridge\":\"\",\"Networks\":{\"bridge\":{\"IPAMConfig\":null,"
    "\"Aliases\":null,\"IPAddress\":\"172.17.0.2\"}}},\"LogPath\":\"/var/lib/docker/"
    "containers/" ID64 "/" ID64
    "-json.log\",\"MountPoints\":{\"/data\":{\"Source\":\"/var/lib/docker/volumes/web/_data\","
    "\"Destination\":\"/"
    "data\",\"RW\":true,\"Name\":\"web\",\"Driver\":\"local\",\"Type\":\"volume\"}},"
    "\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"no\",\"MaximumRetryCount\":0}},"
    "\"Name\":\"/web-1\",\"Driver\":\"overlay2\",\"OS\":\"linux\",\"RestartCount\":0,"
    "\"HasBeenStartedBefore\":true,\"HasBeenManuallyStopped\":false,\"SecretReferences\":null,"
    "\"AppArmorProfile\":\"docker-default\",\"HostnamePath\":\"/var/lib/docker/containers/" ID64
    "/hostname\",\"ShmPath\":\"\",\"SeccompProfile\":\"\",\"NoNewPrivileges\":false}\n";

/* containers-storage's containers.json: one object per container, its
 * metadata a JSON document in a string. */
static const char storage_json[] =
    "[{\"id\":\"" ID2 "\",\"names\":[\"infra-pod\"],\"image\":\"a1b2\",\"layer\":\"c3d4\","
    "\"metadata\":\"{\\\"image-name\\\":\\\"localhost/podman-pause:5.2\\\",\\\"name\\\":"
    "\\\"infra-pod\\\",\\\"created-at\\\":1732269600}\",\"created\":\"2026-11-22T10:00:00Z\","
    "\"flags\":{\"MountLabel\":\"\",\"ProcessLabel\":\"\"}},\n"
    " {\"id\":\"" ID64 "\",\"names\":[\"db\",\"db-alias\"],\"image\":\"e5f6\",\"layer\":\"0718\","
    "\"metadata\":\"{\\\"name\\\":\\\"not-this\\\"}\",\"big-data-names\":[\"volatile\"],"
    "\"big-data-sizes\":{\"volatile\":2},\"created\":\"2026-11-22T10:00:01Z\","
    "\"uidmap\":[{\"container_id\":0,\"host_id\":100000,\"size\":65536}]}]\n";

static void json_scanner_walks_and_refuses(void **state)
{
    (void)state;
    const char doc[] = " { \"a\" : [1, -2.5e3, true, false, null, {\"x\":\"y\"}], "
                       "\"s\":\"t\\u00e9\\ud83c\\udf89\\n\\\"\\/\" } ";
    struct json j;
    json_init(&j, doc, strlen(doc));
    assert_true(json_open(&j, '{'));
    unsigned n = 0;
    char key[8], val[32];
    size_t len;
    assert_true(json_next(&j, '{', &n));
    assert_true(json_key(&j, key, sizeof key));
    assert_string_equal(key, "a");
    assert_false(json_string(&j, val, sizeof val, &len)); /* an array, not a string */
    assert_true(json_skip(&j));
    assert_true(json_next(&j, '{', &n));
    assert_true(json_key(&j, key, sizeof key));
    assert_true(json_string(&j, val, sizeof val, &len));
    assert_string_equal(val, "t\xc3\xa9\xf0\x9f\x8e\x89\n\"/");
    assert_int_equal(len, 10);
    assert_false(json_next(&j, '{', &n));
    assert_false(j.bad);
    /* Cut to the buffer, length whole. */
    json_init(&j, "\"abcdef\"", 8);
    assert_true(json_string(&j, val, 4, &len));
    assert_string_equal(val, "abc");
    assert_int_equal(len, 6);
    /* Refused: NUL escapes, raw controls, unterminated text, bad escapes,
     * trailing commas, too deep nesting. */
    static const char *const bad[] = {"\"a\\u0000b\"", "\"a\nb\"",  "\"abc", "\"\\x41\"", "[1,]",
                                      "{\"a\":1,}",    "{\"a\" 1}", "[1 2]", "tru",       "-"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_init(&j, bad[i], strlen(bad[i]));
        assert_false(json_skip(&j) && !j.bad);
    }
    char deep[2 * JSON_MAX_DEPTH + 8];
    memset(deep, '[', JSON_MAX_DEPTH + 2);
    memset(deep + JSON_MAX_DEPTH + 2, ']', JSON_MAX_DEPTH + 2);
    json_init(&j, deep, 2 * JSON_MAX_DEPTH + 4);
    assert_false(json_skip(&j));
    /* A lone surrogate stands as U+FFFD. */
    json_init(&j, "\"\\udc80x\"", 9);
    assert_true(json_string(&j, val, sizeof val, NULL));
    assert_string_equal(val, "\xef\xbf\xbdx");
}

static void docker_config_gives_the_top_level_name(void **state)
{
    (void)state;
    char name[CSTATE_NAME_MAX];
    assert_true(cstate_docker_name(docker_config, strlen(docker_config), ID64, name));
    assert_string_equal(name, "web-1");
    /* The file of another container (copied, or an id that only starts the same). */
    assert_false(cstate_docker_name(docker_config, strlen(docker_config), ID2, name));
    /* Cut anywhere, it is no document. */
    for (size_t cut = 0; cut < strlen(docker_config) - 2; cut += 37)
        assert_false(cstate_docker_name(docker_config, cut, ID64, name));
    /* No Name, an empty one, a Name that is no string, a document that is no object. */
    static const char *const none[] = {"{\"ID\":\"" ID64 "\"}", "{\"Name\":\"/\"}", "{\"Name\":7}",
                                       "[\"Name\",\"/x\"]", ""};
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        assert_false(cstate_docker_name(none[i], strlen(none[i]), ID64, name));
    /* Escapes are decoded; a long name is cut. */
    const char esc[] = "{\"Name\":\"/we\\u001b[31mb\"}";
    assert_true(cstate_docker_name(esc, strlen(esc), ID64, name));
    assert_string_equal(name, "we\x1b[31mb");
    char big[CSTATE_NAME_MAX * 2 + 32];
    int n = snprintf(big, sizeof big, "{\"Name\":\"/%0*d\"}", CSTATE_NAME_MAX + 100, 7);
    assert_true(cstate_docker_name(big, (size_t)n, ID64, name));
    assert_int_equal(strlen(name), CSTATE_NAME_MAX - 2);
}

static void docker_daemon_json_moves_the_data_root(void **state)
{
    (void)state;
    char root[256];
    const char d[] = "{\n  \"log-driver\": \"json-file\",\n  \"data-root\": \"/srv/docker\",\n"
                     "  \"storage-driver\": \"overlay2\"\n}\n";
    assert_true(cstate_docker_root(d, strlen(d), root, sizeof root));
    assert_string_equal(root, "/srv/docker");
    const char old[] = "{\"graph\":\"/mnt/docker\"}";
    assert_true(cstate_docker_root(old, strlen(old), root, sizeof root));
    assert_string_equal(root, "/mnt/docker");
    const char rel[] = "{\"data-root\":\"docker\"}";
    assert_false(cstate_docker_root(rel, strlen(rel), root, sizeof root));
    assert_false(cstate_docker_root("{}", 2, root, sizeof root));
}

static void storage_json_gives_the_first_name_of_that_id(void **state)
{
    (void)state;
    char name[CSTATE_NAME_MAX];
    assert_true(cstate_storage_name(storage_json, strlen(storage_json), ID64, name));
    assert_string_equal(name, "db");
    assert_true(cstate_storage_name(storage_json, strlen(storage_json), ID2, name));
    assert_string_equal(name, "infra-pod");
    assert_false(cstate_storage_name(storage_json, strlen(storage_json), "0123", name));
    assert_false(cstate_storage_name("[]", 2, ID64, name));
    assert_false(cstate_storage_name("{}", 2, ID64, name));
    /* An entry without names, and odd members, are stepped over. */
    const char odd[] = "[7, {\"id\":\"" ID64 "\",\"names\":[]}, {\"id\":\"" ID2
                       "\",\"names\":[3,\"x\"]}, {\"names\":[\"y\"],\"id\":\"" ID64 "\"}]";
    assert_true(cstate_storage_name(odd, strlen(odd), ID64, name));
    assert_string_equal(name, "y");
    assert_false(
        cstate_storage_name(odd, strlen(odd), ID2, name)); /* its first name is no string */
    for (size_t cut = 1; cut < strlen(storage_json) - 300; cut += 41)
        assert_false(cstate_storage_name(storage_json, cut, ID64, name));
}

static void pod_directories_give_namespace_and_name(void **state)
{
    (void)state;
    char name[CSTATE_NAME_MAX];
    assert_true(cstate_pod_dir("default_api-7d9f8c6b5-x2k4q_" POD, POD, name));
    assert_string_equal(name, "default/api-7d9f8c6b5-x2k4q");
    assert_true(cstate_pod_dir("kube-system_coredns-5d78c9869d-abcde_" POD, POD, name));
    assert_string_equal(name, "kube-system/coredns-5d78c9869d-abcde");
    assert_false(cstate_pod_dir("default_api_" POD "x", POD, name));
    assert_false(cstate_pod_dir("default_" POD, POD, name));
    assert_false(cstate_pod_dir("_api_" POD, POD, name));
    assert_false(cstate_pod_dir("default__" POD, POD, name));
    assert_false(cstate_pod_dir("a_b_c_" POD, POD, name));
    assert_false(cstate_pod_dir(".", POD, name));
}

/* ---- container_name() over a scratch state root ---- */

static char scratch[64];

static void put_file(const char *rel, const char *text)
{
    char path[512], cmd[600];
    snprintf(path, sizeof path, "%s/%s", scratch, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\"", path);
    assert_int_equal(system(cmd), 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int make_root(void **state)
{
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/fanotop-cstate.XXXXXX");
    if (!mkdtemp(scratch))
        return -1;
    setenv(CONTAINER_STATE_ROOT_ENV, scratch, 1);
    return 0;
}

static int remove_root(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    unsetenv(CONTAINER_STATE_ROOT_ENV);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *name_of(struct container_names *c, const char *cgroup)
{
    static char out[CONTAINER_NAME_MAX];
    size_t n = container_name(c, cgroup, strlen(cgroup), out, sizeof out);
    assert_int_equal(n, strlen(out));
    return out;
}

static void names_come_from_each_runtimes_state(void **state)
{
    (void)state;
    put_file("var/lib/docker/containers/" ID64 "/config.v2.json", docker_config);
    put_file("var/lib/containers/storage/overlay-containers/containers.json", storage_json);
    put_file("run/containers/storage/overlay-containers/volatile-containers.json",
             "[{\"id\":\"" ID3 "\",\"names\":[\"tmp-job\"]}]");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/var/log/pods/default_api-7d9f_" POD "/api", scratch);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' '%s/var/log/pods/other_x_1234'", dir, scratch);
    assert_int_equal(system(cmd), 0);

    struct container_names *c = container_names_create();
    assert_non_null(c);
    assert_string_equal(name_of(c, "0::/system.slice/docker-" ID64 ".scope\n"), "docker:web-1");
    assert_string_equal(name_of(c, "0::/machine.slice/libpod-" ID64 ".scope/container\n"),
                        "podman:db");
    assert_string_equal(name_of(c, "0::/machine.slice/libpod-" ID3 ".scope\n"), "podman:tmp-job");
    assert_string_equal(name_of(c, "0::/machine.slice/libpod-" ID2 ".scope\n"), "podman:infra-pod");
    assert_string_equal(name_of(c,
                                "0::/kubepods.slice/kubepods-burstable.slice/"
                                "kubepods-burstable-pod0c1d2e3f_4a5b_6c7d_8e9f_0a1b2c3d4e5f.slice/"
                                "cri-containerd-" ID64 ".scope\n"),
                        "k8s:default/api-7d9f");
    assert_string_equal(name_of(c, "0::/kubepods/burstable/pod" POD "/" ID2 "\n"),
                        "k8s:default/api-7d9f");
    assert_string_equal(name_of(c, "0::/machine.slice/machine-box.scope/payload\n"), "nspawn:box");
    assert_string_equal(name_of(c, "0::/lxc.payload.u1/init.scope\n"), "lxc:u1");
    /* Unknown to its runtime: the short id; no container: nothing. */
    assert_string_equal(name_of(c, "0::/system.slice/docker-" ID2 ".scope\n"),
                        "docker:4f3c2a9e81b7");
    assert_string_equal(name_of(c, "0::/system.slice/cri-containerd-" ID2 ".scope\n"),
                        "containerd:4f3c2a9e81b7");
    assert_string_equal(name_of(c, "0::/system.slice/ssh.service\n"), "");
    /* Cached by id: asked again, the state is not read again. */
    size_t cached = container_names_count(c);
    put_file("var/lib/docker/containers/" ID64 "/config.v2.json", "{\"Name\":\"/renamed\"}");
    assert_string_equal(name_of(c, "0::/system.slice/docker-" ID64 ".scope\n"), "docker:web-1");
    assert_int_equal(container_names_count(c), cached);
    /* A store's file is read again once it changed: a container made since. */
    put_file("var/lib/containers/storage/overlay-containers/containers.json",
             "[{\"id\":\"" ID4 "\",\"names\":[\"later\"]}]");
    assert_string_equal(name_of(c, "0::/machine.slice/libpod-" ID4 ".scope\n"), "podman:later");
    /* An id nested inside a container is not looked up: the outer one is. */
    assert_string_equal(name_of(c, "0::/system.slice/docker-" ID64 ".scope/docker-" ID2 ".scope\n"),
                        "docker:web-1");
    /* Cut to the buffer. */
    char small[8];
    assert_int_equal(container_name(c, "0::/lxc.payload.longname/\n", 25, small, sizeof small), 7);
    assert_string_equal(small, "lxc:lon");
    container_names_destroy(c);
}

static void rootless_containers_are_looked_up_in_their_users_storage(void **state)
{
    (void)state;
    /* uid 0's home is /root; its own storage names the container, the
     * system's is not asked, and the user shows. */
    put_file("root/.local/share/containers/storage/overlay-containers/containers.json",
             "[{\"id\":\"" ID64 "\",\"names\":[\"mine\"]}]");
    struct container_names *c = container_names_create();
    assert_string_equal(name_of(c,
                                "0::/user.slice/user-0.slice/user@0.service/user.slice/libpod-" ID64
                                ".scope/container\n"),
                        "podman@root:mine");
    /* A user's cgroup named like a system container gets no system name. */
    put_file("var/lib/docker/containers/" ID2 "/config.v2.json",
             "{\"ID\":\"" ID2 "\",\"Name\":\"/web-2\"}");
    assert_string_equal(name_of(c, "0::/system.slice/docker-" ID2 ".scope\n"), "docker:web-2");
    assert_string_equal(
        name_of(c, "0::/user.slice/user-0.slice/user@0.service/app.slice/docker-" ID2 ".scope\n"),
        "docker@root:4f3c2a9e81b7");
    container_names_destroy(c);
}

static void hostile_state_files_are_not_followed(void **state)
{
    (void)state;
    /* A link to another container's file, and a FIFO: neither is read. */
    put_file("var/lib/docker/containers/" ID2 "/real.json", "{\"Name\":\"/linked\"}");
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/var/lib/docker/containers/" ID2 "/real.json", scratch);
    snprintf(b, sizeof b, "%s/var/lib/docker/containers/" ID2 "/config.v2.json", scratch);
    unlink(b);
    assert_int_equal(symlink(a, b), 0);
    snprintf(b, sizeof b, "%s/var/lib/containers/storage/overlay-containers/containers.json",
             scratch);
    unlink(b);
    assert_int_equal(mkfifo(b, 0600), 0);
    snprintf(b, sizeof b, "%s/run/containers/storage/overlay-containers/volatile-containers.json",
             scratch);
    assert_int_equal(unlink(b), 0);
    struct container_names *c = container_names_create();
    assert_string_equal(name_of(c, "0::/system.slice/docker-" ID2 ".scope\n"),
                        "docker:4f3c2a9e81b7");
    assert_string_equal(name_of(c, "0::/machine.slice/libpod-" ID2 ".scope\n"),
                        "podman:4f3c2a9e81b7");
    container_names_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_scanner_walks_and_refuses),
        cmocka_unit_test(docker_config_gives_the_top_level_name),
        cmocka_unit_test(docker_daemon_json_moves_the_data_root),
        cmocka_unit_test(storage_json_gives_the_first_name_of_that_id),
        cmocka_unit_test(pod_directories_give_namespace_and_name),
        cmocka_unit_test(names_come_from_each_runtimes_state),
        cmocka_unit_test(rootless_containers_are_looked_up_in_their_users_storage),
        cmocka_unit_test(hostile_state_files_are_not_followed),
    };
    return cmocka_run_group_tests(tests, make_root, remove_root);
}
