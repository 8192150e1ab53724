/* The filter language and its PCRE2 matching. Parsing happens once per
 * filter text; matching is the hot path (a view re-filters every row when the
 * filter changes), so it allocates nothing and runs JIT code when it can. */
#include "config.h"

#include "model/filter.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A runaway pattern (nested quantifiers on a long path) must cost
 * milliseconds per row, not seconds; real filters stay far below this. */
#define FILTER_MATCH_LIMIT 1000000
/* PCRE2's default JIT stack (32 KiB on the machine stack) runs out on
 * backtracking over long paths; this one is reserved, committed as used. */
#define FILTER_JIT_STACK_MAX (1024 * 1024)

enum filter_field {
    FIELD_PID, /* first: ordering by cost relies on this enum order */
    FIELD_COMM,
    FIELD_USER,
    FIELD_UNIT,
    FIELD_CONTAINER, /* the container's name, or the unit (its id) */
    FIELD_EXE,
    FIELD_PATH,
    FIELD_CMD,
    FIELD_TYPE,
};

static const struct {
    const char *name;
    enum filter_field field;
} filter_fields[] = {
    {"path", FIELD_PATH},
    {"comm", FIELD_COMM},
    {"exe", FIELD_EXE},
    {"cmd", FIELD_CMD},
    {"user", FIELD_USER},
    {"unit", FIELD_UNIT},
    {"container", FIELD_CONTAINER},
    {"type", FIELD_TYPE},
    {"pid", FIELD_PID},
};

struct term {
    pcre2_code *re; /* NULL for pid terms */
    enum filter_field field;
    bool negate;
    bool jit;
    int32_t pid_lo, pid_hi;
    unsigned cost; /* lower runs first */
};

struct filter {
    char *text;
    struct term *terms; /* subject terms (not type:), cheapest first */
    size_t nterms;
    size_t ntype_terms; /* type: terms only leave their mark in type_mask */
    uint32_t type_mask;
    bool path_only;
    bool jit; /* every regex runs JIT code */
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit_stack;
};

/* Compile-time state: the text, one reusable buffer for the unescaped term and
 * the source offset of each of its bytes, so errors point into EXPR. */
struct parser {
    const char *text;
    size_t len;
    bool caseless_all;
    char *buf;
    size_t *map; /* map[i]: offset in text of buf[i]; map[n]: just past the term */
    char *lit;   /* scratch for smart case */
    struct filter_error *err;
    pcre2_code *upper; /* matches an upper-case letter, compiled on first need */
    uint32_t pos_types;
    uint32_t neg_types;
    bool any_pos_types;
};

static bool parse_fail(struct parser *p, size_t offset, const char *fmt, ...)
{
    if (p->err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
        va_end(ap);
        p->err->offset = offset;
    }
    return false;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Skip the text of a name or argument up to and including CLOSE. */
static size_t skip_to(const char *s, size_t n, size_t i, char close)
{
    while (i < n && s[i] != close)
        i++;
    return i < n ? i + 1 : n;
}

/* Copy the characters of regex RE that stand for themselves into OUT, so that
 * smart case ignores escapes (\S, \W, \p{Lu}), group names and verbs. */
static size_t smartcase_literals(const char *re, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        char c = re[i];
        if (c == '\\' && i + 1 < n) {
            char d = re[i + 1];
            if (d == 'Q') { /* \Q...\E quotes literal text */
                for (i += 2; i < n && !(re[i] == '\\' && i + 1 < n && re[i + 1] == 'E'); i++)
                    out[k++] = re[i];
                i += 2;
            } else if (strchr("pPxoNgku", d) && i + 2 < n &&
                       (re[i + 2] == '{' || re[i + 2] == '<' || re[i + 2] == '\'')) {
                char close = re[i + 2] == '{' ? '}' : re[i + 2] == '<' ? '>' : '\'';
                i = skip_to(re, n, i + 3, close);
            } else if ((d == 'p' || d == 'P' || d == 'c') && i + 2 < n) {
                i += 3; /* \pL, \cX */
            } else {
                i += 2;
            }
        } else if (c == '(' && i + 1 < n && re[i + 1] == '*') {
            i = skip_to(re, n, i + 2, ')'); /* (*UTF), (*MARK:Name) */
        } else if (c == '(' && i + 2 < n && re[i + 1] == '?') {
            char d = re[i + 2];
            if (d == '<' && i + 3 < n && re[i + 3] != '=' && re[i + 3] != '!')
                i = skip_to(re, n, i + 3, '>');
            else if (d == '\'')
                i = skip_to(re, n, i + 3, '\'');
            else if (d == 'P' || d == '&' || d == 'C' || d == '(')
                i = skip_to(re, n, i + 3, d == 'P' && i + 3 < n && re[i + 3] == '<' ? '>' : ')');
            else
                i += 2;
        } else {
            out[k++] = c;
            i++;
        }
    }
    return k;
}

