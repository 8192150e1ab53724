/* cgroup -> owner: captured /proc/PID/cgroup texts (v1, v2, hybrid) of
 * containers of every runtime and of systemd services, scopes and sessions
 * name the right container or unit; the owner for naming a container is
 * the outermost one, with its whole id, pod UID, machine name and user. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/cgroup.h"

#include <string.h>

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID12 "0123456789ab"

static void expect(const char *text, const char *want)
{
    char out[CGROUP_UNIT_MAX];
    size_t n = cgroup_unit(text, strlen(text), out, sizeof out);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void docker_v1_cgroupfs(void **state)
{
    (void)state;
    expect("12:pids:/docker/" ID64 "\n"
           "11:memory:/docker/" ID64 "\n"
           "1:name=systemd:/docker/" ID64 "\n",
           "docker:" ID12);
}

static void docker_v2_systemd_driver(void **state)
{
    (void)state;
    expect("0::/system.slice/docker-" ID64 ".scope\n", "docker:" ID12);
}

static void docker_v2_inside_the_container(void **state)
{
    (void)state;
    /* cgroup namespaces show "/" inside: nothing to name */
    expect("0::/\n", "");
}

static void kubernetes_containerd_systemd_driver(void **state)
{
    (void)state;
    expect("0::/kubepods.slice/kubepods-burstable.slice/"
           "kubepods-burstable-pod0c1d2e3f_4a5b_6c7d_8e9f_0a1b2c3d4e5f.slice/"
           "cri-containerd-" ID64 ".scope\n",
           "k8s:" ID12);
}

static void kubernetes_cgroupfs_v1(void **state)
{
    (void)state;
    expect("11:cpuset:/kubepods/besteffort/pod0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f/" ID64 "\n"
           "1:name=systemd:/kubepods/besteffort/pod0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f/" ID64 "\n",
           "k8s:" ID12);
}

static void crio_and_containerd_outside_kubernetes(void **state)
{
    (void)state;
    expect("0::/machine.slice/crio-" ID64 ".scope\n", "crio:" ID12);
    expect("0::/system.slice/cri-containerd-" ID64 ".scope\n", "containerd:" ID12);
    expect("0::/system.slice/nerdctl-" ID64 ".scope\n", "containerd:" ID12);
}

static void podman_root_rootless_and_cgroupfs(void **state)
{
    (void)state;
    expect("0::/machine.slice/libpod-" ID64 ".scope\n", "podman:" ID12);
    expect("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID64
           ".scope/container\n",
           "podman:" ID12);
    expect("4:memory:/libpod_parent/" ID64 "\n", "podman:" ID12);
}

static void podman_conmon_is_not_the_container(void **state)
{
    (void)state;
    expect("0::/machine.slice/libpod-conmon-" ID64 ".scope\n", "libpod-conmon-" ID64 ".scope");
}

static void lxc_v1_and_v2(void **state)
{
    (void)state;
    expect("0::/lxc.payload.web01/system.slice/nginx.service\n", "lxc:web01");
    expect("4:memory:/lxc/db\n1:name=systemd:/lxc/db/init.scope\n", "lxc:db");
}

static void systemd_services_and_scopes(void **state)
{
    (void)state;
    expect("0::/system.slice/ssh.service\n", "ssh.service");
    expect("0::/system.slice/systemd-resolved.service\n", "systemd-resolved.service");
    expect("0::/user.slice/user-1000.slice/session-3.scope\n", "session-3.scope");
    expect("0::/init.scope\n", "init.scope");
}

static void user_manager_processes_name_the_system_unit(void **state)
{
    (void)state;
    expect("0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
           "app-gnome-firefox-4242.scope\n",
           "user@1000.service");
}

static void v1_uses_the_systemd_hierarchy(void **state)
{
    (void)state;
    expect("12:pids:/system.slice/cron.service\n"
           "4:memory:/system.slice/cron.service\n"
           "1:name=systemd:/system.slice/cron.service\n",
           "cron.service");
    expect("11:memory:/\n1:name=systemd:/user.slice/user-0.slice/session-c1.scope\n",
           "session-c1.scope");
}

static void hybrid_prefers_the_v2_line(void **state)
{
    (void)state;
    expect("1:name=systemd:/system.slice/old.service\n0::/system.slice/nginx.service\n",
           "nginx.service");
}

