/* fanotop: options, wiring, exit codes. */
#include "config.h"

#include "run/app.h"
#include "capture/capture.h"
#include "run/follow.h"
#include "run/options.h"
#include "base/privs.h"
#include "record/replay.h"
#include "run/signals.h"

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
        fputs("fanotop: the screen reads keys from stdin: with --replay=- use --batch or "
              "--record\n",
              stderr);
        return 2;
    }
    return ui_run(app);
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    struct options opt;
    int rc = options_parse(&opt, argc, argv);
    if (rc >= 0) {
        options_free(&opt);
        return rc;
    }
    signals_install();

    char err[1024] = "";
    struct app app = {.opt = &opt};
    struct filter_error ferr;
    app.filter = filter_compile(opt.filter, &ferr); /* checked valid by options_parse */
    app.procs = proctab_create();
    app.ring = ring_create(opt.ring_bytes);
    if (!app.filter || !app.procs || !app.ring) {
        fputs("fanotop: out of memory\n", stderr);
        return 1;
    }

    int status = 1;
    if (opt.replay) {
        app.src = replay_start(opt.replay, opt.replay_speed, app.ring, err, sizeof err);
        status = 2;
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
        fprintf(stderr, "fanotop: warning: %s\n", err);

    status = run_mode(&app);
    source_stop(app.src);
    follow_tell_running(app.follow);
    err[0] = '\0'; /* from here on the same clean-up as a failure, without its message */

fail:
    if (err[0])
        fprintf(stderr, "fanotop: %s\n", err);
    follow_destroy(app.follow);
    filter_free(app.filter);
    proctab_destroy(app.procs);
    ring_destroy(app.ring);
    options_free(&opt);
    return status;
}
