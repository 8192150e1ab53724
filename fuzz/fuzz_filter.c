/* libFuzzer target for the filter language: any text either compiles or
 * gives an error inside the text; a compiled filter matches sample events
 * (valid and invalid UTF-8 paths, no process, an overflow marker). */
#include "config.h"

#include "model/filter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const struct fa_proc sample_proc = {
    .id = 1,
    .pid = 1234,
    .ppid = 1,
    .uid = 33,
    .user = "www-data",
    .comm = "nginx",
    .exe = "/usr/sbin/nginx",
    .cmdline = "nginx: worker process \"x\"",
    .unit = "nginx.service",
};

/* A path literal and its length, for the initializers below. */
#define PATH(s) .path = (s), .path_len = sizeof(s) - 1
static const struct fa_event samples[] = {
    {.types = FA_BIT(FA_OPEN), PATH("/var/log/nginx/access.log"), .proc = &sample_proc},
    {.types = FA_BIT(FA_CLOSE_WRITE) | FA_BIT(FA_MODIFY),
     PATH("/home/Émile/my dir/a b.TXT"),
     .proc = &sample_proc},
    {.types = FA_BIT(FA_CREATE), PATH("/tmp/\xff\xfe/caf\xc3/x\x80y")},
    {.types = FA_BIT(FA_OVERFLOW), PATH("")},
    {.types = FA_BIT(FA_ACCESS),
     PATH("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"),
     .proc = &sample_proc},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    size_t len = strlen(text);

    struct filter_error err;
    struct filter *f = filter_compile(text, &err);
    if (!f) {
        if (err.offset > len || !memchr(err.message, '\0', sizeof err.message) || !err.message[0])
            abort();
        char line[512];
        filter_error_format(text, &err, line, sizeof line);
        if (!memchr(line, '\0', sizeof line))
            abort();
        free(text);
        return 0;
    }
    if (strcmp(filter_text(f), text) != 0)
        abort();
    uint32_t mask = filter_type_mask(f);
    if (mask & ~FA_ALL_TYPES)
        abort();
    bool empty = filter_is_empty(f);
    (void)filter_path_only(f);
    (void)filter_jit(f);
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        const struct fa_event *ev = &samples[i];
        bool subject = filter_match_subject(f, ev->path, ev->path_len, ev->proc);
        bool event = filter_match_event(f, ev);
        if (event != (subject && (ev->types & mask)))
            abort();
        if (empty && !event)
            abort();
    }
    filter_free(f);
    free(text);
    return 0;
}
