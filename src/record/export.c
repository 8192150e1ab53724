#include "config.h"

#include "record/export.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/hashmap.h"
#include "base/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

static const char hexdigits[] = "0123456789abcdef";

/* ---- CSV ---- */

static bool csv_formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

static void csv_field(struct buf *b, const char *s, size_t len, unsigned flags)
{
    bool quote = false, plain = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
            quote = true;
            plain = plain && c != '"';
        } else if ((flags & CSV_ESCAPE_UTF8) && (c == '\\' || c >= 0x80)) {
            plain = false;
        }
    }
    bool defuse = (flags & CSV_DEFUSE) && len > 0 && csv_formula_start(s[0]);
    if (quote)
        buf_putc(b, '"');
    if (defuse)
        buf_putc(b, '\'');
    if (plain) {
        buf_put(b, s, len);
    } else {
        for (size_t i = 0; i < len;) {
            unsigned char c = (unsigned char)s[i];
            if (c == '"') {
                buf_put(b, "\"\"", 2);
                i++;
            } else if (!(flags & CSV_ESCAPE_UTF8) || (c < 0x80 && c != '\\')) {
                buf_putc(b, (char)c);
                i++;
            } else if (c == '\\') {
                buf_put(b, "\\\\", 2);
                i++;
            } else {
                size_t n = utf8_len((const unsigned char *)s + i, len - i);
                if (n) {
                    buf_put(b, s + i, n);
                    i += n;
                } else {
                    char esc[4] = {'\\', 'x', hexdigits[c >> 4], hexdigits[c & 15]};
                    buf_put(b, esc, 4);
                    i++;
                }
            }
        }
    }
    if (quote)
        buf_putc(b, '"');
}

int csv_write_field(FILE *out, const char *s, size_t len, unsigned flags)
{
    bool plain = !((flags & CSV_DEFUSE) && len > 0 && csv_formula_start(s[0]));
    for (size_t i = 0; i < len && plain; i++) {
        unsigned char c = (unsigned char)s[i];
        plain = c != ',' && c != '"' && c != '\r' && c != '\n' &&
                !((flags & CSV_ESCAPE_UTF8) && (c == '\\' || c >= 0x80));
    }
    if (plain) /* most fields: no buffer needed */
        return len == 0 || fwrite(s, 1, len, out) == len ? 0 : -1;
    struct buf b = {0};
    csv_field(&b, s, len, flags);
    int rc = 0;
    if (b.oom) {
        errno = ENOMEM;
        rc = -1;
    } else if (b.len && fwrite(b.p, 1, b.len, out) != b.len) {
        rc = -1;
    }
    free(b.p);
    return rc;
}

/* ---- JSON ---- */

/* A JSON string per RFC 8259. JSON text must be UTF-8, but names are bytes:
 * each byte that is not part of valid UTF-8 becomes the escape of the lone
 * surrogate U+DC00+byte ("\udc80".."\udcff"), as Python's surrogateescape
 * error handler does. Valid UTF-8 never encodes a surrogate, so the mapping
 * is reversible: replay turns the escape back into the byte, and so does
 * json.loads(...) followed by .encode("utf-8", "surrogateescape"). */
static void json_string(struct buf *b, const char *s, size_t len)
{
    buf_putc(b, '"');
    size_t run = 0; /* start of the bytes copied as they are */
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        size_t n = c >= 0x80 ? utf8_len((const unsigned char *)s + i, len - i) : 0;
        if (n) {
            i += n;
            continue;
        }
        buf_put(b, s + run, i - run);
        char esc[6] = {'\\', 0};
        size_t en = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default: /* other controls as \u00XX, invalid bytes as \udcXX */
            memcpy(esc + 1, c < 0x80 ? "u00" : "udc", 3);
            esc[4] = hexdigits[c >> 4];
            esc[5] = hexdigits[c & 15];
            en = 6;
        }
        buf_put(b, esc, en);
        run = ++i;
    }
    buf_put(b, s + run, len - run);
    buf_putc(b, '"');
}

