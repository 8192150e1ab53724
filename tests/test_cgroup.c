/* cgroup -> owner: captured /proc/PID/cgroup texts (v1, v2, hybrid) of
 * containers of every runtime and of systemd services, scopes and sessions
 * name the right container or unit. */
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
