/* Paths as a container sees them: a container's mountinfo (as docker and
 * podman lay it out: an overlay root, volumes and files bind-mounted from
 * the host) and the host's; each host path maps to the container's path
 * through the overlay's layers or the mount that shows it, or to nothing
 * when the container cannot see it; escapes in overlay options; a chroot. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/nspath.h"

#include <string.h>
#include <unistd.h>

#define CID "9fed73027329d8e1c0ffee00ba5eba11deadbeef0123456789abcdef01234567"
#define OV  "/var/lib/docker/overlay2/0123abc"

static const char host_info[] =
    "27 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
    "28 27 254:2 / /home rw,relatime shared:2 - ext4 /dev/vda2 rw\n"
    "29 27 0:22 / /proc rw - proc proc rw\n"
    "30 27 0:120 / " OV "/merged rw,relatime - overlay overlay rw,lowerdir=" OV
    "/../l/AAA,upperdir=" OV "/diff,workdir=" OV "/work\n";

/* The container's view: pivoted into its overlay. */
static const char container_info[] =
    "1200 1100 0:120 / / rw,relatime master:500 - overlay overlay rw,"
    "lowerdir=/var/lib/docker/overlay2/aaa/diff:/var/lib/docker/overlay2/bbb/diff,"
    "upperdir=" OV "/diff,workdir=" OV "/work\n"
    "1201 1200 0:122 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
    "1202 1200 0:123 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755\n"
    "1210 1200 254:1 /var/lib/docker/volumes/web/_data /data rw,relatime - ext4 /dev/vda1 rw\n"
    "1211 1200 254:1 /var/lib/docker/containers/" CID "/resolv.conf /etc/resolv.conf rw - ext4 "
    "/dev/vda1 rw\n"
    "1213 1200 254:1 /var/lib/docker/containers/" CID "/hosts /etc/hosts rw - ext4 /dev/vda1 rw\n"
    "1214 1200 254:1 /srv/shared/sub /mnt/with\\040space rw - ext4 /dev/vda1 rw\n"
    "1215 1200 254:1 /srv/shared/sub/deeper /opt/deep rw - ext4 /dev/vda1 rw\n";

static struct mount_table host;
static struct nspath_view view;

/* V from the mountinfo text INFO. */
static int view_of(struct nspath_view *v, const char *info, const char *root)
{
    struct mount_table t;
    if (mounts_parse(info, strlen(info), &t) < 0)
        return -1;
    return nspath_view_init(v, &t, root);
}

static int setup(void **state)
{
    (void)state;
    if (mounts_parse(host_info, strlen(host_info), &host) < 0)
        return -1;
    return view_of(&view, container_info, NULL);
}

static int teardown(void **state)
{
    (void)state;
    nspath_view_free(&view);
    mounts_free(&host);
    return 0;
}

static const char *map(const struct nspath_view *v, const char *path)
{
    static char out[4096];
    size_t n = nspath_translate(&host, v, path, strlen(path), out, sizeof out);
    assert_int_equal(n, strlen(out));
    return out;
}

static void overlay_layers_map_to_the_container_root(void **state)
{
    (void)state;
    assert_int_equal(view.nlayers, 3);
    assert_string_equal(map(&view, OV "/diff/etc/nginx/nginx.conf"), "/etc/nginx/nginx.conf");
    assert_string_equal(map(&view, "/var/lib/docker/overlay2/bbb/diff/usr/lib/libc.so.6"),
                        "/usr/lib/libc.so.6");
    assert_string_equal(map(&view, "/var/lib/docker/overlay2/aaa/diff"), "/");
    /* The overlay seen from the host, at its merged directory. */
    assert_string_equal(map(&view, OV "/merged/etc/passwd"), "/etc/passwd");
    /* The work directory and other containers' layers are not in it. */
    assert_string_equal(map(&view, OV "/work/work/#12"), "");
    assert_string_equal(map(&view, "/var/lib/docker/overlay2/aaaa/diff/x"), "");
}