/* Whether LIT holds an upper-case letter. ASCII is checked by hand; other
 * scripts through PCRE2's Unicode tables, which the library already carries. */
static bool has_upper(struct parser *p, const char *lit, size_t n)
{
    bool ascii = true;
    for (size_t i = 0; i < n; i++) {
        if (lit[i] >= 'A' && lit[i] <= 'Z')
            return true;
        if ((unsigned char)lit[i] >= 0x80)
            ascii = false;
    }
    if (ascii)
        return false;
    if (!p->upper) {
        int code;
        PCRE2_SIZE off;
        p->upper = pcre2_compile((PCRE2_SPTR) "[\\p{Lu}\\p{Lt}]", PCRE2_ZERO_TERMINATED,
                                 PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
        if (!p->upper)
            return false;
    }
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    bool found = md && pcre2_match(p->upper, (PCRE2_SPTR)lit, n, 0, 0, md, NULL) >= 0;
    pcre2_match_data_free(md);
    return found;
}

/* Compile the regex buf[from, to) of the current term. */
static pcre2_code *compile_regex(struct parser *p, size_t from, size_t to)
{
    const char *re = p->buf + from;
    size_t n = to - from;
    uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_NEVER_BACKSLASH_C;
    if (p->caseless_all || !has_upper(p, p->lit, smartcase_literals(re, n, p->lit)))
        opts |= PCRE2_CASELESS;
    int code;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, n, opts, &code, &off, NULL);
    if (!c) {
        char msg[sizeof p->err->message];
        if (pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof msg) < 0)
            snprintf(msg, sizeof msg, "PCRE2 error %d", code);
        parse_fail(p, p->map[from + (off < n ? off : n)], "%s", msg);
    }
    return c;
}

static bool parse_int32(const char *s, size_t n, int32_t *out)
{
    if (n == 0 || n > 10)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v > INT32_MAX)
        return false;
    *out = (int32_t)v;
    return true;
}

/* pid:N or pid:A-B in buf[from, to). */
static bool parse_pid(struct parser *p, size_t from, size_t to, struct term *t)
{
    const char *s = p->buf + from;
    size_t n = to - from;
    const char *dash = memchr(s, '-', n);
    size_t a = dash ? (size_t)(dash - s) : n;
    if (!parse_int32(s, a, &t->pid_lo))
        return parse_fail(p, p->map[from], "pid: takes a number or a range A-B");
    t->pid_hi = t->pid_lo;
    if (dash && !parse_int32(dash + 1, n - a - 1, &t->pid_hi))
        return parse_fail(p, p->map[from + a + 1], "pid: takes a number or a range A-B");
    if (t->pid_hi < t->pid_lo)
        return parse_fail(p, p->map[from], "pid range A-B needs A <= B");
    return true;
}

/* Add the types SET of a type: term to what the filter counts. */
static void add_types(struct parser *p, uint32_t set, bool negate)
{
    if (negate) {
        p->neg_types |= set;
    } else {
        p->pos_types = p->any_pos_types ? p->pos_types & set : set;
        p->any_pos_types = true;
    }
}

/* type:/RE/ selects the type names RE (buf[from, to)) matches; the regex is
 * not kept. */
static bool parse_type_regex(struct parser *p, size_t from, size_t to, uint32_t *set)
{
    if (from == to)
        return parse_fail(p, p->map[from], "empty regex in type:/RE/");
    pcre2_code *re = compile_regex(p, from, to);
    if (!re)
        return false;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    if (!md) {
        pcre2_code_free(re);
        return parse_fail(p, 0, "out of memory");
    }
    *set = 0;
    for (int t = 0; t < FA_NTYPES; t++)
        if (pcre2_match(re, (PCRE2_SPTR)fa_types[t].name, strlen(fa_types[t].name), 0, 0, md,
                        NULL) >= 0)
            *set |= FA_BIT(t);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    if (!*set) {
        /* A typo would silently empty the table: say which names exist. */
        char names[200];
        fa_types_format(FA_ALL_TYPES, ',', names, sizeof names);
        return parse_fail(p, p->map[from], "type:/RE/ matches no event type (%s)", names);
    }
    return true;
}

