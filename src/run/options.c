#include "config.h"

#include "run/options.h"

#include "base/event.h"
#include "model/filter.h"
#include "run/keys.h"
#include "model/view.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    OPT_MOUNT = 256,
    OPT_FILESYSTEM,
    OPT_UNLIMITED_QUEUE,
    OPT_RING_SIZE,
    OPT_VERBOSE,
    OPT_RECORD,
    OPT_FORMAT,
    OPT_DURATION,
    OPT_COUNT,
    OPT_REPLAY_SPEED,
    OPT_CSV_RAW,
    OPT_NO_MOUSE,
    OPT_NO_COLOR,
    OPT_NO_CONFIG,
    OPT_MAX_ROWS,
    OPT_LOG_DEPTH,
    OPT_VERSION,
    OPT_HELP_KEYS,
    OPT_STOP_AT_EXIT,
};

static const struct option long_options[] = {
    {"mount", no_argument, NULL, OPT_MOUNT},
    {"filesystem", no_argument, NULL, OPT_FILESYSTEM},
    {"events", required_argument, NULL, 'e'},
    {"unlimited-queue", no_argument, NULL, OPT_UNLIMITED_QUEUE},
    {"ring-size", required_argument, NULL, OPT_RING_SIZE},
    {"verbose", no_argument, NULL, OPT_VERBOSE},
    {"user", required_argument, NULL, 'u'},
    {"pid", required_argument, NULL, 'p'},
    {"stop-at-exit", no_argument, NULL, OPT_STOP_AT_EXIT},
    {"record", required_argument, NULL, OPT_RECORD},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"duration", required_argument, NULL, OPT_DURATION},
    {"count", required_argument, NULL, OPT_COUNT},
    {"replay", required_argument, NULL, 'r'},
    {"replay-speed", required_argument, NULL, OPT_REPLAY_SPEED},
    {"batch", no_argument, NULL, 'b'},
    {"iterations", required_argument, NULL, 'n'},
    {"csv-raw", no_argument, NULL, OPT_CSV_RAW},
    {"filter", required_argument, NULL, 'f'},
    {"view", required_argument, NULL, 'v'},
    {"sort", required_argument, NULL, 's'},
    {"delay", required_argument, NULL, 'd'},
    {"no-mouse", no_argument, NULL, OPT_NO_MOUSE},
    {"no-color", no_argument, NULL, OPT_NO_COLOR},
    {"no-colour", no_argument, NULL, OPT_NO_COLOR},
    {"no-config", no_argument, NULL, OPT_NO_CONFIG},
    {"max-rows", required_argument, NULL, OPT_MAX_ROWS},
    {"log-depth", required_argument, NULL, OPT_LOG_DEPTH},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help-keys", no_argument, NULL, OPT_HELP_KEYS},
    {NULL, 0, NULL, 0},
};

