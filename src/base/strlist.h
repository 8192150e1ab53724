/* A short most-recent-last list of strings (filter history): one rule for
 * the screen's history and the settings file's. */
#ifndef FANOTOP_STRLIST_H
#define FANOTOP_STRLIST_H

#include <stdbool.h>
#include <stddef.h>

/* Make S the newest entry of LIST (*N entries, at most MAX, oldest first):
 * an equal entry moves to the end, otherwise a copy is appended and the
 * oldest dropped when full. True when a new entry was added; false when S
 * was there already, is empty, or memory ran out. */
bool strlist_touch(char **list, size_t *n, size_t max, const char *s);

#endif
