/* The pure pieces of path naming: directory links in queue order
 * (dirlink), host names of a filesystem's paths through its mounts
 * (hostpath), and the FID group's read window searched ahead (fidq, fed
 * through a pipe with synthesized events). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/dirlink.h"
#include "capture/fidq.h"
#include "capture/hostpath.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

/* A handle of 4 bytes, all B, on filesystem 7. */
struct handle {
    unsigned char fh[12];
    struct decode_fid fid;
};

static struct decode_fid *mk(struct handle *h, unsigned char b)
{
    uint32_t hb = 4;
    int32_t type = 1;
    memcpy(h->fh, &hb, 4);
    memcpy(h->fh + 4, &type, 4);
    memset(h->fh + 8, b, 4);
    h->fid = (struct decode_fid){
        .fsid = 7, .fh = h->fh, .fh_len = 12, .handle_bytes = 4, .handle_type = 1};
    return &h->fid;
}

static const char *path_of(struct dirlink *t, uint32_t i, struct buf *out, uint32_t *stop)
{
    bool unsure = false, too_long = false;
    *stop = dirlink_path(t, i, out, 1 << 20, &unsure, &too_long);
    assert_false(too_long);
    return out->p ? out->p : "";
}

static void links_build_paths_and_follow_a_move(void **state)
{
    (void)state;
    struct dirlink t;
    dirlink_init(&t, 100);
    struct handle hr, ha, hb, hc;
    uint32_t root = dirlink_get(&t, mk(&hr, 1), true);
    uint32_t a = dirlink_get(&t, mk(&ha, 2), true);
    uint32_t b = dirlink_get(&t, mk(&hb, 3), true);
    uint32_t c = dirlink_get(&t, mk(&hc, 4), true);
    assert_int_equal(dirlink_get(&t, &ha.fid, false), a);
    assert_true(dirlink_set_root(&t, root, "/", 1));
    assert_true(dirlink_set_link(&t, a, root, "out", 3));
    assert_true(dirlink_set_link(&t, b, a, "d1", 2));
    assert_true(dirlink_set_link(&t, c, root, "in", 2));
    struct buf out = {0};
    uint32_t stop;
    assert_string_equal(path_of(&t, b, &out, &stop), "/out/d1");
    assert_int_equal(stop, DIRLINK_NONE);
    assert_string_equal(path_of(&t, root, &out, &stop), "/");
    dirlink_set_memo(&t, b, "/host/out/d1", 12);
    size_t len;
    assert_non_null(dirlink_memo(&t, b, &len));
    /* out/d1 -> in/d1: the memo goes, the path follows */
    dirlink_moved(&t, &hb.fid, &hc.fid, "d1", 2);
    assert_null(dirlink_memo(&t, b, &len));
    assert_string_equal(path_of(&t, b, &out, &stop), "/in/d1");
    buf_free(&out);
    dirlink_free(&t);
}

static void a_move_out_of_sight_unplaces_the_directory(void **state)
{
    (void)state;
    struct dirlink t;
    dirlink_init(&t, 100);
    struct handle hr, ha, hb;
    uint32_t root = dirlink_get(&t, mk(&hr, 1), true);
    uint32_t a = dirlink_get(&t, mk(&ha, 2), true);
    uint32_t b = dirlink_get(&t, mk(&hb, 3), true);
    dirlink_set_root(&t, root, "/", 1);
    dirlink_set_link(&t, a, root, "in", 2);
    dirlink_set_link(&t, b, a, "d", 1);
    dirlink_set_memo(&t, b, "/host/in/d", 10);
    /* in -> somewhere no mark tells of: its old place names it no more */
    dirlink_unplace(&t, &ha.fid);
    size_t len;
    assert_null(dirlink_memo(&t, b, &len));
    struct buf out = {0};
    uint32_t stop;
    path_of(&t, b, &out, &stop);
    assert_int_equal(stop, a);
    /* a root stays one; an unknown handle is ignored */
    dirlink_unplace(&t, &hr.fid);
    assert_int_equal(t.v[root].kind, DIRLINK_ROOT);
    struct handle hq;
    dirlink_unplace(&t, mk(&hq, 9));
    assert_int_equal(dirlink_get(&t, &hq.fid, false), DIRLINK_NONE);
    /* its filesystem gone: every directory of it is placed again */
    dirlink_forget_fs(&t, 8);
    assert_int_equal(t.v[root].kind, DIRLINK_ROOT);
    dirlink_forget_fs(&t, 7);
    assert_int_equal(t.v[root].kind, DIRLINK_UNKNOWN);
    assert_int_equal(t.v[b].kind, DIRLINK_UNKNOWN);
    buf_free(&out);
    dirlink_free(&t);
}

