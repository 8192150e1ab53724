/* The columns each view kind shows: ui->hidden keeps a bit per hidden
 * column (set in the setup screen), the settings file names the columns
 * shown (columns.KIND = path,total,...). These two turn one into the other.
 * The UI's views show a kind's extra columns too, hidden until chosen. */
#include "config.h"

#include "ui/ui.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

size_t ui_columns_count(enum view_kind k)
{
    return view_kind_ncolumns(k) + view_kind_nextra(k);
}

const char *ui_columns_name(enum view_kind k, size_t c)
{
    size_t own = view_kind_ncolumns(k);
    return c < own ? view_kind_column(k, c).name : view_kind_extra(k, c - own).name;
}

uint32_t ui_columns_default_hidden(enum view_kind k)
{
    uint32_t hidden = 0;
    for (size_t c = view_kind_ncolumns(k); c < ui_columns_count(k) && c < 32; c++)
        hidden |= (uint32_t)1 << c;
    return hidden;
}

uint32_t ui_columns_hidden(struct ui *ui, enum view_kind k, const char *names)
{
    (void)ui;
    uint32_t hidden = 0;
    size_t n = ui_columns_count(k);
    for (size_t c = 1; c < n && c < 32; c++) { /* the first column always shows */
        const char *name = ui_columns_name(k, c);
        size_t len = strlen(name);
        bool listed = false;
        for (const char *p = names; *p;) {
            size_t l = strcspn(p, ",");
            listed |= l == len && strncasecmp(p, name, len) == 0;
            p += l + (p[l] == ',');
        }
        if (!listed)
            hidden |= (uint32_t)1 << c;
    }
    return hidden;
}

char *ui_columns_names(struct ui *ui, enum view_kind k)
{
    if (ui->hidden[k] == ui_columns_default_hidden(k))
        return NULL;
    char buf[1024];
    size_t at = 0;
    for (size_t c = 0; c < ui_columns_count(k) && c < 32; c++) {
        if (ui->hidden[k] & ((uint32_t)1 << c))
            continue;
        int w = snprintf(buf + at, sizeof buf - at, "%s%s", at ? "," : "", ui_columns_name(k, c));
        if (w < 0 || (size_t)w >= sizeof buf - at)
            break;
        at += (size_t)w;
    }
    buf[at] = '\0';
    for (char *q = buf; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return strdup(buf);
}