static void no_unit_no_container(void **state)
{
    (void)state;
    /* A sandbox: a hex directory that is no known runtime is not a container. */
    expect("9:name=systemd:/\n4:memory:/process_api/661905d0ce4185d86bd411d517a305f6\n0::/\n", "");
    expect("0::/user.slice\n", "");
    expect("", "");
    expect("garbage without colons\n::\n0:", "");
}

static void short_hex_is_not_a_container(void **state)
{
    (void)state;
    expect("0::/system.slice/docker-abc.scope\n", "docker-abc.scope");
}

static void output_is_cut_to_the_buffer(void **state)
{
    (void)state;
    char out[8];
    size_t n = cgroup_unit("0::/system.slice/systemd-journald.service\n", 42, out, sizeof out);
    assert_int_equal(n, 7);
    assert_string_equal(out, "systemd");
}

/* ---- the owner: which container, for naming it ---- */

static struct cgroup_owner owner(const char *text)
{
    struct cgroup_owner o;
    bool found = cgroup_owner(text, strlen(text), &o);
    assert_int_equal(found, o.kind[0] != '\0');
    return o;
}

#define POD      "0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"
#define POD_SYSD "0c1d2e3f_4a5b_6c7d_8e9f_0a1b2c3d4e5f"

static void owner_of_docker_and_podman_has_the_whole_id(void **state)
{
    (void)state;
    struct cgroup_owner o = owner("0::/system.slice/docker-" ID64 ".scope\n");
    assert_string_equal(o.kind, "docker");
    assert_string_equal(o.id, ID64);
    assert_string_equal(o.pod, "");
    assert_int_equal(o.user, -1);
    o = owner("12:pids:/docker/" ID64 "\n1:name=systemd:/docker/" ID64 "\n");
    assert_string_equal(o.kind, "docker");
    assert_string_equal(o.id, ID64);
    o = owner("0::/machine.slice/libpod-" ID64 ".scope/container\n");
    assert_string_equal(o.kind, "podman");
    assert_string_equal(o.id, ID64);
    o = owner("0::/machine.slice/crio-" ID64 ".scope\n");
    assert_string_equal(o.kind, "crio");
}

static void owner_in_a_users_cgroups_is_rootless(void **state)
{
    (void)state;
    struct cgroup_owner o = owner("0::/user.slice/user-1000.slice/user@1000.service/user.slice/"
                                  "libpod-" ID64 ".scope/container\n");
    assert_string_equal(o.kind, "podman");
    assert_int_equal(o.user, 1000);
    o = owner("0::/user.slice/user-1000.slice/user@1000.service/app.slice/docker-" ID64 ".scope\n");
    assert_string_equal(o.kind, "docker");
    assert_int_equal(o.user, 1000);
    /* Not a user manager's name: no user. */
    o = owner("0::/system.slice/user@x1.service/docker-" ID64 ".scope\n");
    assert_int_equal(o.user, -1);
    o = owner("0::/system.slice/user@99999999999999.service/docker-" ID64 ".scope\n");
    assert_int_equal(o.user, -1);
}

static void owner_under_kubernetes_has_the_pod_uid(void **state)
{
    (void)state;
    /* systemd driver: the UID with '_', every QoS class */
    struct cgroup_owner o =
        owner("0::/kubepods.slice/kubepods-burstable.slice/"
              "kubepods-burstable-pod" POD_SYSD ".slice/cri-containerd-" ID64 ".scope\n");
    assert_string_equal(o.kind, "k8s");
    assert_string_equal(o.id, ID64);
    assert_string_equal(o.pod, POD);
    o = owner("0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" POD_SYSD
              ".slice/crio-" ID64 ".scope\n");
    assert_string_equal(o.pod, POD);
    o = owner("0::/kubepods.slice/kubepods-pod" POD_SYSD ".slice/docker-" ID64 ".scope\n");
    assert_string_equal(o.kind, "k8s");
    assert_string_equal(o.pod, POD);
    /* cgroupfs driver, v1 and v2 */
    o = owner("11:cpuset:/kubepods/besteffort/pod" POD "/" ID64 "\n");
    assert_string_equal(o.kind, "k8s");
    assert_string_equal(o.id, ID64);
    assert_string_equal(o.pod, POD);
    o = owner("0::/kubepods/pod" POD "/" ID64 "\n");
    assert_string_equal(o.pod, POD);
    /* A pod directory without a proper UID: the container, no pod. */
    o = owner("0::/kubepods/burstable/podnot-a-uid/" ID64 "\n");
    assert_string_equal(o.kind, "k8s");
    assert_string_equal(o.pod, "");
}