static void unknown_parent_stops_the_walk(void **state)
{
    (void)state;
    struct dirlink t;
    dirlink_init(&t, 100);
    struct handle hp, hx, hy;
    uint32_t x = dirlink_get(&t, mk(&hx, 2), true);
    uint32_t p = dirlink_get(&t, mk(&hp, 1), true); /* not placed */
    uint32_t y = dirlink_get(&t, mk(&hy, 3), true);
    dirlink_set_link(&t, x, p, "x", 1);
    dirlink_set_link(&t, y, x, "y", 1);
    struct buf out = {0};
    uint32_t stop;
    assert_string_equal(path_of(&t, y, &out, &stop), "/x/y");
    assert_int_equal(stop, p);
    /* a move of an unknown directory is ignored; of a known one, into an
     * unknown parent, keeps it placed under that parent */
    struct handle hq;
    dirlink_moved(&t, mk(&hq, 9), &hp.fid, "z", 1);
    assert_int_equal(dirlink_get(&t, &hq.fid, false), DIRLINK_NONE);
    buf_free(&out);
    dirlink_free(&t);
}

static void root_of_a_bind_mount_and_unsure_links(void **state)
{
    (void)state;
    struct dirlink t;
    dirlink_init(&t, 100);
    struct handle hr, ha;
    uint32_t r = dirlink_get(&t, mk(&hr, 1), true);
    uint32_t a = dirlink_get(&t, mk(&ha, 2), true);
    dirlink_set_root(&t, r, "/sub", 4);
    dirlink_set_link(&t, a, r, "a", 1);
    t.v[a].unsure = true;
    struct buf out = {0};
    bool unsure = false, too_long = false;
    assert_int_equal(dirlink_path(&t, a, &out, 1000, &unsure, &too_long), DIRLINK_NONE);
    assert_string_equal(out.p, "/sub/a");
    assert_true(unsure);
    buf_free(&out);
    dirlink_free(&t);
}

static void a_loop_or_a_long_chain_is_too_long(void **state)
{
    (void)state;
    struct dirlink t;
    dirlink_init(&t, 100);
    struct handle ha, hb;
    uint32_t a = dirlink_get(&t, mk(&ha, 1), true);
    uint32_t b = dirlink_get(&t, mk(&hb, 2), true);
    dirlink_set_link(&t, a, b, "a", 1);
    dirlink_set_link(&t, b, a, "b", 1);
    struct buf out = {0};
    bool unsure = false, too_long = false;
    assert_int_equal(dirlink_path(&t, a, &out, 4096, &unsure, &too_long), DIRLINK_NONE);
    assert_true(too_long);
    buf_free(&out);
    dirlink_free(&t);
}

static void names_longer_than_a_page_are_whole(void **state)
{
    (void)state;
    struct dirlink t;
    dirlink_init(&t, 1000);
    struct handle h[40];
    char name[200];
    memset(name, 'n', sizeof name);
    uint32_t prev = dirlink_get(&t, mk(&h[0], 0), true);
    dirlink_set_root(&t, prev, "/", 1);
    for (int i = 1; i < 40; i++) {
        uint32_t x = dirlink_get(&t, mk(&h[i], (unsigned char)i), true);
        dirlink_set_link(&t, x, prev, name, sizeof name);
        prev = x;
    }
    struct buf out = {0};
    uint32_t stop;
    path_of(&t, prev, &out, &stop);
    assert_int_equal(out.len, 39 * (sizeof name + 1));
    assert_int_equal(out.p[0], '/');
    assert_int_equal(out.p[201], '/');
    assert_int_equal(out.p[out.len - 1], 'n');
    buf_free(&out);
    dirlink_free(&t);
}

static bool under_b(void *ctx, const char *p, size_t len)
{
    (void)ctx;
    return len >= 6 && memcmp(p, "/mnt/b", 6) == 0 && (len == 6 || p[6] == '/');
}

static void host_names_through_mounts(void **state)
{
    (void)state;
    struct hostpath h = {0};
    /* /srv/b shows /s2 of filesystem 7, mounted whole at /srv/r; /mnt/b
     * shows it too; /x shows /sub of filesystem 8 only */
    assert_true(hostpath_add(&h, 7, 30, "/s2", "/srv/b"));
    assert_true(hostpath_add(&h, 7, 31, "/", "/srv/r"));
    assert_true(hostpath_add(&h, 7, 32, "/s2", "/mnt/b"));
    assert_true(hostpath_add(&h, 8, 33, "/sub", "/x"));
    assert_true(hostpath_add(&h, 9, 34, "/", "/"));
    struct buf out = {0};
    assert_true(hostpath_name(&h, 7, "/other/h", 8, &out));
    assert_string_equal(out.p, "/srv/r/other/h");
    /* the whole filesystem's mount is preferred... */
    assert_true(hostpath_name(&h, 7, "/s2/k", 5, &out));
    assert_string_equal(out.p, "/srv/r/s2/k");
    /* ...unless a name is in scope */
    h.in_scope = under_b;
    assert_true(hostpath_name(&h, 7, "/s2/k", 5, &out));
    assert_string_equal(out.p, "/mnt/b/k");
    assert_true(hostpath_name(&h, 7, "/s2", 3, &out));
    assert_string_equal(out.p, "/mnt/b");
    h.in_scope = NULL;
    /* a bind mount of a subdirectory names nothing outside it */
    assert_true(hostpath_name(&h, 8, "/sub/a", 6, &out));
    assert_string_equal(out.p, "/x/a");
    assert_false(hostpath_name(&h, 8, "/subway", 7, &out));
    assert_int_equal(out.len, 0);
    assert_true(hostpath_name(&h, 9, "/", 1, &out));
    assert_string_equal(out.p, "/");
    assert_true(hostpath_name(&h, 9, "/etc", 4, &out));
    assert_string_equal(out.p, "/etc");
    assert_non_null(hostpath_by_id(&h, 33));
    assert_null(hostpath_by_id(&h, 99));
    /* filesystem 7's mounts change (/srv/r is unmounted): the others stay */
    hostpath_drop(&h, 7);
    assert_false(hostpath_name(&h, 7, "/s2/k", 5, &out));
    assert_true(hostpath_add(&h, 7, 32, "/s2", "/mnt/b"));
    assert_true(hostpath_name(&h, 7, "/s2/k", 5, &out));
    assert_string_equal(out.p, "/mnt/b/k");
    assert_false(hostpath_name(&h, 7, "/other/h", 8, &out));
    assert_true(hostpath_name(&h, 8, "/sub/a", 6, &out));
    assert_string_equal(out.p, "/x/a");
    assert_non_null(hostpath_by_id(&h, 34));
    buf_free(&out);
    hostpath_free(&h);
}