/* ---- record lines ---- */

/* Civil date of a day count since 1970-01-01 (proleptic Gregorian; the
 * inverse of the replay parser's days_from_civil). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

size_t export_time_iso(int64_t time_ns, char *buf, size_t len)
{
    /* Floor division, so times before 1970 still count forward within a second. */
    int64_t secs = time_ns / 1000000000, rem = time_ns % 1000000000;
    if (rem < 0) {
        rem += 1000000000;
        secs--;
    }
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days--;
    }
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int n = snprintf(buf, len, "%04lld-%02d-%02dT%02d:%02d:%02d.%06dZ", (long long)y, m, d,
                     (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), (int)(rem / 1000));
    return n < 0 ? 0 : (size_t)n;
}

/* One record line: EV's time, tid, types and path with P's identity; a
 * process line when TYPES is 0 (no event type, no path). */
static void record_format(struct buf *b, const struct fa_event *ev, enum export_format fmt)
{
    static const struct fa_proc none = {
        .user = "", .comm = "", .exe = "", .cmdline = "", .unit = ""};
    /* An overflow marker belongs to no process and no path. */
    bool overflow = ev->types & FA_BIT(FA_OVERFLOW);
    const struct fa_proc *p = ev->proc && !overflow ? ev->proc : &none;
    int32_t tid = overflow ? 0 : ev->tid;
    const char *path = overflow ? "" : ev->path;
    size_t path_len = overflow ? 0 : ev->path_len;
    char tbuf[40], types[160], sbuf[40];
    size_t tlen = export_time_iso(ev->time_ns, tbuf, sizeof tbuf);
    size_t ylen =
        fa_types_format(overflow ? FA_BIT(FA_OVERFLOW) : ev->types, '|', types, sizeof types);
    size_t slen = p->start_ns ? export_time_iso(p->start_ns, sbuf, sizeof sbuf) : 0;
    const char *str[4] = {p->user, p->comm, p->exe, p->unit};

    if (fmt == EXPORT_CSV) {
        buf_put(b, tbuf, tlen);
        int64_t nums[4] = {p->pid, tid, p->ppid, p->uid};
        for (int i = 0; i < 4; i++) {
            buf_putc(b, ',');
            buf_put_int(b, nums[i]);
        }
        for (int i = 0; i < 4; i++) {
            buf_putc(b, ',');
            csv_field(b, str[i], strlen(str[i]), 0);
        }
        buf_putc(b, ',');
        buf_put(b, types, ylen);
        buf_putc(b, ',');
        csv_field(b, path, path_len, 0);
        buf_putc(b, ',');
        buf_put(b, sbuf, slen);
        buf_putc(b, '\n');
        return;
    }
    static const char *const num_keys[4] = {",\"pid\":", ",\"tid\":", ",\"ppid\":", ",\"uid\":"};
    static const char *const str_keys[4] = {",\"user\":", ",\"comm\":", ",\"exe\":", ",\"unit\":"};
    int64_t nums[4] = {p->pid, tid, p->ppid, p->uid};
    buf_put(b, "{\"time\":\"", 9);
    buf_put(b, tbuf, tlen);
    buf_putc(b, '"');
    for (int i = 0; i < 4; i++) {
        buf_put(b, num_keys[i], strlen(num_keys[i]));
        buf_put_int(b, nums[i]);
    }
    for (int i = 0; i < 4; i++) {
        buf_put(b, str_keys[i], strlen(str_keys[i]));
        json_string(b, str[i], strlen(str[i]));
    }
    buf_put(b, ",\"event\":\"", 10);
    buf_put(b, types, ylen);
    buf_put(b, "\",\"path\":", 9);
    json_string(b, path, path_len);
    buf_put(b, ",\"start\":\"", 10);
    buf_put(b, sbuf, slen);
    buf_put(b, "\"}\n", 3);
}

