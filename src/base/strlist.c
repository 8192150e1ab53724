#include "config.h"

#include "base/strlist.h"

#include <stdlib.h>
#include <string.h>

bool strlist_touch(char **list, size_t *n, size_t max, const char *s)
{
    if (!*s || !max)
        return false;
    for (size_t i = 0; i < *n; i++)
        if (strcmp(list[i], s) == 0) {
            char *keep = list[i];
            memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof *list);
            list[*n - 1] = keep;
            return false;
        }
    char *copy = strdup(s);
    if (!copy)
        return false;
    if (*n == max) {
        free(list[0]);
        memmove(&list[0], &list[1], (*n - 1) * sizeof *list);
        (*n)--;
    }
    list[(*n)++] = copy;
    return true;
}