void options_usage(FILE *out)
{
    fputs("Usage: fanotop [OPTIONS] [PATH...] [-- COMMAND [ARG...]]\n"
          "Show live which processes access which files (fanotify; needs root).\n"
          "\n"
          "What to watch (default: every real mounted filesystem):\n"
          "  PATH...                  everything under each PATH, recursively\n"
          "      --mount              widen each PATH to its whole mount\n"
          "      --filesystem         widen each PATH to its whole filesystem\n"
          "  -e, --events=LIST        event types: open,access,modify,close_write,\n"
          "                           close_nowrite,open_exec,attrib,create,delete,\n"
          "                           moved_from,moved_to,delete_self,move_self;\n"
          "                           groups: read,write,dir,close,move,exec,all\n"
          "  -- COMMAND [ARG...]      run COMMAND; show only it and its descendants;\n"
          "                           --record and --batch end when all have exited\n"
          "      --stop-at-exit       end when COMMAND itself exits (its daemons may\n"
          "                           still run: the last line names them)\n"
          "  -u, --user=USER          run COMMAND as USER (default: sudo's user)\n"
          "  -p, --pid=PID[,PID...]   follow running processes and their children\n"
          "      --unlimited-queue    no limit on the kernel's event queue\n"
          "      --ring-size=MIB      capture ring size in MiB (default 64)\n"
          "      --verbose            say what is watched; account for every\n"
          "                           event at the end of --record\n"
          "\n"
          "Display:\n"
          "  -f, --filter=EXPR        start filter, e.g. 'comm:nginx !\\.log$'\n"
          "  -v, --view=NAME          paths, processes, types, units, events, tree\n"
          "  -s, --sort=COLUMN        sort column of the start view\n"
          "  -d, --delay=SECONDS      refresh interval (default 1)\n"
          "      --no-mouse           do not use the mouse\n"
          "      --no-color           monochrome (also NO_COLOR=1)\n"
          "      --no-config          ignore the settings file\n"
          "      --max-rows=N         distinct paths kept (default 200000)\n"
          "      --log-depth=N        recent events kept (default 100000)\n"
          "\n"
          "Without the screen:\n"
          "      --record=FILE        write every event to FILE ('-' = stdout)\n"
          "      --format=FMT         csv or jsonl for --record; table or csv\n"
          "                           for --batch\n"
          "      --duration=SECONDS   stop after SECONDS\n"
          "      --count=N            stop after N events\n"
          "  -b, --batch              print the view every --delay seconds\n"
          "  -n, --iterations=N       stop --batch after N prints\n"
          "  -r, --replay=FILE        read a recording instead of the kernel\n"
          "      --replay-speed=X     replay in real time scaled by X\n"
          "      --csv-raw            do not defuse formulas in CSV snapshots\n"
          "\n"
          "  -h, --help               show this help\n"
          "      --help-keys          list the keys of the screen\n"
          "      --version            show the version\n"
          "\n"
          "Examples:\n"
          "  fanotop -f 'path:^/etc/resolv\\.conf$' /etc\n"
          "  fanotop --record=build.csv -- make -j2\n",
          out);
}

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fanotop: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(" (see fanotop --help)\n", stderr);
    va_end(ap);
    return 2;
}

static bool parse_double(const char *s, double min, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(d) || d < min)
        return false;
    *out = d;
    return true;
}

static bool parse_u64(const char *s, uint64_t min, uint64_t *out)
{
    char *end;
    if (*s == '-' || *s == '\0')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < min)
        return false;
    *out = v;
    return true;
}

static int parse_pids(struct options *opt, const char *list)
{
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        char buf[32];
        uint64_t v;
        if (len == 0 || len >= sizeof buf)
            return usage_error("invalid --pid '%s'", list);
        memcpy(buf, p, len);
        buf[len] = '\0';
        if (!parse_u64(buf, 1, &v) || v > INT_MAX)
            return usage_error("invalid --pid '%s'", list);
        pid_t *n = realloc(opt->follow_pids, (opt->nfollow + 1) * sizeof *n);
        if (!n)
            return usage_error("out of memory");
        opt->follow_pids = n;
        opt->follow_pids[opt->nfollow++] = (pid_t)v;
        p += len;
        if (*p == ',')
            p++;
    }
    return -1;
}

static void defaults(struct options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->scope = CAPTURE_SCOPE_PATH;
    opt->types = FA_ALL_TYPES & ~FA_BIT(FA_OVERFLOW);
    opt->ring_bytes = (size_t)64 << 20;
    opt->format = EXPORT_CSV;
    opt->batch_format = BATCH_TABLE;
    opt->delay = 1.0;
}

