/* The fanotify read-buffer decoder on synthesized records: fd events, FID
 * events with handles and names, overflow, and every kind of malformed
 * input stops or is flagged without reading outside the buffer. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/decode.h"
#include "base/event.h"

#include <string.h>
#include <sys/fanotify.h>

struct buf {
    unsigned char b[4096];
    size_t len;
};

static void put(struct buf *b, const void *p, size_t n)
{
    memcpy(b->b + b->len, p, n);
    b->len += n;
}

/* Metadata of an event whose info records are INFO_LEN bytes long. */
static size_t meta(struct buf *b, uint64_t mask, int32_t fd, int32_t pid, size_t info_len)
{
    size_t at = b->len;
    uint32_t event_len = (uint32_t)(24 + info_len);
    uint8_t vers = FANOTIFY_METADATA_VERSION, reserved = 0;
    uint16_t mlen = 24;
    put(b, &event_len, 4);
    put(b, &vers, 1);
    put(b, &reserved, 1);
    put(b, &mlen, 2);
    put(b, &mask, 8);
    put(b, &fd, 4);
    put(b, &pid, 4);
    return at;
}

/* An FID-style record; NAME NULL for a plain FID. Returns its length. */
static size_t fid_len(size_t hb, const char *name)
{
    size_t n = 4 + 8 + 8 + hb + (name ? strlen(name) + 1 : 0);
    return (n + 3) & ~(size_t)3;
}

static void fid(struct buf *b, uint8_t type, uint64_t fsid, const unsigned char *h, uint32_t hb,
                const char *name)
{
    size_t total = fid_len(hb, name);
    size_t start = b->len;
    uint8_t pad = 0;
    uint16_t len = (uint16_t)total;
    int32_t htype = 1;
    put(b, &type, 1);
    put(b, &pad, 1);
    put(b, &len, 2);
    put(b, &fsid, 8);
    put(b, &hb, 4);
    put(b, &htype, 4);
    put(b, h, hb);
    if (name)
        put(b, name, strlen(name) + 1);
    while (b->len < start + total)
        put(b, &pad, 1);
}

static const unsigned char H1[8] = {1, 2, 3, 4, 5, 6, 7, 8};
static const unsigned char H2[8] = {1, 2, 3, 4, 5, 6, 7, 9};

static void fd_events_decode_in_order(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    meta(&b, FAN_OPEN | FAN_ACCESS, 7, 42, 0);
    meta(&b, FAN_CLOSE_WRITE, 8, 43, 0);
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_int_equal(ev.fd, 7);
    assert_int_equal(ev.pid, 42);
    assert_int_equal(decode_types(ev.mask), FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS));
    assert_false(ev.has_dfid || ev.has_fid || ev.bad_info);
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_int_equal(ev.fd, 8);
    assert_int_equal(decode_types(ev.mask), FA_BIT(FA_CLOSE_WRITE));
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_END);
    assert_int_equal(off, b.len);
}

static void fid_event_gives_dir_handle_name_and_object(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    const char *name = "we ird,\"na\nme";
    meta(&b, FAN_CREATE | FAN_ONDIR, -1, 9, fid_len(8, name) + fid_len(8, NULL));
    fid(&b, FAN_EVENT_INFO_TYPE_DFID_NAME, 0x1122334455667788ULL, H1, 8, name);
    fid(&b, FAN_EVENT_INFO_TYPE_FID, 0x1122334455667788ULL, H2, 8, NULL);
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_true(ev.has_dfid);
    assert_true(ev.has_fid);
    assert_false(ev.bad_info);
    assert_int_equal(ev.fd, -1);
    assert_int_equal(ev.dfid.fsid, 0x1122334455667788ULL);
    assert_int_equal(ev.dfid.handle_bytes, 8);
    assert_int_equal(ev.dfid.handle_type, 1);
    assert_memory_equal(ev.dfid.fh + 8, H1, 8);
    assert_int_equal(ev.name_len, strlen(name));
    assert_memory_equal(ev.name, name, strlen(name));
    assert_memory_equal(ev.fid.fh + 8, H2, 8);
    assert_true(decode_fid_equal(&ev.dfid, &ev.dfid));
    assert_false(decode_fid_equal(&ev.dfid, &ev.fid));
    assert_int_equal(decode_types(ev.mask), FA_BIT(FA_CREATE));
    assert_int_equal(decode_flags(ev.mask), FA_EV_DIR);
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_END);
}

