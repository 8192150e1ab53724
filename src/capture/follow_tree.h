/* Which pids belong to the followed process trees (-- COMMAND or --pid):
 * asked by the capture thread for each event. An answer is cached per pid
 * and trusted only while that pid's parent is unchanged, which is safe
 * against pid reuse. Starting, reaping and signalling the command is
 * run/follow.c's. */
#ifndef FANOTOP_FOLLOW_TREE_H
#define FANOTOP_FOLLOW_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct follow_tree;

/* The trees under CHILD (a COMMAND we forked; then also every orphan
 * re-parented to SELF, our pid, as its subreaper) or, with CHILD 0, under
 * the NROOTS pids ROOTS (copied). NULL when out of memory. */
struct follow_tree *follow_tree_create(pid_t self, pid_t child, const pid_t *roots, size_t nroots);

/* Any thread: the COMMAND has been reaped, so a new process with its pid is
 * no root. */
void follow_tree_child_gone(struct follow_tree *t);

/* The COMMAND's pid as forked, or 0. */
pid_t follow_tree_child(const struct follow_tree *t);

/* Capture thread: does PID (with parent PPID) belong to a followed tree?
 * Unknown ancestors are read from /proc. */
bool follow_tree_match(struct follow_tree *t, pid_t pid, pid_t ppid);

/* Safe on NULL. */
void follow_tree_destroy(struct follow_tree *t);

#endif