/* P's process line at TIME_NS. */
static void process_format(struct buf *b, const struct fa_proc *p, int64_t time_ns,
                           enum export_format fmt)
{
    struct fa_event ev = {.time_ns = time_ns, .tid = p->pid, .proc = p, .path = "", .path_len = 0};
    record_format(b, &ev, fmt);
}

static char *finish_line(struct buf *b, size_t *len)
{
    buf_putc(b, '\0');
    if (b->oom) {
        free(b->p);
        return NULL;
    }
    if (len)
        *len = b->len - 1;
    return b->p;
}

char *export_process_line(const struct fa_proc *p, int64_t time_ns, enum export_format fmt,
                          size_t *len)
{
    struct buf b = {0};
    process_format(&b, p, time_ns, fmt);
    return finish_line(&b, len);
}

char *export_record_line(const struct fa_event *ev, enum export_format fmt, size_t *len)
{
    struct buf b = {0};
    record_format(&b, ev, fmt);
    return finish_line(&b, len);
}

/* Ancestors named at most this deep above a process (the proctab's parent
 * links never loop, but a replayed file may chain thousands). */
#define ANCESTORS_MAX 64

struct recwriter {
    FILE *out;
    enum export_format fmt;
    struct buf line;            /* reused: no allocation per event once grown */
    struct u64map named;        /* identities some line has named */
    const struct fa_proc *last; /* the last one named (most events follow it) */
};

struct recwriter *recwriter_create(FILE *out, enum export_format fmt)
{
    struct recwriter *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->out = out;
    w->fmt = fmt;
    if (fmt == EXPORT_CSV)
        fputs(EXPORT_RECORD_HEADER "\n", out); /* an error shows at the next write or finish */
    return w;
}

/* Mark P named; true when it was not yet. */
static bool name_once(struct recwriter *w, const struct fa_proc *p)
{
    bool added;
    if (p == w->last)
        return false;
    w->last = p;
    return u64map_slot(&w->named, (uintptr_t)p, 0, &added) && added;
}

/* Process lines for the ancestors of P no line has named, oldest first. */
static void name_ancestors(struct recwriter *w, const struct fa_proc *p, int64_t time_ns)
{
    const struct fa_proc *chain[ANCESTORS_MAX];
    size_t n = 0;
    for (const struct fa_proc *a = p->parent; a && n < ANCESTORS_MAX; a = a->parent) {
        bool added;
        uint64_t *slot = u64map_slot(&w->named, (uintptr_t)a, 0, &added);
        if (!slot || !added)
            break;
        chain[n++] = a;
    }
    while (n-- > 0)
        process_format(&w->line, chain[n], time_ns, w->fmt);
}

int recwriter_write(struct recwriter *w, const struct fa_event *ev)
{
    w->line.len = 0;
    if (ev->proc && !(ev->types & FA_BIT(FA_OVERFLOW)) && name_once(w, ev->proc))
        name_ancestors(w, ev->proc, ev->time_ns);
    record_format(&w->line, ev, w->fmt);
    if (w->line.oom) {
        errno = ENOMEM;
        return -1;
    }
    if (fwrite(w->line.p, 1, w->line.len, w->out) != w->line.len)
        return -1;
    return 0;
}

int recwriter_finish(struct recwriter *w)
{
    int rc = fflush(w->out) == 0 && !ferror(w->out) ? 0 : -1;
    if (rc < 0 && errno == 0)
        errno = EIO;
    free(w->line.p);
    u64map_free(&w->named);
    free(w);
    return rc;
}

/* ---- atomic files ---- */

static void write_error(char *err, size_t errlen, const char *path, int e)
{
    snprintf(err, errlen, "cannot write %s: %s", path, strerror(e));
}

/* Started through sudo: hand the file to the user who ran sudo, who would
 * otherwise find a root-owned file in their directory. Best effort. */