static int parse_one(struct options *opt, int c, const char *arg)
{
    char err[512];
    uint64_t u;
    switch (c) {
    case OPT_MOUNT:
        opt->scope = CAPTURE_SCOPE_MOUNT;
        break;
    case OPT_FILESYSTEM:
        opt->scope = CAPTURE_SCOPE_FILESYSTEM;
        break;
    case 'e':
        if (!fa_types_parse(arg, &opt->types, err, sizeof err))
            return usage_error("%s", err);
        break;
    case OPT_UNLIMITED_QUEUE:
        opt->unlimited_queue = true;
        break;
    case OPT_RING_SIZE:
        if (!parse_u64(arg, 1, &u) || u > 4096 || (u & (u - 1)))
            return usage_error("--ring-size takes a power of two from 1 to 4096 (MiB), not '%s'",
                               arg);
        opt->ring_bytes = (size_t)u << 20;
        break;
    case OPT_STOP_AT_EXIT:
        opt->stop_at_exit = true;
        break;
    case OPT_VERBOSE:
        opt->verbose = true;
        break;
    case 'u':
        opt->run_user = arg;
        break;
    case 'p':
        return parse_pids(opt, arg);
    case OPT_RECORD:
        opt->record = arg;
        break;
    case OPT_FORMAT:
        if (strcmp(arg, "table") == 0) {
            opt->batch_format = BATCH_TABLE;
        } else if (export_format_parse(arg, &opt->format)) {
            opt->batch_format = BATCH_CSV;
            if (opt->format != EXPORT_CSV)
                opt->batch_format = BATCH_TABLE;
        } else {
            return usage_error("unknown format '%s' (csv, jsonl or table)", arg);
        }
        opt->format_given = true;
        break;
    case OPT_DURATION:
        if (!parse_double(arg, 0, &opt->duration) || opt->duration <= 0)
            return usage_error("--duration takes a positive number of seconds, not '%s'", arg);
        break;
    case OPT_COUNT:
        if (!parse_u64(arg, 1, &opt->count))
            return usage_error("--count takes a positive number, not '%s'", arg);
        break;
    case 'r':
        opt->replay = arg;
        break;
    case OPT_REPLAY_SPEED:
        if (!parse_double(arg, 0, &opt->replay_speed) || opt->replay_speed <= 0)
            return usage_error("--replay-speed takes a positive number, not '%s'", arg);
        break;
    case 'b':
        opt->batch = true;
        break;
    case 'n':
        if (!parse_u64(arg, 1, &u) || u > LONG_MAX)
            return usage_error("--iterations takes a positive number, not '%s'", arg);
        opt->iterations = (long)u;
        break;
    case OPT_CSV_RAW:
        opt->csv_raw = true;
        break;
    case 'f':
        opt->filter = arg;
        break;
    case 'v':
        if (view_kind_by_name(arg) < 0)
            return usage_error(
                "unknown view '%s' (paths, processes, types, units, events, tree)", arg);
        opt->view = arg;
        break;
    case 's':
        opt->sort = arg;
        break;
    case 'd':
        if (!parse_double(arg, 0.05, &opt->delay) || opt->delay > 3600)
            return usage_error("--delay takes seconds from 0.05 to 3600, not '%s'", arg);
        opt->delay_given = true;
        break;
    case OPT_NO_MOUSE:
        opt->no_mouse = true;
        break;
    case OPT_NO_COLOR:
        opt->no_color = true;
        break;
    case OPT_NO_CONFIG:
        opt->no_config = true;
        break;
    case OPT_MAX_ROWS:
        if (!parse_u64(arg, 1, &u) || u > ((uint64_t)1 << 32))
            return usage_error("--max-rows takes a positive number, not '%s'", arg);
        opt->max_rows = (size_t)u;
        break;
    case OPT_LOG_DEPTH:
        if (!parse_u64(arg, 1, &u) || u > ((uint64_t)1 << 30))
            return usage_error("--log-depth takes a positive number, not '%s'", arg);
        opt->log_depth = (size_t)u;
        break;
    case 'h':
        options_usage(stdout);
        return 0;
    case OPT_HELP_KEYS:
        keys_print(stdout);
        return 0;
    case OPT_VERSION:
        printf("fanotop %s\n", PACKAGE_VERSION);
        return 0;
    default:
        return 2; /* not reached: options_parse turns away what getopt did not know */
    }
    return -1;
}