/* An FID-group event: metadata, then one FID record of handle B. */
static size_t put_event(unsigned char *p, uint64_t mask, unsigned char b)
{
    uint32_t len = 24 + 24;
    uint8_t vers = FANOTIFY_METADATA_VERSION;
    uint16_t mlen = 24, rlen = 24;
    int32_t fd = -1, pid = 5, hb = 4, type = 1;
    uint64_t fsid = 7;
    memset(p, 0, len);
    memcpy(p, &len, 4);
    p[4] = vers;
    memcpy(p + 6, &mlen, 2);
    memcpy(p + 8, &mask, 8);
    memcpy(p + 16, &fd, 4);
    memcpy(p + 20, &pid, 4);
    p[24] = FAN_EVENT_INFO_TYPE_FID;
    memcpy(p + 26, &rlen, 2);
    memcpy(p + 28, &fsid, 8);
    memcpy(p + 36, &hb, 4);
    memcpy(p + 40, &type, 4);
    memset(p + 44, b, 4);
    return len;
}

static bool find_b(const struct decode_event *ev, uint64_t index, void *ctx)
{
    (void)index;
    unsigned char *want = ctx;
    return ev->has_fid && ev->fid.fh[8] == *want;
}

static void window_searches_events_after_the_current_one(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe2(p, O_NONBLOCK), 0);
    unsigned char ev[64];
    size_t n = put_event(ev, FAN_MODIFY, 1);
    assert_int_equal(write(p[1], ev, n), (ssize_t)n);
    n = put_event(ev, FAN_DELETE, 2);
    assert_int_equal(write(p[1], ev, n), (ssize_t)n);
    struct fidq *q = fidq_create(p[0], 4096, 4, FAN_DELETE | FAN_RENAME);
    assert_non_null(q);
    uint64_t errors = 0;
    assert_int_equal(fidq_read(q, &errors), 96);
    struct decode_event e;
    assert_true(fidq_next(q, &e, &errors));
    assert_int_equal(e.mask, FAN_MODIFY);
    assert_int_equal(fidq_current(q), 0);
    /* a rename queued after the read: the window reads on to find it */
    n = put_event(ev, FAN_RENAME, 3);
    assert_int_equal(write(p[1], ev, n), (ssize_t)n);
    unsigned char want = 3;
    assert_false(fidq_scan(q, UINT64_MAX, find_b, &want));
    assert_true(fidq_catch_up(q));
    assert_int_equal(fidq_end(q), 3);
    assert_true(fidq_scan(q, UINT64_MAX, find_b, &want));
    assert_false(fidq_scan(q, 2, find_b, &want)); /* past UNTIL */
    want = 2;
    assert_true(fidq_scan(q, UINT64_MAX, find_b, &want));
    assert_true(fidq_next(q, &e, &errors));
    assert_int_equal(fidq_current(q), 1);
    assert_false(fidq_scan(q, UINT64_MAX, find_b, &want)); /* the current one is not after */
    assert_true(fidq_next(q, &e, &errors));
    assert_int_equal(e.mask, FAN_RENAME);
    assert_false(fidq_next(q, &e, &errors));
    assert_int_equal(errors, 0);
    assert_int_equal(fidq_horizon(q), 3);
    fidq_destroy(q);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(links_build_paths_and_follow_a_move),
        cmocka_unit_test(a_move_out_of_sight_unplaces_the_directory),
        cmocka_unit_test(unknown_parent_stops_the_walk),
        cmocka_unit_test(root_of_a_bind_mount_and_unsure_links),
        cmocka_unit_test(a_loop_or_a_long_chain_is_too_long),
        cmocka_unit_test(names_longer_than_a_page_are_whole),
        cmocka_unit_test(host_names_through_mounts),
        cmocka_unit_test(window_searches_events_after_the_current_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