/* type:LIST: the names and groups --events takes, separated by ',' or '|',
 * in any case. */
static bool parse_type_names(struct parser *p, size_t from, size_t to, uint32_t *set)
{
    *set = 0;
    for (size_t i = from; i <= to;) {
        size_t j = i;
        char name[32];
        while (j < to && p->buf[j] != ',' && p->buf[j] != '|')
            j++;
        uint32_t m = 0;
        char ignored[8];
        bool ok = j > i && j - i < sizeof name;
        for (size_t k = 0; ok && k < j - i; k++) {
            char c = p->buf[i + k];
            name[k] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
            ok = c != '\0';
        }
        if (ok) {
            name[j - i] = '\0';
            ok = fa_types_parse(name, &m, ignored, sizeof ignored);
        }
        if (!ok) {
            char names[200];
            fa_types_format(FA_ALL_TYPES, ',', names, sizeof names);
            return parse_fail(p, p->map[i < to ? i : to],
                              "unknown event type '%.*s' (%s; groups read,write,dir,close,move,"
                              "exec,all; a regex: type:/RE/)",
                              (int)(j - i), p->buf + i, names);
        }
        *set |= m;
        i = j + 1;
    }
    return true;
}

/* type:LIST or type:/RE/ selects a set of event types. */
static bool parse_type(struct parser *p, size_t from, size_t to, bool negate)
{
    uint32_t set;
    bool regex = to - from >= 2 && p->buf[from] == '/' && p->buf[to - 1] == '/';
    if (!(regex ? parse_type_regex(p, from + 1, to - 1, &set)
                : parse_type_names(p, from, to, &set)))
        return false;
    add_types(p, set, negate);
    return true;
}

/* Rough cost of a term so that cheap and selective ones run first: pid is an
 * integer compare, comm/user/unit are short strings, cmd can be long; an
 * anchored regex or one with a required literal rejects quickly. */
static unsigned term_cost(const struct term *t)
{
    unsigned cost = (unsigned)t->field * 4;
    if (!t->re)
        return cost;
    uint32_t opts = 0, first = 0, last = 0;
    pcre2_pattern_info(t->re, PCRE2_INFO_ALLOPTIONS, &opts);
    pcre2_pattern_info(t->re, PCRE2_INFO_FIRSTCODETYPE, &first);
    pcre2_pattern_info(t->re, PCRE2_INFO_LASTCODETYPE, &last);
    if (!(opts & PCRE2_ANCHORED))
        cost += 2;
    if (first == 0 && last == 0)
        cost += 1;
    return cost;
}

static bool add_term(struct parser *p, struct filter *f, const struct term *t)
{
    struct term *terms = realloc(f->terms, (f->nterms + 1) * sizeof *terms);
    if (!terms)
        return parse_fail(p, 0, "out of memory");
    f->terms = terms;
    /* Insert by cost, after equal costs: the user's order breaks ties. */
    size_t i = f->nterms;
    while (i > 0 && terms[i - 1].cost > t->cost) {
        terms[i] = terms[i - 1];
        i--;
    }
    terms[i] = *t;
    f->nterms++;
    return true;
}

/* Unescape the term starting at *pos into p->buf/p->map; returns its length
 * or -1 on an unterminated quote. Quotes group spaces; inside them \" is a
 * quote. Other backslashes stay for PCRE2, and outside quotes one also keeps
 * the next character from being a separator or a quote. */
static long scan_term(struct parser *p, size_t *pos)
{
    const char *s = p->text;
    size_t i = *pos, n = 0, quote = 0, end = i;
    bool quoted = false;
    while (i < p->len && (quoted || !is_space(s[i]))) {
        if (s[i] == '"') {
            quoted = !quoted;
            quote = i++;
            continue;
        }
        if (s[i] == '\\' && i + 1 < p->len) {
            if (quoted && s[i + 1] == '"') {
                p->map[n] = i;
                p->buf[n++] = '"';
            } else {
                p->map[n] = i;
                p->buf[n++] = '\\';
                p->map[n] = i + 1;
                p->buf[n++] = s[i + 1];
            }
            i += 2;
            end = i;
            continue;
        }
        p->map[n] = i;
        p->buf[n++] = s[i++];
        end = i;
    }
    *pos = i;
    if (quoted) {
        parse_fail(p, quote, "unterminated quote");
        return -1;
    }
    p->map[n] = n ? end : i;
    return (long)n;
}

