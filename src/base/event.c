#include "config.h"

#include "base/event.h"

#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <time.h>

const struct fa_type_info fa_types[FA_NTYPES] = {
    [FA_OPEN] = {"open", 'O', FAN_OPEN},
    [FA_ACCESS] = {"access", 'R', FAN_ACCESS},
    [FA_MODIFY] = {"modify", 'W', FAN_MODIFY},
    [FA_CLOSE_WRITE] = {"close_write", 'C', FAN_CLOSE_WRITE},
    [FA_CLOSE_NOWRITE] = {"close_nowrite", 'c', FAN_CLOSE_NOWRITE},
    [FA_OPEN_EXEC] = {"open_exec", 'X', FAN_OPEN_EXEC},
    [FA_ATTRIB] = {"attrib", 'A', FAN_ATTRIB},
    [FA_CREATE] = {"create", '+', FAN_CREATE},
    [FA_DELETE] = {"delete", 'D', FAN_DELETE},
    [FA_MOVED_FROM] = {"moved_from", '<', FAN_MOVED_FROM},
    [FA_MOVED_TO] = {"moved_to", '>', FAN_MOVED_TO},
    [FA_DELETE_SELF] = {"delete_self", 'd', FAN_DELETE_SELF},
    [FA_MOVE_SELF] = {"move_self", 'm', FAN_MOVE_SELF},
    [FA_OVERFLOW] = {"overflow", '!', FAN_Q_OVERFLOW},
};

static const struct {
    const char *name;
    uint32_t mask;
} type_groups[] = {
    {"all", FA_ALL_TYPES & ~FA_BIT(FA_OVERFLOW)},
    {"read", FA_BIT(FA_OPEN) | FA_BIT(FA_ACCESS) | FA_BIT(FA_CLOSE_NOWRITE) | FA_BIT(FA_OPEN_EXEC)},
    {"write", FA_BIT(FA_MODIFY) | FA_BIT(FA_CLOSE_WRITE) | FA_BIT(FA_CREATE) | FA_BIT(FA_DELETE) |
                  FA_BIT(FA_MOVED_FROM) | FA_BIT(FA_MOVED_TO) | FA_BIT(FA_ATTRIB)},
    {"dir", FA_BIT(FA_CREATE) | FA_BIT(FA_DELETE) | FA_BIT(FA_MOVED_FROM) | FA_BIT(FA_MOVED_TO) |
                FA_BIT(FA_DELETE_SELF) | FA_BIT(FA_MOVE_SELF)},
    {"close", FA_BIT(FA_CLOSE_WRITE) | FA_BIT(FA_CLOSE_NOWRITE)},
    {"move", FA_BIT(FA_MOVED_FROM) | FA_BIT(FA_MOVED_TO) | FA_BIT(FA_MOVE_SELF)},
    {"exec", FA_BIT(FA_OPEN_EXEC)},
};

int fa_type_by_name(const char *name, size_t len)
{
    for (int t = 0; t < FA_NTYPES; t++)
        if (strlen(fa_types[t].name) == len && memcmp(fa_types[t].name, name, len) == 0)
            return t;
    return -1;
}

static bool group_by_name(const char *name, size_t len, uint32_t *mask)
{
    for (size_t i = 0; i < sizeof type_groups / sizeof type_groups[0]; i++)
        if (strlen(type_groups[i].name) == len && memcmp(type_groups[i].name, name, len) == 0) {
            *mask = type_groups[i].mask;
            return true;
        }
    return false;
}

bool fa_types_parse(const char *list, uint32_t *mask, char *err, size_t errlen)
{
    uint32_t m = 0;
    const char *p = list;
    for (;;) {
        size_t len = strcspn(p, ",");
        uint32_t g;
        int t = fa_type_by_name(p, len);
        if (t >= 0)
            m |= FA_BIT(t);
        else if (group_by_name(p, len, &g))
            m |= g;
        else {
            snprintf(err, errlen,
                     "unknown event type '%.*s' (try: open, access, modify, close_write, "
                     "close_nowrite, open_exec, attrib, create, delete, moved_from, moved_to, "
                     "delete_self, move_self, or read, write, dir, close, move, exec, all)",
                     (int)len, p);
            return false;
        }
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    *mask = m;
    return true;
}

size_t fa_types_format(uint32_t mask, char sep, char *buf, size_t buflen)
{
    size_t n = 0;
    if (buflen == 0)
        return 0;
    buf[0] = '\0';
    for (int t = 0; t < FA_NTYPES; t++) {
        if (!(mask & FA_BIT(t)))
            continue;
        size_t len = strlen(fa_types[t].name);
        size_t need = len + (n ? 1 : 0);
        if (n + need + 1 > buflen)
            break;
        if (n)
            buf[n++] = sep;
        memcpy(buf + n, fa_types[t].name, len);
        n += len;
        buf[n] = '\0';
    }
    return n;
}

bool fa_types_scan(const char *s, size_t len, char sep, uint32_t *mask)
{
    uint32_t m = 0;
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && s[j] != sep)
            j++;
        int t = fa_type_by_name(s + i, j - i);
        if (t < 0)
            return false;
        m |= FA_BIT(t);
        i = j + 1;
    }
    *mask = m;
    return m != 0;
}

size_t fa_types_letters(uint32_t mask, char *buf, size_t buflen)
{
    size_t n = 0;
    for (int t = 0; t < FA_NTYPES && n + 1 < buflen; t++)
        if (mask & FA_BIT(t))
            buf[n++] = fa_types[t].letter;
    if (buflen)
        buf[n] = '\0';
    return n;
}


bool fa_unit_is_container(const char *unit)
{
    /* The kinds capture/cgroup.c names container ids with. */
    static const char *const kinds[] = {"docker:", "containerd:", "crio:",
                                        "podman:", "k8s:",        "lxc:"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strncmp(unit, kinds[i], strlen(kinds[i])) == 0)
            return true;
    return false;
}

const char *fa_proc_container(const struct fa_proc *p)
{
    if (p->container && *p->container)
        return p->container;
    return p->unit && fa_unit_is_container(p->unit) ? p->unit : "";
}
