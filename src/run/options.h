/* Command-line options: parsed once in main, read by every mode. */
#ifndef FANOTOP_OPTIONS_H
#define FANOTOP_OPTIONS_H

#include "capture/capture.h"
#include "record/format.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

enum batch_format { BATCH_TABLE, BATCH_CSV };

struct options {
    /* what to watch */
    char **paths; /* PATH arguments; NULL-terminated; npaths may be 0 */
    size_t npaths;
    enum capture_scope scope;
    uint32_t types; /* FA_BIT mask from --events; all by default */
    bool unlimited_queue;
    size_t ring_bytes;
    bool verbose;

    /* follow a command or processes */
    char **command; /* after "--"; NULL when none */
    const char *run_user;
    pid_t *follow_pids;
    size_t nfollow;
    bool stop_at_exit; /* end with COMMAND, not with its last descendant */

    /* sources and outputs */
    const char *record; /* --record FILE or "-" */
    const char *replay; /* --replay FILE or "-" */
    double replay_speed; /* 0 = as fast as possible */
    enum export_format format; /* record format */
    bool format_given;
    enum batch_format batch_format;
    double duration; /* seconds, 0 = until stopped */
    uint64_t count;  /* events, 0 = no limit */
    bool batch;
    long iterations; /* 0 = forever */
    bool csv_raw;

    /* view */
    const char *filter;
    const char *view;
    const char *sort;
    double delay; /* seconds between refreshes */
    bool delay_given; /* --delay was given: it wins over the settings file */
    bool no_mouse;
    bool no_color;
    bool no_config;
    size_t max_rows;
    size_t log_depth;
};

/* Parse argv into OPT. Returns -1 to continue, or an exit status to exit with
 * at once (0 after --help/--version, 2 after a usage error, whose one-line
 * message has been printed to stderr). */
int options_parse(struct options *opt, int argc, char **argv);
void options_free(struct options *opt);

/* Print --help to OUT. */
void options_usage(FILE *out);

#endif