static bool parse_term(struct parser *p, struct filter *f, size_t *pos)
{
    size_t start = *pos;
    long len = scan_term(p, pos);
    if (len < 0)
        return false;
    size_t n = (size_t)len, v = 0;
    struct term t = {.field = FIELD_PATH};
    if (v < n && p->buf[v] == '!') {
        t.negate = true;
        v++;
    }
    bool has_field = false;
    const char *colon = memchr(p->buf + v, ':', n - v);
    for (size_t k = 0; colon && k < sizeof filter_fields / sizeof filter_fields[0]; k++) {
        size_t fl = strlen(filter_fields[k].name);
        if ((size_t)(colon - (p->buf + v)) == fl &&
            memcmp(p->buf + v, filter_fields[k].name, fl) == 0) {
            t.field = filter_fields[k].field;
            has_field = true;
            v += fl + 1;
            break;
        }
    }
    if (v == n) {
        if (has_field)
            return parse_fail(p, p->map[n], "missing value after %.*s",
                              (int)(v - (t.negate ? 1 : 0)), p->buf + (t.negate ? 1 : 0));
        return parse_fail(p, n ? p->map[n] : start, "empty term");
    }
    if (t.field == FIELD_TYPE) {
        f->ntype_terms++;
        return parse_type(p, v, n, t.negate);
    }
    if (t.field == FIELD_PID) {
        if (!parse_pid(p, v, n, &t))
            return false;
    } else {
        t.re = compile_regex(p, v, n);
        if (!t.re)
            return false;
        /* JIT code reads ahead of the subject in whole vectors, which memory
         * checkers such as valgrind cannot tell from a bug: they can turn it off. */
        t.jit = !getenv("FANOTOP_NO_JIT") && pcre2_jit_compile(t.re, PCRE2_JIT_COMPLETE) == 0;
    }
    t.cost = term_cost(&t);
    if (!add_term(p, f, &t)) {
        pcre2_code_free(t.re);
        return false;
    }
    return true;
}

static bool parse(struct parser *p, struct filter *f)
{
    size_t i = 0;
    while (i < p->len && is_space(p->text[i]))
        i++;
    if (strncmp(p->text + i, "(?i)", 4) == 0) {
        p->caseless_all = true;
        i += 4;
    }
    for (;;) {
        while (i < p->len && is_space(p->text[i]))
            i++;
        if (i == p->len)
            return true;
        if (!parse_term(p, f, &i))
            return false;
    }
}

struct filter *filter_compile(const char *expr, struct filter_error *err)
{
    if (!expr)
        expr = "";
    struct filter *f = calloc(1, sizeof *f);
    struct parser p = {.text = expr, .len = strlen(expr), .err = err};
    if (f)
        f->text = strdup(expr);
    p.buf = malloc(p.len + 1);
    p.lit = malloc(p.len + 1);
    p.map = malloc((p.len + 1) * sizeof *p.map);
    bool ok =
        f && f->text && p.buf && p.lit && p.map ? parse(&p, f) : parse_fail(&p, 0, "out of memory");
    if (ok) {
        f->type_mask = p.any_pos_types ? p.pos_types : FA_ALL_TYPES;
        f->type_mask &= ~p.neg_types;
        f->path_only = true;
        f->jit = true;
        for (size_t i = 0; i < f->nterms; i++) {
            if (f->terms[i].field != FIELD_PATH)
                f->path_only = false;
            if (f->terms[i].re && !f->terms[i].jit)
                f->jit = false;
        }
        /* One match block for every term: we only ask whether it matched. */
        f->md = pcre2_match_data_create(1, NULL);
        f->mctx = pcre2_match_context_create(NULL);
        if (!f->md || !f->mctx)
            ok = parse_fail(&p, 0, "out of memory");
        else
            pcre2_set_match_limit(f->mctx, FILTER_MATCH_LIMIT);
        if (ok && f->nterms) {
            f->jit_stack = pcre2_jit_stack_create(32 * 1024, FILTER_JIT_STACK_MAX, NULL);
            if (f->jit_stack) /* else the default stack: smaller, still correct */
                pcre2_jit_stack_assign(f->mctx, NULL, f->jit_stack);
        }
    }
    pcre2_code_free(p.upper);
    free(p.buf);
    free(p.lit);
    free(p.map);
    if (!ok) {
        filter_free(f);
        return NULL;
    }
    return f;
}