static void owner_of_machines_is_named_by_the_cgroup(void **state)
{
    (void)state;
    struct cgroup_owner o = owner("0::/machine.slice/machine-web\\x2d1.scope/payload/system.slice/"
                                  "nginx.service\n");
    assert_string_equal(o.kind, "nspawn");
    assert_string_equal(o.name, "web-1");
    assert_string_equal(o.id, "");
    o = owner("0::/machine.slice/systemd-nspawn@box.service/payload/init.scope\n");
    assert_string_equal(o.kind, "nspawn");
    assert_string_equal(o.name, "box");
    o = owner("0::/machine.slice/machine-qemu\\x2d3\\x2dwin11.scope/libvirt/emulator\n");
    assert_string_equal(o.kind, "qemu");
    assert_string_equal(o.name, "win11");
    o = owner("0::/machine.slice/machine-lxc\\x2d4242\\x2dalpine.scope\n");
    assert_string_equal(o.kind, "lxc");
    assert_string_equal(o.name, "alpine");
    o = owner("0::/lxc.payload.web01/system.slice/nginx.service\n");
    assert_string_equal(o.kind, "lxc");
    assert_string_equal(o.name, "web01");
    o = owner("4:memory:/lxc/db\n");
    assert_string_equal(o.name, "db");
    /* An escape for NUL stays as it is. */
    o = owner("0::/machine.slice/machine-a\\x00b.scope\n");
    assert_string_equal(o.name, "a\\x00b");
}

static void owner_is_the_outermost_container(void **state)
{
    (void)state;
    /* Whoever runs in a container may make cgroups below it, named like
     * another container's: the host's runtime made only the outer one. */
    struct cgroup_owner o = owner("0::/system.slice/docker-" ID64 ".scope/docker-"
                                  "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
                                  ".scope\n");
    assert_string_equal(o.id, ID64);
    o = owner("0::/machine.slice/machine-box.scope/payload/system.slice/docker-" ID64 ".scope\n");
    assert_string_equal(o.kind, "nspawn");
    assert_string_equal(o.name, "box");
}

static void owner_of_no_container_is_none(void **state)
{
    (void)state;
    struct cgroup_owner o = owner("0::/system.slice/ssh.service\n");
    assert_string_equal(o.kind, "");
    o = owner("9:name=systemd:/\n4:memory:/process_api/661905d0ce4185d86bd411d517a305f6\n0::/\n");
    assert_string_equal(o.kind, "");
    o = owner("0::/machine.slice/machine-.scope\n");
    assert_string_equal(o.kind, "");
    o = owner("");
    assert_string_equal(o.kind, "");
    assert_int_equal(o.user, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(docker_v1_cgroupfs),
        cmocka_unit_test(docker_v2_systemd_driver),
        cmocka_unit_test(docker_v2_inside_the_container),
        cmocka_unit_test(kubernetes_containerd_systemd_driver),
        cmocka_unit_test(kubernetes_cgroupfs_v1),
        cmocka_unit_test(crio_and_containerd_outside_kubernetes),
        cmocka_unit_test(podman_root_rootless_and_cgroupfs),
        cmocka_unit_test(podman_conmon_is_not_the_container),
        cmocka_unit_test(lxc_v1_and_v2),
        cmocka_unit_test(systemd_services_and_scopes),
        cmocka_unit_test(user_manager_processes_name_the_system_unit),
        cmocka_unit_test(v1_uses_the_systemd_hierarchy),
        cmocka_unit_test(hybrid_prefers_the_v2_line),
        cmocka_unit_test(no_unit_no_container),
        cmocka_unit_test(short_hex_is_not_a_container),
        cmocka_unit_test(output_is_cut_to_the_buffer),
        cmocka_unit_test(owner_of_docker_and_podman_has_the_whole_id),
        cmocka_unit_test(owner_in_a_users_cgroups_is_rootless),
        cmocka_unit_test(owner_under_kubernetes_has_the_pod_uid),
        cmocka_unit_test(owner_of_machines_is_named_by_the_cgroup),
        cmocka_unit_test(owner_is_the_outermost_container),
        cmocka_unit_test(owner_of_no_container_is_none),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
