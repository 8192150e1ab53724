/* mountinfo parsing: fields, optional fields, octal escapes in mount points,
 * malformed lines skipped; pseudo filesystems recognised; path prefixes
 * respect component boundaries; the mount of a live path is found; which
 * mounts are reachable, and which holds a path, told from the table alone. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/mounts.h"
#include "capture/slowfs.h"

#include <string.h>

static const char sample[] =
    "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
    "27 1 254:0 / / rw,relatime shared:1 master:2 - ext4 /dev/vda rw,discard\n"
    "this line is broken\n"
    "40 27 0:40 /sub /mnt/with\\040space\\011tab rw - tmpfs my\\134src rw,size=4k\n"
    "41 27 0:41 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
    "42 27 0:42 / /mnt/fuse rw - fuse.sshfs host:/x rw\n";

static void fields_and_escapes_parse(void **state)
{
    (void)state;
    struct mount_table t;
    assert_int_equal(mounts_parse(sample, strlen(sample), &t), 0);
    assert_int_equal(t.n, 5);
    assert_int_equal(t.v[1].id, 27);
    assert_int_equal(t.v[1].parent, 1);
    assert_int_equal(t.v[1].major, 254);
    assert_int_equal(t.v[1].minor, 0);
    assert_string_equal(t.v[1].point, "/");
    assert_string_equal(t.v[1].fstype, "ext4"); /* after two optional fields */
    assert_string_equal(t.v[1].source, "/dev/vda");
    assert_string_equal(t.v[2].root, "/sub");
    assert_string_equal(t.v[2].point, "/mnt/with space\ttab");
    assert_string_equal(t.v[2].source, "my\\src");
    assert_string_equal(t.v[4].fstype, "fuse.sshfs");
    mounts_free(&t);
}

static void empty_and_garbage_input(void **state)
{
    (void)state;
    struct mount_table t;
    assert_int_equal(mounts_parse("", 0, &t), 0);
    assert_int_equal(t.n, 0);
    mounts_free(&t);
    const char junk[] = "1 2 3\n- - -\n1 2 x:y / / rw - a b\n\n";
    assert_int_equal(mounts_parse(junk, sizeof junk - 1, &t), 0);
    assert_int_equal(t.n, 0);
    mounts_free(&t);
}

static void pseudo_filesystems_are_recognised(void **state)
{
    (void)state;
    const char *pseudo[] = {"proc",        "sysfs",    "cgroup",  "cgroup2",    "devpts",
                            "securityfs",  "debugfs",  "tracefs", "bpf",        "pstore",
                            "configfs",    "fusectl",  "mqueue",  "hugetlbfs",  "autofs",
                            "binfmt_misc", "efivarfs", "nsfs",    "rpc_pipefs", "selinuxfs"};
    for (size_t i = 0; i < sizeof pseudo / sizeof pseudo[0]; i++)
        assert_true(mounts_is_pseudo(pseudo[i]));
    const char *real[] = {"ext4",    "xfs",  "btrfs",      "tmpfs", "devtmpfs",
                          "overlay", "nfs4", "fuse.sshfs", "vfat",  "zfs"};
    for (size_t i = 0; i < sizeof real / sizeof real[0]; i++)
        assert_false(mounts_is_pseudo(real[i]));
}

static void prefixes_stop_at_component_boundaries(void **state)
{
    (void)state;
    assert_true(mounts_path_under("/etc", 4, "/etc", 4));
    assert_true(mounts_path_under("/etc/passwd", 11, "/etc", 4));
    assert_false(mounts_path_under("/etcetera", 9, "/etc", 4));
    assert_false(mounts_path_under("/et", 3, "/etc", 4));
    assert_true(mounts_path_under("/anything", 9, "/", 1));
    assert_false(mounts_path_under("?/name", 6, "/", 1));
}

static void live_root_is_found(void **state)
{
    (void)state;
    struct mount_table t;
    assert_int_equal(mounts_read(&t), 0);
    assert_true(t.n > 0);
    const struct mount_entry *m = mounts_find(&t, "/");
    assert_non_null(m);
    assert_string_equal(m->point, "/");
    m = mounts_find(&t, "/proc/self");
    assert_non_null(m);
    assert_string_equal(m->fstype, "proc");
    mounts_free(&t);
}

/* 27 is "/"; 50 a tmpfs on /mnt/a with a bind mount 51 of its /sub on
 * /mnt/b; 52, mounted on top of /mnt/a later, hides 50 and what was
 * mounted in it (53 on /mnt/a/in), not itself; 54 on /srv is in plain
 * sight; 56 on /opt/x is hidden by 57, mounted on /opt later (its parent
 * is then "/" too). */
static const char layered[] = "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
                              "50 27 0:50 / /mnt/a rw - tmpfs a rw\n"
                              "51 27 0:50 /sub /mnt/b rw - tmpfs a rw\n"
                              "53 50 0:53 / /mnt/a/in rw - tmpfs c rw\n"
                              "52 50 0:52 / /mnt/a rw - tmpfs b rw\n"
                              "54 27 0:54 / /srv rw - tmpfs d rw\n"
                              "56 27 0:56 / /opt/x rw - tmpfs e rw\n"
                              "57 27 0:57 / /opt rw - tmpfs f rw\n";

static void reachable_mounts_from_the_table(void **state)
{
    (void)state;
    struct mount_table t;
    assert_int_equal(mounts_parse(layered, strlen(layered), &t), 0);
    assert_int_equal(t.n, 8);
    bool want[] = {true, false, true, false, true, true, false, true};
    for (size_t i = 0; i < t.n; i++)
        assert_int_equal(mounts_reachable(&t, &t.v[i]), want[i]);
    /* by name alone: the longest mount point, the later of equals */
    assert_int_equal(mounts_by_name(&t, "/mnt/a/x")->id, 52);
    assert_int_equal(mounts_by_name(&t, "/mnt/bee")->id, 27);
    assert_int_equal(mounts_by_name(&t, "/opt/x/y")->id, 56);
    mounts_free(&t);
}

static void paths_reached_through_a_daemon(void **state)
{
    (void)state;
    const char text[] = "27 1 254:0 / / rw - ext4 /dev/vda rw\n"
                        "60 27 0:60 / /mnt/f rw - fuse.sshfs host:/ rw\n"
                        "61 60 0:61 / /mnt/f/t rw - tmpfs t rw\n"
                        "62 27 0:62 / /mnt/fx rw - tmpfs u rw\n";
    struct mount_table t;
    assert_int_equal(mounts_parse(text, strlen(text), &t), 0);
    assert_true(slowfs_reached_through(&t, "/mnt/f"));
    assert_true(slowfs_reached_through(&t, "/mnt/f/a/b"));
    assert_true(slowfs_reached_through(&t, "/mnt/f/t/x")); /* a tmpfs, but past the daemon */
    assert_false(slowfs_reached_through(&t, "/mnt/fx/y"));
    assert_false(slowfs_reached_through(&t, "/mnt"));
    mounts_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fields_and_escapes_parse),
        cmocka_unit_test(empty_and_garbage_input),
        cmocka_unit_test(pseudo_filesystems_are_recognised),
        cmocka_unit_test(prefixes_stop_at_component_boundaries),
        cmocka_unit_test(live_root_is_found),
        cmocka_unit_test(reachable_mounts_from_the_table),
        cmocka_unit_test(paths_reached_through_a_daemon),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