void filter_free(struct filter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nterms; i++)
        pcre2_code_free(f->terms[i].re);
    free(f->terms);
    pcre2_match_data_free(f->md);
    pcre2_match_context_free(f->mctx);
    pcre2_jit_stack_free(f->jit_stack);
    free(f->text);
    free(f);
}

const char *filter_text(const struct filter *f)
{
    return f->text;
}

bool filter_is_empty(const struct filter *f)
{
    return f->nterms == 0 && f->ntype_terms == 0;
}

bool filter_jit(const struct filter *f)
{
    return f->jit;
}

uint32_t filter_type_mask(const struct filter *f)
{
    return f->type_mask;
}

static const char *proc_field(const struct fa_proc *proc, enum filter_field field)
{
    const char *s = NULL;
    if (!proc)
        return "";
    switch (field) {
    case FIELD_COMM:
        s = proc->comm;
        break;
    case FIELD_EXE:
        s = proc->exe;
        break;
    case FIELD_CMD:
        s = proc->cmdline;
        break;
    case FIELD_USER:
        s = proc->user;
        break;
    case FIELD_UNIT:
        s = proc->unit;
        break;
    case FIELD_CONTAINER:
        s = fa_proc_container(proc);
        break;
    default:
        break;
    }
    return s ? s : "";
}

/* Does term T's regex match S (N bytes)? 1 yes, 0 no, -1 when a match
 * limit left it undecided. */
static int term_hits(const struct filter *f, const struct term *t, const char *s, size_t n)
{
    /* pcre2_jit_match skips the checks pcre2_match repeats per call. */
    int rc = t->jit ? pcre2_jit_match(t->re, (PCRE2_SPTR)s, n, 0, 0, f->md, f->mctx)
                    : pcre2_match(t->re, (PCRE2_SPTR)s, n, 0, 0, f->md, f->mctx);
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

bool filter_match_subject(const struct filter *f, const char *path, size_t path_len,
                          const struct fa_proc *proc)
{
    for (size_t i = 0; i < f->nterms; i++) {
        const struct term *t = &f->terms[i];
        int hit;
        if (t->field == FIELD_PID) {
            int32_t pid = proc ? proc->pid : 0;
            hit = pid >= t->pid_lo && pid <= t->pid_hi;
        } else if (t->field == FIELD_PATH) {
            hit = term_hits(f, t, path ? path : "", path ? path_len : 0);
        } else {
            const char *s = proc_field(proc, t->field);
            hit = term_hits(f, t, s, strlen(s));
            /* A container is also known by its id, which the unit holds:
             * container: stays what it was before names, an alias of unit:. */
            if (hit == 0 && t->field == FIELD_CONTAINER && proc)
                hit = term_hits(f, t, proc->unit, strlen(proc->unit));
        }
        if (hit < 0)
            return false; /* hit a match limit: undecided, so not shown */
        if ((hit == 1) == t->negate)
            return false;
    }
    return true;
}

bool filter_path_only(const struct filter *f)
{
    return f->path_only;
}

bool filter_match_event(const struct filter *f, const struct fa_event *ev)
{
    if (!(ev->types & f->type_mask))
        return false;
    return filter_match_subject(f, ev->path, ev->path_len, ev->proc);
}

static void put(char *buf, size_t len, size_t *pos, const char *s, size_t n)
{
    for (size_t i = 0; i < n && *pos + 1 < len; i++)
        buf[(*pos)++] = s[i];
}

void filter_error_format(const char *expr, const struct filter_error *err, char *buf, size_t len)
{
    if (!len)
        return;
    size_t pos = 0;
    static const char head[] = "fanotop: invalid filter '";
    put(buf, len, &pos, head, sizeof head - 1);
    /* EXPR is typed text: a control character must not break the line. */
    for (const char *s = expr ? expr : ""; *s; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[8];
        if (c < 0x20 || c == 0x7f)
            put(buf, len, &pos, esc, (size_t)snprintf(esc, sizeof esc, "\\x%02x", c));
        else
            put(buf, len, &pos, (const char *)&c, 1);
    }
    char tail[sizeof err->message + 64];
    int n = snprintf(tail, sizeof tail, "': %s at offset %zu", err->message, err->offset);
    put(buf, len, &pos, tail, n < 0 ? 0 : strlen(tail));
    buf[pos] = '\0';
}
