/* A followed COMMAND run as another user (-u USER, or sudo's user) gets
 * nothing of root's: an environment built for that user as su and sudo
 * build one, and, beside the headless modes, a session of its own with no
 * terminal of ours (so TIOCSTI cannot type into root's shell, nor can it
 * read root's keys): standard input from /dev/null, its output through
 * pipes that fanotop copies out, escaped when they go to a terminal. */
#ifndef FANOTOP_FOLLOW_USER_H
#define FANOTOP_FOLLOW_USER_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/* The environment for UID: HOME, USER, LOGNAME and SHELL from the password
 * database, PATH as su sets it (ENV_PATH or ENV_SUPATH of
 * /etc/login.defs), and of ours only TERM, LANG and LC_*. A NULL-terminated
 * malloc'd array of malloc'd strings (follow_user_env_free), or NULL. */
char **follow_user_env(uid_t uid);
void follow_user_env_free(char **env);

/* The command's output, copied out by fanotop. */
struct follow_relay {
    int rd[2];   /* our read ends: the command's stdout, stderr; -1 when closed */
    int wr[2];   /* its write ends, until the fork */
    FILE *to[2]; /* where each goes (escaped when a terminal) */
    bool own[2]; /* to[i] is an escaping stream of ours, closed with the relay */
};

/* Make the pipes; the command's stdout is copied to OUT_TO (our stdout, or
 * stderr when stdout carries the record), its stderr to our stderr. -1
 * with errno when they cannot be made. */
int follow_relay_open(struct follow_relay *r, FILE *out_to);

/* In the forked child, before it becomes the user: a new session, no
 * controlling terminal, stdin /dev/null, stdout and stderr the pipes.
 * Async-signal-safe. */
void follow_relay_child(struct follow_relay *r);

/* In the parent after the fork: close the command's ends. */
void follow_relay_parent(struct follow_relay *r);

/* Copy what the command has written so far (never waiting). False once
 * both pipes have ended. */
bool follow_relay_pump(struct follow_relay *r);

/* Copy what is left, then close. Safe on a relay never opened (rd -1). */
void follow_relay_close(struct follow_relay *r);

#endif