static void chown_to_sudo_user(int fd)
{
    const char *u = getenv("SUDO_UID"), *g = getenv("SUDO_GID");
    if (geteuid() != 0 || !u || !*u)
        return;
    char *end;
    errno = 0;
    unsigned long uid = strtoul(u, &end, 10);
    if (errno || *end || uid >= (uid_t)-1)
        return;
    unsigned long gid = (unsigned long)(gid_t)-1;
    if (g && *g) {
        errno = 0;
        unsigned long v = strtoul(g, &end, 10);
        if (!errno && !*end && v < (gid_t)-1)
            gid = v;
    }
    if (fchown(fd, (uid_t)uid, (gid_t)gid) != 0) {
        /* Keep the file root's: still written, just not handed over. */
    }
}

FILE *export_open_stream(const char *path, char *err, size_t errlen)
{
    bool created = true;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) {
        created = false;
        fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    }
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        write_error(err, errlen, path, errno);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (created) {
        if (fchmod(fd, 0600) != 0) {
            /* the umask can only have taken bits away from 0600 */
        }
        chown_to_sudo_user(fd);
    }
    return fp;
}

int atomic_file_open(struct atomic_file *af, const char *path, mode_t mode, char *err,
                     size_t errlen)
{
    memset(af, 0, sizeof *af);
    size_t n = strlen(path);
    af->path = strdup(path);
    af->tmp_path = malloc(n + 8);
    if (!af->path || !af->tmp_path) {
        write_error(err, errlen, path, ENOMEM);
        goto fail;
    }
    memcpy(af->tmp_path, path, n);
    memcpy(af->tmp_path + n, ".XXXXXX", 8);
    int fd = mkostemp(af->tmp_path, O_CLOEXEC);
    if (fd < 0) {
        write_error(err, errlen, path, errno);
        goto fail;
    }
    if (fchmod(fd, mode) != 0 || !(af->fp = fdopen(fd, "w"))) {
        int e = errno;
        close(fd);
        unlink(af->tmp_path);
        write_error(err, errlen, path, e);
        goto fail;
    }
    chown_to_sudo_user(fd);
    return 0;
fail:
    free(af->path);
    free(af->tmp_path);
    af->path = af->tmp_path = NULL;
    return -1;
}

static void atomic_file_free(struct atomic_file *af)
{
    free(af->path);
    free(af->tmp_path);
    af->path = af->tmp_path = NULL;
    af->fp = NULL;
}

/* Make the rename itself durable. A failure here is not reported: the data
 * is synced and a lost rename leaves the old file, never a partial one. */
static void sync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int atomic_file_commit(struct atomic_file *af, char *err, size_t errlen)
{
    int e = 0;
    errno = 0;
    if (fflush(af->fp) != 0 || ferror(af->fp))
        e = errno ? errno : EIO;
    else if (fsync(fileno(af->fp)) != 0)
        e = errno;
    if (fclose(af->fp) != 0 && !e)
        e = errno;
    af->fp = NULL;
    if (!e && rename(af->tmp_path, af->path) != 0)
        e = errno;
    if (e) {
        unlink(af->tmp_path);
        write_error(err, errlen, af->path, e);
        atomic_file_free(af);
        return -1;
    }
    sync_dir_of(af->path);
    atomic_file_free(af);
    return 0;
}

void atomic_file_abort(struct atomic_file *af)
{
    if (af->fp)
        fclose(af->fp);
    if (af->tmp_path)
        unlink(af->tmp_path);
    atomic_file_free(af);
}

void atomic_file_fail(struct atomic_file *af, int e, char *err, size_t errlen)
{
    write_error(err, errlen, af->path ? af->path : "?", e ? e : EIO);
    atomic_file_abort(af);
}

void export_default_name(const char *view_name, const char *ext, char *buf, size_t len)
{
    time_t now = time(NULL);
    struct tm tm;
    char stamp[32] = "00000000-000000";
    if (localtime_r(&now, &tm))
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(buf, len, "fanotop-%s-%s.%s", view_name, stamp, ext);
}
