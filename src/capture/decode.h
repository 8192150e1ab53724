/* Decoding of what read() returns from a fanotify group: event metadata and
 * its info records (file handles, names) into plain structs. Pure: no system
 * calls, no allocation, never reads outside the buffer it is given, so it can
 * be fuzzed and unit-tested on synthesized records. */
#ifndef FANOTOP_DECODE_H
#define FANOTOP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A file handle as the kernel reports it: the filesystem id and the bytes of
 * a struct file_handle (handle_bytes, handle_type, f_handle[]), unaligned. */
struct decode_fid {
    uint64_t fsid;           /* the 8 bytes of __kernel_fsid_t, as memcpy'd */
    const unsigned char *fh; /* struct file_handle bytes, FH_LEN long */
    size_t fh_len;           /* 8 + handle_bytes */
    uint32_t handle_bytes;
    int32_t handle_type;
};

struct decode_event {
    uint64_t mask;
    int32_t fd;    /* FAN_NOFD (-1) for FID groups and overflow */
    int32_t pid;   /* the tid with FAN_REPORT_TID */
    bool has_dfid; /* DFID_NAME or DFID record seen */
    bool has_fid;  /* FID record (the object itself) seen */
    struct decode_fid dfid, fid;
    const char *name; /* DFID_NAME entry name (NUL-terminated in the buffer), or NULL */
    size_t name_len;
    /* FAN_RENAME: where the entry was (OLD_DFID_NAME) and is (NEW_DFID_NAME) */
    bool has_old, has_new;
    struct decode_fid old_dfid, new_dfid;
    const char *old_name, *new_name; /* NUL-terminated in the buffer */
    size_t old_name_len, new_name_len;
    bool bad_info;    /* an info record was malformed: the event is kept, its records are not */
    unsigned skipped; /* info records of types we do not use (pidfd, error) */
};

enum decode_status {
    DECODE_END = 0,  /* nothing left */
    DECODE_OK = 1,   /* *EV filled, *OFF advanced past it */
    DECODE_BAD = -1, /* the metadata at *OFF is malformed: stop reading this buffer */
};

/* Decode the event at BUF[*OFF] (LEN bytes in all). On DECODE_OK advances
 * *OFF to the next event. Pointers in *EV point into BUF. */
enum decode_status decode_next(const void *buf, size_t len, size_t *off, struct decode_event *ev);

/* The event types (FA_BIT set) of a fanotify MASK; FAN_Q_OVERFLOW maps to
 * FA_OVERFLOW, bits with no event type are ignored. */
uint32_t decode_types(uint64_t mask);

/* Event flags (FA_EV_DIR) carried by a fanotify MASK. */
uint32_t decode_flags(uint64_t mask);

/* True when both handles name the same object (same fsid, type and bytes). */
bool decode_fid_equal(const struct decode_fid *a, const struct decode_fid *b);

/* A hash of what decode_fid_equal compares. */
uint64_t decode_fid_hash(const struct decode_fid *f);

#endif
