/* libFuzzer target: arbitrary bytes as a fanotify read() buffer through the
 * decoder, which must stop or flag bad records without reading outside the
 * buffer. Every decoded handle and name is touched so ASan sees any
 * out-of-bounds pointer. */
#include "config.h"

#include "capture/decode.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static volatile unsigned sink;

static void touch(const struct decode_fid *f)
{
    for (size_t i = 0; i < f->fh_len; i++)
        sink += f->fh[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy: the decoder may see exactly SIZE bytes, no more. */
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    size_t off = 0;
    struct decode_event ev;
    while (decode_next(buf, size, &off, &ev) == DECODE_OK) {
        sink += decode_types(ev.mask) + decode_flags(ev.mask);
        if (ev.has_dfid)
            touch(&ev.dfid);
        if (ev.has_fid)
            touch(&ev.fid);
        if (ev.has_dfid && ev.has_fid)
            sink += decode_fid_equal(&ev.dfid, &ev.fid);
        if (ev.name)
            for (size_t i = 0; i <= ev.name_len; i++) /* the NUL too */
                sink += (unsigned char)ev.name[i];
        if (off > size)
            abort();
    }
    free(buf);
    return 0;
}