static void bind_mounts_map_through_their_roots(void **state)
{
    (void)state;
    assert_string_equal(map(&view, "/var/lib/docker/volumes/web/_data/index.html"),
                        "/data/index.html");
    assert_string_equal(map(&view, "/var/lib/docker/volumes/web/_data"), "/data");
    assert_string_equal(map(&view, "/var/lib/docker/containers/" CID "/hosts"), "/etc/hosts");
    assert_string_equal(map(&view, "/var/lib/docker/containers/" CID "/hostsfile"), "");
    assert_string_equal(map(&view, "/srv/shared/sub/a b"), "/mnt/with space/a b");
    /* The deeper of two mounts that show a file names it. */
    assert_string_equal(map(&view, "/srv/shared/sub/deeper/x"), "/opt/deep/x");
    /* Host files the container does not see. */
    assert_string_equal(map(&view, "/etc/shadow"), "");
    assert_string_equal(map(&view, "/home/u/.bashrc"), "");
    assert_string_equal(map(&view, "/srv/shared/other"), "");
    assert_string_equal(map(&view, "relative/path"), "");
    assert_string_equal(map(&view, "?/x"), "");
}

static void escaped_layer_names_are_decoded(void **state)
{
    (void)state;
    /* mountinfo writes ',' as \054 and '\' as \134; overlay escapes ':'
     * inside a lowerdir with '\'. */
    static const char info[] =
        "1 0 0:50 / / rw - overlay ovl rw,lowerdir=/l\\134:x:/l2,upperdir=/u\\054v,workdir=/w,"
        "lowerdir+=/l3,datadir+=/d4,uuid=on\n";
    struct nspath_view v;
    assert_int_equal(view_of(&v, info, NULL), 0);
    assert_int_equal(v.nlayers, 5);
    assert_string_equal(map(&v, "/l:x/f"), "/f");
    assert_string_equal(map(&v, "/l2/g"), "/g");
    assert_string_equal(map(&v, "/u,v/h"), "/h");
    assert_string_equal(map(&v, "/l3/i"), "/i");
    assert_string_equal(map(&v, "/d4/j"), "/j");
    assert_string_equal(map(&v, "/w/work/k"), "");
    nspath_view_free(&v);
}

static void a_chroot_sees_under_its_root(void **state)
{
    (void)state;
    static const char info[] = "40 27 0:22 / /proc rw - proc proc rw\n";
    struct nspath_view v;
    assert_int_equal(view_of(&v, info, "/srv/jail"), 0);
    assert_string_equal(map(&v, "/srv/jail/etc/hosts"), "/etc/hosts");
    assert_string_equal(map(&v, "/srv/jail"), "/");
    assert_string_equal(map(&v, "/srv/jailbreak/x"), "");
    assert_string_equal(map(&v, "/etc/hosts"), "");
    nspath_view_free(&v);
}

static void output_is_cut_to_the_buffer(void **state)
{
    (void)state;
    char out[8];
    const char *p = OV "/diff/etc/nginx/nginx.conf";
    assert_int_equal(nspath_translate(&host, &view, p, strlen(p), out, sizeof out), 7);
    assert_string_equal(out, "/etc/ng");
}

static void our_own_view_maps_to_nothing(void **state)
{
    (void)state;
    struct nspath *n = nspath_create();
    assert_non_null(n);
    assert_int_equal(nspath_of(n, getpid()), 0);   /* we see what we see */
    assert_int_equal(nspath_of(n, 0x3fffffff), 0); /* no such process */
    assert_false(nspath_known(n, 0));
    assert_false(nspath_known(n, 0x10001));
    char out[64];
    assert_int_equal(nspath_map(n, 0, "/etc/hosts", 10, out, sizeof out), 0);
    uint32_t v = 0;
    assert_int_equal(nspath_event(n, &v, true, getpid(), getppid(), "/etc", 4, out, sizeof out), 0);
    assert_int_equal(v, 0);
    nspath_destroy(n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(overlay_layers_map_to_the_container_root),
        cmocka_unit_test(bind_mounts_map_through_their_roots),
        cmocka_unit_test(escaped_layer_names_are_decoded),
        cmocka_unit_test(a_chroot_sees_under_its_root),
        cmocka_unit_test(output_is_cut_to_the_buffer),
        cmocka_unit_test(our_own_view_maps_to_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
