#include "config.h"

#include "run/keys.h"

#include <stdbool.h>

const struct key_help keys_help[] = {
    {NULL, "Views"},
    {"Tab  Shift-Tab", "next / previous view"},
    {"1 2 3 4 5 6 7 8", "paths, processes, types, units, events, tree, proctree, containers"},
    {"F5  t", "tree view (again: back to the view before)"},
    {"", "from processes: the process tree (again: back to processes)"},
    {"+  -  *", "trees: expand, collapse, expand all (again: collapse all)"},
    {"g", "processes: group by comm, then exe, then unit, then not"},
    {"Enter", "details of the row: who touched this file, what this process touched,"},
    {"", "every field of an event; in the tree: open or close the directory"},
    {"Esc  Backspace", "close the details pane"},
    {NULL, "Moving"},
    {"Up Down PgUp PgDn", "move the cursor (the order holds still while you move); as in htop"},
    {"", "the cursor keeps its place in the list as rows re-sort"},
    {"Home  End", "first / last row (End: the events view follows new events again)"},
    {"F", "follow the row at the cursor wherever the sort moves it (again, or a move: stop)"},
    {"Left  Right", "scroll long names (paths are cut at the start: ...); tree: close / open"},
    {"mouse", "click a row to select it, a column header to sort (again: invert)"},
    {NULL, "Sorting"},
    {"F6", "choose the sort column from a menu"},
    {"<  >", "sort by the column to the left / right"},
    {"I", "invert the sort order"},
    {NULL, "Finding"},
    {"F3  /", "search the name column as you type (Enter keeps, Esc closes)"},
    {"n  N", "next / previous match"},
    {"F4  \\",
     "filter: regexes, field:regex (path comm exe cmd user unit container pid), !negate,"},
    {"", "type:write,create (the names of -e) or type:/regex/"},
    {"", "live as you type; Enter keeps it, Esc restores, Up/Down recall earlier ones"},
    {NULL, "Data"},
    {"Z  p", "pause / resume (capture goes on; the header counts what waits)"},
    {"E", "export the current view (every filtered row, sorted) as CSV"},
    {"e", "export the recent events log as CSV or JSON Lines (Tab switches)"},
    {"Del", "reset all counters (asks first: y resets)"},
    {"F9  k", "signal the row's process (every one of a group row), live only"},
    {NULL, "Screen"},
    {"F1  h  ?", "this help"},
    {"F2  S", "setup: columns of each view, colour, refresh delay, mouse (saved)"},
    {"Ctrl-L", "redraw the screen"},
    {"q  F10", "quit"},
    {"Ctrl-C", "quit (with -- COMMAND: SIGINT to its process group first;"},
    {"", "again: SIGTERM, then SIGKILL)"},
};

const size_t keys_help_count = sizeof keys_help / sizeof keys_help[0];

void keys_print(FILE *out)
{
    for (size_t i = 0; i < keys_help_count; i++) {
        const char *k = keys_help[i].keys;
        if (!k || !*k)
            continue;
        /* The table aligns names with double spaces; one is enough here. */
        bool space = false;
        for (; *k; k++) {
            if (*k == ' ') {
                space = true;
                continue;
            }
            if (space)
                fputc(' ', out);
            space = false;
            fputc(*k, out);
        }
        fprintf(out, "\t%s\n", keys_help[i].what);
    }
}