static int check(struct options *opt)
{
    if (opt->record && opt->batch)
        return usage_error("--record and --batch cannot be combined");
    if (opt->replay && (opt->command || opt->nfollow))
        return usage_error("--replay cannot be combined with following a command or --pid");
    if (opt->replay && opt->npaths)
        return usage_error("--replay takes no PATH (filter the recording with --filter)");
    if (opt->command && opt->nfollow)
        return usage_error("-- COMMAND and --pid cannot be combined");
    if (opt->run_user && !opt->command)
        return usage_error("--user needs a COMMAND after --");
    if (opt->stop_at_exit && !opt->command)
        return usage_error("--stop-at-exit needs a COMMAND after --");
    if (opt->replay_speed > 0 && !opt->replay)
        return usage_error("--replay-speed needs --replay");
    if (opt->format_given && !opt->record && !opt->batch)
        return usage_error("--format needs --record or --batch");
    if (opt->record && opt->format_given && strcmp(opt->record, "") == 0)
        return usage_error("--record needs a file name or -");
    if (opt->iterations && !opt->batch)
        return usage_error("--iterations needs --batch");
    if (opt->filter) {
        struct filter_error ferr;
        struct filter *f = filter_compile(opt->filter, &ferr);
        if (!f) {
            char msg[1024];
            filter_error_format(opt->filter, &ferr, msg, sizeof msg);
            fprintf(stderr, "%s\n", msg);
            return 2;
        }
        filter_free(f);
    }
    return -1;
}

/* getopt's verdict on argv[optind - 1]: an unknown option ('?') or one
 * missing its argument (':'). A short option is named by optopt; a long one
 * only by the argument itself. */
static int bad_option(int c, int argc, char **argv)
{
    const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
    char name[3] = {'-', (char)optopt, '\0'};
    bool is_long = strncmp(arg, "--", 2) == 0;
    const char *shown = is_long ? arg : name;
    size_t len = is_long ? strcspn(shown, "=") : strlen(shown);
    if (c == ':')
        return usage_error("option '%.*s' needs an argument", (int)len, shown);
    for (const struct option *o = long_options; is_long && o->name; o++)
        if (strlen(o->name) == len - 2 && strncmp(o->name, shown + 2, len - 2) == 0)
            return usage_error("option '%.*s' takes no argument", (int)len, shown);
    return usage_error("unknown option '%.*s'", (int)len, shown);
}

int options_parse(struct options *opt, int argc, char **argv)
{
    defaults(opt);
    opterr = 0; /* our own one-line messages, named fanotop, not argv[0] */
    /* "+" stops at the first non-option so that "-- COMMAND -x" keeps -x for
     * COMMAND; PATH arguments in between are gathered by hand below. */
    int i = 1;
    optind = 1;
    opt->paths = calloc((size_t)argc + 1, sizeof *opt->paths);
    if (!opt->paths)
        return usage_error("out of memory");
    for (;;) {
        int c = getopt_long(argc, argv, "+:e:u:p:r:bn:f:v:s:d:h", long_options, NULL);
        if (c == -1) {
            i = optind;
            if (i < argc && strcmp(argv[i - 1], "--") == 0) {
                /* getopt consumed "--": everything after it is the command. */
                opt->command = &argv[i];
                break;
            }
            if (i >= argc)
                break;
            if (strcmp(argv[i], "--") == 0) {
                if (i + 1 < argc)
                    opt->command = &argv[i + 1];
                else
                    return usage_error("-- needs a COMMAND after it");
                break;
            }
            opt->paths[opt->npaths++] = argv[i];
            optind = i + 1;
            continue;
        }
        if (c == '?' || c == ':')
            return bad_option(c, argc, argv);
        int rc = parse_one(opt, c, optarg);
        if (rc >= 0)
            return rc;
    }
    if (optind > 1 && optind <= argc && strcmp(argv[optind - 1], "--") == 0 && !opt->command &&
        optind == argc)
        return usage_error("-- needs a COMMAND after it");
    return check(opt);
}

void options_free(struct options *opt)
{
    free(opt->paths);
    free(opt->follow_pids);
    opt->paths = NULL;
    opt->follow_pids = NULL;
}
