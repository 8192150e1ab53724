/* The filter language: space-separated terms, all must match (AND).
 *   regex            PCRE2 regex against the path
 *   field:regex      field is path, comm, exe, cmd, user, unit, container;
 *                    container matches a container's name, or the unit (its id)
 *   type:LIST        the event types and groups --events takes (read, write,
 *                    close_write ...), separated by ',' or '|'
 *   type:/regex/     the event types whose names the regex matches
 *   pid:N / pid:A-B  a pid or an inclusive range
 *   !term            negation;  "quoted term"  for terms with spaces
 * Smart case: a term without upper-case letters matches case-insensitively,
 * unless the filter starts with (?i), which makes every term insensitive.
 * Paths are bytes: an invalid UTF-8 sequence matches nothing, not even '.',
 * but the valid text around it matches as usual (PCRE2_MATCH_INVALID_UTF).
 * An unknown type name, or a type regex that matches no type name, is an
 * error (a typo would hide all).
 * No curses here; PCRE2 with JIT where available. */
#ifndef FANOTOP_FILTER_H
#define FANOTOP_FILTER_H

#include "base/event.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct filter;

struct filter_error {
    char message[256]; /* PCRE2's message or the parser's, one line */
    size_t offset;     /* byte offset into the whole filter text */
};

/* Compile EXPR (NULL or blank: a filter that matches everything). Returns NULL
 * and fills ERR on a bad filter. Free with filter_free. */
struct filter *filter_compile(const char *expr, struct filter_error *err);
void filter_free(struct filter *f);

/* The text the filter was compiled from ("" for the empty filter). */
const char *filter_text(const struct filter *f);
/* True when the filter has no terms (matches everything). */
bool filter_is_empty(const struct filter *f);
/* True when every regex of F runs as JIT code (false: PCRE2's interpreter,
 * slower but the same results). For benchmarks and diagnostics. */
bool filter_jit(const struct filter *f);

/* Types that the type: terms select (FA_ALL_TYPES when there are none). A
 * view counts only these types; an event with none of them does not match. */
uint32_t filter_type_mask(const struct filter *f);

/* Whether the path/process terms match (type: terms are ignored here; use
 * filter_type_mask). PROC may be NULL for rows without a process (then
 * process terms see empty strings and pid 0). */
bool filter_match_subject(const struct filter *f, const char *path, size_t path_len,
                          const struct fa_proc *proc);

/* True when the filter has no process terms (comm, exe, cmd, user, unit,
 * container, pid):
 * then a path's result holds for every process, which lets views cache it. */
bool filter_path_only(const struct filter *f);

/* Whole-event match: subject terms and types (ev->types & mask non-zero). */
bool filter_match_event(const struct filter *f, const struct fa_event *ev);

/* Format "fanotop: invalid filter 'EXPR': MESSAGE at offset N" into buf
 * (always NUL-terminated; control characters of EXPR written as \xNN). */
void filter_error_format(const char *expr, const struct filter_error *err, char *buf, size_t len);

#endif
