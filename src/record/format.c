#include "config.h"

#include "record/format.h"
#include "base/iso8601.h"

#include <string.h>

/* NAME and its JSON key, spelled once. */
#define FIELD(name, kind)                                                                          \
    {                                                                                              \
        name, kind, ",\"" name "\":", sizeof ",\"" name "\":" - 1                                  \
    }

const struct record_field_def record_fields[RECORD_NFIELDS] = {
    [RECORD_TIME] = FIELD("time", RECORD_PLAIN),   /* ISO 8601 UTC with microseconds */
    [RECORD_PID] = FIELD("pid", RECORD_INT),       /* process id */
    [RECORD_TID] = FIELD("tid", RECORD_INT),       /* thread id */
    [RECORD_PPID] = FIELD("ppid", RECORD_INT),     /* parent process id */
    [RECORD_UID] = FIELD("uid", RECORD_INT),       /* effective uid */
    [RECORD_USER] = FIELD("user", RECORD_BYTES),   /* its name */
    [RECORD_COMM] = FIELD("comm", RECORD_BYTES),   /* the kernel's process name */
    [RECORD_EXE] = FIELD("exe", RECORD_BYTES),     /* the executable's path */
    [RECORD_UNIT] = FIELD("unit", RECORD_BYTES),   /* systemd unit or container, "" */
    [RECORD_EVENT] = FIELD("event", RECORD_PLAIN), /* type names joined by '|' */
    [RECORD_PATH] = FIELD("path", RECORD_BYTES),   /* the file, bytes as the kernel gave them */
    [RECORD_START] = FIELD("start", RECORD_PLAIN), /* when the process started, "" unknown */
    [RECORD_CONTAINER] = FIELD("container", RECORD_BYTES), /* container name, "" */
    [RECORD_CPATH] =
        FIELD("cpath", RECORD_BYTES), /* the path inside the container, "" when the same */
};

bool record_nfields_known(size_t n)
{
    /* The header's versions, oldest first: a new one when fields are added. */
    static const size_t versions[] = {RECORD_MIN_NFIELDS, RECORD_START + 1, RECORD_CPATH + 1};
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++)
        if (n == versions[i])
            return true;
    return false;
}

size_t record_header_len(size_t nfields)
{
    size_t len = 0;
    for (size_t f = 0; f < nfields && f < RECORD_NFIELDS; f++)
        len += strlen(record_fields[f].name) + (f > 0);
    return len;
}

bool export_format_parse(const char *s, enum export_format *out)
{
    if (strcmp(s, "csv") == 0)
        *out = EXPORT_CSV;
    else if (strcmp(s, "jsonl") == 0 || strcmp(s, "json") == 0)
        *out = EXPORT_JSONL;
    else
        return false;
    return true;
}

static void set_str(struct record_values *out, enum record_field f, const char *s, size_t len)
{
    out->v[f].s = s;
    out->v[f].len = len;
}

void record_values_of(const struct fa_event *ev, struct record_values *out)
{
    static const struct fa_proc none = {
        .user = "", .comm = "", .exe = "", .cmdline = "", .unit = ""};
    bool overflow = ev->types & FA_BIT(FA_OVERFLOW);
    const struct fa_proc *p = ev->proc && !overflow ? ev->proc : &none;
    set_str(out, RECORD_TIME, out->time, iso8601_format(ev->time_ns, out->time, sizeof out->time));
    out->v[RECORD_PID].num = p->pid;
    out->v[RECORD_TID].num = overflow ? 0 : ev->tid;
    out->v[RECORD_PPID].num = p->ppid;
    out->v[RECORD_UID].num = p->uid;
    set_str(out, RECORD_USER, p->user, strlen(p->user));
    set_str(out, RECORD_COMM, p->comm, strlen(p->comm));
    set_str(out, RECORD_EXE, p->exe, strlen(p->exe));
    set_str(out, RECORD_UNIT, p->unit, strlen(p->unit));
    uint32_t types = overflow ? FA_BIT(FA_OVERFLOW) : ev->types;
    set_str(out, RECORD_EVENT, out->types,
            fa_types_format(types, '|', out->types, sizeof out->types));
    set_str(out, RECORD_PATH, overflow ? "" : ev->path, overflow ? 0 : ev->path_len);
    set_str(out, RECORD_START, out->start,
            p->start_ns ? iso8601_format(p->start_ns, out->start, sizeof out->start) : 0);
    const char *container = fa_proc_container(p);
    set_str(out, RECORD_CONTAINER, container, strlen(container));
    bool cpath = !overflow && ev->cpath && ev->cpath_len;
    set_str(out, RECORD_CPATH, cpath ? ev->cpath : "", cpath ? ev->cpath_len : 0);
}
