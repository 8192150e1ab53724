/* libFuzzer target: arbitrary bytes as a proc connector datagram, then as
 * a batch of fanotify events, through the process identity cache: the
 * message parser must never read outside the datagram, and the changes it
 * makes (forks, execs, user and name changes of whatever pids) must order
 * against the batch without touching freed or unset memory. */
#include "config.h"

#include "capture/decode.h"
#include "capture/proc.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

#define MAX_INPUT 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT)
        return 0;
    /* A private copy: the parsers may see exactly SIZE bytes, no more. */
    unsigned char *buf = malloc(size ? size : 1);
    struct proc_cache *c = proc_cache_create(getpid());
    if (!buf || !c) {
        free(buf);
        proc_cache_destroy(c);
        return 0;
    }
    memcpy(buf, data, size);
    proc_queue_limit(c, 4);
    proc_queue_polled(c, 0, false, 0);
    proc_events_take(c, buf, size, 1);
    struct proc_batch b = {.start = 1, .end = 2, .emptied = size & 1, .buf = buf, .len = size};
    proc_batch_begin(c, 0, &b);
    size_t off = 0;
    struct decode_event ev;
    while (decode_next(buf, size, &off, &ev) == DECODE_OK) {
        b.events++;
        struct proc_info *p = ev.pid > 0 ? proc_lookup(c, ev.pid, ev.mask, 2) : NULL;
        if (p && (ev.mask & FAN_OPEN_EXEC))
            proc_exec(c, p, ev.name, ev.name ? ev.name_len : 0, &b, off);
    }
    proc_batch_end(c, 0, &b);
    proc_cache_destroy(c);
    free(buf);
    return 0;
}
