/* fanotop: options, wiring, exit codes. */
#include "config.h"

#include "run/app.h"
#include "base/privs.h"
#include "base/safeout.h"
#include "capture/capture.h"
#include "record/replay.h"
#include "run/follow.h"
#include "run/options.h"
#include "run/signals.h"

#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run_mode(struct app *app)
{
    if (app->opt->record)
        return record_run(app);
    if (app->opt->batch)
        return batch_run(app);
    if (!isatty(STDIN_FILENO) && app->opt->replay && strcmp(app->opt->replay, "-") == 0) {
        safeout_say("the screen reads keys from stdin: with --replay=- use --batch or --record");
        return 2;
    }
    return ui_run(app);
}

/* Give each of the descriptors 0, 1 and 2 that is closed /dev/null, so that
 * nothing opened later (a fanotify group, a record file) takes its number
 * and receives what is meant for it. True when stdout was closed. */
static bool stdio_reopen(void)
{
    bool out_closed = false;
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0)
            continue;
        out_closed |= fd == STDOUT_FILENO;
        int null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (null >= 0 && null != fd) {
            dup2(null, fd);
            close(null);
        }
    }
    return out_closed;
}

/* The replay's input, opened with every privilege; then none is left
 * before a byte of it is read. */
static struct source *start_replay(struct app *app, char *err, size_t errlen, int *status)
{
    const struct options *opt = app->opt;
    *status = 2;
    int fd = replay_open(opt->replay, err, errlen);
    if (fd < 0)
        return NULL;
    if (privs_drop_all(err, errlen) < 0) {
        if (fd != STDIN_FILENO)
            close(fd);
        *status = 1;
        return NULL;
    }
    return replay_start_fd(fd, opt->replay, opt->replay_speed, app->ring, err, errlen);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    bool stdout_closed = stdio_reopen();
    struct options opt;
    int rc = options_parse(&opt, argc, argv);
    if (rc >= 0) {
        options_free(&opt);
        return rc;
    }
    if (stdout_closed && ((opt.record && strcmp(opt.record, "-") == 0) || opt.batch)) {
        safeout_say("cannot write stdout: it is closed");
        options_free(&opt);
        return 2;
    }
    signals_install();

    char err[1024] = "";
    struct app app = {.opt = &opt, .out_fd = -1};
    struct filter_error ferr;
    app.filter = filter_compile(opt.filter, &ferr); /* checked valid by options_parse */
    app.procs = proctab_create();
    app.ring = ring_create(opt.ring_bytes);
    if (!app.filter || !app.procs || !app.ring) {
        safeout_say("out of memory");
        return 1;
    }

    int status = 1;
    /* The output first: a record file refused starts no capture, no command. */
    if (opt.record && (status = record_open(&app)) != 0)
        goto fail;
    status = 1;
    if (opt.replay) {
        app.src = start_replay(&app, err, sizeof err, &status);
    } else {
        if (opt.command || opt.nfollow) {
            app.follow = follow_prepare(&opt, err, sizeof err, &status);
            if (!app.follow)
                goto fail;
        }
        struct capture_config cc = {.paths = opt.paths,
                                    .npaths = opt.npaths,
                                    .scope = opt.scope,
                                    .types = opt.types,
                                    .unlimited_queue = opt.unlimited_queue,
                                    .verbose = opt.verbose,
                                    .follow = follow_tree_of(app.follow)};
        app.src = capture_start(&cc, app.ring, err, sizeof err, &status);
        app.live = true;
        if (app.src && app.follow && follow_launch(app.follow, err, sizeof err, &status) < 0) {
            source_stop(app.src);
            app.src = NULL;
        }
    }
    if (!app.src)
        goto fail;
    if (app.live && privs_drop(err, sizeof err) < 0 && opt.verbose)
        safeout_say("warning: %s", err);

    status = run_mode(&app);
    source_stop(app.src);
    follow_tell_running(app.follow);
    err[0] = '\0'; /* from here on the same clean-up as a failure, without its message */

fail:
    if (err[0])
        safeout_say("%s", err);
    if (app.out && app.out != stdout)
        fclose(app.out);
    follow_destroy(app.follow);
    filter_free(app.filter);
    proctab_destroy(app.procs);
    ring_destroy(app.ring);
    options_free(&opt);
    return status;
}
