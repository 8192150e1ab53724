#include "config.h"

#include "capture/decode.h"

#include "base/event.h"
#include "base/hash.h"

#include <string.h>
#include <sys/fanotify.h>

/* Layouts as the kernel writes them (linux/fanotify.h). Fields are read with
 * memcpy: a fuzzer's buffer (or a record after a name) need not be aligned. */
#define META_LEN      24 /* struct fanotify_event_metadata */
#define INFO_HDR_LEN  4  /* struct fanotify_event_info_header */
#define FID_FIXED_LEN 12 /* info header + fsid */
#define FH_HDR_LEN    8  /* struct file_handle: handle_bytes, handle_type */
/* FAN_RENAME's records (Linux 5.17), spelt out for older headers. */
#define INFO_OLD_DFID_NAME 10
#define INFO_NEW_DFID_NAME 12

static uint32_t get32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint16_t get16(const unsigned char *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t get64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* One FID-carrying record of RLEN bytes at R; WITH_NAME for DFID_NAME. */
static bool decode_fid_record(const unsigned char *r, size_t rlen, bool with_name,
                              struct decode_fid *fid, const char **name, size_t *name_len)
{
    if (rlen < FID_FIXED_LEN + FH_HDR_LEN)
        return false;
    fid->fsid = get64(r + INFO_HDR_LEN);
    const unsigned char *fh = r + FID_FIXED_LEN;
    uint32_t hb = get32(fh);
    size_t room = rlen - FID_FIXED_LEN - FH_HDR_LEN;
    if (hb > room)
        return false;
    fid->fh = fh;
    fid->handle_bytes = hb;
    fid->fh_len = FH_HDR_LEN + (size_t)hb;
    memcpy(&fid->handle_type, fh + 4, sizeof fid->handle_type);
    if (!with_name)
        return true;
    /* The name follows the handle, NUL-terminated, padded to the record length. */
    const char *n = (const char *)fh + fid->fh_len;
    size_t left = room - hb;
    const char *nul = memchr(n, '\0', left);
    if (!nul)
        return false;
    *name = n;
    *name_len = (size_t)(nul - n);
    return true;
}

enum decode_status decode_next(const void *buf, size_t len, size_t *off, struct decode_event *ev)
{
    if (*off >= len)
        return DECODE_END;
    const unsigned char *p = (const unsigned char *)buf + *off;
    size_t left = len - *off;
    if (left < META_LEN)
        return DECODE_BAD;
    uint32_t event_len = get32(p);
    uint8_t vers = p[4];
    uint16_t metadata_len = get16(p + 6);
    if (vers != FANOTIFY_METADATA_VERSION || metadata_len < META_LEN || event_len < metadata_len ||
        event_len > left)
        return DECODE_BAD;

    memset(ev, 0, sizeof *ev);
    ev->mask = get64(p + 8);
    memcpy(&ev->fd, p + 16, sizeof ev->fd);
    memcpy(&ev->pid, p + 20, sizeof ev->pid);

    size_t i = metadata_len;
    while (i < event_len) {
        if (event_len - i < INFO_HDR_LEN) {
            ev->bad_info = true;
            break;
        }
        const unsigned char *r = p + i;
        uint8_t type = r[0];
        uint16_t rlen = get16(r + 2);
        if (rlen < INFO_HDR_LEN || rlen > event_len - i) {
            ev->bad_info = true;
            break;
        }
        bool ok = true;
        switch (type) {
        case FAN_EVENT_INFO_TYPE_FID:
            ok = decode_fid_record(r, rlen, false, &ev->fid, NULL, NULL);
            ev->has_fid = ok;
            break;
        case FAN_EVENT_INFO_TYPE_DFID_NAME:
            ok = decode_fid_record(r, rlen, true, &ev->dfid, &ev->name, &ev->name_len);
            ev->has_dfid = ok;
            if (!ok)
                ev->name = NULL, ev->name_len = 0;
            break;
        case FAN_EVENT_INFO_TYPE_DFID:
            ok = decode_fid_record(r, rlen, false, &ev->dfid, NULL, NULL);
            ev->has_dfid = ok;
            break;
        case INFO_OLD_DFID_NAME:
            ok = decode_fid_record(r, rlen, true, &ev->old_dfid, &ev->old_name, &ev->old_name_len);
            ev->has_old = ok;
            break;
        case INFO_NEW_DFID_NAME:
            ok = decode_fid_record(r, rlen, true, &ev->new_dfid, &ev->new_name, &ev->new_name_len);
            ev->has_new = ok;
            break;
        default:
            ev->skipped++;
            break;
        }
        if (!ok)
            ev->bad_info = true;
        i += rlen;
    }
    *off += event_len;
    return DECODE_OK;
}

uint32_t decode_types(uint64_t mask)
{
    uint32_t types = 0;
    for (int t = 0; t < FA_NTYPES; t++)
        if (mask & fa_types[t].fan_mask)
            types |= FA_BIT(t);
    return types;
}

uint32_t decode_flags(uint64_t mask)
{
    return (mask & FAN_ONDIR) ? FA_EV_DIR : 0;
}

bool decode_fid_equal(const struct decode_fid *a, const struct decode_fid *b)
{
    return a->fsid == b->fsid && a->fh_len == b->fh_len && a->handle_type == b->handle_type &&
           memcmp(a->fh + FH_HDR_LEN, b->fh + FH_HDR_LEN, a->handle_bytes) == 0;
}

uint64_t decode_fid_hash(const struct decode_fid *f)
{
    uint64_t h = HASH_FNV_INIT;
    const unsigned char *parts[3] = {(const unsigned char *)&f->fsid,
                                     (const unsigned char *)&f->handle_type, f->fh + FH_HDR_LEN};
    size_t lens[3] = {sizeof f->fsid, sizeof f->handle_type, f->handle_bytes};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < lens[k]; i++)
            h = hash_fnv_step(h, parts[k][i]);
    return h;
}