static void self_event_with_only_object_handle(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    meta(&b, FAN_DELETE_SELF | FAN_ATTRIB, -1, 9, fid_len(8, NULL));
    fid(&b, FAN_EVENT_INFO_TYPE_FID, 5, H1, 8, NULL);
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_false(ev.has_dfid);
    assert_true(ev.has_fid);
    assert_null(ev.name);
    assert_int_equal(decode_types(ev.mask), FA_BIT(FA_DELETE_SELF) | FA_BIT(FA_ATTRIB));
}

static void overflow_maps_to_overflow_type(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    meta(&b, FAN_Q_OVERFLOW, -1, 0, 0);
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_int_equal(decode_types(ev.mask), FA_BIT(FA_OVERFLOW));
    assert_int_equal(ev.fd, -1);
}

static void every_type_maps_from_its_fanotify_bit(void **state)
{
    (void)state;
    uint64_t all = 0;
    for (int t = 0; t < FA_NTYPES; t++) {
        assert_int_equal(decode_types(fa_types[t].fan_mask), FA_BIT(t));
        all |= fa_types[t].fan_mask;
    }
    assert_int_equal(decode_types(all), FA_ALL_TYPES);
    assert_int_equal(decode_types(FAN_ONDIR | FAN_EVENT_ON_CHILD), 0);
    assert_int_equal(decode_flags(FAN_OPEN), 0);
}

static void short_metadata_is_bad(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    meta(&b, FAN_OPEN, 3, 1, 0);
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, 10, &off, &ev), DECODE_BAD);
    assert_int_equal(off, 0);
}

static void event_len_past_buffer_is_bad(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    meta(&b, FAN_OPEN, 3, 1, 100); /* claims 100 bytes of records that are not there */
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_BAD);
}

static void wrong_version_or_lengths_are_bad(void **state)
{
    (void)state;
    struct decode_event ev;
    for (int which = 0; which < 3; which++) {
        struct buf b = {.len = 0};
        meta(&b, FAN_OPEN, 3, 1, 0);
        if (which == 0)
            b.b[4] = FANOTIFY_METADATA_VERSION + 1;
        if (which == 1) {
            uint16_t small = 8; /* metadata_len below the struct size */
            memcpy(b.b + 6, &small, 2);
        }
        if (which == 2) {
            uint32_t small = 16; /* event_len below metadata_len */
            memcpy(b.b, &small, 4);
        }
        size_t off = 0;
        assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_BAD);
    }
}

static void overrunning_info_record_flags_event_and_goes_on(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    size_t at = meta(&b, FAN_CREATE, -1, 2, fid_len(8, "x"));
    fid(&b, FAN_EVENT_INFO_TYPE_DFID_NAME, 1, H1, 8, "x");
    uint16_t huge = 4000;
    memcpy(b.b + at + 24 + 2, &huge, 2);
    meta(&b, FAN_DELETE, -1, 3, 0);
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_true(ev.bad_info);
    assert_false(ev.has_dfid);
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_int_equal(ev.pid, 3);
}

static void name_without_nul_is_rejected(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    meta(&b, FAN_CREATE, -1, 2, 4 + 8 + 8 + 8 + 4);
    uint8_t type = FAN_EVENT_INFO_TYPE_DFID_NAME, pad = 0;
    uint16_t len = 4 + 8 + 8 + 8 + 4;
    uint64_t fsid = 1;
    uint32_t hb = 8;
    int32_t ht = 1;
    put(&b, &type, 1);
    put(&b, &pad, 1);
    put(&b, &len, 2);
    put(&b, &fsid, 8);
    put(&b, &hb, 4);
    put(&b, &ht, 4);
    put(&b, H1, 8);
    put(&b, "abcd", 4); /* no NUL inside the record */
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_true(ev.bad_info);
    assert_false(ev.has_dfid);
    assert_null(ev.name);
}

