/* The key bindings as users read them: one table for the F1 help screen, the
 * --help-keys listing and (through a test) the man page, so they cannot
 * drift apart. No curses. */
#ifndef FANOTOP_KEYS_H
#define FANOTOP_KEYS_H

#include <stddef.h>
#include <stdio.h>

struct key_help {
    const char *keys; /* NULL: a section heading in WHAT; "": WHAT continues */
    const char *what;
};

extern const struct key_help keys_help[];
extern const size_t keys_help_count;

/* Print the table for --help-keys: "KEYS<Tab>WHAT" a line, key names
 * separated by single spaces; headings and continuations are left out. */
void keys_print(FILE *out);

#endif
