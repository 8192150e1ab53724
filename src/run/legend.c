/* The legend of the screen. See legend.h. Entries are one line each: the
 * help screen wraps them to its width. */
#include "config.h"

#include "run/legend.h"

const struct key_help legend_help[] = {
    {NULL, "Header"},
    {"Events", "events seen since start or Del (every type, every path)"},
    {"Matching", "with a filter: the events it selects, and their rate"},
    {"Rate", "events a second over the last closed second (a replay: recorded seconds)"},
    {"max N/s", "the sparkline's scale: the top of its bars, the last minute's peak"},
    {"Rows a/b", "rows the filter shows / rows before the filter"},
    {"Overflows", "kernel queue overflows: events lost before fanotop read them"},
    {"Ring losses", "events lost between the capture thread and the screen"},
    {"Evicted", "paths dropped to stay within --max-rows (least recently seen)"},
    {"Folded", "(path, process) pairs beyond --max-pairs: their counts stay on the path, under the "
               "process \"(others)\""},
    {"Dropped", "events lost while paused: the pause backlog was full"},
    {"PAUSED (+N new)", "the screen holds still; N events wait"},
    {"Following", "the row F follows, or the command (--) or pids (--pid) followed, since when, "
                  "and whether it runs"},
    {"Replay", "the recorded time reached and how far into the recording"},
    {NULL, "Columns"},
    {"events", "events counted on the row (with type: terms, of those types)"},
    {"open access ...",
     "events of that type; a type without a column on screen is in \"other\". The kernel merges "
     "events of one file that wait together: one record can be open|access|close_nowrite; it "
     "counts once in events and once in each of its types' columns"},
    {"other", "events of the types that have no column on screen"},
    {"procs  files", "processes seen on the row / distinct paths"},
    {"last  first",
     "time of the newest / oldest event (with the date when the events span more than a day)"},
    {"rate", "events a second over the last closed second"},
    {"share", "the type's part of the events shown"},
    {"pid tid ppid uid", "process, thread, parent, user id"},
    {"comm  exe  cmdline", "process name, executable, command line"},
    {"user  unit", "user name; systemd unit or container (- for none)"},
    {"event  types", "the event's type names, as the kernel merged them"},
    {NULL, "Event types (the names --events and type: take)"},
    {"open", "a file was opened"},
    {"access", "read from"},
    {"modify", "written to"},
    {"close_write", "closed after writing"},
    {"close_nowrite", "closed, read-only"},
    {"open_exec", "opened to be run"},
    {"attrib", "metadata changed (mode, owner, times, links)"},
    {"create  delete", "a name created / removed in a directory"},
    {"moved_from  moved_to", "a name renamed away / into place (sed -i's rename)"},
    {"delete_self", "the watched file or directory itself was deleted"},
    {"move_self", "the watched file or directory itself was moved"},
    {"overflow", "the kernel's queue overflowed here: events were lost"},
    {"groups", "read = open access close_nowrite open_exec; write = modify close_write create "
               "delete moved_from moved_to attrib; dir, close, move, exec, all"},
};

const size_t legend_help_count = sizeof legend_help / sizeof legend_help[0];