static void handle_longer_than_record_is_rejected(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    size_t at = meta(&b, FAN_ATTRIB, -1, 2, fid_len(8, NULL));
    fid(&b, FAN_EVENT_INFO_TYPE_FID, 1, H1, 8, NULL);
    uint32_t hb = 200;
    memcpy(b.b + at + 24 + 12, &hb, 4);
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_true(ev.bad_info);
    assert_false(ev.has_fid);
}

static void unknown_info_types_are_skipped(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    meta(&b, FAN_OPEN, -1, 2, 8 + fid_len(8, NULL));
    uint8_t type = FAN_EVENT_INFO_TYPE_PIDFD, pad = 0;
    uint16_t len = 8;
    int32_t pidfd = 5;
    put(&b, &type, 1);
    put(&b, &pad, 1);
    put(&b, &len, 2);
    put(&b, &pidfd, 4);
    fid(&b, FAN_EVENT_INFO_TYPE_FID, 1, H1, 8, NULL);
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_int_equal(ev.skipped, 1);
    assert_true(ev.has_fid);
    assert_false(ev.bad_info);
}

/* FAN_RENAME (Linux 5.17): where the entry was, where it is, and what moved. */
static void rename_gives_old_and_new_entry_and_object(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    meta(&b, FAN_RENAME | FAN_ONDIR, -1, 3,
         fid_len(8, "old name") + fid_len(8, "new") + fid_len(8, NULL));
    fid(&b, 10 /* OLD_DFID_NAME */, 4, H1, 8, "old name");
    fid(&b, 12 /* NEW_DFID_NAME */, 4, H2, 8, "new");
    fid(&b, FAN_EVENT_INFO_TYPE_FID, 4, H1, 8, NULL);
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(b.b, b.len, &off, &ev), DECODE_OK);
    assert_false(ev.bad_info);
    assert_int_equal(ev.skipped, 0);
    assert_true(ev.has_old && ev.has_new && ev.has_fid);
    assert_false(ev.has_dfid);
    assert_int_equal(ev.old_name_len, 8);
    assert_memory_equal(ev.old_name, "old name", 8);
    assert_int_equal(ev.new_name_len, 3);
    assert_memory_equal(ev.new_name, "new", 3);
    assert_memory_equal(ev.old_dfid.fh + 8, H1, 8);
    assert_memory_equal(ev.new_dfid.fh + 8, H2, 8);
    assert_int_equal(decode_types(ev.mask), 0); /* not an event type of its own */
    assert_true(decode_fid_hash(&ev.old_dfid) == decode_fid_hash(&ev.fid));
    assert_true(decode_fid_hash(&ev.old_dfid) != decode_fid_hash(&ev.new_dfid));
}

static void unaligned_buffer_decodes(void **state)
{
    (void)state;
    struct buf b = {.len = 0};
    meta(&b, FAN_CREATE, -1, 77, fid_len(8, "n"));
    fid(&b, FAN_EVENT_INFO_TYPE_DFID_NAME, 4, H1, 8, "n");
    unsigned char odd[sizeof b.b + 1];
    memcpy(odd + 1, b.b, b.len);
    size_t off = 0;
    struct decode_event ev;
    assert_int_equal(decode_next(odd + 1, b.len, &off, &ev), DECODE_OK);
    assert_int_equal(ev.pid, 77);
    assert_string_equal(ev.name, "n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fd_events_decode_in_order),
        cmocka_unit_test(fid_event_gives_dir_handle_name_and_object),
        cmocka_unit_test(self_event_with_only_object_handle),
        cmocka_unit_test(overflow_maps_to_overflow_type),
        cmocka_unit_test(every_type_maps_from_its_fanotify_bit),
        cmocka_unit_test(short_metadata_is_bad),
        cmocka_unit_test(event_len_past_buffer_is_bad),
        cmocka_unit_test(wrong_version_or_lengths_are_bad),
        cmocka_unit_test(overrunning_info_record_flags_event_and_goes_on),
        cmocka_unit_test(name_without_nul_is_rejected),
        cmocka_unit_test(handle_longer_than_record_is_rejected),
        cmocka_unit_test(unknown_info_types_are_skipped),
        cmocka_unit_test(unaligned_buffer_decodes),
        cmocka_unit_test(rename_gives_old_and_new_entry_and_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
