/* The event record and the event-type table: the one place that says what an
 * event is. Every other module takes names, letters and masks from here. */
#ifndef FANOTOP_EVENT_H
#define FANOTOP_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum fa_type {
    FA_OPEN,
    FA_ACCESS,
    FA_MODIFY,
    FA_CLOSE_WRITE,
    FA_CLOSE_NOWRITE,
    FA_OPEN_EXEC,
    FA_ATTRIB,
    FA_CREATE,
    FA_DELETE,
    FA_MOVED_FROM,
    FA_MOVED_TO,
    FA_DELETE_SELF,
    FA_MOVE_SELF,
    FA_OVERFLOW,
    FA_NTYPES
};

#define FA_BIT(t) (UINT32_C(1) << (t))
#define FA_ALL_TYPES ((UINT32_C(1) << FA_NTYPES) - 1)
/* Types the kernel reports with an open fd (no FID mode needed). */
#define FA_FD_TYPES                                                                                \
    (FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS) | FA_BIT(FA_MODIFY) | FA_BIT(FA_CLOSE_WRITE) |            \
     FA_BIT(FA_CLOSE_NOWRITE) | FA_BIT(FA_OPEN_EXEC))
/* Directory-entry and inode types: only reported in FID mode. */
#define FA_FID_TYPES                                                                               \
    (FA_BIT(FA_ATTRIB) | FA_BIT(FA_CREATE) | FA_BIT(FA_DELETE) | FA_BIT(FA_MOVED_FROM) |           \
     FA_BIT(FA_MOVED_TO) | FA_BIT(FA_DELETE_SELF) | FA_BIT(FA_MOVE_SELF))

struct fa_type_info {
    const char *name; /* fanotify name without FAN_, lower case */
    char letter;      /* one-letter code for compact columns */
    uint64_t fan_mask; /* the FAN_* bit */
};

extern const struct fa_type_info fa_types[FA_NTYPES];

/* Event flags: what is known about the path. */
enum {
    FA_EV_DELETED = 1u << 0,    /* the file was already unlinked when seen */
    FA_EV_UNRESOLVED = 1u << 1, /* the path could not be resolved; path holds what is known */
    FA_EV_DIR = 1u << 2,        /* the object is a directory */
    FA_EV_UNCERTAIN = 1u << 3,  /* the path is the file's later name: where it was at the
                                   event is not known for certain (shown after a "?") */
    FA_EV_UNDER_PATH = 1u << 4, /* not named, but known to lie under a watched PATH */
};

/* A process identity as the capture side last saw it. Strings are owned by
 * whoever holds the struct (see proctab.h); all are NUL-terminated, never NULL. */
struct fa_proc {
    uint32_t id; /* identity number, unique per (pid, exec) within one stream */
    int32_t pid;
    int32_t ppid;
    uint32_t uid;
    const char *user;
    const char *comm;
    const char *exe;
    const char *cmdline; /* arguments joined by spaces */
    const char *unit;    /* systemd unit or container id, "" when none */
    int64_t start_ns;    /* when the process started, wall clock ns; 0 = unknown */
    /* An identity of the process that forked this one, or NULL when not
     * known: set by the proctab that holds both (proctab.h), never by a source. */
    const struct fa_proc *parent;
    const char *container; /* container name ("docker:web-1"), "" when none; may be NULL */
};

/* One event as consumers see it. The path is bytes (not necessarily UTF-8),
 * path_len long and also NUL-terminated. */
struct fa_event {
    int64_t time_ns; /* wall clock, ns since the epoch */
    int32_t tid;
    uint32_t types; /* FA_BIT() set: the kernel may merge several types */
    uint32_t flags; /* FA_EV_* */
    const struct fa_proc *proc;
    const char *path;
    size_t path_len;
    const char *cpath; /* the path as the process saw it (another mount namespace or root) */
    size_t cpath_len;  /* 0: the same as path, or not known */
};

/* Is UNIT a container's id ("docker:9fed73027329", "k8s:...", "lxc:NAME")
 * rather than a systemd unit? */
bool fa_unit_is_container(const char *unit);

/* P's container name; its id (the unit) when no name came with it, as in
 * recordings from before names; "" outside containers. Never NULL. */
const char *fa_proc_container(const struct fa_proc *p);

/* Index of the type called NAME, or -1. */
int fa_type_by_name(const char *name, size_t len);

/* Parse a comma-separated list of type names and groups (read, write, dir,
 * close, move, all) into a FA_BIT mask. On error returns false and writes a
 * one-line message into err. */
bool fa_types_parse(const char *list, uint32_t *mask, char *err, size_t errlen);

/* Write the type names of MASK joined by SEP into buf (always NUL-terminated);
 * returns the length written. */
size_t fa_types_format(uint32_t mask, char sep, char *buf, size_t buflen);

/* Parse names joined by SEP (as fa_types_format writes them) back into a mask;
 * false if a name is unknown. */
bool fa_types_scan(const char *s, size_t len, char sep, uint32_t *mask);

/* Compact letters of MASK in table order, e.g. "OR" for open|access. */
size_t fa_types_letters(uint32_t mask, char *buf, size_t buflen);


#endif
